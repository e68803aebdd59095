"""The MongoDB backend: several app instances on one replica set.

Imported only when MILOMOUV_STORE_URL is a mongodb:// URL, so SQLite deployments never
load the driver.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.mongo.store import MongoStore

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["MongoStore", "build"]


def build(url: str, settings: Settings) -> MongoStore:
    """The store for `url`, not opened yet (the factory's entry point)."""
    return MongoStore(url, allow_standalone=settings.mongodb_allow_standalone)
