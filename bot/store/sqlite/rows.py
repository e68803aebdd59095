"""Rows of the SQLite file turned into records, and the column lists that produce them."""

from __future__ import annotations

import json
from typing import Any

from bot.store.records import Conversation, QueuedTicket, Staff, ThreadEntry, Ticket

# A conversation with the state of its ticket (the aggregate root as one record).
CONVERSATION_SELECT = (
    "SELECT c.id, c.channel, c.user_id, c.mode, c.state, c.profile, c.source, c.misses, "
    "c.consent_at, c.consent_version, c.ticket_id, c.last_inbound_at, c.created_at, "
    "c.updated_at, c.version, c.scratch, t.status, t.assigned_to, t.priority, t.acked "
    "FROM conversations c LEFT JOIN tickets t ON t.id = c.ticket_id"
)
TICKET_COLUMNS = (
    "id, conversation_id, status, priority, reason, snapshot, channel, source, territory, "
    "created_at, claimed_at, assigned_to, first_reply_at, closed_at, outcome, acked, alerted_at"
)
STAFF_COLUMNS = "id, email, display_name, role, territory, active, created_at"
THREAD_COLUMNS = (
    "id, direction, author, staff_id, text, buttons, status, error, created_at, ticket_id"
)


def conversation(r: tuple[Any, ...]) -> Conversation:
    return Conversation(
        id=r[0],
        channel=r[1],
        user_id=r[2],
        mode=r[3],
        state=r[4],
        profile=json.loads(r[5]),
        source=r[6],
        misses=r[7],
        consent_at=r[8],
        consent_version=r[9],
        ticket_id=r[10],
        last_inbound_at=r[11],
        created_at=r[12],
        updated_at=r[13],
        version=r[14],
        scratch=json.loads(r[15]),
        ticket_status=r[16],
        ticket_holder=r[17],
        ticket_priority=r[18],
        ticket_acked=bool(r[19]),
    )


def ticket(r: tuple[Any, ...]) -> Ticket:
    return Ticket(
        id=r[0],
        conversation_id=r[1],
        status=r[2],
        priority=r[3],
        reason=r[4],
        snapshot=json.loads(r[5]),
        channel=r[6],
        source=r[7],
        territory=r[8],
        created_at=r[9],
        claimed_at=r[10],
        assigned_to=r[11],
        first_reply_at=r[12],
        closed_at=r[13],
        outcome=r[14],
        acked=bool(r[15]),
        alerted_at=r[16],
    )


def queued(r: tuple[Any, ...]) -> QueuedTicket:
    """A TICKET_COLUMNS row followed by the instant it entered the queue."""
    return QueuedTicket(ticket(r[:-1]), r[-1])


def thread_entry(r: tuple[Any, ...]) -> ThreadEntry:
    return ThreadEntry(
        id=r[0],
        direction=r[1],
        author=r[2],
        staff_id=r[3],
        text=r[4],
        buttons=tuple(tuple(b) for b in json.loads(r[5])),
        status=r[6],
        error=r[7],
        created_at=r[8],
        ticket_id=r[9],
    )


def staff(r: tuple[Any, ...]) -> Staff:
    return Staff(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
