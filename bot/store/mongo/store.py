"""The MongoDB store: every role on one replica set, for several app instances."""

from __future__ import annotations

import structlog
from pymongo.errors import PyMongoError

from bot.store.base import Store
from bot.store.errors import StoreUnavailable
from bot.store.mongo.base import Session, unavailable_on_driver_errors
from bot.store.mongo.connection import Connection, connect, describe
from bot.store.mongo.conversations import MongoConversations
from bot.store.mongo.figures import MongoFigures
from bot.store.mongo.inbox import MongoPipeline
from bot.store.mongo.leases import MongoLeases
from bot.store.mongo.links import MongoLinks
from bot.store.mongo.live import MongoRelay
from bot.store.mongo.media import MongoMedia
from bot.store.mongo.nudge import MongoNudge
from bot.store.mongo.presence import MongoPresence
from bot.store.mongo.push import MongoPush
from bot.store.mongo.schema import COUNTERS, EVENTS, create_indexes
from bot.store.mongo.search import MongoSearch
from bot.store.mongo.settings import MongoSettings
from bot.store.mongo.sources import MongoSources
from bot.store.mongo.staff import MongoStaff
from bot.store.mongo.state import MongoState
from bot.store.mongo.story import MongoStory
from bot.store.mongo.territories import MongoTerritories
from bot.store.mongo.texts import MongoTexts
from bot.store.mongo.tickets import MongoTickets
from bot.store.mongo.waits import MongoWaits
from bot.store.mongo.watch import MongoWatch

log = structlog.get_logger(__name__)


@unavailable_on_driver_errors
class MongoStore(
    MongoConversations,
    MongoPipeline,
    MongoLeases,
    MongoTickets,
    MongoStaff,
    MongoNudge,
    MongoSearch,
    MongoStory,
    MongoSources,
    MongoFigures,
    MongoPresence,
    MongoWaits,
    MongoSettings,
    MongoTerritories,
    MongoWatch,
    MongoPush,
    MongoLinks,
    MongoTexts,
    MongoMedia,
    MongoState,
    Store,
):
    """Store on MongoDB; `open` connects, checks the server and creates the indexes."""

    def __init__(self, url: str, *, allow_standalone: bool = False) -> None:
        self._url = url
        self._allow_standalone = allow_standalone
        self._conn: Connection | None = None
        self.location = describe(url)

    @property
    def connection(self) -> Connection:
        if self._conn is None:
            raise StoreUnavailable("the store is not open")
        return self._conn

    async def open(self) -> None:
        conn = await connect(self._url, allow_standalone=self._allow_standalone)
        try:
            await create_indexes(conn.db)
            self._conn = conn
            await self._check_transactions()
        except (PyMongoError, StoreUnavailable) as exc:
            self._conn = None
            await conn.client.close()
            if isinstance(exc, StoreUnavailable):
                raise
            raise StoreUnavailable(
                f"cannot prepare the MongoDB store at {conn.location} ({type(exc).__name__})"
            ) from None
        log.info("mongodb_store_open", location=conn.location, replica_set=conn.replica_set)

    async def _check_transactions(self) -> None:
        """Every unit of work needs a multi-document transaction: prove one commits now."""

        async def probe(s: Session) -> None:
            await self._col(COUNTERS).update_one(
                {"_id": "_transactions"}, {"$inc": {"n": 1}}, upsert=True, session=s
            )

        try:
            await self._tx(probe)
        except PyMongoError as exc:
            raise StoreUnavailable(
                f"{self.location} does not run multi-document transactions "
                f"({type(exc).__name__}); the store needs a replica set"
            ) from None

    def live_relay(self) -> MongoRelay:
        """Live dashboard events shared with the other instances on this database."""
        return MongoRelay(self.connection.db[EVENTS])

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.client.close()

    async def ping(self) -> bool:
        if self._conn is None:
            return False
        try:
            await self._conn.client.admin.command("ping")
        except PyMongoError:
            return False
        return True
