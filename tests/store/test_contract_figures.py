"""The figures' queries on every backend, against counts worked out by hand."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.officehours import OfficeHours
from bot.store.base import ConversationGroup, NewSource, Store, TicketDraft, UnitOfWork
from bot.store.records import CounsellorReplied
from handoff.figures import Figures
from tests.support.store import conversation, staff

STENAY = {"commune": "Stenay", "territory": "CC du Pays de Stenay et du Val Dunois"}
VERDUN = {"commune": "Verdun", "territory": "CA du Grand Verdun"}


async def _youth(
    store: Store,
    user: str,
    at: float,
    *,
    source: str | None = None,
    profile: dict[str, Any] | None = None,
    consent: bool = True,
    ticket: str | None = None,
) -> str | None:
    """A conversation started at `at`; with `ticket` (a reason), a ticket opened at at+10."""
    conv = await conversation(store, user, at=at)
    conv.source, conv.profile = source, dict(profile or {})
    conv.consent_at = at + 1 if consent else None
    draft = None
    if ticket is not None:
        conv.mode = "waiting"
        territory = conv.profile.get("territory")
        draft = TicketDraft("normal", ticket, {"age": conv.profile.get("age")}, territory)  # type: ignore[arg-type]
    result = await store.commit(UnitOfWork(conversation=conv, open_ticket=draft), at + 10)
    return result.ticket_id


async def test_conversations_are_counted_per_group_within_the_period(store: Store) -> None:
    lina = {**STENAY, "need": "job", "age": 19}
    await _youth(store, "a", 100.0, source="bq7k2m", profile=lina)
    await _youth(store, "b", 200.0, source="bq7k2m", profile=lina)
    await _youth(store, "c", 300.0, source="bq7k2m", profile=lina, consent=False)
    await _youth(store, "d", 400.0, profile={**VERDUN, "need": "training", "age": 24})
    await _youth(store, "e", 500.0)  # no profile yet
    await _youth(store, "late", 2000.0, source="bq7k2m", profile=lina)  # after the period
    await _youth(store, "early", 50.0, source="bq7k2m", profile=lina)  # before it

    groups = sorted(await store.conversation_groups(100.0, 1000.0), key=repr)
    assert groups == sorted(
        [
            ConversationGroup("web", "bq7k2m", "Stenay", STENAY["territory"], "job", 19, True, 2),
            ConversationGroup("web", "bq7k2m", "Stenay", STENAY["territory"], "job", 19, False, 1),
            ConversationGroup("web", None, "Verdun", VERDUN["territory"], "training", 24, True, 1),
            ConversationGroup("web", None, None, None, None, None, True, 1),
        ],
        key=repr,
    )
    verdun = await store.conversation_groups(100.0, 1000.0, VERDUN["territory"])
    assert [(g.commune, g.count) for g in verdun] == [("Verdun", 1)]
    assert await store.conversation_groups(3000.0, 4000.0) == []


async def test_ticket_facts_carry_every_step_and_stay_in_their_period(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    done = await _youth(store, "a", 100.0, source="bq7k2m", profile=STENAY, ticket="intake_done")
    asked = await _youth(store, "b", 200.0, profile=VERDUN, ticket="asked_human")
    await _youth(store, "c", 5000.0, profile=STENAY, ticket="intake_done")  # later
    assert done is not None and asked is not None
    assert await store.claim(done, anne.id, 170.0)
    conv = await store.find_conversation("web", "a")
    assert conv is not None
    await store.commit(
        UnitOfWork(conversation=conv, ticket_changes=[CounsellorReplied(230.0)]), 230.0
    )
    assert await store.close_ticket(done, "registered", 400.0, holder=anne.id)

    facts = await store.ticket_facts(0.0, 1000.0)
    assert [(f.reason, f.source, f.territory, f.created_at) for f in facts] == [
        ("intake_done", "bq7k2m", STENAY["territory"], 110.0),
        ("asked_human", None, VERDUN["territory"], 210.0),
    ]
    first = facts[0]
    assert (first.claimed_at, first.first_reply_at, first.closed_at) == (170.0, 230.0, 400.0)
    assert first.outcome == "registered" and first.channel == "web"
    assert (facts[1].claimed_at, facts[1].closed_at, facts[1].outcome) == (None, None, None)
    only = await store.ticket_facts(0.0, 1000.0, VERDUN["territory"])
    assert [f.reason for f in only] == ["asked_human"]
    assert await store.count_tickets(0.0, 1000.0) == 2
    assert await store.count_tickets(0.0, 10_000.0) == 3
    assert await store.count_tickets(0.0, 10_000.0, STENAY["territory"]) == 2


def _paris(day: int, hour: int, minute: int = 0, month: int = 3) -> float:
    """An instant in Paris in 2026 (CET until 29 March)."""
    at = datetime.datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
    return at.timestamp()


async def test_the_desk_figures_match_a_month_worked_out_by_hand(store: Store) -> None:
    await store.create_source(NewSource("bq7k2m", "Boulangerie", "shop", "Stenay"), 1.0)
    anne = await staff(store, "anne@ml.example")
    # A: Monday 2 March, ticket at 10:00, claimed 10:30, answered 10:40, closed.
    a = await _youth(
        store, "a", _paris(2, 10) - 10, source="bq7k2m",
        profile={**STENAY, "need": "job", "age": 19}, ticket="intake_done",
    )  # fmt: skip
    # B: Friday 6 March, ticket at 16:00, claimed Monday 10:00, answered Monday 11:00.
    b = await _youth(
        store, "b", _paris(6, 16) - 10, source="zz9999",
        profile={**VERDUN, "need": "training", "age": 24}, ticket="asked_human",
    )  # fmt: skip
    await _youth(store, "c", _paris(10, 12), consent=False)
    await _youth(
        store, "d", _paris(11, 9), source="bq7k2m",
        profile={**STENAY, "need": "job", "age": 27}, ticket="intake_done",
    )  # fmt: skip
    await _youth(store, "e", _paris(20, 9, month=2), ticket="intake_done")  # February
    assert a is not None and b is not None
    for ticket, user, claimed, replied in (
        (a, "a", _paris(2, 10, 30), _paris(2, 10, 40)),
        (b, "b", _paris(9, 10), _paris(9, 11)),
    ):
        assert await store.claim(ticket, anne.id, claimed)
        conv = await store.find_conversation("web", user)
        assert conv is not None
        await store.commit(
            UnitOfWork(conversation=conv, ticket_changes=[CounsellorReplied(replied)]), replied
        )
    assert await store.close_ticket(a, "registered", _paris(2, 11), holder=anne.id)

    figures = Figures(store, OfficeHours.parse(), yearly_goal=300)
    got = await figures.compute(
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), None, _paris(15, 12)
    )
    assert got["funnel"] == {
        "started": 4, "consented": 3, "intake_completed": 2, "tickets": 3, "claimed": 2,
        "first_reply": 2, "closed": 1, "closed_by_outcome": {"registered": 1},
    }  # fmt: skip
    hour = 3600.0
    assert got["times"]["claim"] == {
        "raw": {"count": 2, "median": 1800.0, "p90": 66 * hour},
        "office_hours": {"count": 2, "median": 1800.0, "p90": 2 * hour},  # Fri 16-17, Mon 9-10
    }
    assert got["times"]["first_reply"] == {
        "raw": {"count": 2, "median": 2400.0, "p90": 67 * hour},
        "office_hours": {"count": 2, "median": 2400.0, "p90": 3 * hour},
    }
    parts = got["breakdowns"]
    assert parts["channel"] == {"web": 4}
    assert list(parts["source"].items()) == [("bq7k2m", 2), ("none", 1), ("unknown", 1)]
    assert parts["source_kind"] == {"shop": 2, "none": 1, "unknown": 1}
    assert parts["commune"] == {"Stenay": 2, "Verdun": 1, "unknown": 1}
    assert parts["need"] == {"job": 2, "training": 1, "unknown": 1}
    assert parts["age"] == {"18-21": 1, "22-25": 1, "26-29": 1, "unknown": 1}
    # Four tickets since 1 January by 15 March (day 74): 4 × 365 / 74 ≈ 19.7.
    assert got["goal"] == {"year": 2026, "goal": 300, "reached": 4, "forecast": 20}
    verdun = await figures.compute(
        datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), VERDUN["territory"], _paris(15, 12)
    )
    assert verdun["funnel"]["started"] == 1 and verdun["funnel"]["tickets"] == 1
