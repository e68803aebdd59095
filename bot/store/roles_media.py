"""Media sent by youths and counsellors: references to fetch, bytes kept, links to the thread.

An inbound attachment is written as a `pending` row by the same commit as its thread line
(`UnitOfWork.media`), holding only the platform's reference; the media fetcher claims it
with a lease, downloads it and stores the bytes (`stored`) or a reason (`failed`). An
outbound file is stored first (`add_media`), then linked to its thread line by the commit
of the reply that carries its id (`Reply.media_id`). Erasing a conversation removes its
media and their bytes in the same transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

MediaStatus = Literal["pending", "stored", "failed"]
Direction = Literal["in", "out"]


@dataclass(frozen=True, slots=True)
class MediaDraft:
    """An inbound attachment to fetch: its kind and the platform's reference."""

    kind: str
    ref: str


@dataclass(frozen=True, slots=True)
class Media:
    """One stored or expected file; `ref` is the platform reference, cleared once fetched."""

    id: str
    conversation_id: str
    message_id: int | None
    direction: Direction
    channel: str
    kind: str
    status: MediaStatus
    mime: str | None
    size: int | None
    name: str | None
    ref: str | None
    error: str | None
    attempts: int
    created_at: float


class MediaStore(ABC):
    """Media rows and their bytes, on the same backend as the thread they belong to."""

    @abstractmethod
    async def media_due(self, now: float, limit: int = 20) -> list[Media]:
        """Pending inbound media whose next try is due and whose lease is free or expired."""

    @abstractmethod
    async def claim_media(self, media_id: str, owner: str, until: float, now: float) -> bool:
        """Take the fetch lease of one pending media; False when another holder has it."""

    @abstractmethod
    async def media_fetched(
        self, media_id: str, owner: str, mime: str, content: bytes, now: float
    ) -> bool:
        """Store the bytes of a pending media leased by `owner`; False if it moved (erased)."""

    @abstractmethod
    async def media_retry(self, media_id: str, owner: str, error: str, next_at: float) -> None:
        """A failed try: lease released, attempts counted, next try not before `next_at`."""

    @abstractmethod
    async def media_failed(self, media_id: str, owner: str, error: str, now: float) -> bool:
        """Give up on a pending media (the reason is a short code); False if it moved."""

    @abstractmethod
    async def add_media(
        self,
        conversation_id: str,
        channel: str,
        kind: str,
        mime: str,
        name: str,
        content: bytes,
        now: float,
    ) -> Media:
        """Store an outbound file (not yet linked to a thread line); returns its row."""

    @abstractmethod
    async def get_media(self, media_id: str) -> Media | None: ...

    @abstractmethod
    async def media_content(self, media_id: str) -> bytes | None:
        """The stored bytes, or None (pending, failed, erased, unknown)."""

    @abstractmethod
    async def conversation_media(self, conversation_id: str) -> list[Media]:
        """Every media of a conversation, oldest first."""
