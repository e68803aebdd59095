"""The engine reads messages in every mode: distress and questions while a person is awaited."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine import Engine
from bot.events import InboundEvent
from bot.flows.intake import FlowInput, step
from bot.live import LiveHub
from bot.store.base import Conversation, Ticket
from bot.store.records import SetPriority

SATURDAY_NIGHT = datetime(2026, 11, 28, 23, 30, tzinfo=ZoneInfo("Europe/Paris")).timestamp()
TUESDAY_10H = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris")).timestamp()


def _decide(deps: Any, mode: str, event: InboundEvent, now: float) -> Any:
    conversation = Conversation(
        id="c1", channel="telegram", user_id="u1", mode=mode, state="done",  # type: ignore[arg-type]
        profile={"first_name": "Sam", "age": 19}, consent_at=1.0, ticket_id=7,
    )  # fmt: skip
    ticket = Ticket(7, "c1", "waiting", "normal", "intake_done", {}, "telegram", None, None, 1.0)
    engine = Engine(None, deps, LiveHub(), privacy_version="v1")  # type: ignore[arg-type]
    return engine.decide(conversation, ticket, event, now)


def test_distress_in_a_photo_caption_while_waiting_is_urgent(deps: Any) -> None:
    event = InboundEvent(
        "telegram", "u1", "e1", "attachment", text="je sais pas où dormir ce soir",
        attachments=("image",),
    )  # fmt: skip
    uow = _decide(deps, "waiting", event, SATURDAY_NIGHT)
    lines = uow.replies[0].text.splitlines()
    assert lines[1] == deps.texts("distress.line_shelter")
    assert "personne ne lit ce chat" in uow.replies[0].text
    assert SetPriority("urgent") in uow.ticket_changes


def test_when_will_someone_answer_is_answered_while_waiting(deps: Any) -> None:
    event = InboundEvent("telegram", "u1", "e1", "text", text="quelqu'un va me répondre quand ?")
    uow = _decide(deps, "waiting", event, TUESDAY_10H)
    assert len(uow.replies) == 1
    assert "Tu peux fermer la conversation" in uow.replies[0].text


def test_a_paused_youth_asking_for_a_person_in_words_is_heard(deps: Any) -> None:
    event = InboundEvent(
        "telegram", "u1", "e1", "text", text="en fait je voudrais parler à un conseiller"
    )
    conversation = Conversation(
        id="c1", channel="telegram", user_id="u1", mode="paused", state="ask_age",
        profile={"first_name": "Sam"}, consent_at=1.0,
    )  # fmt: skip
    engine = Engine(None, deps, LiveHub(), privacy_version="v1")  # type: ignore[arg-type]
    uow = engine.decide(conversation, None, event, TUESDAY_10H)
    assert uow.conversation.mode == "waiting"
    assert uow.open_ticket is not None and uow.open_ticket.reason == "asked_human"


def test_a_superscript_digit_is_no_numbered_option(deps: Any) -> None:
    result = step(
        deps, "ask_need", {"first_name": "Sam"}, 0, FlowInput("text", text="²"), consented=True
    )
    assert result.state == "ask_need"


def test_a_ping_while_waiting_gets_the_acknowledgement_not_a_guessed_answer(deps: Any) -> None:
    event = InboundEvent("telegram", "u1", "e1", "text", text="y a quelqu'un ?")
    uow = _decide(deps, "waiting", event, TUESDAY_10H)
    assert [r.text for r in uow.replies] == [deps.texts("handoff.waiting_ack")]
