"""Linking two conversations of the same youth: candidates, the linked threads, link and unlink.

Candidates are found with the search (same phone or e-mail on a ticket's card) and checked
again on the cards themselves; nothing is linked until a counsellor confirms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.store.base import Staff, Ticket
from bot.store.roles_search import TicketQuery, fold, search_terms
from handoff.errors import NotFound, Refused

if TYPE_CHECKING:
    from handoff.service import Handoff

THREAD_LINES = 50
MAX_CANDIDATES = 10


def _same(kind: str, a: Any, b: Any) -> bool:
    if not isinstance(a, str) or not isinstance(b, str) or not a or not b:
        return False
    if kind == "phone":
        return search_terms(a) == search_terms(b)
    return fold(a.strip()) == fold(b.strip())


class Links:
    """The ticket page's view of a youth's other conversations, and the moves on them."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self.store = service.store

    async def _ticket(self, ticket_id: str) -> Ticket:
        ticket = await self.store.get_ticket(ticket_id)
        if ticket is None:
            raise NotFound("api.error_ticket_not_found")
        return ticket

    async def view(self, ticket_id: str) -> dict[str, Any]:
        """The linked conversations with their threads, and the unlinked candidates."""
        ticket = await self._ticket(ticket_id)
        linked_ids = await self.store.linked_conversations(ticket.conversation_id)
        linked = [v for v in [await self._conversation(c) for c in linked_ids] if v is not None]
        candidates = [
            c for c in await self.candidates(ticket) if c["conversation_id"] not in linked_ids
        ]
        return {"linked": linked, "candidates": candidates}

    async def candidates(self, ticket: Ticket) -> list[dict[str, Any]]:
        """Other conversations whose card has the same phone or e-mail as this one."""
        found: dict[str, dict[str, Any]] = {}
        for kind in ("phone", "email"):
            value = ticket.snapshot.get(kind)
            if not isinstance(value, str) or not value.strip():
                continue
            hits = await self.store.find_tickets(TicketQuery(text=value, status="all", limit=50))
            for hit in hits:
                other = hit.ticket
                if other.conversation_id == ticket.conversation_id:
                    continue
                if not _same(kind, value, other.snapshot.get(kind)):
                    continue
                entry = found.setdefault(other.conversation_id, self._card(other, []))
                if kind not in entry["same"]:
                    entry["same"].append(kind)
        return list(found.values())[:MAX_CANDIDATES]

    def _card(self, ticket: Ticket, same: list[str]) -> dict[str, Any]:
        return {
            "conversation_id": ticket.conversation_id,
            "channel": ticket.channel,
            "first_name": ticket.snapshot.get("first_name") or "",
            "ticket_id": ticket.id,
            "url": f"/handoff/tickets/{ticket.id}",
            "same": same,
        }

    async def _conversation(self, conversation_id: str) -> dict[str, Any] | None:
        tickets = await self.store.conversation_tickets(conversation_id)
        conversation = await self.store.get_conversation(conversation_id)
        if conversation is None:
            return None  # removed by retention since: the link leads nowhere
        card: dict[str, Any] = (
            self._card(tickets[-1], [])
            if tickets
            else {"conversation_id": conversation_id, "channel": conversation.channel}
        )
        card.pop("same", None)
        card["thread"] = [
            {"author": line.author, "text": line.text, "at": line.created_at}
            for line in await self.store.thread(conversation_id, limit=THREAD_LINES)
        ]
        return card

    async def link(self, ticket_id: str, staff: Staff, other: str) -> dict[str, Any]:
        ticket = await self._ticket(ticket_id)
        now = self.service.now()
        if not await self.store.link_conversations(ticket.conversation_id, other, staff.id, now):
            if await self.store.get_conversation(other) is None:
                raise NotFound("api.error_not_found")
            raise Refused("links.error_link")
        self.service.deps.live.publish("ticket_updated", ticket_id=ticket_id)
        return await self.view(ticket_id)

    async def unlink(self, ticket_id: str, staff: Staff, other: str) -> dict[str, Any]:
        ticket = await self._ticket(ticket_id)
        now = self.service.now()
        if not await self.store.unlink_conversations(ticket.conversation_id, other, staff.id, now):
            raise Refused("links.error_unlink")
        self.service.deps.live.publish("ticket_updated", ticket_id=ticket_id)
        return await self.view(ticket_id)
