"""Presence in the youth's chat: "typing…" while the holder writes, and a person has joined.

Typing goes straight to the platform (nothing is stored: it lasts a few seconds there); the
browser sends it at most every few seconds while the counsellor types, and the server keeps
the same pace per ticket, so a script gone wrong cannot flood the platform. The join line is
a message of the thread, written once when a claim succeeds, on every channel.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import structlog

from bot.errors import SendError
from bot.events import Reply
from bot.store.base import Conflict, UnitOfWork
from handoff import views
from handoff.errors import HandoffError

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.service import Handoff

log = structlog.get_logger(__name__)

TYPING_EVERY_SECONDS = 4.0  # Telegram shows it ~5 s, Meta until the next message or ~20 s
JOIN_RETRIES = 3


class Presence:
    """Typing relayed to the youth's platform, and the join line on claim."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self._typed: dict[str, float] = {}  # ticket id -> when typing was last relayed

    async def typing(self, ticket_id: str, staff: Staff) -> bool:
        """Relay "typing…" for the holder; False when paced out or the platform has none."""
        service = self.service
        ticket = (await service._queued(ticket_id)).ticket
        if not service._held(ticket, staff):
            raise await service._refusal(ticket)
        now = service.now()
        if now - self._typed.get(ticket_id, float("-inf")) < TYPING_EVERY_SECONDS:
            return False
        self._typed[ticket_id] = now
        if len(self._typed) > 10_000:
            self._typed = {k: t for k, t in self._typed.items() if now - t < TYPING_EVERY_SECONDS}
        conversation = await service._conversation(ticket)
        channel = service.deps.channels.get(conversation.channel)
        if channel is None or views.reply_window(conversation, now) != "open":
            return False
        try:
            await channel.typing(conversation.user_id)
        except SendError as exc:  # only a hint: the message itself still goes by the outbox
            log.info("typing_not_shown", channel=conversation.channel, code=exc.code)
            return False
        return True

    async def joined(self, ticket_id: str, staff: Staff) -> None:
        """Tell the youth a person has joined, with the counsellor's first name (once per claim)."""
        service, store = self.service, self.service.store
        first_name = (staff.display_name or "").split()[0] if staff.display_name else ""
        text = service.deps.texts("presence.joined", name=first_name or "—")
        for _ in range(JOIN_RETRIES):
            try:
                ticket = (await service._queued(ticket_id)).ticket
                conversation = await service._conversation(ticket)
            except HandoffError:  # closed or moved meanwhile: nobody to greet
                return
            now = service.now()
            if not service._held(ticket, staff) or views.reply_window(conversation, now) != "open":
                return  # taken meanwhile, or Meta's free window is over: no bot line then
            uow = UnitOfWork(
                conversation=dataclasses.replace(conversation, profile=dict(conversation.profile)),
                replies=[Reply(text, author="system")],
            )
            try:
                result = await service.deps.store.commit(uow, now)
            except Conflict:
                continue
            service.deps.wake_sender()
            line_id = await store.thread_id_of_outbox(result.outbox_ids[0])
            service.deps.live.publish(
                "message",
                conversation_id=conversation.id,
                ticket_id=ticket_id,
                message_ids=[line_id],
            )
            return
