"""Neutral, platform-free events and replies: the only shapes past a channel adapter."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

EventKind = Literal["text", "button", "attachment", "start", "referral", "staff_echo"]
AttachmentKind = Literal["image", "audio", "video", "file", "sticker", "voice", "other"]


@dataclass(frozen=True, slots=True)
class InboundEvent:
    """One thing a youth did in a channel, already verified and normalised."""

    channel: str
    user_id: str
    event_id: str
    kind: EventKind
    text: str = ""
    payload: str = ""
    attachments: tuple[str, ...] = ()
    source: str | None = None
    timestamp: float | None = None
    media_refs: tuple[str, ...] = ()  # the platform's reference of each attachment, "" if none

    def to_json(self) -> str:
        data = asdict(self)
        data["attachments"] = list(self.attachments)
        data["media_refs"] = list(self.media_refs)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> InboundEvent:
        data = json.loads(raw)
        data["attachments"] = tuple(data.get("attachments") or ())
        data["media_refs"] = tuple(data.get("media_refs") or ())
        return cls(**data)


@dataclass(frozen=True, slots=True)
class Button:
    title: str
    payload: str


Author = Literal["bot", "counsellor", "system"]


@dataclass(frozen=True, slots=True)
class Reply:
    """A neutral outgoing message: text and up to a few buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    author: Author = "bot"
    staff_id: int | None = None
    media_id: str | None = None  # a stored file sent with the text (see bot/store/roles_media.py)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "author": self.author,
            "staff_id": self.staff_id,
        }
        if self.media_id:
            data["media_id"] = self.media_id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"],
            buttons=tuple(Button(b["title"], b["payload"]) for b in data.get("buttons") or ()),
            author=data.get("author", "bot"),
            staff_id=data.get("staff_id"),
            media_id=data.get("media_id"),
        )


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A reply waiting in the durable outbox for one conversation."""

    id: int
    conversation_id: str
    channel: str
    user_id: str
    reply: Reply
    attempts: int = 0
    created_at: float = 0.0
    last_inbound_at: float | None = None
