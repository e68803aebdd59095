"""Records to and from MongoDB documents: one place that knows the field names."""

from __future__ import annotations

from typing import Any

from bot.store.records import (
    AuditEntry,
    Conversation,
    Meeting,
    Note,
    QueuedTicket,
    Staff,
    ThreadEntry,
    Ticket,
)

Doc = dict[str, Any]

# The open ticket's state, mirrored on its conversation (the aggregate root).
NO_TICKET: Doc = {
    "ticket_status": None,
    "ticket_holder": None,
    "ticket_priority": None,
    "ticket_acked": False,
}


def conversation(d: Doc) -> Conversation:
    return Conversation(
        id=d["_id"],
        channel=d["channel"],
        user_id=d["user_id"],
        mode=d.get("mode", "bot"),
        state=d.get("state", "new"),
        profile=dict(d.get("profile") or {}),
        source=d.get("source"),
        misses=d.get("misses", 0),
        consent_at=d.get("consent_at"),
        consent_version=d.get("consent_version"),
        ticket_id=d.get("ticket_id"),
        last_inbound_at=d.get("last_inbound_at"),
        created_at=d.get("created_at", 0.0),
        updated_at=d.get("updated_at", 0.0),
        version=d.get("version", 0),
        scratch=dict(d.get("scratch") or {}),
        ticket_status=d.get("ticket_status"),
        ticket_holder=d.get("ticket_holder"),
        ticket_priority=d.get("ticket_priority"),
        ticket_acked=bool(d.get("ticket_acked", False)),
    )


def new_conversation(conversation_id: str, channel: str, user_id: str, now: float) -> Doc:
    return {
        "_id": conversation_id,
        "channel": channel,
        "user_id": user_id,
        "mode": "bot",
        "state": "new",
        "profile": {},
        "scratch": {},
        "source": None,
        "misses": 0,
        "consent_at": None,
        "consent_version": None,
        "ticket_id": None,
        "last_inbound_at": None,
        "created_at": now,
        "updated_at": now,
        "version": 0,
        "erased": False,
        **NO_TICKET,
    }


TICKET_FIELDS = (
    "status",
    "priority",
    "reason",
    "snapshot",
    "channel",
    "source",
    "territory",
    "created_at",
    "claimed_at",
    "assigned_to",
    "first_reply_at",
    "closed_at",
    "outcome",
    "acked",
    "alerted_at",
)


def ticket(d: Doc) -> Ticket:
    return Ticket(
        id=d["_id"],
        conversation_id=d["conversation_id"],
        status=d["status"],
        priority=d["priority"],
        reason=d["reason"],
        snapshot=dict(d.get("snapshot") or {}),
        channel=d["channel"],
        source=d.get("source"),
        territory=d.get("territory"),
        created_at=d["created_at"],
        claimed_at=d.get("claimed_at"),
        assigned_to=d.get("assigned_to"),
        first_reply_at=d.get("first_reply_at"),
        closed_at=d.get("closed_at"),
        outcome=d.get("outcome"),
        acked=bool(d.get("acked", False)),
        alerted_at=d.get("alerted_at"),
    )


def queued(d: Doc) -> QueuedTicket:
    return QueuedTicket(ticket(d), d.get("queued_at") or d["created_at"])


def thread_entry(d: Doc) -> ThreadEntry:
    return ThreadEntry(
        id=d["_id"],
        direction=d["direction"],
        author=d["author"],
        staff_id=d.get("staff_id"),
        text=d["text"],
        buttons=tuple((str(b[0]), str(b[1])) for b in d.get("buttons") or ()),
        status=d.get("status"),
        error=d.get("error"),
        created_at=d["created_at"],
        ticket_id=d.get("ticket_id"),
    )


def thread_doc(
    line_id: int, conversation_id: str, ticket_id: str | None, e: ThreadEntry, now: float
) -> Doc:
    return {
        "_id": line_id,
        "seq": line_id,  # ordering: ids are numbers, and the test server sorts `_id` as text
        "conversation_id": conversation_id,
        "ticket_id": ticket_id,
        "direction": e.direction,
        "author": e.author,
        "staff_id": e.staff_id,
        "text": e.text,
        "buttons": [list(b) for b in e.buttons],
        "status": e.status,
        "error": e.error,
        "created_at": now,
    }


def staff(d: Doc) -> Staff:
    return Staff(
        d["_id"],
        d["email"],
        d["display_name"],
        d["role"],
        d.get("territory"),
        bool(d.get("active", True)),
        d["created_at"],
    )


def note(d: Doc) -> Note:
    return Note(d["_id"], d["ticket_id"], d["staff_id"], d["text"], d["created_at"])


def meeting(d: Doc) -> Meeting:
    return Meeting(
        d["_id"],
        d["ticket_id"],
        d["staff_id"],
        d["day"],
        d["time"],
        d["place"],
        d.get("message_id"),
        d["created_at"],
    )


def audit_doc(
    audit_id: int, now: float, actor: str, action: str, target: str | None, details: Doc
) -> Doc:
    """An audit line: ids and counts in `details`, never personal data."""
    return {
        "_id": audit_id,
        "seq": audit_id,
        "at": now,
        "actor": actor,
        "action": action,
        "target": target,
        "details": details,
    }


def audit_entry(d: Doc) -> AuditEntry:
    return AuditEntry(
        d["_id"], d["at"], d["actor"], d["action"], d.get("target"), dict(d["details"])
    )
