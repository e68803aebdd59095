"""Connecting to MongoDB: a short server selection, a clear refusal, never a fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConfigurationError, InvalidURI, PyMongoError
from pymongo.uri_parser import parse_uri

from bot.store.base import StoreUnavailable

log = structlog.get_logger(__name__)

DEFAULT_DATABASE = "milomouv"
SELECTION_TIMEOUT_MS = 3000
SETTING = "MILOMOUV_STORE_URL"
STANDALONE_SETTING = "MILOMOUV_MONGODB_ALLOW_STANDALONE"


@dataclass(frozen=True, slots=True)
class Connection:
    client: AsyncMongoClient[dict[str, Any]]
    db: AsyncDatabase[dict[str, Any]]
    replica_set: str | None  # None on a standalone server (allowed for tests and trials only)
    location: str  # hosts and database, never the credentials


def describe(url: str) -> str:
    """Hosts and database of a MongoDB URL, without user or password (safe to log)."""
    try:
        parsed = parse_uri(url, validate=False, warn=True)
    except (InvalidURI, ConfigurationError, ValueError):
        return "an unparsable URL"
    hosts = ",".join(f"{host}:{port}" for host, port in parsed["nodelist"])
    return f"mongodb://{hosts}/{parsed.get('database') or DEFAULT_DATABASE}"


async def connect(
    url: str, *, allow_standalone: bool, timeout_ms: int = SELECTION_TIMEOUT_MS
) -> Connection:
    """Open a client and check the server; raise StoreUnavailable naming the setting."""
    location = describe(url)
    try:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            url,
            serverSelectionTimeoutMS=timeout_ms,
            connectTimeoutMS=timeout_ms,
            # Every write waits for a majority so a failover never loses an acknowledged event.
            w="majority",
            retryWrites=True,
            tz_aware=True,
            appname="milomouv-bot",
        )
    except (InvalidURI, ConfigurationError, ValueError, TypeError) as exc:
        raise StoreUnavailable(
            f"{SETTING} is not a valid MongoDB URL: {type(exc).__name__}"
        ) from None
    try:
        hello = await client.admin.command("hello")
    except PyMongoError as exc:
        await client.close()
        raise StoreUnavailable(
            f"no MongoDB server answered at {location} within "
            f"{timeout_ms} ms ({type(exc).__name__})"
        ) from None
    replica_set = hello.get("setName")
    if replica_set is None and not allow_standalone:
        await client.close()
        raise StoreUnavailable(
            f"{location} is a standalone MongoDB server; the store needs a replica set "
            "(multi-document transactions and change streams). A one-node replica set is enough; "
            f"{STANDALONE_SETTING}=true accepts a standalone server for tests and trials only."
        )
    if replica_set is None:
        log.warning("mongodb_standalone_allowed", location=location, setting=STANDALONE_SETTING)
    db = client.get_default_database(default=DEFAULT_DATABASE)
    return Connection(client, db, replica_set, location)
