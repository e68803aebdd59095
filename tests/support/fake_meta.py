"""Meta as a test sees it: a fake Graph API on loopback, and youths posting signed webhooks.

`FakeGraph` is a real aiohttp server on 127.0.0.1 (random port). It answers
`POST /{version}/me/messages` like the Send API, records every call, checks the token and
the body the way the platform would, and can be told to fail (Graph error codes, HTTP
errors, 429 with Retry-After, slowness). Any other path gets a 404 and is recorded as
unexpected: `assert_clean()` fails the test then.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from tests.support.resources import of as resources_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
INBOX_APP_ID = 263902037430900  # Meta's own Page inbox
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
PAGE_TOKEN = "page-token-EAAB"
IG_TOKEN = "ig-token-IGQW"
APP_ID = "1517776481860111"  # our app in the recorded echoes
_mids = itertools.count(1)


@dataclass(frozen=True)
class Failure:
    """One programmed answer instead of a success."""

    status: int = 400
    code: int | None = None
    subcode: int | None = None
    retry_after: str | None = None
    delay: float = 0.0

    @classmethod
    def graph(cls, code: int, subcode: int | None = None, status: int = 400) -> Failure:
        return cls(status=status, code=code, subcode=subcode)

    @classmethod
    def http(cls, status: int) -> Failure:
        return cls(status=status)

    @classmethod
    def too_many(cls, retry_after: str = "1") -> Failure:
        return cls(status=429, code=613, retry_after=retry_after)

    @classmethod
    def ok(cls, delay: float = 0.0) -> Failure:
        """Not a failure: answer normally (to fail a later call of a sequence)."""
        return cls(status=200, delay=delay)

    @classmethod
    def hang(cls, seconds: float) -> Failure:
        """Answer nothing for `seconds` (the client times out), then 504; nothing delivered."""
        return cls(status=504, delay=seconds)


@dataclass
class GraphCall:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: Any
    status: int = 0
    response_id: str | None = None  # the message_id answered on success
    at: float = field(default_factory=time.time)

    @property
    def token(self) -> str | None:
        if self.authorization and self.authorization.startswith("Bearer "):
            return self.authorization.removeprefix("Bearer ")
        if isinstance(self.body, dict) and isinstance(self.body.get("access_token"), str):
            return self.body["access_token"]
        return self.query.get("access_token")

    @property
    def recipient(self) -> str | None:
        recipient = self.body.get("recipient") if isinstance(self.body, dict) else None
        return recipient.get("id") if isinstance(recipient, dict) else None

    @property
    def message(self) -> dict[str, Any]:
        message = self.body.get("message") if isinstance(self.body, dict) else None
        return message if isinstance(message, dict) else {}

    @property
    def delivered(self) -> bool:
        """Answered 200 with a message_id (typing indicators count too; see `message`)."""
        return self.status == 200


class FakeGraph:
    """The Send API of the Graph API, on loopback."""

    def __init__(self, *, version: str = "v25.0", tokens: tuple[str, ...] = (PAGE_TOKEN, IG_TOKEN)):
        self.version = version
        self.tokens = set(tokens)
        self.calls: list[GraphCall] = []
        self.unexpected: list[GraphCall] = []
        self.invalid: list[tuple[GraphCall, str]] = []
        self.delay = 0.0
        self._failures: dict[str | None, deque[Failure]] = defaultdict(deque)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- life ----------------------------------------------------------------
    async def start(self) -> FakeGraph:
        app = web.Application()
        app.router.add_post(f"/{self.version}/me/messages", self._messages)
        app.router.add_route("*", "/{tail:.*}", self._unexpected)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeGraph:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- programming -----------------------------------------------------------
    def fail(self, *failures: Failure, user_id: str | None = None) -> None:
        """The next calls (for this recipient, or any) get these answers, in order."""
        self._failures[user_id].extend(failures)

    def pending_failures(self) -> int:
        """Programmed answers not used yet."""
        return sum(len(q) for q in self._failures.values())

    # --- reading ---------------------------------------------------------------
    def sent(self, user_id: str) -> list[dict[str, Any]]:
        """Message objects delivered to one recipient, in order."""
        return [
            c.message for c in self.calls if c.delivered and c.recipient == user_id and c.message
        ]

    def sent_texts(self, user_id: str) -> list[str]:
        return [m.get("text", "") for m in self.sent(user_id)]

    def assert_clean(self) -> None:
        assert not self.unexpected, f"unexpected Graph calls: {self.unexpected}"
        assert not self.invalid, f"invalid Graph calls: {[why for _, why in self.invalid]}"

    # --- serving -----------------------------------------------------------------
    async def _unexpected(self, request: web.Request) -> web.Response:
        call = await self._record(request)
        call.status = 404
        self.unexpected.append(call)
        return _graph_error(404, 803, "Unknown path (fake Graph API)")

    async def _messages(self, request: web.Request) -> web.Response:
        call = await self._record(request)
        failure = self._next_failure(call.recipient)
        delay = failure.delay if failure else self.delay
        if delay:
            await asyncio.sleep(delay)
        if failure is not None and failure.status == 200:
            failure = None
        response = self._answer(call, failure)
        call.status = response.status
        return response

    def _answer(self, call: GraphCall, failure: Failure | None) -> web.Response:
        if call.token not in self.tokens:
            return _graph_error(400, 190, "Invalid OAuth access token.")
        problem = _check_body(call.body)
        if problem:
            self.invalid.append((call, problem))
            return _graph_error(400, 100, f"(#100) {problem}")
        if failure is not None:
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
            if failure.code is None:
                return web.Response(status=failure.status, text="upstream error", headers=headers)
            return _graph_error(
                failure.status, failure.code, "Programmed failure", failure.subcode, headers
            )
        call.response_id = f"m_fake{next(_mids)}"
        return web.json_response({"recipient_id": call.recipient, "message_id": call.response_id})

    def _next_failure(self, recipient: str | None) -> Failure | None:
        for key in (recipient, None):
            queue = self._failures.get(key)
            if queue:
                return queue.popleft()
        return None

    async def _record(self, request: web.Request) -> GraphCall:
        raw = await request.read()
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        call = GraphCall(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            authorization=request.headers.get("Authorization"),
            body=body,
        )
        self.calls.append(call)
        return call


def _graph_error(
    status: int,
    code: int,
    message: str,
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AfakeTrace"
    return web.json_response({"error": error}, status=status, headers=headers)


def _check_body(body: Any) -> str | None:
    """What the Send API would refuse in this body, or None."""
    if not isinstance(body, dict):
        return "body must be a JSON object"
    if not isinstance(body.get("recipient"), dict) or not body["recipient"].get("id"):
        return "recipient.id is required"
    if "sender_action" in body:
        if body["sender_action"] not in ("typing_on", "typing_off", "mark_seen"):
            return "sender_action must be typing_on, typing_off or mark_seen"
        return "sender_action goes alone" if "message" in body else None
    kind = body.get("messaging_type")
    if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
        return "messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG"
    if (kind == "MESSAGE_TAG") != ("tag" in body):
        return "tag goes with messaging_type MESSAGE_TAG only"
    message = body.get("message")
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return "message.text is required"
    if not message["text"] or len(message["text"]) > 2000:
        return "message.text must be 1-2000 characters"
    quick = message.get("quick_replies", [])
    if not isinstance(quick, list) or len(quick) > 13:
        return "at most 13 quick_replies"
    for q in quick:
        if q.get("content_type") != "text" or not 1 <= len(q.get("title", "")) <= 20:
            return "quick reply title must be 1-20 characters"
        if not 1 <= len(q.get("payload", "")) <= 1000:
            return "quick reply payload must be 1-1000 characters"
    return None


def meta_settings(graph: FakeGraph | None = None, **overrides: Any) -> dict[str, Any]:
    """Setting overrides for `make_settings` that mount Messenger and Instagram."""
    values: dict[str, Any] = {
        "meta_app_secret": APP_SECRET,
        "meta_verify_token": VERIFY_TOKEN,
        "meta_page_access_token": PAGE_TOKEN,
        "meta_app_id": APP_ID,
    }
    if graph is not None:
        values["meta_graph_base_url"] = graph.base_url
        values["meta_graph_version"] = graph.version
    values.update(overrides)
    return values


# --- webhooks -----------------------------------------------------------------
def sign(raw: bytes, secret: str) -> str:
    """The `X-Hub-Signature-256` Meta would send for these bytes."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


