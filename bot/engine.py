"""The conversation engine: decides one inbound event's effects and commits them atomically."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime

import structlog

from bot.events import InboundEvent
from bot.flows import prompts
from bot.flows.intake import FlowInput, StepResult, read, step
from bot.flows.machine import QUESTION_STATES
from bot.flows.prompts import FlowDeps
from bot.live import LiveHub
from bot.store.base import (
    AlreadyProcessed,
    CommitResult,
    Conflict,
    Conversation,
    InboxRow,
    SetAcknowledged,
    SetPriority,
    Store,
    ThreadEntry,
    Ticket,
    TicketDraft,
    UnitOfWork,
)
from bot.store.roles_media import MediaDraft
from bot.store.roles_state import State

log = structlog.get_logger(__name__)

MAX_TEXT = 4000  # longer youth messages are cut before they reach the flow or the thread
SOURCE_MAX = 64
CONFLICT_RETRIES = 5
_ATTACHMENT_LABELS = {
    "image": "[image]",
    "video": "[vidéo]",
    "audio": "[message vocal]",
    "voice": "[message vocal]",
    "sticker": "[sticker]",
    "file": "[fichier]",
}


class Engine:
    """Turns inbox rows into committed units of work, then announces them live."""

    def __init__(
        self,
        store: Store,
        deps: FlowDeps,
        live: LiveHub,
        *,
        privacy_version: str,
        clock: Callable[[], float] = time.time,
        after_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.after_commit = after_commit
        self.deps = deps
        self.live = live
        self.privacy_version = privacy_version
        self.clock = clock

    async def handle(self, row: InboxRow, state: State | None = None) -> CommitResult | None:
        """Process one inbox event; retried from fresh state if the conversation moved meanwhile.

        `state` is the conversation and ticket if they were read with the row (one read less).
        """
        for _ in range(CONFLICT_RETRIES):
            if state is None:
                state = await self.store.conversation_state(row.conversation_id)
            (conversation, ticket), state = state, None
            if conversation is None:
                await self.store.skip_inbox(row.id, "no_conversation")
                return None
            now = self.clock()
            await self.deps.routing.refresh(self.store, now)
            uow = self.decide(conversation, ticket, row.event, now)
            uow.inbox_id = row.id
            try:
                result = await self.store.commit(uow, now)
            except Conflict:
                continue
            except AlreadyProcessed:
                log.warning(
                    "event_already_processed", conversation=row.conversation_id, inbox=row.id
                )
                return None
            if result.outbox_ids:
                self.after_commit()
            self._announce(uow, result, ticket)
            log.info(
                "event_processed",
                conversation=row.conversation_id,
                inbox=row.id,
                mode=uow.conversation.mode,
                state=uow.conversation.state,
                replies=len(result.outbox_ids),
            )
            return result
        raise Conflict(f"conversation {row.conversation_id} kept changing")

    # --- deciding ------------------------------------------------------------
    def decide(
        self, conversation: Conversation, ticket: Ticket | None, event: InboundEvent, now: float
    ) -> UnitOfWork:
        """What one event does to a conversation: pure, nothing stored here."""
        c = dataclasses.replace(
            conversation, profile=dict(conversation.profile), scratch=dict(conversation.scratch)
        )
        if event.kind != "staff_echo":  # Meta's windows count from the youth's own message
            c.last_inbound_at = min(event.timestamp or now, now)
        if event.source and not c.source:
            c.source = event.source[:SOURCE_MAX]
        uow = UnitOfWork(conversation=c)
        text = event.text[:MAX_TEXT]
        # A photo's caption is what the youth wrote: read it like a text message.
        kind = "text" if event.kind == "attachment" and text.strip() else event.kind
        inp = FlowInput(
            kind=kind,
            text=text,
            payload=event.payload[:256],
            attachments=event.attachments,
            now=datetime.fromtimestamp(now, self.deps.office.tz),
            channel=c.channel,
        )
        if event.kind == "staff_echo":
            self._staff_echo(uow, ticket, text)
        elif event.kind == "referral" and c.state != "new":
            pass  # a link followed into an ongoing thread: the source is kept, nothing said
        elif event.kind == "start" and c.mode == "bot" and c.state in QUESTION_STATES:
            # A deep link or /start again mid-intake: ask the pending question again.
            uow.replies.append(prompts.question(self.deps, c.state, c.profile))
        elif c.mode in ("waiting", "human"):
            self._with_human(uow, ticket, inp)
        elif c.mode == "paused":
            self._paused(uow, inp)
        else:
            self._run_flow(uow, inp)
        silent_kinds = ("staff_echo", "referral", "start")
        if c.consent_at is not None and not uow.erase and event.kind not in silent_kinds:
            uow.thread.insert(0, ThreadEntry("in", "youth", self._display(inp)))
            uow.media = [
                MediaDraft(kind, ref)
                for kind, ref in zip(event.attachments, event.media_refs, strict=False)
                if ref
            ]
        return uow

    def _display(self, inp: FlowInput) -> str:
        if inp.text:
            return inp.text
        if inp.kind == "button":
            return prompts.payload_title(self.deps, inp.payload)
        labels = [_ATTACHMENT_LABELS.get(a, "[pièce jointe]") for a in inp.attachments]
        return " ".join(labels) or "…"

    def _run_flow(self, uow: UnitOfWork, inp: FlowInput) -> None:
        c = uow.conversation
        result = step(
            self.deps,
            c.state,
            c.profile,
            c.misses,
            inp,
            consented=c.consent_at is not None,
            scratch=c.scratch,
        )
        self._apply(uow, result)

    def _apply(self, uow: UnitOfWork, result: StepResult) -> None:
        c = uow.conversation
        now = self.clock()
        c.state, c.profile, c.misses = result.state, result.profile, result.misses
        c.scratch = result.scratch
        uow.replies.extend(result.replies)
        for effect in result.effects:
            match effect.kind:
                case "consent":
                    c.consent_at, c.consent_version = now, self.privacy_version
                    uow.audit.append(("consent", {"version": self.privacy_version}))
                case "drop_profile":
                    uow.erase = True
                case "erase":
                    uow.erase = True
                    uow.forget_identity = True
                    c.mode = "bot"
                    uow.audit.append(("erased_by_youth", {}))
                case "pause":
                    c.mode = "paused"
                case "open_ticket":
                    c.mode = "waiting"
                    uow.open_ticket = TicketDraft(
                        priority=effect.priority,
                        reason=effect.reason,
                        snapshot=prompts.snapshot(self.deps, c.profile),
                        territory=c.profile.get("territory"),
                    )

    def _paused(self, uow: UnitOfWork, inp: FlowInput) -> None:
        c = uow.conversation
        reading = read(self.deps, c.state, c.profile, inp) if inp.kind == "text" else None
        intents = reading.intents if reading else frozenset()
        wants_back = bool(intents & {"resume", "restart", "person"}) or inp.kind == "start"
        if wants_back or (reading and reading.distress) or "erase" in intents:
            c.mode = "bot"
            if "resume" in intents or inp.kind == "start":
                uow.replies.append(prompts.reply(self.deps, "global.resumed"))
                if c.state in ("new", "declined", "ended", "done"):
                    self._run_flow(uow, dataclasses.replace(inp, kind="start", text=""))
                else:
                    uow.replies.append(prompts.question(self.deps, c.state, c.profile))
            else:
                self._run_flow(uow, inp)
        # Otherwise the bot stays silent, as the youth asked.

    def _with_human(self, uow: UnitOfWork, ticket: Ticket | None, inp: FlowInput) -> None:
        """A counsellor has, or will have, the conversation: the bot mostly keeps quiet."""
        c = uow.conversation
        reading = read(self.deps, "waiting", c.profile, inp) if inp.kind == "text" else None
        intents = reading.intents if reading else frozenset()
        if c.state == "confirm_erase" or "erase" in intents:
            mode = c.mode
            self._run_flow(uow, inp)
            if not uow.erase:
                c.mode = mode
                draft, uow.open_ticket = uow.open_ticket, None  # the open ticket stays the one
                if draft is not None and draft.priority == "urgent" and ticket is not None:
                    uow.ticket_changes.append(SetPriority("urgent"))
                if c.state != "confirm_erase":
                    c.state = "done"
            return
        if reading and reading.distress:
            uow.replies.append(prompts.distress(self.deps, reading.distress, inp.now))
            if ticket is not None and ticket.priority != "urgent":
                uow.ticket_changes.append(SetPriority("urgent"))
            return
        if "privacy" in intents:
            uow.replies.append(prompts.privacy_notice(self.deps, c.channel))
            return
        if reading and reading.topic and not reading.guessed and c.mode == "waiting":
            # Still waiting for a person: the bot may answer "when?", "is it free?"...
            uow.replies.append(prompts.faq_answer(self.deps, reading.topic, "waiting", inp.now))
            return
        if c.mode == "waiting" and ticket is not None and not ticket.acked:
            uow.replies.append(prompts.reply(self.deps, "handoff.waiting_ack"))
            uow.ticket_changes.append(SetAcknowledged(True))

    def _staff_echo(self, uow: UnitOfWork, ticket: Ticket | None, text: str) -> None:
        """A person answered from the platform's own inbox: record it, keep the bot quiet."""
        c = uow.conversation
        uow.thread.append(ThreadEntry("out", "counsellor", text or "…", status="sent"))
        if ticket is None or ticket.status == "closed":
            self.deps.routing.route_profile(c.profile)
            uow.open_ticket = TicketDraft(
                priority="normal",
                reason="platform_inbox",
                snapshot=prompts.snapshot(self.deps, c.profile),
                territory=c.profile.get("territory"),
            )
        c.mode = "human"

    # --- announcing ----------------------------------------------------------
    def _announce(self, uow: UnitOfWork, result: CommitResult, ticket: Ticket | None) -> None:
        c = uow.conversation
        if uow.open_ticket is not None and result.ticket_id is not None:
            self.live.publish(
                "ticket_opened",
                ticket_id=result.ticket_id,
                conversation_id=c.id,
                priority=uow.open_ticket.priority,
            )
        elif uow.ticket_changes and result.ticket_id is not None:
            self.live.publish("ticket_updated", ticket_id=result.ticket_id, conversation_id=c.id)
        if result.thread_ids or result.outbox_ids:
            self.live.publish(
                "message",
                conversation_id=c.id,
                ticket_id=result.ticket_id,
                message_ids=[*result.thread_ids],
            )
