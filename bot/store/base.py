"""The one store interface: every role, plus opening and closing.

Each backend implements `Store` in one package under `bot/store/` that owns its schema; the
factory (`bot/store/factory.py`) picks it from MILOMOUV_STORE_URL. Records and errors are
re-exported here for callers that need the whole interface.
"""

from __future__ import annotations

from abc import abstractmethod

from bot.store.errors import (
    AlreadyProcessed,
    Conflict,
    DuplicateEmail,
    StoreError,
    StoreUnavailable,
)
from bot.store.records import (
    ROLES,
    AuditEntry,
    CannedReply,
    CloseTicket,
    CommitResult,
    Conversation,
    CounsellorReplied,
    InboxRow,
    Meeting,
    Mode,
    NewStaff,
    Note,
    Priority,
    QueuedTicket,
    Role,
    Session,
    SetAcknowledged,
    SetPriority,
    Staff,
    ThreadEntry,
    Ticket,
    TicketChange,
    TicketDraft,
    TicketStatus,
    UnitOfWork,
)
from bot.store.roles import (
    ConversationStore,
    InboxStore,
    LeaseStore,
    OutboxStore,
    RetentionStore,
)
from bot.store.roles_figures import ConversationGroup, FiguresStore, TicketFact
from bot.store.roles_handoff import AuditStore, NotesStore, StaffStore, TicketStore
from bot.store.roles_links import LinkStore
from bot.store.roles_media import MediaStore
from bot.store.roles_nudge import NudgeStore
from bot.store.roles_presence import PresenceStore
from bot.store.roles_push import PushStore
from bot.store.roles_search import SearchStore, TicketQuery
from bot.store.roles_settings import AccountAdminStore, AuditLogStore, CannedStore
from bot.store.roles_sources import NewSource, Source, SourceStore
from bot.store.roles_state import StateStore
from bot.store.roles_story import StoryStore
from bot.store.roles_territories import Structure, TerritoryStore
from bot.store.roles_texts import TextStore, TextVersion
from bot.store.roles_waits import TicketFunnel, Waits, WaitStore, WaitToStore
from bot.store.roles_watch import WatchStore

__all__ = [
    "ROLES",
    "AlreadyProcessed",
    "AuditEntry",
    "AuditStore",
    "CannedReply",
    "CloseTicket",
    "CommitResult",
    "Conflict",
    "Conversation",
    "ConversationGroup",
    "ConversationStore",
    "CounsellorReplied",
    "DuplicateEmail",
    "FiguresStore",
    "InboxRow",
    "InboxStore",
    "LeaseStore",
    "MediaStore",
    "Meeting",
    "Mode",
    "NewSource",
    "NewStaff",
    "Note",
    "NotesStore",
    "NudgeStore",
    "OutboxStore",
    "PresenceStore",
    "Priority",
    "QueuedTicket",
    "RetentionStore",
    "Role",
    "SearchStore",
    "Session",
    "SetAcknowledged",
    "SetPriority",
    "Source",
    "SourceStore",
    "Staff",
    "StaffStore",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "StoryStore",
    "Structure",
    "TerritoryStore",
    "TextStore",
    "TextVersion",
    "ThreadEntry",
    "Ticket",
    "TicketChange",
    "TicketDraft",
    "TicketFact",
    "TicketFunnel",
    "TicketQuery",
    "TicketStatus",
    "TicketStore",
    "UnitOfWork",
    "WaitStore",
    "WaitToStore",
    "Waits",
]


class Store(
    ConversationStore,
    InboxStore,
    OutboxStore,
    LeaseStore,
    RetentionStore,
    TicketStore,
    StaffStore,
    NotesStore,
    AuditStore,
    NudgeStore,
    SearchStore,
    StoryStore,
    SourceStore,
    FiguresStore,
    PresenceStore,
    WaitStore,
    AccountAdminStore,
    CannedStore,
    AuditLogStore,
    TerritoryStore,
    WatchStore,
    PushStore,
    LinkStore,
    TextStore,
    MediaStore,
    StateStore,
):
    """Async persistence of the bot and the handoff, on one backend."""

    location: str = ""  # where the data lives, for logs: never a password

    @abstractmethod
    async def open(self) -> None:
        """Connect, create or migrate the schema; raise StoreUnavailable with a clear message."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def ping(self) -> bool:
        """True when the store answers a trivial query."""
