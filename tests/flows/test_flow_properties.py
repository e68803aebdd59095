"""Property-based tests: whatever a youth sends, in whatever state, the flow and engine hold."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.events import InboundEvent
from bot.flows.intake import FlowInput, step
from bot.flows.machine import STATES
from bot.live import LiveHub
from bot.store.base import Conversation, Ticket

scratches = st.fixed_dictionaries(
    {},
    optional={
        "return_to": st.sampled_from([*STATES, "nowhere"]),
        "postcode": st.lists(st.text(max_size=6), max_size=3),
        "offered_human": st.booleans(),
        "early": st.fixed_dictionaries({}, optional={"age": st.integers(0, 99)}),
        "nudged_at": st.floats(0, 2e9),
    },
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
PAYLOADS = [
    "START", "WHAT", "NO", "NEED:job", "NEED:other", "NEED:zzz", "AVAIL:any", "AVAIL:",
    "CONTACT:chat", "PREF:sms", "SUMMARY:ok", "SUMMARY:fix", "FIX:age", "FIX:nope",
    "HUMAN:yes", "HUMAN:no", "ERASE:yes", "ERASE:no", "COMMUNE:55545", "COMMUNE:99999",
    "COMMUNE:other", ":", "",
]  # fmt: skip

texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3000, max_size=6000),
    st.sampled_from(
        ["stop", "aide", "conseiller", "recommencer", "supprime mes données", "oui", "non",
         "55100", "verdun", "19 ans", "06 12 34 56 78", "je dors dehors", "\x00", "‮", "🙂" * 50]
    ),
)  # fmt: skip
profiles = st.fixed_dictionaries(
    {},
    optional={
        "first_name": st.text(max_size=50),
        "age": st.one_of(st.integers(-5, 200), st.text(max_size=5)),
        "commune": st.text(max_size=40),
        "commune_code": st.text(max_size=6),
        "need": st.sampled_from(["job", "other", "nonsense", ""]),
        "need_text": st.text(max_size=50),
        "contact_kind": st.sampled_from(["phone", "email", "chat", "pigeon"]),
        "phone": st.text(max_size=20),
        "contact_pref": st.sampled_from(["call", "sms", "fax"]),
        "availability": st.lists(st.sampled_from(["any", "evening", "bogus"]), max_size=3),
        "_return_to": st.sampled_from([*STATES, "nowhere"]),
        "_postcode": st.lists(st.text(max_size=6), max_size=3),
    },
)
inputs = st.builds(
    FlowInput,
    kind=st.sampled_from(["text", "button", "attachment", "start", "referral"]),
    text=texts,
    payload=st.sampled_from(PAYLOADS),
    attachments=st.lists(
        st.sampled_from(["image", "audio", "voice", "sticker", "file", "other"]), max_size=2
    ).map(tuple),
    now=st.just(NOW),
    channel=st.sampled_from(["web", "messenger", "instagram", "telegram"]),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    state=st.sampled_from([*STATES, "garbage"]),
    profile=profiles,
    misses=st.integers(0, 5),
    inp=inputs,
    consented=st.booleans(),
    scratch=scratches,
)
def test_flow_step_never_breaks(
    deps: Any,
    state: str,
    profile: dict[str, Any],
    misses: int,
    inp: FlowInput,
    consented: bool,
    scratch: dict[str, Any],
) -> None:
    given = (dict(profile), dict(scratch))
    result = step(deps, state, profile, misses, inp, consented=consented, scratch=scratch)
    assert (profile, scratch) == given  # the inputs were not mutated
    # Working values, even an older conversation's "_" keys, never land in the profile.
    assert not [key for key in result.profile if key.startswith("_")]
    assert result.scratch.get("nudged_at") == scratch.get("nudged_at")  # not the flow's own
    assert result.state in STATES
    assert 0 <= result.misses <= 2
    paused = any(e.kind == "pause" for e in result.effects)
    assert result.replies or paused or inp.kind in ("referral",) or result.state == "welcome"
    for reply in result.replies:
        assert reply.text.strip()
        assert len(reply.buttons) <= 13


def _engine(deps: Any) -> Engine:
    return Engine(store=None, deps=deps, live=LiveHub(), privacy_version="test")  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mode=st.sampled_from(["bot", "waiting", "human", "paused"]),
    state=st.sampled_from(STATES),
    profile=profiles,
    kind=st.sampled_from(["text", "button", "attachment", "start", "referral", "staff_echo"]),
    text=texts,
    payload=st.sampled_from(PAYLOADS),
    source=st.one_of(st.none(), st.text(max_size=100)),
    with_ticket=st.booleans(),
)
def test_engine_decides_in_every_mode(
    deps: Any,
    mode: str,
    state: str,
    profile: dict[str, Any],
    kind: str,
    text: str,
    payload: str,
    source: str | None,
    with_ticket: bool,
) -> None:
    conversation = Conversation(
        id="c1", channel="web", user_id="u1", mode=mode, state=state, profile=profile,  # type: ignore[arg-type]
        consent_at=1.0 if mode != "bot" else None, ticket_id=7 if with_ticket else None,
    )  # fmt: skip
    ticket = (
        Ticket(7, "c1", "waiting", "normal", "intake_done", {}, "web", None, None, 1.0)
        if with_ticket
        else None
    )
    event = InboundEvent("web", "u1", "e1", kind, text=text, payload=payload, source=source)  # type: ignore[arg-type]
    stored = dict(conversation.profile)
    uow = _engine(deps).decide(conversation, ticket, event, NOW.timestamp())
    c = uow.conversation
    assert c.mode in ("bot", "waiting", "human", "paused")
    assert c.state in STATES or c.state == state
    assert c.source is None or len(c.source) <= 64
    assert all(len(line.text) <= 4000 for line in uow.thread)
    assert conversation.profile == stored  # the input was not mutated
    assert not [key for key in c.profile if key.startswith("_")]
    if uow.open_ticket is not None:
        assert not [key for key in uow.open_ticket.snapshot if key.startswith("_")]
    if mode in ("waiting", "human") and kind != "staff_echo":
        assert uow.open_ticket is None  # one ticket at a time
