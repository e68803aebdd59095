"""The embedded default store: one SQLite file in WAL mode, writes serialised, one process."""

from __future__ import annotations

from bot.store.base import Store
from bot.store.sqlite.conversations import SQLiteConversations
from bot.store.sqlite.db import DB_FILENAME
from bot.store.sqlite.figures import SQLiteFigures
from bot.store.sqlite.leases import SQLiteLeases
from bot.store.sqlite.links import SQLiteLinks
from bot.store.sqlite.media import SQLiteMedia
from bot.store.sqlite.notes import SQLiteNotes
from bot.store.sqlite.nudge import SQLiteNudge
from bot.store.sqlite.presence import SQLitePresence
from bot.store.sqlite.push import SQLitePush
from bot.store.sqlite.queues import SQLiteQueues
from bot.store.sqlite.search import SQLiteSearch
from bot.store.sqlite.settings import SQLiteSettings
from bot.store.sqlite.sources import SQLiteSources
from bot.store.sqlite.staff import SQLiteStaff
from bot.store.sqlite.state import SQLiteState
from bot.store.sqlite.story import SQLiteStory
from bot.store.sqlite.territories import SQLiteTerritories
from bot.store.sqlite.texts import SQLiteTexts
from bot.store.sqlite.tickets import SQLiteTickets
from bot.store.sqlite.waits import SQLiteWaits
from bot.store.sqlite.watch import SQLiteWatch

__all__ = ["DB_FILENAME", "SQLiteStore"]


class SQLiteStore(
    SQLiteConversations,
    SQLiteQueues,
    SQLiteTickets,
    SQLiteStaff,
    SQLiteNotes,
    SQLiteLeases,
    SQLiteNudge,
    SQLiteSearch,
    SQLiteStory,
    SQLiteSources,
    SQLiteFigures,
    SQLitePresence,
    SQLiteWaits,
    SQLiteSettings,
    SQLiteTerritories,
    SQLiteWatch,
    SQLitePush,
    SQLiteLinks,
    SQLiteTexts,
    SQLiteMedia,
    SQLiteState,
    Store,
):
    """Every role on `<data_dir>/milomouv.sqlite3`, sharing one writer and one reader."""
