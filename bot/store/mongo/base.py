"""Plumbing shared by the MongoDB store's roles: transactions, id sequences, error mapping."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pymongo import ReturnDocument
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from bot.store.errors import StoreUnavailable
from bot.store.mongo.connection import Connection
from bot.store.mongo.schema import COUNTERS

T = TypeVar("T")
Doc = dict[str, Any]
Session = AsyncClientSession


class MongoBase:
    """The connection, and the helpers every role uses."""

    _conn: Connection | None = None

    @property
    def db(self) -> AsyncDatabase[Doc]:
        if self._conn is None:
            raise StoreUnavailable("the store is not open")
        return self._conn.db

    def _col(self, name: str) -> AsyncCollection[Doc]:
        return self.db[name]

    async def _tx(self, work: Callable[[Session], Awaitable[T]]) -> T:
        """Run `work` in one multi-document transaction, retried on transient conflicts.

        `work` may run more than once: it must read what it needs through the session and
        keep no state between runs. Take ids from `_next_ids` before, never inside: an
        aborted run leaves its ids unused, so a retry may use them again.
        """
        if self._conn is None:
            raise StoreUnavailable("the store is not open")
        async with self._conn.client.start_session() as session:
            return await session.with_transaction(work)

    async def _values(self, collection: str, field: str, query: Doc) -> set[Any]:
        """The distinct values of `field` among matching documents."""
        cursor = self._col(collection).find(query, {field: 1})
        return {d.get(field) async for d in cursor}

    async def _next_ids(self, collection: str, count: int = 1) -> list[int]:
        """Reserve `count` increasing integer ids, outside any transaction.

        Outside, so that concurrent units of work never conflict on the counter document; an
        aborted transaction leaves a gap, which ids allow.
        """
        if count <= 0:
            return []
        doc = await self._col(COUNTERS).find_one_and_update(
            {"_id": collection},
            {"$inc": {"n": count}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert doc is not None
        last = int(doc["n"])
        return list(range(last - count + 1, last + 1))


def unavailable_on_driver_errors(cls: type[T]) -> type[T]:
    """Wrap every public coroutine method: a driver failure becomes StoreUnavailable.

    Callers (webhooks answer 503, the dispatcher retries) know only the store's own errors;
    the message names the error type, never a document's content.
    """
    for name, member in list(vars(cls).items()) + _inherited(cls):
        if name.startswith("_") or not inspect.iscoroutinefunction(member):
            continue
        setattr(cls, name, _guarded(member))
    return cls


def _inherited(cls: type) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("bot.store.mongo"):
            found.extend((n, m) for n, m in vars(base).items() if n not in vars(cls))
    return found


def _guarded(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return await method(*args, **kwargs)
        except PyMongoError as exc:
            raise StoreUnavailable(f"store operation failed ({type(exc).__name__})") from exc

    return run
