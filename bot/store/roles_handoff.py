"""The handoff's store roles: tickets and queue, staff and sessions, notes, audit.

Every move of a ticket (claim, assign, requeue, close) is one conditional update of its
conversation, the aggregate root, and bumps the conversation's version: an engine step or a
counsellor's message computed before the move fails with Conflict and is recomputed. That is
how "only the holder may write to the youth" holds inside the write that fills the outbox.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import Any

from bot.store.records import (
    AuditEntry,
    CannedReply,
    Meeting,
    NewStaff,
    Note,
    QueuedTicket,
    Session,
    Staff,
    Ticket,
    TicketStatus,
)


class TicketStore(ABC):
    """Tickets: reading the queue, and the moves counsellors make."""

    @abstractmethod
    async def get_ticket(self, ticket_id: str) -> Ticket | None: ...

    @abstractmethod
    async def list_tickets(self, status: TicketStatus, limit: int = 200) -> list[Ticket]: ...

    @abstractmethod
    async def queued(
        self, status: str, *, assigned_to: int | None = None, limit: int = 200
    ) -> list[QueuedTicket]:
        """Tickets of a status; waiting ones urgent first then oldest, others newest first."""

    @abstractmethod
    async def queued_one(self, ticket_id: str) -> QueuedTicket | None: ...

    @abstractmethod
    async def conversation_tickets(self, conversation_id: str) -> list[Ticket]:
        """Every ticket a conversation ever had, oldest first."""

    @abstractmethod
    async def territories(self) -> list[str]:
        """Territories known from active accounts and tickets, sorted."""

    @abstractmethod
    async def claim(self, ticket_id: str, staff_id: int, now: float) -> bool:
        """Take a waiting ticket; False when it is not waiting any more (someone was faster)."""

    @abstractmethod
    async def assign(
        self, ticket_id: str, staff_id: int, now: float, *, holder: int | None
    ) -> bool:
        """Give an open ticket to `staff_id`. With `holder`, only if that person holds it."""

    @abstractmethod
    async def requeue(
        self, ticket_id: str, territory: str | None, now: float, *, holder: int | None
    ) -> bool:
        """Put an open ticket back in the queue (optionally for another territory)."""

    @abstractmethod
    async def close_ticket(
        self, ticket_id: str, outcome: str, now: float, *, holder: int | None
    ) -> bool:
        """Close an open ticket; its conversation returns to the bot in state `done`."""

    @abstractmethod
    async def mark_alerted(self, ticket_id: str, now: float) -> bool:
        """Flag a waiting ticket as overdue, once; False when already flagged or claimed."""


class StaffStore(ABC):
    """Staff accounts, first-start token, sessions and login throttling."""

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
    async def disable_staff(self, staff_id: int, now: float) -> list[str]:
        """Disable an account, end its sessions, drop its push addresses, requeue its tickets.

        Returns the ids of the tickets put back.
        """

    @abstractmethod
    async def replace_setup_token(self, token_hash: str, now: float, expires_at: float) -> None:
        """Store a fresh first-start token, dropping any earlier unused one."""

    @abstractmethod
    async def setup_token_valid(self, token_hash: str, now: float) -> bool: ...

    @abstractmethod
    async def redeem_setup_token(self, token_hash: str, new: NewStaff, now: float) -> Staff | None:
        """Atomically: if the token is valid and no account exists, create it and spend the token."""

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


class NotesStore(ABC):
    """What counsellors add around a ticket: notes, meetings, shared canned replies."""

    @abstractmethod
    async def add_note(self, ticket_id: str, staff_id: int, text: str, now: float) -> Note: ...

    @abstractmethod
    async def notes(self, ticket_id: str) -> list[Note]: ...

    @abstractmethod
    async def add_meeting(
        self,
        ticket_id: str,
        staff_id: int,
        day: str,
        time: str,
        place: str,
        message_id: int | None,
        now: float,
    ) -> Meeting: ...

    @abstractmethod
    async def meetings(self, ticket_id: str) -> list[Meeting]: ...

    @abstractmethod
    async def canned_replies(self) -> list[CannedReply]: ...

    @abstractmethod
    async def replace_canned_replies(self, replies: list[CannedReply]) -> None: ...


class AuditStore(ABC):
    """Who did what to which id; details never hold personal data."""

    @abstractmethod
    async def audit(
        self, actor: str, action: str, target: str | None, details: dict[str, Any], now: float
    ) -> None: ...

    @abstractmethod
    async def audit_trail(self, targets: Iterable[str]) -> list[AuditEntry]:
        """The audit lines about any of these targets, oldest first."""
