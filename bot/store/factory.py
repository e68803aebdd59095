"""The one place that picks a store backend, from MILOMOUV_STORE_URL."""

from __future__ import annotations

import importlib
import os
import secrets
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.base import Store

Backend = Literal["sqlite", "mongodb"]
SQLITE_FILENAME = "milomouv.sqlite3"


def instance_name() -> str:
    """Who owns a lease: unique per process, readable in the store for an operator."""
    return f"{instance_prefix(os.getpid())}{secrets.token_hex(3)}"


def instance_prefix(pid: int) -> str:
    """The start of every lease owner name of process `pid` on this host."""
    return f"{socket.gethostname()}:{pid}:"


def parse_store_url(url: str) -> tuple[Backend, str]:
    """(backend, location): a SQLite file path, or the MongoDB URL; ValueError when unknown."""
    if url.startswith("sqlite:///"):
        path = "/" + url.removeprefix("sqlite://").lstrip("/")  # an absolute path, 3 or 4 slashes
        if path == "/" or path.endswith("/"):
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
    return f"sqlite://{(Path(settings.data_dir) / SQLITE_FILENAME).resolve()}"


def setting_name(settings: Settings) -> str:
    """The setting an operator changes when the store cannot be opened."""
    return "MILOMOUV_STORE_URL" if settings.store_url else "MILOMOUV_DATA_DIR"


def build_store(settings: Settings, *, admin: bool = False, shared: bool = False) -> Store:
    """The configured store, not opened yet (`await store.open()` connects or migrates).

    `admin`: a short command beside a running service (staff accounts); on SQLite it does not
    take the data folder's lock, which only the service holds. `shared`: one of several
    server processes whose supervisor holds that lock (`bot/processes.py`).
    """
    backend, location = parse_store_url(store_url(settings))
    if backend == "mongodb":
        # Imported only here: SQLite deployments never load the MongoDB driver.
        try:
            mongo = importlib.import_module("bot.store.mongo")
        except ModuleNotFoundError as exc:
            raise ConfigError(
                f"MILOMOUV_STORE_URL: the MongoDB backend cannot be loaded ({exc.name} missing)"
            ) from None
        return mongo.build(location, settings)
    from bot.store.sqlite import SQLiteStore

    path = Path(location)
    if shared:
        from bot.store.sqlite.shared import SharedSQLiteStore

        return SharedSQLiteStore(path.parent, path.name)
    return SQLiteStore(path.parent, filename=path.name, exclusive=not admin)


async def open_store(settings: Settings, *, admin: bool = False) -> Store:
    """Build the configured store and open it; StoreUnavailable says what is wrong."""
    store = build_store(settings, admin=admin)
    await store.open()
    return store


async def open_for_supervisor(settings: Settings) -> Store | None:
    """A supervisor's SQLite file: folder lock held, migrated, leases voided; None on MongoDB."""
    backend, location = parse_store_url(store_url(settings))
    if backend != "sqlite":
        return None
    from bot.store.sqlite.shared import SupervisorSQLiteStore

    path = Path(location)
    store = SupervisorSQLiteStore(path.parent, filename=path.name)
    await store.open()
    return store


async def void_process_leases(store: Store, pid: int) -> None:
    """The leases of server process `pid`, dead, voided in the supervisor's store."""
    from bot.store.sqlite.shared import SupervisorSQLiteStore

    if isinstance(store, SupervisorSQLiteStore):
        await store.void_leases_of(instance_prefix(pid))
