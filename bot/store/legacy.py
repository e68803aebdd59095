"""The one narrow, fully async store interface the bot and the handoff need.

Every backend (SQLite embedded default, MongoDB) implements `Store`; one contract
test suite runs against each. Records are plain dataclasses: no backend type leaks out.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.events import InboundEvent, OutboxItem, Reply

Mode = Literal["bot", "waiting", "human", "paused"]
TicketStatus = Literal["waiting", "assigned", "closed"]


class StoreError(Exception):
    """Root of store failures; the message never carries personal data."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or is corrupt."""


class Conflict(StoreError):
    """An optimistic update lost against a concurrent one."""


class AlreadyProcessed(StoreError):
    """The inbox event of a unit of work was already processed: nothing was written."""


@dataclass(slots=True)
class Conversation:
    id: str
    channel: str
    user_id: str
    mode: Mode = "bot"
    state: str = "new"
    profile: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    misses: int = 0
    consent_at: float | None = None
    consent_version: str | None = None
    ticket_id: int | None = None
    last_inbound_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    version: int = 0


@dataclass(frozen=True, slots=True)
class InboxRow:
    id: int
    conversation_id: str
    event: InboundEvent
    received_at: float


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One line of a conversation's history as shown to youth and counsellor."""

    direction: Literal["in", "out"]
    author: Literal["youth", "bot", "counsellor", "system"]
    text: str
    staff_id: int | None = None
    buttons: tuple[tuple[str, str], ...] = ()
    id: int = 0
    created_at: float = 0.0
    ticket_id: int | None = None
    status: str | None = None  # for outgoing lines: pending / sent / failed
    error: str | None = None


@dataclass(frozen=True, slots=True)
class TicketDraft:
    priority: Literal["urgent", "normal"]
    reason: str
    snapshot: dict[str, Any]
    territory: str | None = None


@dataclass(slots=True)
class Ticket:
    id: int
    conversation_id: str
    status: TicketStatus
    priority: Literal["urgent", "normal"]
    reason: str
    snapshot: dict[str, Any]
    channel: str
    source: str | None
    territory: str | None
    created_at: float
    claimed_at: float | None = None
    assigned_to: int | None = None
    first_reply_at: float | None = None
    closed_at: float | None = None
    outcome: str | None = None
    acked: bool = False
    alerted_at: float | None = None


@dataclass(slots=True)
class UnitOfWork:
    """Everything one engine step changes, committed atomically.

    `conversation.version` is the version the step was computed from; the commit
    fails with `Conflict` if the stored one moved meanwhile.
    """

    conversation: Conversation
    inbox_id: int | None = None
    thread: list[ThreadEntry] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    open_ticket: TicketDraft | None = None
    ticket_changes: dict[str, Any] = field(default_factory=dict)
    erase: bool = False  # drop every personal field, message and ticket content
    forget_identity: bool = False  # also unlink the platform user id: a next message starts afresh
    audit: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CommitResult:
    ticket_id: int | None
    outbox_ids: tuple[int, ...]
    thread_ids: tuple[int, ...]


class Store(ABC):
    """Async persistence for conversations, inbox, outbox, thread and tickets."""

    location: str = ""

    @abstractmethod
    async def open(self) -> None:
        """Connect, create or migrate the schema; raise StoreUnavailable with a clear message."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def ping(self) -> bool:
        """True when the store answers a trivial query."""

    # --- inbox -------------------------------------------------------------
    @abstractmethod
    async def ingest(self, event: InboundEvent, now: float) -> tuple[str, int] | None:
        """Save an inbound event durably, creating its conversation if new.

        Returns (conversation id, inbox id), or None when (channel, event id) was
        already received: a redelivery is a no-op.
        """

    @abstractmethod
    async def ingest_many(
        self, events: list[InboundEvent], now: float
    ) -> list[tuple[str, int] | None]:
        """`ingest` for a whole webhook batch, in one unit of work (all saved or none)."""

    @abstractmethod
    async def pending_conversations(self) -> list[str]:
        """Conversations that have unprocessed inbox events, oldest first."""

    @abstractmethod
    async def next_pending(self, conversation_id: str) -> InboxRow | None:
        """The oldest unprocessed inbox event of one conversation."""

    @abstractmethod
    async def skip_inbox(self, inbox_id: int, reason: str) -> None:
        """Mark an inbox event processed without effect (e.g. it could not be handled)."""

    # --- conversations -----------------------------------------------------
    @abstractmethod
    async def get_conversation(self, conversation_id: str) -> Conversation | None: ...

    @abstractmethod
    async def find_conversation(self, channel: str, user_id: str) -> Conversation | None: ...

    @abstractmethod
    async def commit(self, uow: UnitOfWork, now: float) -> CommitResult:
        """Apply one step atomically: conversation, inbox done, thread, outbox, ticket."""

    # --- thread ------------------------------------------------------------
    @abstractmethod
    async def thread(self, conversation_id: str, limit: int = 200) -> list[ThreadEntry]:
        """The conversation's history, oldest first (the last `limit` lines)."""

    # --- outbox ------------------------------------------------------------
    @abstractmethod
    async def outbox_heads(self, now: float, limit: int = 100) -> list[OutboxItem]:
        """For each conversation, its oldest pending reply, if it is due."""

    @abstractmethod
    async def outbox_next_due(self) -> float | None:
        """When the earliest head (a reply not queued behind another) becomes due, or None."""

    @abstractmethod
    async def outbox_claim(self, item_ids: list[int], now: float) -> None:
        """Mark replies as being sent. A crash then leaves them 'sending': delivery uncertain."""

    @abstractmethod
    async def outbox_recover(self) -> list[int]:
        """At start-up: replies left 'sending' by a crash go back to pending (sent again)."""

    @abstractmethod
    async def outbox_sent(self, item_id: int, now: float) -> None: ...

    @abstractmethod
    async def outbox_retry(self, item_id: int, next_attempt_at: float, error: str) -> None: ...

    @abstractmethod
    async def outbox_failed(self, item_id: int, error: str, now: float) -> None:
        """Give up on a reply; the error is recorded on its thread line for the counsellor."""

    @abstractmethod
    async def outbox_backlog(self) -> int: ...

    # --- tickets -----------------------------------------------------------
    @abstractmethod
    async def get_ticket(self, ticket_id: int) -> Ticket | None: ...

    @abstractmethod
    async def list_tickets(self, status: TicketStatus, limit: int = 200) -> list[Ticket]: ...

    # --- retention ---------------------------------------------------------
    @abstractmethod
    async def purge_unfinished(self, before: float, now: float) -> int:
        """Erase conversations idle since `before` that never reached a ticket; returns how many."""

    @abstractmethod
    async def anonymise_closed(self, before: float, now: float) -> int:
        """Strip personal data from tickets closed before `before` and their conversations."""
