"""The one place that picks a store backend, from MILOMOUV_STORE_URL."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.base import Store

Backend = Literal["sqlite", "mongodb"]
SQLITE_FILENAME = "milomouv.sqlite3"


def parse_store_url(url: str) -> tuple[Backend, str]:
    """(backend, location): a SQLite file path, or the MongoDB URL; ValueError when unknown."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite://")
        if path in ("/", "") or path.endswith("/"):
            raise ValueError(
                "sqlite:/// needs a file path, e.g. sqlite:///var/lib/milomouv/db.sqlite3"
            )
        return "sqlite", path
    if url.startswith(("mongodb://", "mongodb+srv://")):
        return "mongodb", url
    raise ValueError("must start with sqlite:/// or mongodb:// (or mongodb+srv://)")


def store_url(settings: Settings) -> str:
    """The configured URL, or the default SQLite file in MILOMOUV_DATA_DIR."""
    if settings.store_url:
        return settings.store_url
    return f"sqlite:///{(Path(settings.data_dir) / SQLITE_FILENAME).resolve()}"


def build_store(settings: Settings) -> Store:
    """The configured store, not opened yet (`await store.open()` connects or migrates)."""
    backend, location = parse_store_url(store_url(settings))
    if backend == "mongodb":
        # Imported only here: SQLite deployments never load the MongoDB driver.
        mongo = importlib.import_module("bot.store.mongo")
        return mongo.build(location, settings)  # type: ignore[no-any-return]
    from bot.store.sqlite import SQLiteStore

    path = Path(location)
    return SQLiteStore(path.parent, filename=path.name)


async def open_store(settings: Settings) -> Store:
    """Build the configured store and open it; StoreUnavailable says what is wrong."""
    store = build_store(settings)
    await store.open()
    return store
