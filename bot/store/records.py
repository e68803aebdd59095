"""The records every store backend reads and writes: plain dataclasses, no backend type.

Ids: conversations and tickets have opaque string ids (they appear in URLs); staff accounts
keep integer ids; inbox, outbox, thread, note, meeting and audit ids are integers the backend
assigns, unique per collection and increasing in insertion order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.events import InboundEvent, Reply
from bot.store.roles_media import MediaDraft

Mode = Literal["bot", "waiting", "human", "paused"]
TicketStatus = Literal["waiting", "assigned", "closed"]
Priority = Literal["urgent", "normal"]
Role = Literal["counsellor", "coordinator"]
ROLES: tuple[Role, ...] = ("counsellor", "coordinator")


@dataclass(slots=True)
class Conversation:
    """The aggregate root: one youth on one channel, with the state of its open ticket.

    `ticket_status`, `ticket_holder`, `ticket_priority` and `ticket_acked` mirror the open
    ticket (None/False without one); the store fills them and `commit` ignores them: tickets
    change through typed `ticket_changes` or the ticket moves, which bump `version`.
    """

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
    ticket_id: str | None = None
    last_inbound_at: float | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    version: int = 0
    scratch: dict[str, Any] = field(default_factory=dict)  # the flow's working values
    ticket_status: TicketStatus | None = None
    ticket_holder: int | None = None
    ticket_priority: Priority | None = None
    ticket_acked: bool = False

    def __post_init__(self) -> None:
        # Older conversations kept the flow's working values in the profile under "_" keys.
        self.profile, self.scratch = split_scratch(self.profile, self.scratch)


def split_scratch(
    profile: dict[str, Any], scratch: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The profile without "_" keys, and the scratch with them (unprefixed) added."""
    legacy = {k: v for k, v in profile.items() if k.startswith("_")}
    if not legacy:
        return profile, scratch
    kept = {k: v for k, v in profile.items() if not k.startswith("_")}
    return kept, {**{k[1:]: v for k, v in legacy.items()}, **scratch}


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
    ticket_id: str | None = None
    status: str | None = None  # for outgoing lines: pending / sent / failed
    error: str | None = None


@dataclass(frozen=True, slots=True)
class TicketDraft:
    priority: Priority
    reason: str
    snapshot: dict[str, Any]
    territory: str | None = None


@dataclass(slots=True)
class Ticket:
    id: str
    conversation_id: str
    status: TicketStatus
    priority: Priority
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


# --- typed changes of the open ticket, applied by `commit` --------------------------------
@dataclass(frozen=True, slots=True)
class SetPriority:
    priority: Priority


@dataclass(frozen=True, slots=True)
class SetAcknowledged:
    """The youth was told a counsellor will answer (True), or a counsellor answered (False)."""

    acked: bool


@dataclass(frozen=True, slots=True)
class CounsellorReplied:
    """A counsellor wrote: acknowledgement reset, first reply time kept if already set."""

    at: float


@dataclass(frozen=True, slots=True)
class CloseTicket:
    outcome: str
    at: float


TicketChange = SetPriority | SetAcknowledged | CounsellorReplied | CloseTicket


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
    ticket_changes: list[TicketChange] = field(default_factory=list)
    erase: bool = False  # drop every personal field, message and ticket content
    forget_identity: bool = False  # also unlink the platform user id: a next message starts afresh
    audit: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    media: list[MediaDraft] = field(default_factory=list)  # attachments of the first thread line


@dataclass(frozen=True, slots=True)
class CommitResult:
    ticket_id: str | None
    outbox_ids: tuple[int, ...]
    thread_ids: tuple[int, ...]


# --- the handoff's records ----------------------------------------------------------------
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
    ticket_id: str
    staff_id: int
    text: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    ticket_id: str
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
