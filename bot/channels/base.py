"""What every channel adapter is: built from settings, routes on the shared app, a `send`."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol

from aiohttp import web

from bot.errors import SendError
from bot.events import Button, InboundEvent, OutboxItem, Reply
from bot.mediatypes import MediaRefused

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.roles_media import Media
    from bot.texts import Texts


class Inbox(Protocol):
    """Where adapters put what they received. Both raise StoreUnavailable when nothing could
    be saved: the route must then answer 5xx so the platform delivers again."""

    @property
    def texts(self) -> Texts:
        """The French catalogue, for the few words a channel says itself."""

    async def ingest(self, event: InboundEvent) -> bool:
        """Save one event durably and wake its conversation; False for a duplicate."""

    async def ingest_many(self, events: list[InboundEvent]) -> int:
        """Save a whole webhook batch in one unit of work; returns how many were new."""

    async def seen(self, channel: str, reads: list[tuple[str, float]]) -> None:
        """Record read watermarks, (user id, epoch seconds), of known conversations."""


class Channel(ABC):
    """One platform. Subclasses override only what their platform supports."""

    name: ClassVar[str]
    max_buttons: ClassVar[int] = 0
    max_text: ClassVar[int] = 4096

    @classmethod
    def configured(cls, settings: Settings) -> bool:
        """Whether the settings ask for this channel (absent credentials: not mounted)."""
        return True

    def register(self, app: web.Application, inbox: Inbox) -> None:  # noqa: B027
        """Add this channel's routes to the shared app."""

    async def start(self) -> None:  # noqa: B027
        """Open long-lived clients; raise ConfigError with a clear message on failure."""

    async def stop(self) -> None:  # noqa: B027
        """Close long-lived clients."""

    @abstractmethod
    async def send(self, item: OutboxItem) -> None:
        """Deliver one reply; raise SendError (retryable or permanent) on failure."""

    async def typing(self, user_id: str) -> None:  # noqa: B027
        """Show "typing…" to the youth where the platform can (a few seconds); else nothing."""

    async def fetch_media(self, ref: str, max_bytes: int) -> bytes:
        """Download a file the youth sent (`ref` from the event); MediaRefused, FetchFailed."""
        raise MediaRefused("unsupported")

    async def send_media(self, item: OutboxItem, media: Media, content: bytes) -> None:
        """Deliver a reply carrying a stored file, its text as caption; SendError on failure."""
        raise SendError("media_unsupported", permanent=True)

    # --- neutral rendering helpers ---------------------------------------------
    def fit_buttons(self, reply: Reply) -> tuple[str, tuple[Button, ...]]:
        """Text and buttons within the platform's limit; extra buttons become numbered text."""
        if len(reply.buttons) <= self.max_buttons:
            return reply.text, reply.buttons
        lines = [reply.text, ""]
        lines += [f"{i}. {b.title}" for i, b in enumerate(reply.buttons, 1)]
        return "\n".join(lines), ()


_SENTENCE_END = re.compile(r"(?<=[.!?…])[ \t]+|\s*\n\s*")


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Split a long text into parts within `limit`, on sentence or line boundaries when possible."""
    if measure(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for sep, piece in _pieces(text):
        candidate = f"{current}{sep}{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while measure(piece) > limit:
            cut = _hard_cut(piece, limit, measure)
            parts.append(cut)
            piece = piece[len(cut) :].lstrip()
        current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(text: str) -> list[tuple[str, str]]:
    """Sentences and lines, each with the separator before it (a line break is kept)."""
    pieces: list[tuple[str, str]] = []
    sep, start = "", 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            pieces.append((sep if pieces else "", text[start:end]))
            sep = ""
        if match:
            sep = "\n" if "\n" in match.group() or "\n" in sep else " "
            start = match.end()
    return pieces


def _hard_cut(piece: str, limit: int, measure: Callable[[str], int]) -> str:
    """The longest prefix within `limit`, ending on a space when there is one."""
    lo, hi = 1, len(piece)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if measure(piece[:mid]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    cut = piece[:lo]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut
