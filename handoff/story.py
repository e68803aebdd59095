"""A youth's whole story on the ticket page: the earlier tickets of the same conversation.

Each earlier ticket shows when it was opened, how it ended, its staff notes and meetings,
oldest first, so a counsellor taking up a returning youth sees everything at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handoff.dashboard import Dashboard


async def earlier_tickets(d: Dashboard, ticket_id: str) -> list[dict[str, Any]]:
    """The other tickets of this ticket's conversation, as the page shows them."""
    store, t = d.service.store, d.texts
    current = await store.get_ticket(ticket_id)
    if current is None:
        return []
    names = {s.id: s.display_name for s in await store.list_staff()}
    found = []
    for ticket in await store.conversation_tickets(current.conversation_id):
        if ticket.id == ticket_id:
            continue
        opened = d._local(ticket.created_at)
        found.append(
            {
                "id": ticket.id,
                "url": f"/handoff/tickets/{ticket.id}",
                "opened": t("story.opened", day=opened.strftime("%d/%m/%Y")),
                "outcome": d._outcome(ticket.outcome)
                if ticket.outcome
                else t(f"finder.status_{'closed' if ticket.status == 'closed' else 'open'}"),
                "holder": names.get(ticket.assigned_to or 0, ""),
                "notes": [n.text for n in await store.notes(ticket.id)],
                "meetings": [
                    t("story.meeting", day=m.day, time=m.time, place=m.place)
                    for m in await store.meetings(ticket.id)
                ],
            }
        )
    return found
