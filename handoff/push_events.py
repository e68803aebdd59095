"""Which live events become a push, and to whom.

- a new ticket: the members of the structure it was routed to; staff in no structure, by
  territory (and those without one); an urgent ticket,
  or one that turns urgent: every active account, once;
- a youth's message on a held ticket: its holder.
The body carries a first name at most. Only the instance leading the watch pushes, so several
instances sharing live events push once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import structlog

from bot.background import background
from bot.live import LiveEvent
from bot.store.base import Staff, StoreUnavailable, Ticket

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps
    from handoff.push import Pusher

log = structlog.get_logger(__name__)

URGENT = "urgent_push"  # the watch mark recording an urgent ticket's push


def new_ticket_targets(
    ticket: Ticket, staff: list[Staff], members: dict[int, str] | None = None
) -> list[int]:
    """Who hears of a new ticket: its structure's or territory's people, everyone if urgent."""
    active = [s for s in staff if s.active]
    if ticket.priority == "urgent":
        return [s.id for s in active]
    structure = ticket.snapshot.get("structure")
    members = members or {}

    def concerned(s: Staff) -> bool:
        if structure and s.id in members:  # a member of a structure hears of its tickets
            return members[s.id] == structure
        return s.territory is None or ticket.territory is None or s.territory == ticket.territory

    return [s.id for s in active if concerned(s)]


class PushEvents:
    """Listens to the live hub and hands the pushes to the Pusher."""

    def __init__(self, deps: HandoffDeps, pusher: Pusher, leading: Callable[[], bool]) -> None:
        self.deps = deps
        self.pusher = pusher
        self.leading = leading

    async def handle(self, event: LiveEvent) -> None:
        if not self.leading():
            return
        ticket_id = event.data.get("ticket_id")
        if not ticket_id or event.kind not in ("ticket_opened", "ticket_updated", "message"):
            return
        ticket = await self.deps.store.get_ticket(str(ticket_id))
        if ticket is None:
            return
        if event.kind == "ticket_opened":
            await self._new_ticket(ticket)
        elif event.kind == "ticket_updated":
            if ticket.priority == "urgent" and ticket.status != "closed":
                await self._new_ticket(ticket)  # turned urgent: once, see `_new_ticket`
        elif ticket.status == "assigned" and ticket.assigned_to is not None:
            await self._reply(ticket, event.data.get("message_ids") or [])

    async def _new_ticket(self, ticket: Ticket) -> None:
        if ticket.priority == "urgent":
            # A ticket opened urgent, or turned urgent later, is announced once.
            now = self.deps.clock()
            if not await self.deps.store.mark_watch(ticket.id, URGENT, ticket.created_at, now):
                return
        t = self.deps.texts
        store = self.deps.store
        targets = new_ticket_targets(ticket, await store.list_staff(), await store.memberships())
        title = t("push.new_ticket_urgent" if ticket.priority == "urgent" else "push.new_ticket")
        body = t(
            "push.new_ticket_body",
            first_name=self._first_name(ticket),
            territory=ticket.territory or t("staff_notice.no_territory"),
        )
        self.pusher.notify(targets, title, body, self._url(ticket.id))

    async def _reply(self, ticket: Ticket, message_ids: list[int]) -> None:
        if not message_ids:
            return
        wanted = set(message_ids)
        lines = await self.deps.store.thread(ticket.conversation_id, limit=len(wanted) + 20)
        if not any(line.id in wanted and line.author == "youth" for line in lines):
            return
        t = self.deps.texts
        body = t("push.reply_body", first_name=self._first_name(ticket))
        assert ticket.assigned_to is not None
        self.pusher.notify([ticket.assigned_to], t("push.reply"), body, self._url(ticket.id))

    def _first_name(self, ticket: Ticket) -> str:
        name = ticket.snapshot.get("first_name")
        return str(name) if name else self.deps.texts("staff_notice.no_name")

    def _url(self, ticket_id: str) -> str:
        return f"{self.deps.settings.public_url.rstrip('/')}/handoff/tickets/{ticket_id}"

    async def run(self) -> None:
        async with self.deps.live.subscribe() as events:
            while True:
                event = await events.get()
                try:
                    await self.handle(event)
                except StoreUnavailable:
                    log.warning("store_unavailable", during="push")
                except Exception as exc:  # one bad event must not stop the pushes
                    log.error("push_event_failed", error=type(exc).__name__)

    async def lifecycle(self, app: object) -> AsyncIterator[None]:
        async with background(self.run(), "handoff:push-events"):
            yield
