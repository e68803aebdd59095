"""The bot's store roles: conversations, inbox, outbox, leases, retention.

Every backend implements all of them (and the handoff's in `roles_handoff`) in one class;
callers name the role they need. One contract suite runs each role against each backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from bot.events import InboundEvent, OutboxItem
from bot.store.errors import StoreError
from bot.store.records import CommitResult, Conversation, InboxRow, ThreadEntry, UnitOfWork


class ConversationStore(ABC):
    """The aggregate root: a conversation, its thread, and the unit of work that changes them."""

    @abstractmethod
    async def get_conversation(self, conversation_id: str) -> Conversation | None: ...

    @abstractmethod
    async def find_conversation(self, channel: str, user_id: str) -> Conversation | None: ...

    @abstractmethod
    async def commit(self, uow: UnitOfWork, now: float) -> CommitResult:
        """Apply one step atomically: conversation, inbox done, thread, outbox, ticket, audit.

        Raises Conflict when the stored version moved since `uow.conversation.version`, and
        AlreadyProcessed when `uow.inbox_id` was already done; nothing is written then.
        """

    @abstractmethod
    async def commit_many(
        self, uows: list[UnitOfWork], now: float
    ) -> list[CommitResult | StoreError]:
        """Group commit: each unit of work applies or fails on its own, in one write.

        Results come in order; a Conflict or AlreadyProcessed is returned in its slot and
        leaves the others untouched. StoreUnavailable is raised for the whole batch.
        """

    @abstractmethod
    async def thread(self, conversation_id: str, limit: int = 200) -> list[ThreadEntry]:
        """The conversation's history, oldest first (the last `limit` lines)."""

    @abstractmethod
    async def erase_conversation(
        self, conversation_id: str, now: float, *, actor: str, action: str
    ) -> list[str]:
        """Erase everything personal of a conversation in one write, audited for `actor`.

        Thread, notes, meetings, profile, scratch, consent and platform user id go; tickets
        stay as anonymous facts (closed, outcome `erased` if open, empty snapshot). The version
        moves, so an engine step computed before fails with Conflict, and the youth's next
        message starts a fresh conversation. Returns the ids of the tickets still open.
        """


class InboxStore(ABC):
    """Inbound events, saved before the platform is acknowledged, processed once."""

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


class OutboxStore(ABC):
    """Replies waiting to be sent, one conversation's in order, each sent by one owner."""

    @abstractmethod
    async def outbox_heads(self, now: float, limit: int = 100) -> list[OutboxItem]:
        """For each conversation, its oldest pending reply, if it is due and not leased."""

    @abstractmethod
    async def outbox_next_due(self) -> float | None:
        """When the earliest head (a reply not queued behind another) becomes due, or None."""

    @abstractmethod
    async def outbox_claim(self, item_ids: list[int], owner: str, until: float) -> list[int]:
        """Lease pending replies to `owner` until `until`; returns the ids it now owns.

        Only what is returned may be sent: another instance may have claimed the rest. A
        crash leaves the owned ones leased: delivery uncertain until the lease expires.
        """

    @abstractmethod
    async def outbox_recover(self, now: float) -> list[int]:
        """Replies whose lease expired before `now` go back to pending (sent again).

        Live leases, another running instance's, are left alone.
        """

    @abstractmethod
    async def outbox_sent(self, item_id: int, now: float) -> None: ...

    @abstractmethod
    async def outbox_retry(self, item_id: int, next_attempt_at: float, error: str) -> None: ...

    @abstractmethod
    async def outbox_failed(self, item_id: int, error: str, now: float) -> None:
        """Give up on a reply; the error is recorded on its thread line for the counsellor."""

    @abstractmethod
    async def outbox_backlog(self) -> int: ...

    @abstractmethod
    async def thread_id_of_outbox(self, outbox_id: int) -> int | None:
        """The thread line an outbox item was written with."""


class LeaseStore(ABC):
    """Time-limited ownership, so that several instances never do the same work twice."""

    @abstractmethod
    async def lease_conversation(
        self, conversation_id: str, owner: str, until: float, now: float
    ) -> bool:
        """Take or renew a conversation's processing lease.

        True when `owner` holds it until `until`: it was free, expired (its holder died), or
        already `owner`'s. False while another owner's lease runs.
        """

    @abstractmethod
    async def release_conversation(self, conversation_id: str, owner: str) -> None:
        """Drop `owner`'s lease on a conversation (nothing if someone else holds it)."""

    @abstractmethod
    async def try_lease(self, name: str, owner: str, until: float, now: float) -> bool:
        """Take or renew a named singleton lease (alerts, retention...), as above."""

    @abstractmethod
    async def release_lease(self, name: str, owner: str) -> None: ...


class RetentionStore(ABC):
    """Time-based erasure of what the service no longer needs."""

    @abstractmethod
    async def purge_unfinished(self, before: float, now: float) -> int:
        """Erase conversations idle since `before` that never reached a ticket; returns how many."""

    @abstractmethod
    async def anonymise_closed(self, before: float, now: float) -> int:
        """Strip personal data from tickets closed before `before` and their conversations."""