async def post_webhook(
    client: TestClient,
    payload: dict[str, Any] | bytes,
    *,
    secret: str = APP_SECRET,
    signature: str | None = None,
    signed: bool = True,
) -> ClientResponse:
    """POST a payload to `/webhooks/meta` as Meta does: escaped-unicode JSON, signed."""
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if signed:
        headers["X-Hub-Signature-256"] = signature or sign(raw, secret)
    return await client.post("/webhooks/meta", data=raw, headers=headers)


def fixture_bytes(platform: str, name: str) -> bytes:
    """A recorded payload from tests/fixtures/<platform>/<name>.json, byte for byte."""
    return (FIXTURES / platform / f"{name}.json").read_bytes()


def load_fixture(platform: str, name: str) -> dict[str, Any]:
    return json.loads(fixture_bytes(platform, name))


def fresh_fixture(platform: str, name: str) -> dict[str, Any]:
    """A recorded payload with its events stamped now (Meta's windows count from them)."""
    payload = load_fixture(platform, name)
    now_ms = int(time.time() * 1000)
    for entry in payload.get("entry", []):
        for event in [*entry.get("messaging", []), *entry.get("standby", [])]:
            event["timestamp"] = now_ms
    return payload


def envelope(obj: str, page_id: str, *events: dict[str, Any]) -> dict[str, Any]:
    """One webhook POST with one entry holding these messaging events."""
    return {
        "object": obj,
        "entry": [{"id": page_id, "time": int(time.time() * 1000), "messaging": list(events)}],
    }


