"""A fake Telegram Bot API as a real loopback server, and a youth writing to the bot through it.

`FakeTelegram` answers `/bot<TOKEN>/<method>` like Telegram does (`{"ok": true, "result": ...}`,
errors with `error_code`, `description` and `parameters.retry_after`), records every call, can be
told to fail or to be slow, and refuses loudly what Telegram would refuse or what it does not
know (a wrong token, an unknown method, a text too long, callback data over 64 bytes): those land
in `problems`, and `check()` raises on them.

`TelegramYouth` posts real-shape updates (from `tests/fixtures/telegram/`) through the app's real
webhook route with the secret header, waits for the server to settle, and returns what the bot
sent back to that chat.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from tests.support.resources import of as resources_of

TOKEN = "7012345678:AAE-fake_token-for-milomouv-tests"
SECRET = "milomouv-test-secret_0123456789"
WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
BOT_USER = {
    "id": 7012345678,
    "is_bot": True,
    "first_name": "MiloMouv'",
    "username": "milomouv_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Form-encoded parameters PTB sends as JSON strings.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
FAILURES: dict[str, tuple[int, str]] = {
    "rate_limited": (429, "Too Many Requests: retry after {retry_after}"),
    "forbidden": (403, "Forbidden: bot was blocked by the user"),
    "chat_not_found": (400, "Bad Request: chat not found"),
    "bad_request": (400, "Bad Request: can't parse entities"),
    "bad_webhook": (
        400,
        "Bad Request: bad webhook: Failed to resolve host: Name or service not known",
    ),
    "server_error": (500, "Internal Server Error"),
    "bad_gateway": (502, "Bad Gateway"),
    "unauthorized": (401, "Unauthorized"),
}


@dataclass
class Call:
    """One request the fake received; `status` is what it answered (0 while in flight)."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() on arrival
    status: int = 0

    @property
    def chat_id(self) -> str:
        return str(self.params.get("chat_id", ""))

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard", []) if isinstance(markup, dict) else []

    @property
    def payloads(self) -> list[str]:
        return [b["callback_data"] for row in self.keyboard for b in row if "callback_data" in b]


@dataclass
class Failure:
    """A programmed answer for the next matching calls."""

    method: str
    status: int = 200
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    chat_id: str | None = None
    times: int = 1
    when: Callable[[Call], bool] | None = None

    def matches(self, call: Call) -> bool:
        if self.method != call.method or self.chat_id not in (None, call.chat_id):
            return False
        return self.when is None or self.when(call)


