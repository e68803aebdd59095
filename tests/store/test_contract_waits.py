"""Stored waits on every backend: worked out once, read as numbers, redone when a claim moves."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from bot.officehours import OfficeHours
from bot.store.base import Store, TicketDraft, UnitOfWork, Waits
from bot.store.records import CounsellorReplied
from bot.store.roles_waits import STEPS, rank
from handoff.figures import Figures
from tests.support.store import conversation, staff

HOUR = 3600.0
MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))


def _paris(day: int, hour: int, minute: int = 0) -> float:
    return datetime.datetime(
        2026, 3, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris")
    ).timestamp()


async def _ticket(store: Store, user: str, opened: float, territory: str | None = None) -> str:
    conv = await conversation(store, user, at=opened - 10)
    conv.mode = "waiting"
    draft = TicketDraft("normal", "intake_done", {}, territory)
    result = await store.commit(UnitOfWork(conversation=conv, open_ticket=draft), opened)
    assert result.ticket_id is not None
    return result.ticket_id


async def _reply(store: Store, user: str, at: float) -> None:
    conv = await store.find_conversation("web", user)
    assert conv is not None
    await store.commit(UnitOfWork(conversation=conv, ticket_changes=[CounsellorReplied(at)]), at)


async def test_waits_are_stored_once_then_only_new_steps_are_worked_out(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    lo, hi = _paris(1, 0), _paris(31, 0)
    # Friday 6 March: opened 16:00, claimed Monday 10:00, answered Monday 11:00.
    friday = await _ticket(store, "a", _paris(6, 16))
    assert await store.claim(friday, anne.id, _paris(9, 10))
    waiting = await _ticket(store, "b", _paris(10, 9))
    assert [w.ticket_id for w in await store.waits_to_store(lo, hi)] == [friday]
    assert (await store.ticket_funnel(lo, hi)).stored == {s: 0 for s in STEPS}

    figures = Figures(store, OfficeHours.parse(), yearly_goal=300)
    got = await figures.compute(*MARCH, None, _paris(15, 12))
    assert got["times"]["claim"]["office_hours"] == {
        "count": 1,
        "median": 2 * HOUR,
        "p90": 2 * HOUR,
    }
    assert await store.waits_to_store(lo, hi) == []  # stored: the next reading reads numbers
    stored = (await store.ticket_funnel(lo, hi)).stored
    assert stored == {
        ("claim", False): 1,
        ("claim", True): 1,
        ("reply", False): 0,
        ("reply", True): 0,
    }
    assert await store.waits_at("claim", False, [0, 1], lo, hi) == [66 * HOUR, None]
    assert await store.waits_at("claim", True, [0], lo, hi) == [2 * HOUR]

    # A first reply is a new step: only that ticket is worked out again.
    await _reply(store, "a", _paris(9, 11))
    assert [w.ticket_id for w in await store.waits_to_store(lo, hi)] == [friday]
    got = await figures.compute(*MARCH, None, _paris(15, 12))
    assert got["times"]["first_reply"]["office_hours"]["median"] == 3 * HOUR
    assert got["times"]["first_reply"]["raw"]["median"] == 67 * HOUR

    # Requeued and claimed again later: the stored wait follows the new claim.
    assert await store.requeue(friday, None, _paris(9, 12), holder=anne.id)
    assert await store.claim(friday, anne.id, _paris(9, 14))
    assert [w.ticket_id for w in await store.waits_to_store(lo, hi)] == [friday]
    got = await figures.compute(*MARCH, None, _paris(15, 12))
    assert got["times"]["claim"]["office_hours"]["median"] == 6 * HOUR  # Fri 16-17, Mon 9-14
    assert got["funnel"]["claimed"] == 1 and got["funnel"]["tickets"] == 2
    assert waiting not in [w.ticket_id for w in await store.waits_to_store(lo, hi)]


async def test_waits_computed_for_a_claim_since_moved_are_not_stored(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    ticket = await _ticket(store, "a", 1000.0)
    assert await store.claim(ticket, anne.id, 1600.0)
    (stale,) = await store.waits_to_store(0.0, 5000.0)
    assert await store.requeue(ticket, None, 1700.0, holder=anne.id)
    assert await store.claim(ticket, anne.id, 1900.0)
    # Worked out for the first claim, arriving after the second one: left for the next reading.
    await store.store_waits([Waits(ticket, stale.claimed_at, 600.0, 0.0, None, None, None)])
    assert (await store.ticket_funnel(0.0, 5000.0)).stored["claim", False] == 0
    (fresh,) = await store.waits_to_store(0.0, 5000.0)
    assert fresh.claimed_at == 1900.0
    await store.store_waits([Waits(ticket, 1900.0, 900.0, 0.0, None, None, None)])
    assert (await store.ticket_funnel(0.0, 5000.0)).stored["claim", False] == 1
    assert await store.waits_at("claim", False, [0], 0.0, 5000.0) == [900.0]


async def test_percentiles_by_nearest_rank_within_period_and_territory(store: Store) -> None:
    anne = await staff(store, "anne@ml.example")
    waits = [300.0, 100.0, 500.0, 200.0, 400.0, 1000.0, 700.0, 600.0, 900.0, 800.0]
    for i, wait in enumerate(waits):
        opened = 10_000.0 + i * 100
        ticket = await _ticket(store, f"y{i}", opened, "Verdun" if i % 2 else "Stenay")
        assert await store.claim(ticket, anne.id, opened + wait)
    late = await _ticket(store, "late", 50_000.0)
    assert await store.claim(late, anne.id, 50_005.0)
    rows = await store.waits_to_store(0.0, 100_000.0)
    await store.store_waits(
        [Waits(r.ticket_id, r.claimed_at, r.claimed_at - r.created_at, 0.0, None, None, None)  # type: ignore[operator]
         for r in rows]
    )  # fmt: skip
    assert (await store.ticket_funnel(0.0, 20_000.0)).stored["claim", False] == 10
    assert [rank(share, 10) for share in (0.5, 0.9, 1.0)] == [4, 8, 9]
    got = await store.waits_at("claim", False, [4, 8, 9, 10], 0.0, 20_000.0)
    assert got == [500.0, 900.0, 1000.0, None]
    # Verdun's: 100, 200, 1000, 600, 800 → ordered 100, 200, 600, 800, 1000.
    verdun = await store.ticket_funnel(0.0, 20_000.0, "Verdun")
    assert verdun.stored["claim", False] == 5
    assert await store.waits_at("claim", False, [2, 4], 0.0, 20_000.0, "Verdun") == [600.0, 1000.0]
    assert await store.waits_at("reply", False, [0], 0.0, 20_000.0) == [None]
    funnel = await store.ticket_funnel(0.0, 20_000.0, "Stenay")
    assert (funnel.tickets, funnel.claimed, funnel.first_reply) == (5, 5, 0)