class MetaYouth:
    """A youth on Messenger or Instagram: posts webhooks, reads what the fake Graph got."""

    def __init__(
        self,
        client: TestClient,
        graph: FakeGraph,
        *,
        secret: str = APP_SECRET,
        platform: str = "messenger",
        user_id: str | None = None,
        page_id: str | None = None,
    ) -> None:
        messenger = platform == "messenger"
        self.client = client
        self.graph = graph
        self.secret = secret
        self.platform = platform
        self.obj = "page" if messenger else "instagram"
        self.user_id = user_id or ("6789012345678901" if messenger else "5432109876543210")
        self.page_id = page_id or ("104859234567890" if messenger else "17841405309211844")
        self.actions = 0
        self._seen = 0

    def event(self, **content: Any) -> dict[str, Any]:
        return {
            "sender": {"id": self.user_id},
            "recipient": {"id": self.page_id},
            "timestamp": int(time.time() * 1000),
            **content,
        }

    async def send(self, *events: dict[str, Any]) -> list[dict[str, Any]]:
        """Post these events in one webhook; the messages the youth received in return."""
        self.actions += 1
        resp = await post_webhook(
            self.client, envelope(self.obj, self.page_id, *events), secret=self.secret
        )
        assert resp.status == 200, resp.status
        assert await resp.text() == "EVENT_RECEIVED"
        return await self.received()

    async def say(self, text: str, mid: str | None = None) -> list[dict[str, Any]]:
        return await self.send(self.event(message={"mid": mid or _mid(), "text": text}))

    async def tap(self, payload: str, title: str = "ok") -> list[dict[str, Any]]:
        """A quick-reply tap: a message with the title as text and the payload."""
        message = {"mid": _mid(), "text": title, "quick_reply": {"payload": payload}}
        return await self.send(self.event(message=message))

    async def postback(self, payload: str, ref: str | None = None) -> list[dict[str, Any]]:
        postback: dict[str, Any] = {"mid": _mid(), "title": "Démarrer", "payload": payload}
        if ref:
            postback["referral"] = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
        return await self.send(self.event(postback=postback))

    async def received(self) -> list[dict[str, Any]]:
        await settle(self.client)
        sent = self.graph.sent(self.user_id)
        new, self._seen = sent[self._seen :], len(sent)
        return new


async def settle(client: TestClient, seconds: float = 10.0) -> None:
    """Wait until the server has processed every event and sent (or given up) every reply."""
    runtime = resources_of(client.app)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await runtime.dispatcher.idle()
        if await runtime.store.outbox_backlog() == 0 and not runtime.dispatcher._workers:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("server did not settle")


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def payloads(messages: list[dict[str, Any]]) -> list[str]:
    """The quick-reply payloads offered by the last message."""
    return [q["payload"] for q in messages[-1].get("quick_replies", [])] if messages else []


def _mid() -> str:
    return f"m_test{next(_mids)}"
