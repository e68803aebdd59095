"""The handoff's narrow async store: staff, sessions, ticket moves, notes, meetings, audit.

It sits beside the bot's `Store` (same database, same transactions) and only holds what the
engine does not need. One rule keeps counsellors' writes safe against the engine and each
other: every method that changes a ticket's status or holder also bumps its conversation's
`version`, so an optimistic `Store.commit` computed before the change fails with `Conflict`
and is recomputed. That is how "only the holder may write to the youth" holds inside the
transaction that writes the outbox.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from bot.store.legacy import StoreError, Ticket

Role = Literal["counsellor", "coordinator"]
ROLES: tuple[Role, ...] = ("counsellor", "coordinator")


class DuplicateEmail(StoreError):
    """An account with this e-mail already exists."""


@dataclass(frozen=True, slots=True)
class Staff:
    """A counsellor or coordinator account, without its password hash."""

    id: int
    email: str
    display_name: str
    role: Role
    territory: str | None
    active: bool
    created_at: float

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"


@dataclass(frozen=True, slots=True)
class NewStaff:
    email: str
    display_name: str
    role: Role
    territory: str | None
    password_hash: str


@dataclass(frozen=True, slots=True)
class Session:
    id_hash: str  # sha256 of the cookie value: a leaked database opens no session
    staff_id: int
    csrf_token: str
    created_at: float
    last_seen_at: float


@dataclass(frozen=True, slots=True)
class QueuedTicket:
    ticket: Ticket
    waiting_since: float  # when it last entered the queue (creation, or a transfer back)


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    ticket_id: int
    staff_id: int
    text: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    ticket_id: int
    staff_id: int
    day: str  # YYYY-MM-DD
    time: str  # HH:MM
    place: str
    message_id: int | None
    created_at: float


@dataclass(frozen=True, slots=True)
class CannedReply:
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log: who did what to which id; details hold ids, never data."""

    id: int
    at: float
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]


