"""Bot texts edited live: every edit of a catalogue key is a new version, never an overwrite."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass


@dataclass(frozen=True)
class TextVersion:
    """One edit of one key; `text` None means "back to the file's default"."""

    key: str
    version: int  # 1, 2, 3… per key
    text: str | None
    author_id: int | None
    created_at: float
    seq: int  # increases with every version of every key


class TextStore(ABC):
    """The versions of the catalogue's overridden keys.

    The live catalogue is the file plus, for each key, its latest version (unless that one
    is a reset). A rollback is saved as a new version too, so the history only grows.
    """

    @abstractmethod
    async def save_text_version(
        self, key: str, text: str | None, author_id: int | None, now: float
    ) -> TextVersion:
        """Append the next version of `key` (safe when several instances save at once)."""

    @abstractmethod
    async def text_versions(self, key: str) -> list[TextVersion]:
        """Every version of one key, newest first."""

    @abstractmethod
    async def text_overrides(self) -> dict[str, str]:
        """The latest text of every key whose latest version is not a reset."""

    @abstractmethod
    async def texts_stamp(self) -> int:
        """How many versions exist (0 when none): a cheap "anything new?" check."""
