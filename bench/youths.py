"""Invented youths and the intake they send, as signed Messenger webhooks and Telegram updates.

Each message of `SCRIPT` gets exactly one reply from the bot, so a youth sends its next message
once the previous reply reached the fake platform, as a person reading the chat would.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field

from tests.support.fake_meta import APP_SECRET
from tests.support.fake_telegram import SECRET, SECRET_HEADER

PAGE_ID = "104859234567890"
META_PATH = "/webhooks/meta"
TELEGRAM_PATH = "/webhooks/telegram"
# The whole intake, welcome to ticket, and a thank-you after it: (kind, content).
SCRIPT: tuple[tuple[str, str], ...] = (
    ("text", "salut"),
    ("button", "START"),
    ("text", "moi c Lina"),
    ("text", "g 19 ans"),
    ("text", "Stenay"),
    ("button", "NEED:job"),
    ("button", "CONTACT:chat"),
    ("text", "plutôt le soir"),
    ("button", "SUMMARY:ok"),
    ("text", "merci !"),
)
_serial = itertools.count(1)


def meta_body(user: str, kind: str, content: str, mid: str) -> bytes:
    """A Messenger webhook POST with one message event (a quick-reply tap for a button)."""
    message: dict[str, object] = {"mid": mid, "text": content}
    if kind == "button":
        message = {"mid": mid, "text": content.title(), "quick_reply": {"payload": content}}
    now_ms = int(time.time() * 1000)
    event = {
        "sender": {"id": user},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms,
        "message": message,
    }
    payload = {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms, "messaging": [event]}]}
    return json.dumps(payload).encode()


def telegram_body(chat: int, kind: str, content: str, update_id: int) -> bytes:
    """A Telegram update: a private text message, or a callback query for a button."""
    person = {"id": chat, "is_bot": False, "first_name": "Lina"}
    chat_obj = {"id": chat, "first_name": "Lina", "type": "private"}
    now = int(time.time())
    if kind == "button":
        update: dict[str, object] = {
            "update_id": update_id,
            "callback_query": {
                "id": f"cb{update_id}",
                "from": person,
                "chat_instance": "42",
                "data": content,
                "message": {"message_id": 1, "date": now, "chat": chat_obj, "text": "…"},
            },
        }
    else:
        message = {"message_id": update_id, "date": now, "from": person, "chat": chat_obj}
        update = {"update_id": update_id, "message": {**message, "text": content}}
    return json.dumps(update).encode()


def meta_headers(body: bytes) -> dict[str, str]:
    digest = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


TELEGRAM_HEADERS = {"Content-Type": "application/json", SECRET_HEADER: SECRET}


@dataclass
class Youth:
    """One invented youth on one channel, and how far through the script they are."""

    channel: str
    user: str
    step: int = 0
    acked: int = 0
    sent_at: float = 0.0
    replied: list[float] = field(default_factory=list)

    @classmethod
    def new(cls, channel: str | None = None) -> Youth:
        """A youth never seen before in this run; channels alternate unless one is asked."""
        n = next(_serial)
        channel = channel or ("messenger" if n % 2 else "telegram")
        if channel == "messenger":
            return cls(channel, str(7_000_000_000_000_000 + n))
        return cls(channel, str(5_000_000_000 + n))

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.user}"

    @property
    def done(self) -> bool:
        return self.step >= len(SCRIPT)

    def request(self) -> tuple[str, bytes, dict[str, str]]:
        """(path, body, headers) of the next message; the same event id if it is sent again."""
        kind, content = SCRIPT[self.step]
        if self.channel == "messenger":
            body = meta_body(self.user, kind, content, f"m_{self.user}_{self.step}")
            return META_PATH, body, meta_headers(body)
        update_id = int(self.user) * 100 + self.step
        return (
            TELEGRAM_PATH,
            telegram_body(int(self.user), kind, content, update_id),
            TELEGRAM_HEADERS,
        )
