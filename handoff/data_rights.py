"""A youth's data rights, for the coordinator: export everything held, or erase it."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from bot.channels.webchat import WebChat, is_live_token, token_id
from bot.store.base import Conversation, Staff, Ticket
from handoff import views
from handoff.errors import Forbidden

if TYPE_CHECKING:
    from handoff.service import Handoff

EXPORT_LINES = 1_000_000  # an export holds the whole thread, not the screen's last lines
ERASED = "erased"
ERASED_BY_COORDINATOR = "erased_by_coordinator"  # the audit action of a staff erasure


async def export(service: Handoff, ticket_id: str, staff: Staff) -> dict[str, Any]:
    """Everything held about the youth behind a ticket, across all their tickets (audited)."""
    if not staff.is_coordinator:
        raise Forbidden()
    conversation_id = (await service._queued(ticket_id)).ticket.conversation_id
    store = service.deps.store
    conversation = await store.get_conversation(conversation_id)
    tickets = await service.store.conversation_tickets(conversation_id)
    names = await service._names()
    notes: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    for t in tickets:
        notes += [
            views.note_view(n, names) | {"ticket_id": t.id} for n in await service.store.notes(t.id)
        ]
        meetings += [
            views.meeting_view(m, names) | {"ticket_id": t.id}
            for m in await service.store.meetings(t.id)
        ]
    lines = await store.thread(conversation_id, EXPORT_LINES)
    trail = await service.store.audit_trail([conversation_id, *(f"ticket:{t.id}" for t in tickets)])
    await service.audit(staff, "exported", conversation_id, ticket_id=ticket_id)
    return {
        "exported_at": service.now(),
        "ticket_id": ticket_id,
        "conversation": _conversation_record(conversation),
        "profile": dict(conversation.profile) if conversation else {},
        "tickets": [_ticket_record(t, names) for t in tickets],
        "messages": [views.thread_line(line, names) for line in lines],
        "notes": notes,
        "meetings": meetings,
        "audit": [dataclasses.asdict(entry) for entry in trail],
    }


async def erase(service: Handoff, ticket_id: str, staff: Staff) -> dict[str, Any]:
    """Erase everything personal about the youth behind a ticket; the youth is not told."""
    if not staff.is_coordinator:
        raise Forbidden()
    conversation_id = (await service._queued(ticket_id)).ticket.conversation_id
    closed = await service.store.erase_conversation(
        conversation_id, service.now(), actor=f"staff:{staff.id}", action=ERASED_BY_COORDINATOR
    )
    for tid in dict.fromkeys([ticket_id, *closed]):  # open views reload what is left
        service.deps.live.publish(
            "ticket_closed",
            ticket_id=tid,
            conversation_id=conversation_id,
            by_staff_id=staff.id,
            outcome=ERASED,
        )
    return await service.summary(ticket_id)


def _conversation_record(c: Conversation | None) -> dict[str, Any] | None:
    """A conversation as stored, platform user id included (its profile goes beside it)."""
    if c is None:
        return None
    return {
        "id": c.id,
        "channel": c.channel,
        "user_id": exported_user_id(c),
        "mode": c.mode,
        "state": c.state,
        "source": c.source,
        "consent_at": c.consent_at,
        "consent_version": c.consent_version,
        "ticket_id": c.ticket_id,
        "last_inbound_at": c.last_inbound_at,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


def exported_user_id(c: Conversation) -> str:
    """The platform's user id; for the web chat never the live token, which opens the chat."""
    if c.channel == WebChat.name and is_live_token(c.user_id):
        return token_id(c.user_id)  # a chat begun before tokens were stored hashed
    return c.user_id


def _ticket_record(t: Ticket, names: dict[int, str]) -> dict[str, Any]:
    """A ticket as stored, with its holder's name."""
    holder = names.get(t.assigned_to) if t.assigned_to is not None else None
    return dataclasses.asdict(t) | {"holder": holder}
