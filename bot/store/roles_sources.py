"""Sources: where a youth found the bot (a poster, a council, a club), as short link codes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal, get_args

SourceKind = Literal[
    "shop", "local_council", "association", "social_media", "event", "school", "other"
]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)


@dataclass(frozen=True)
class NewSource:
    """What the coordinator types in; the code is drawn by the service."""

    code: str
    label: str
    kind: str
    commune: str
    contact: str | None = None


@dataclass(frozen=True)
class Source:
    """A partner or place that hands out links; archived ones keep their figures."""

    code: str
    label: str
    kind: str
    commune: str
    contact: str | None
    archived: bool
    created_at: float


class SourceStore(ABC):
    """Sources, keyed by their short code."""

    @abstractmethod
    async def create_source(self, new: NewSource, now: float) -> Source | None:
        """Insert a source; None when its code is taken (the caller draws another)."""

    @abstractmethod
    async def get_source(self, code: str) -> Source | None: ...

    @abstractmethod
    async def list_sources(self, *, archived: bool = True) -> list[Source]:
        """Sources newest first; without `archived`, only the active ones."""

    @abstractmethod
    async def set_source_archived(self, code: str, archived: bool) -> Source | None:
        """Archive or restore a source; None when there is no such code."""
