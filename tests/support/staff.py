"""Counsellors and coordinators as tests see them: accounts, logged-in API clients, a youth's ticket.

Each `StaffClient` has its own cookie jar, so several people can be logged in at once against
the same test server, as in a real office.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jsonschema_rs
import pytest
from aiohttp.test_utils import TestClient
from argon2 import PasswordHasher

from bot.store.base import Staff
from handoff import AUTH, auth
from handoff.openapi import document
from tests.support.chat import ChatClient, payloads
from tests.support.resources import of as resources_of

PASSWORD = "correct horse battery"
# argon2id at its cheapest: the real cost (~0.2 s a hash) would make the suite crawl.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", FAST_HASHER)


async def add_staff(
    client: TestClient,
    email: str,
    role: str = "counsellor",
    *,
    name: str | None = None,
    territory: str | None = None,
    password: str = PASSWORD,
) -> Staff:
    return await client.app[AUTH].create_account(
        email, password, role, territory=territory, display_name=name
    )


@functools.cache
def _document() -> dict[str, Any]:
    return document()


def check_against_document(method: str, path: str, status: int, body: Any) -> None:
    """Every answer of the API must be one the OpenAPI document describes, shape included."""
    doc = _document()
    template = re.sub(r"/\d+(?=/|$)", "/{id}", path.partition("?")[0])
    if template not in doc["paths"]:  # an opaque id: the documented path it fills in
        bare = path.partition("?")[0]
        template = next(
            (p for p in doc["paths"] if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", p), bare)),
            template,
        )
    operation = doc["paths"].get(template, {}).get(method.lower())
    if operation is None:
        return  # an unknown address: 404/405, checked by the tests themselves
    response = operation["responses"].get(str(status))
    assert response is not None, f"{method} {template} answered {status}: not documented"
    if "$ref" in response:
        response = doc["components"]["responses"][response["$ref"].rpartition("/")[2]]
    content = response.get("content", {}).get("application/json")
    if content is None:
        assert body is None, f"{method} {template} {status}: a body where none is documented"
        return
    schema = {**content["schema"], "components": doc["components"]}
    jsonschema_rs.validator_for(schema).validate(body)


class StaffClient:
    """One person's browser: its own cookies, the CSRF token from the login."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf: str | None = None
        self.staff: dict[str, Any] = {}

    async def login(self, email: str, password: str = PASSWORD) -> aiohttp.ClientResponse:
        resp = await self.request("POST", "/api/session", {"email": email, "password": password})
        if resp.status == 200:
            body = await resp.json()
            self.csrf, self.staff = body["csrf_token"], body["staff"]
        return resp

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        csrf: str | bool | None = True,
        raw: bytes | None = None,
    ) -> aiohttp.ClientResponse:
        headers = {}
        token = self.csrf if csrf is True else csrf or None
        if token and method != "GET":
            headers["X-CSRF-Token"] = token
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/json"
        resp = await self.session.request(
            method, self.client.make_url(path), data=data, headers=headers
        )
        raw_body = await resp.read()
        if resp.content_type == "application/json" or not raw_body:
            check_against_document(method, path, resp.status, json.loads(raw_body or b"null"))
        return resp

    async def call(self, method: str, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        resp = await self.request(method, path, body, **kw)
        text = await resp.text()
        return resp.status, (json.loads(text) if text else None)

    async def get(self, path: str) -> tuple[int, Any]:
        return await self.call("GET", path)

    async def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        return await self.call("POST", path, body if body is not None else {}, **kw)

    async def close(self) -> None:
        await self.session.close()


@contextlib.asynccontextmanager
async def logged_in(
    client: TestClient, email: str, role: str = "counsellor", **kw: Any
) -> AsyncIterator[StaffClient]:
    """Create an account and log it in."""
    await add_staff(client, email, role, **kw)
    person = StaffClient(client)
    try:
        resp = await person.login(email)
        assert resp.status == 200, await resp.text()
        yield person
    finally:
        await person.close()


async def finish_intake(chat: ChatClient, name: str = "Lina") -> None:
    """The youth goes from hello to a ticket on the web chat."""
    await chat.say("salut")
    await chat.tap("START")
    await chat.say(f"moi c {name.lower()}")
    await chat.say("19")
    await chat.say("stenay")
    await chat.tap("NEED:job")
    frames = await chat.tap("CONTACT:chat")
    assert "AVAIL:any" in payloads(frames)
    await chat.tap("AVAIL:any")
    await chat.tap("SUMMARY:ok")


async def ticket_of(client: TestClient, chat: ChatClient) -> int:
    """The open ticket of the youth behind `chat`."""
    runtime = resources_of(client.app)
    conversation = await runtime.store.find_conversation("web", chat.user_id)
    assert conversation is not None and conversation.ticket_id is not None
    return conversation.ticket_id


async def next_message(chat: ChatClient, timeout: float = 5.0) -> dict[str, Any]:
    """The next message frame the youth's page receives (acks and the like skipped)."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await chat.ws.receive_json()
            if frame.get("type") == "message":
                return frame


async def joined(chat: ChatClient) -> dict[str, Any]:
    """The line a claim sends the youth: a person (by first name) has joined."""
    frame = await next_message(chat)
    assert frame["from"] == "system" and "a rejoint la conversation" in frame["text"]
    return frame