class HandoffStore(ABC):
    """Async persistence of everything the handoff adds to the bot's store."""

    # --- staff accounts ------------------------------------------------------
    @abstractmethod
    async def count_staff(self) -> int: ...

    @abstractmethod
    async def create_staff(self, new: NewStaff, now: float) -> Staff:
        """Insert an account; raise DuplicateEmail if the (lower-cased) e-mail exists."""

    @abstractmethod
    async def get_staff(self, staff_id: int) -> Staff | None: ...

    @abstractmethod
    async def find_login(self, email: str) -> tuple[Staff, str] | None:
        """The account and its password hash, for checking a login."""

    @abstractmethod
    async def list_staff(self) -> list[Staff]:
        """Every account, active first, then by name."""

    @abstractmethod
    async def set_password_hash(self, staff_id: int, password_hash: str) -> None: ...

    @abstractmethod
    async def disable_staff(self, staff_id: int, now: float) -> list[int]:
        """Disable an account, end its sessions, put its tickets back in the queue.

        Returns the ids of the tickets put back.
        """

    # --- first start ---------------------------------------------------------
    @abstractmethod
    async def replace_setup_token(self, token_hash: str, now: float, expires_at: float) -> None:
        """Store a fresh first-start token, dropping any earlier unused one."""

    @abstractmethod
    async def setup_token_valid(self, token_hash: str, now: float) -> bool: ...

    @abstractmethod
    async def redeem_setup_token(self, token_hash: str, new: NewStaff, now: float) -> Staff | None:
        """Atomically: if the token is valid and no account exists, create it and spend the token."""

    # --- sessions and login throttling ---------------------------------------
    @abstractmethod
    async def create_session(self, session: Session) -> None: ...

    @abstractmethod
    async def get_session(self, id_hash: str) -> Session | None: ...

    @abstractmethod
    async def touch_session(self, id_hash: str, now: float) -> None: ...

    @abstractmethod
    async def delete_session(self, id_hash: str) -> None: ...

    @abstractmethod
    async def purge(self, sessions_before: float, failures_before: float) -> None:
        """Drop sessions idle since, and login failures older than, the given instants."""

    @abstractmethod
    async def recent_failures(self, keys: Iterable[str], since: float) -> dict[str, list[float]]:
        """For each key, the instants of failed logins since `since`, oldest first."""

    @abstractmethod
    async def record_failure(self, keys: Iterable[str], now: float) -> None: ...

    @abstractmethod
    async def clear_failures(self, key: str) -> None: ...

    # --- tickets: reading ------------------------------------------------------
    @abstractmethod
    async def queued(
        self, status: str, *, assigned_to: int | None = None, limit: int = 200
    ) -> list[QueuedTicket]:
        """Tickets of a status; waiting ones urgent first then oldest, others newest first."""

    @abstractmethod
    async def queued_one(self, ticket_id: int) -> QueuedTicket | None: ...

    @abstractmethod
    async def thread_id_of_outbox(self, outbox_id: int) -> int | None:
        """The thread line an outbox item was written with."""

    # --- tickets: moves (each bumps the conversation's version) ----------------
    @abstractmethod
    async def claim(self, ticket_id: int, staff_id: int, now: float) -> bool:
        """Take a waiting ticket; False when it is not waiting any more (someone was faster)."""

    @abstractmethod
    async def assign(
        self, ticket_id: int, staff_id: int, now: float, *, holder: int | None
    ) -> bool:
        """Give an open ticket to `staff_id`. With `holder`, only if that person holds it."""

    @abstractmethod
    async def requeue(
        self, ticket_id: int, territory: str | None, now: float, *, holder: int | None
    ) -> bool:
        """Put an open ticket back in the queue (optionally for another territory)."""

    @abstractmethod
    async def close(self, ticket_id: int, outcome: str, now: float, *, holder: int | None) -> bool:
        """Close an open ticket; its conversation returns to the bot in state `done`."""

    @abstractmethod
    async def mark_alerted(self, ticket_id: int, now: float) -> bool:
        """Flag a waiting ticket as overdue, once; False when already flagged or claimed."""

    # --- notes, meetings, canned replies, audit ---------------------------------
    @abstractmethod
    async def add_note(self, ticket_id: int, staff_id: int, text: str, now: float) -> Note: ...

    @abstractmethod
    async def notes(self, ticket_id: int) -> list[Note]: ...

    @abstractmethod
    async def add_meeting(
        self,
        ticket_id: int,
        staff_id: int,
        day: str,
        time: str,
        place: str,
        message_id: int | None,
        now: float,
    ) -> Meeting: ...

    @abstractmethod
    async def meetings(self, ticket_id: int) -> list[Meeting]: ...

    @abstractmethod
    async def canned_replies(self) -> list[CannedReply]: ...

    @abstractmethod
    async def replace_canned_replies(self, replies: list[CannedReply]) -> None: ...

    @abstractmethod
    async def audit(
        self, actor: str, action: str, target: str | None, details: dict[str, Any], now: float
    ) -> None:
        """Record who did what to which id; `details` never holds personal data."""

    @abstractmethod
    async def territories(self) -> list[str]:
        """Territories known from accounts and tickets, sorted."""

    # --- a youth's data rights: export and erasure --------------------------------
    @abstractmethod
    async def conversation_tickets(self, conversation_id: str) -> list[Ticket]:
        """Every ticket a conversation ever had, oldest first."""

    @abstractmethod
    async def audit_trail(self, targets: Iterable[str]) -> list[AuditEntry]:
        """The audit lines about any of these targets, oldest first."""

    @abstractmethod
    async def erase_conversation(self, conversation_id: str, actor: str, now: float) -> list[int]:
        """Erase everything personal of a conversation in one transaction, audited for `actor`.

        Thread, notes, meetings, profile, consent and platform user id go; the tickets stay as
        anonymous facts (closed, outcome `erased` if they were open, empty snapshot). The
        conversation's version moves, so an engine step computed before fails with Conflict,
        and the youth's next message starts a fresh conversation. Nothing is sent to the
        youth. Returns the ids of the tickets that were still open.
        """