class FakeTelegram:
    """A Bot API on 127.0.0.1 (random port) for one bot token."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.problems: list[str] = []
        self._failures: list[Failure] = []
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._message_ids = itertools.count(5001)

    # --- life --------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self._port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be: the token is appended to it."""
        return f"http://127.0.0.1:{self._port}/bot"

    def check(self) -> None:
        """Fail loudly on anything Telegram would have refused or the fake does not know."""
        if self.problems:
            raise AssertionError("fake Telegram saw unexpected calls: " + "; ".join(self.problems))

    # --- programming ---------------------------------------------------------------
    def fail(
        self,
        method: str,
        kind: str,
        *,
        times: int = 1,
        chat_id: str | int | None = None,
        retry_after: int = 1,
        delay: float = 0.0,
        when: Callable[[Call], bool] | None = None,
    ) -> None:
        """Answer the next `times` matching calls with an error (see FAILURES for kinds)."""
        status, description = FAILURES[kind]
        self._failures.append(
            Failure(
                method,
                status,
                description.format(retry_after=retry_after),
                retry_after if kind == "rate_limited" else None,
                delay,
                None if chat_id is None else str(chat_id),
                times,
                when,
            )
        )

    def slow(
        self, method: str, seconds: float, *, times: int = 1, chat_id: str | int | None = None
    ) -> None:
        """Answer the next `times` matching calls normally, but only after `seconds`."""
        self._failures.append(
            Failure(
                method,
                delay=seconds,
                chat_id=None if chat_id is None else str(chat_id),
                times=times,
            )
        )

    # --- reading -------------------------------------------------------------------
    def calls_to(self, method: str, chat_id: str | int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or c.chat_id == str(chat_id))
        ]

    def sent(self, chat_id: str | int) -> list[Call]:
        """The messages Telegram accepted for one chat, in order."""
        return [c for c in self.calls_to("sendMessage", chat_id) if c.status == 200]

    def sent_texts(self, chat_id: str | int) -> list[str]:
        return [c.text for c in self.sent(chat_id)]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("fake Telegram: condition not met in time")
            await asyncio.sleep(0.01)

    # --- serving -------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        prefix, _, method = path.partition("/")
        if not prefix.startswith("bot") or prefix[3:] != self.token:
            self.problems.append(f"wrong token or path on {request.method} /<redacted>/{method}")
            return _error(401, "Unauthorized")
        try:
            params = await _params(request)
        except ValueError as exc:
            self.problems.append(f"{method}: unreadable parameters ({exc})")
            return _error(400, "Bad Request: unreadable parameters")
        call = Call(method, params, time.monotonic())
        self.calls.append(call)
        answer = self._METHODS.get(method)
        if answer is None:
            self.problems.append(f"unknown method {method}")
            call.status = 404
            return _error(404, "Not Found: method not found")
        failure = self._take_failure(call)
        if failure is not None and failure.delay:
            await asyncio.sleep(failure.delay)
        if failure is not None and failure.status != 200:
            call.status = failure.status
            return _error(failure.status, failure.description, failure.retry_after)
        try:
            result = answer(self, params)
        except _Refused as exc:
            self.problems.append(f"{method}: {exc.description}")
            call.status = 400
            return _error(400, exc.description)
        call.status = 200
        return web.json_response({"ok": True, "result": result})

    def _take_failure(self, call: Call) -> Failure | None:
        for failure in self._failures:
            if failure.matches(call):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return failure
        return None

    # --- the Bot API methods the bot may use ----------------------------------------
    def _get_me(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    def _send_message(self, params: dict[str, Any]) -> Any:
        chat_id, text = params.get("chat_id"), params.get("text")
        if chat_id in (None, ""):
            raise _Refused("Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            raise _Refused("Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _Refused("Bad Request: message is too long")
        markup = params.get("reply_markup")
        if markup is not None:
            _check_markup(markup)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if markup is not None:
            message["reply_markup"] = markup
        return message

    def _answer_callback_query(self, params: dict[str, Any]) -> Any:
        if not params.get("callback_query_id"):
            raise _Refused("Bad Request: query is too old and response timeout expired")
        return True

    def _set_webhook(self, params: dict[str, Any]) -> Any:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise _Refused("Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise _Refused("Bad Request: secret token contains unallowed characters")
        return True

    def _true(self, params: dict[str, Any]) -> Any:
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> Any:
        hooks = [c for c in self.calls if c.method == "setWebhook" and c.status == 200]
        url = hooks[-1].params.get("url", "") if hooks else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    _METHODS: ClassVar[dict[str, Callable[[FakeTelegram, dict[str, Any]], Any]]] = {
        "getMe": _get_me,
        "sendMessage": _send_message,
        "answerCallbackQuery": _answer_callback_query,
        "setWebhook": _set_webhook,
        "deleteWebhook": _true,
        "getWebhookInfo": _get_webhook_info,
        "sendChatAction": _true,
        "close": _true,
        "logOut": _true,
    }


class _Refused(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters, whether sent as a query, a form, multipart or JSON."""
    params: dict[str, Any] = dict(request.query)
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("JSON body is not an object")
        params.update(body)
        return params
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if not isinstance(value, str):
                params[key] = f"<file {value.filename}>"
            elif key in _JSON_FIELDS:
                params[key] = json.loads(value)
            else:
                params[key] = value
        return params
    raise ValueError(f"unexpected content type {request.content_type}")


def _check_markup(markup: Any) -> None:
    if not isinstance(markup, dict) or not isinstance(markup.get("inline_keyboard"), list):
        raise _Refused("Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup["inline_keyboard"]:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise _Refused("Bad Request: text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise _Refused("Bad Request: BUTTON_DATA_INVALID")


def _chat(chat_id: Any) -> dict[str, Any]:
    raw = str(chat_id)
    if raw.lstrip("-").isdigit():
        number = int(raw)
        if number > 0:
            return {"id": number, "first_name": "Lina", "type": "private"}
        return {"id": number, "title": "Groupe", "type": "supergroup"}
    return {"id": -1001000000000, "title": raw, "username": raw.lstrip("@"), "type": "channel"}


# --- updates, as Telegram posts them ------------------------------------------------
_update_ids = itertools.count(731300000)
_message_ids = itertools.count(2001)
_callback_ids = itertools.count(2630087145862800000)


def load_update(name: str) -> dict[str, Any]:
    """A recorded update from tests/fixtures/telegram/<name>.json."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


async def post_update(
    client: TestClient, update: Any, *, secret: str | None = SECRET
) -> ClientResponse:
    """POST an update (a dict, or raw bytes/str) to the webhook route, as Telegram does."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    body = update if isinstance(update, bytes | str) else json.dumps(update, ensure_ascii=False)
    resp = await client.post(WEBHOOK_PATH, data=body, headers=headers)
    await resp.read()
    return resp


async def settle(client: TestClient, timeout: float = 15.0) -> None:
    """Wait until the server has processed, sent and answered everything pending."""
    runtime = resources_of(client.app)
    channel = runtime.channels.get("telegram")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await runtime.dispatcher.idle()
        if channel is not None:
            await channel.idle()  # type: ignore[attr-defined]
        if await runtime.store.outbox_backlog() == 0 and not runtime.dispatcher._workers:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("server did not settle")


class TelegramYouth:
    """One youth in a private chat with the bot, seen through the real route and the fake API."""

    def __init__(
        self,
        client: TestClient,
        fake: FakeTelegram,
        chat_id: int = 6123456789,
        first_name: str = "Lina",
    ) -> None:
        self.client = client
        self.fake = fake
        self.chat_id = chat_id
        self.first_name = first_name
        self.actions = 0

    # --- building updates --------------------------------------------------------
    def update(self, fixture: str, **message_fields: Any) -> dict[str, Any]:
        """A fresh copy of a recorded update, re-addressed to this youth, with a new update_id."""
        data = copy.deepcopy(load_update(fixture))
        data["update_id"] = next(_update_ids)
        person = {"id": self.chat_id, "is_bot": False, "first_name": self.first_name}
        chat = {"id": self.chat_id, "first_name": self.first_name, "type": "private"}
        for key in ("message", "edited_message"):
            if key in data:
                message = data[key]
                message["message_id"] = next(_message_ids)
                message["date"] = int(time.time())
                message["from"] = dict(message["from"], **person)
                if message["chat"]["type"] == "private":
                    message["chat"] = chat
                message.update(message_fields)
        if "callback_query" in data:
            query = data["callback_query"]
            query["id"] = str(next(_callback_ids))
            query["from"] = dict(query["from"], **person)
            query["message"]["chat"] = chat
            query.update(message_fields)
        return data

    def text_update(self, text: str) -> dict[str, Any]:
        update = self.update("text", text=text)
        if text.startswith("/"):
            command = text.split(" ", 1)[0]
            update["message"]["entities"] = [
                {"offset": 0, "length": len(command), "type": "bot_command"}
            ]
        return update

    def tap_update(self, data: str) -> dict[str, Any]:
        return self.update("callback_query", data=data)

    # --- acting ---------------------------------------------------------------------
    async def post(self, update: dict[str, Any], *, secret: str | None = SECRET) -> int:
        resp = await post_update(self.client, update, secret=secret)
        return resp.status

    async def act(self, update: dict[str, Any]) -> list[Call]:
        """Post one update, wait for the server to settle, return what the bot sent back."""
        self.actions += 1
        before = len(self.fake.sent(self.chat_id))
        status = await self.post(update)
        assert status == 200, f"webhook answered {status}"
        await settle(self.client)
        return self.fake.sent(self.chat_id)[before:]

    async def say(self, text: str) -> list[Call]:
        return await self.act(self.text_update(text))

    async def start(self, payload: str | None = None) -> list[Call]:
        return await self.say(f"/start {payload}" if payload else "/start")

    async def tap(self, data: str) -> list[Call]:
        return await self.act(self.tap_update(data))

    async def send(self, fixture: str) -> list[Call]:
        return await self.act(self.update(fixture))


def texts(calls: list[Call]) -> str:
    """Everything the youth read in a batch of sent messages."""
    return "\n".join(c.text for c in calls)


def payloads(calls: list[Call]) -> list[str]:
    """The callback data offered by the last message of a batch."""
    return calls[-1].payloads if calls else []
