"""The Handoff service: the only place that changes tickets and conversations for staff.

Moves without a message (claim, transfer, close) are single guarded SQL updates in the handoff
store; anything that writes to the youth (a reply, a meeting, giving the conversation back)
goes through the bot store's `commit(UnitOfWork)`, so the thread line and the outbox item land
together, and the commit's version check refuses it if the ticket changed hands meanwhile.

Giving a conversation back to the bot closes the ticket with outcome `given_back` (not one of
the outcomes counted in figures): the bot greets the youth again and carries on from what it
knows; if the youth then confirms their details or asks for a person, a fresh ticket opens.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any

from bot.events import Reply
from bot.flows.intake import resume
from bot.store.base import (
    CannedReply,
    CloseTicket,
    Conflict,
    Conversation,
    CounsellorReplied,
    QueuedTicket,
    Staff,
    Store,
    ThreadEntry,
    Ticket,
    TicketQuery,
    UnitOfWork,
)
from handoff import data_rights, media, meetings, views
from handoff.alerts import AlertPolicy
from handoff.auth import TERRITORY_MAX, Auth
from handoff.errors import ClaimLost, Forbidden, HeldByOther, Invalid, NotFound, Refused
from handoff.presence import Presence
from handoff.views import trim

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps

OUTCOMES = (
    "registered_mission_locale",
    "registered_france_travail",
    "registered_cap_emploi",
    "work_project",
    "meeting_set",
    "unreachable",
    "not_interested",
    "other",
)
GIVEN_BACK = "given_back"
STATUSES = ("waiting", "assigned", "closed")
TEXT_MAX = 2000
CANNED_MAX, CANNED_TITLE_MAX = 50, 80
COMMIT_RETRIES = 5
THREAD_LINES = 1000
VIEW_AUDIT_SECONDS = 300.0  # one "viewed" audit line per person and ticket per 5 minutes


def clean_text(text: str, key: str = "api.error_text_empty") -> str:
    """A message or note: not blank, at most TEXT_MAX characters."""
    if not trim(text):
        raise Invalid(key)
    if len(text) > TEXT_MAX:
        raise Invalid("api.error_text_too_long", max=TEXT_MAX)
    return text


class Handoff:
    """Queue, ticket detail and every counsellor action on a ticket."""

    def __init__(self, deps: HandoffDeps, store: Store, auth: Auth | None = None) -> None:
        self.deps = deps
        self.store = store
        self.auth = auth or Auth(store, deps.clock)
        self._viewed: dict[tuple[int, str], float] = {}
        self.presence = Presence(self)

    def now(self) -> float:
        return self.deps.clock()

    def policy(self) -> AlertPolicy:
        s = self.deps.settings
        return AlertPolicy(s.urgent_alert_minutes, s.alert_minutes, self.deps.flow.office)

    # --- reading -------------------------------------------------------------
    async def queue(
        self, status: str = "waiting", *, limit: int = 200, assigned_to: int | None = None
    ) -> list[dict[str, Any]]:
        """Tickets of a status (optionally one person's): waiting ones urgent first, then oldest."""
        if status not in STATUSES:
            raise Invalid("api.error_status")
        found = await self.store.queued(status, assigned_to=assigned_to, limit=limit)
        return await self._summaries(found)

    async def find(self, query: TicketQuery) -> list[dict[str, Any]]:
        """Tickets found by words and filters (see handoff/search.py)."""
        return await self._summaries(await self.store.find_tickets(query))

    async def mine(self, staff: Staff) -> list[dict[str, Any]]:
        """The tickets this person holds."""
        return await self._summaries(await self.store.queued("assigned", assigned_to=staff.id))

    async def summary(self, ticket_id: str) -> dict[str, Any]:
        return (await self._summaries([await self._queued(ticket_id)]))[0]

    async def ticket_detail(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Everything about one ticket: profile, conversation, whole thread, notes, meetings."""
        queued = await self._queued(ticket_id)
        store, now = self.deps.store, self.now()
        conversation = await store.get_conversation(queued.ticket.conversation_id)
        lines = await store.thread(conversation.id, THREAD_LINES) if conversation else []
        names = await self._names()
        await self._audit_view(staff, ticket_id, now)
        return {
            "ticket": self._summary(queued, names, now),
            "snapshot": queued.ticket.snapshot,
            "conversation": views.conversation_view(conversation, now),
            "messages": await media.attach(
                self,
                conversation.id if conversation else None,
                [views.thread_line(line, names) for line in lines],
            ),
            "notes": [views.note_view(n, names) for n in await self.store.notes(ticket_id)],
            "meetings": [
                views.meeting_view(m, names) for m in await self.store.meetings(ticket_id)
            ],
        }

    async def canned_replies(self) -> list[dict[str, Any]]:
        """Every canned reply in order, with the id and position the item routes take."""
        return [
            {"id": i.id, "title": i.title, "text": i.text, "position": i.position}
            for i in await self.store.canned_items()
        ]

    # --- taking and moving tickets ---------------------------------------------
    async def claim(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Take a waiting ticket; ClaimLost (naming the holder) when someone was faster."""
        if not await self.store.claim(ticket_id, staff.id, self.now()):
            ticket = (await self._queued(ticket_id)).ticket
            if ticket.status == "assigned" and ticket.assigned_to == staff.id:
                return await self.summary(ticket_id)  # a double click: already ours
            if ticket.status == "closed":
                raise Refused("api.error_ticket_closed")
            raise ClaimLost(await self._name(ticket.assigned_to))
        await self._done(staff, "ticket_claimed", ticket_id, staff_id=staff.id)
        await self.presence.joined(ticket_id, staff)
        return await self.summary(ticket_id)

    async def transfer(
        self,
        ticket_id: str,
        staff: Staff,
        *,
        to_staff_id: int | None = None,
        territory: str | None = None,
    ) -> dict[str, Any]:
        """Hand the ticket to a colleague, or put it back in the queue for a territory."""
        if (to_staff_id is None) == (territory is None):
            raise Invalid("api.error_transfer_target")
        ticket = await self._manageable(ticket_id, staff)
        holder, now = self._holder_guard(staff), self.now()
        if to_staff_id is not None:
            target = await self.store.get_staff(to_staff_id)
            if target is None or not target.active:
                raise NotFound("api.error_staff_unknown")
            if ticket.status == "assigned" and ticket.assigned_to == target.id:
                raise Refused("api.error_transfer_same")
            moved = await self.store.assign(ticket_id, target.id, now, holder=holder)
            details: dict[str, Any] = {"to_staff_id": target.id}
        else:
            territory = trim(territory or "")[:TERRITORY_MAX]
            if not territory:
                raise Invalid("api.error_territory")
            moved = await self.store.requeue(ticket_id, territory, now, holder=holder)
            details = {"territory": territory}
        if not moved:
            raise await self._why_refused(ticket_id)
        await self._done(staff, "ticket_transferred", ticket_id, **details)
        return await self.summary(ticket_id)

    async def close(self, ticket_id: str, staff: Staff, outcome: str) -> dict[str, Any]:
        """Close with an outcome; the youth's next message is greeted by name by the bot."""
        if outcome not in OUTCOMES:
            raise Invalid("api.error_unknown_outcome")
        await self._manageable(ticket_id, staff)
        if not await self.store.close_ticket(
            ticket_id, outcome, self.now(), holder=self._holder_guard(staff)
        ):
            raise await self._why_refused(ticket_id)
        await self._done(staff, "ticket_closed", ticket_id, outcome=outcome)
        return await self.summary(ticket_id)

    async def reopen(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Take a closed ticket up again; the store audits it, the bot stays quiet."""
        await self._queued(ticket_id)  # NotFound first
        if not await self.store.reopen_ticket(ticket_id, staff.id, self.now()):
            raise Refused("story.error_reopen")
        self.deps.live.publish("ticket_reopened", ticket_id=ticket_id, by_staff_id=staff.id)
        return await self.summary(ticket_id)

    async def release(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Give the conversation back to the bot: it greets the youth and carries on."""
        for _ in range(COMMIT_RETRIES):
            ticket = await self._manageable(ticket_id, staff)
            conversation = await self._conversation(ticket)
            flow, profile = self.deps.flow, conversation.profile
            state, replies = resume(flow, conversation.state, profile)
            name = profile.get("first_name")
            greeting = (
                flow.texts("handoff.given_back", first_name=name)
                if name
                else flow.texts("handback.greeting")
            )
            c = dataclasses.replace(
                conversation, profile=dict(profile), mode="bot", state=state, misses=0
            )
            now = self.now()
            uow = UnitOfWork(
                conversation=c,
                replies=[Reply(greeting), *replies],
                ticket_changes=[CloseTicket(GIVEN_BACK, now)],
            )
            try:
                await self.deps.store.commit(uow, now)
            except Conflict:
                continue
            self.deps.wake_sender()
            self.deps.live.publish(
                "message", conversation_id=c.id, ticket_id=ticket_id, message_ids=[]
            )
            await self._done(staff, "ticket_released", ticket_id)
            return await self.summary(ticket_id)
        raise Refused("api.error_conversation_moved")

    # --- writing to the youth --------------------------------------------------
    async def send_message(self, ticket_id: str, staff: Staff, text: str) -> dict[str, Any]:
        """Send a counsellor's message through the youth's own channel (holder only)."""
        return await self._send(ticket_id, staff, clean_text(text))

    async def propose_meeting(
        self, ticket_id: str, staff: Staff, day: str, time: str, place: str
    ) -> dict[str, Any]:
        """Send a well-formed meeting proposal and record the meeting on the ticket."""
        ticket = (await self._queued(ticket_id)).ticket
        if not self._held(ticket, staff):  # before the fields: whose ticket it is comes first
            raise await self._refusal(ticket)
        today = datetime.datetime.fromtimestamp(self.now(), self.deps.flow.office.tz).date()
        place, text = meetings.proposal(self.deps.texts, day, time, place, today)
        message = await self._send(ticket_id, staff, text)
        meeting = await self.store.add_meeting(
            ticket_id, staff.id, day, time, place, message["id"], self.now()
        )
        await self._done(staff, "meeting_proposed", ticket_id, meeting_id=meeting.id)
        return {
            "meeting": views.meeting_view(meeting, {staff.id: staff.display_name}),
            "message": message,
        }

    # --- staff-only notes and canned replies -----------------------------------
    async def add_note(self, ticket_id: str, staff: Staff, text: str) -> dict[str, Any]:
        """A private note on the ticket: never shown to the youth."""
        text = clean_text(text, "api.error_note_empty")
        await self._queued(ticket_id)
        note = await self.store.add_note(ticket_id, staff.id, text, self.now())
        await self._done(staff, "note_added", ticket_id, note_id=note.id)
        return views.note_view(note, {staff.id: staff.display_name})

    async def set_canned_replies(
        self, staff: Staff, replies: list[tuple[str, str]]
    ) -> list[dict[str, Any]]:
        """Replace the list of canned replies (coordinator only)."""
        if not staff.is_coordinator:
            raise Forbidden()
        if len(replies) > CANNED_MAX or any(
            not trim(title)
            or len(title) > CANNED_TITLE_MAX
            or not trim(text)
            or len(text) > TEXT_MAX
            for title, text in replies
        ):
            raise Invalid("api.error_canned", max=CANNED_MAX, title_max=CANNED_TITLE_MAX)
        cleaned = [CannedReply(trim(title), text) for title, text in replies]
        await self.store.replace_canned_replies(cleaned)
        await self.audit(staff, "canned_replies_updated", None, count=len(cleaned))
        self.deps.live.publish("canned_replies_updated", count=len(cleaned))
        return await self.canned_replies()

    # --- a youth's data rights (coordinator only): handoff/data_rights.py ---------------
    async def export(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Everything held about the youth behind a ticket, across all their tickets (audited)."""
        return await data_rights.export(self, ticket_id, staff)

    async def erase(self, ticket_id: str, staff: Staff) -> dict[str, Any]:
        """Erase everything personal about the youth behind a ticket; the youth is not told."""
        return await data_rights.erase(self, ticket_id, staff)

    async def audit(self, staff: Staff, action: str, target: str | None, **details: Any) -> None:
        """Record an action (also for the dashboard's exports); details hold ids, never data."""
        await self.store.audit(f"staff:{staff.id}", action, target, details, self.now())

    # --- inside ------------------------------------------------------------------
    async def _send(self, ticket_id: str, staff: Staff, text: str) -> dict[str, Any]:
        for _ in range(COMMIT_RETRIES):
            ticket = (await self._queued(ticket_id)).ticket
            if not self._held(ticket, staff):
                raise await self._refusal(ticket)
            conversation = await self._conversation(ticket)
            now = self.now()
            if views.reply_window(conversation, now) == "closed":
                raise Invalid("api.error_window_closed")
            uow = UnitOfWork(
                conversation=dataclasses.replace(conversation, profile=dict(conversation.profile)),
                replies=[Reply(text, author="counsellor", staff_id=staff.id)],
                ticket_changes=[CounsellorReplied(now)],
            )
            try:
                result = await self.deps.store.commit(uow, now)
            except Conflict:
                continue  # the youth wrote, or the ticket moved: check again from fresh state
            self.deps.wake_sender()
            line_id = await self.store.thread_id_of_outbox(result.outbox_ids[0])
            self.deps.live.publish(
                "message",
                conversation_id=conversation.id,
                ticket_id=ticket_id,
                message_ids=[line_id],
            )
            await self.audit(staff, "message_sent", f"ticket:{ticket_id}", message_id=line_id)
            line = ThreadEntry(
                "out", "counsellor", text, staff.id, (), line_id or 0, now, ticket_id, "pending"
            )
            return views.thread_line(line, {staff.id: staff.display_name})
        raise Refused("api.error_conversation_moved")

    @staticmethod
    def _held(ticket: Ticket, staff: Staff) -> bool:
        return ticket.status == "assigned" and ticket.assigned_to == staff.id

    async def _manageable(self, ticket_id: str, staff: Staff) -> Ticket:
        """Release, transfer, close: the holder may, and a coordinator on any open ticket."""
        ticket = (await self._queued(ticket_id)).ticket
        if ticket.status == "closed" or not (staff.is_coordinator or self._held(ticket, staff)):
            raise await self._refusal(ticket)
        return ticket

    @staticmethod
    def _holder_guard(staff: Staff) -> int | None:
        return None if staff.is_coordinator else staff.id

    async def _refusal(self, ticket: Ticket) -> Refused:
        """Why this person may not act on the ticket: closed, not claimed, or whose it is."""
        if ticket.status == "closed":
            return Refused("api.error_ticket_closed")
        if ticket.status == "waiting":
            return HeldByOther(None, "api.error_not_claimed")
        return HeldByOther(await self._name(ticket.assigned_to))

    async def _why_refused(self, ticket_id: str) -> Refused:
        return await self._refusal((await self._queued(ticket_id)).ticket)

    async def _queued(self, ticket_id: str) -> QueuedTicket:
        queued = await self.store.queued_one(ticket_id)
        if queued is None:
            raise NotFound("api.error_ticket_not_found")
        return queued

    async def _conversation(self, ticket: Ticket) -> Conversation:
        conversation = await self.deps.store.get_conversation(ticket.conversation_id)
        if conversation is None or conversation.ticket_id != ticket.id:
            raise Refused("api.error_conversation_moved")
        return conversation

    async def _names(self) -> dict[int, str]:
        return {s.id: s.display_name for s in await self.store.list_staff()}

    async def _name(self, staff_id: int | None) -> str | None:
        staff = await self.store.get_staff(staff_id) if staff_id is not None else None
        return staff.display_name if staff else None

    def _summary(self, queued: QueuedTicket, names: dict[int, str], now: float) -> dict[str, Any]:
        t = queued.ticket
        alert = t.status == "waiting" and (
            t.alerted_at is not None or self.policy().due(t.priority, queued.waiting_since, now)
        )
        return views.ticket_summary(queued, names, now, alert=alert)

    async def _summaries(self, queued: list[QueuedTicket]) -> list[dict[str, Any]]:
        names, now = await self._names(), self.now()
        return [self._summary(q, names, now) for q in queued]

    async def _done(self, staff: Staff, action: str, ticket_id: str, **details: Any) -> None:
        """Announce a ticket move live and write it to the audit log."""
        self.deps.live.publish(action, ticket_id=ticket_id, by_staff_id=staff.id, **details)
        await self.audit(staff, action, f"ticket:{ticket_id}", **details)

    async def _audit_view(self, staff: Staff, ticket_id: str, now: float) -> None:
        key = (staff.id, ticket_id)
        if now - self._viewed.get(key, float("-inf")) < VIEW_AUDIT_SECONDS:
            return
        self._viewed = {k: t for k, t in self._viewed.items() if now - t < VIEW_AUDIT_SECONDS}
        self._viewed[key] = now
        await self.audit(staff, "ticket_viewed", f"ticket:{ticket_id}")
