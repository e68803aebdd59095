"""The coordinator's figures for a period: funnel, waiting times, breakdowns, yearly progress."""

from __future__ import annotations

import asyncio
import datetime
from collections import Counter
from typing import TYPE_CHECKING, Any

from bot.store.base import ConversationGroup, TicketFunnel, Waits, WaitToStore
from bot.store.roles_waits import STEPS, rank
from handoff.figures_office import OfficeSpans

if TYPE_CHECKING:
    from bot.officehours import OfficeHours
    from bot.store.base import Store

AGE_BANDS = ((16, 17), (18, 21), (22, 25), (26, 29))
MAX_DAYS = 3660  # ten years: any longer is a typo
UNKNOWN, NONE = "unknown", "none"  # a code no source has; no code at all


def age_band(age: int | None) -> str:
    for low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return f"{low}-{high}"
    return UNKNOWN if age is None else "other"


class Figures:
    """Reads the store's aggregates and folds them into the figures the desk shows."""

    def __init__(self, store: Store, office: OfficeHours, yearly_goal: int) -> None:
        self.store = store
        self.office = office
        self.yearly_goal = yearly_goal

    async def compute(
        self, start: datetime.date, end: datetime.date, territory: str | None, now: float
    ) -> dict[str, Any]:
        """Figures for the days start..end (both included) in the office's time zone."""
        lo, hi = self._instant(start), self._instant(end + datetime.timedelta(days=1))
        groups = await self.store.conversation_groups(lo, hi, territory)
        await self._store_waits(lo, hi, territory)
        tickets = await self.store.ticket_funnel(lo, hi, territory)
        kinds = {s.code: s.kind for s in await self.store.list_sources()}
        today = datetime.datetime.fromtimestamp(now, self.office.tz).date()
        year_start = self._instant(datetime.date(today.year, 1, 1))
        year_tickets = await self.store.count_tickets(year_start, now + 1, territory)
        times = await self._times(lo, hi, territory, tickets)
        return {
            "period": {"from": start.isoformat(), "to": end.isoformat(), "territory": territory},
            "funnel": self._funnel(groups, tickets),
            "times": times,
            "breakdowns": self._breakdowns(groups, kinds),
            "goal": self._goal(year_tickets, today),
        }

    def _instant(self, day: datetime.date) -> float:
        return datetime.datetime.combine(day, datetime.time(), self.office.tz).timestamp()

    @staticmethod
    def _funnel(groups: list[ConversationGroup], tickets: TicketFunnel) -> dict[str, Any]:
        outcomes: Counter[str] = Counter()
        for outcome, n in tickets.closed_by_outcome.items():
            outcomes[outcome or UNKNOWN] += n
        return {
            "started": sum(g.count for g in groups),
            "consented": sum(g.count for g in groups if g.consented),
            "intake_completed": tickets.intake_completed,
            "tickets": tickets.tickets,
            "claimed": tickets.claimed,
            "first_reply": tickets.first_reply,
            "closed": sum(outcomes.values()),
            "closed_by_outcome": dict(sorted(outcomes.items())),
        }

    async def _store_waits(self, lo: float, hi: float, territory: str | None) -> None:
        """Work out the waits not stored yet (new claims and replies, or a first reading)."""
        missing = await self.store.waits_to_store(lo, hi, territory)
        if missing:
            waits = await asyncio.to_thread(self._waits, missing)  # office hours: a loop per day
            await self.store.store_waits(waits)

    def _waits(self, missing: list[WaitToStore]) -> list[Waits]:
        spans = OfficeSpans(self.office)

        def raw(a: float, b: float | None) -> float | None:
            return None if b is None else max(0.0, b - a)

        def office(a: float, b: float | None) -> float | None:
            return None if b is None else spans.seconds(a, b)

        return [
            Waits(
                m.ticket_id,
                m.claimed_at,
                raw(m.created_at, m.claimed_at),
                office(m.created_at, m.claimed_at),
                m.first_reply_at,
                raw(m.created_at, m.first_reply_at),
                office(m.created_at, m.first_reply_at),
            )
            for m in missing
        ]

    async def _times(
        self, lo: float, hi: float, territory: str | None, tickets: TicketFunnel
    ) -> dict[str, Any]:
        """Median and 90th percentile (nearest rank) of each stored wait, read in the store."""
        found: dict[str, Any] = {}
        for step, office in STEPS:
            count = tickets.stored.get((step, office), 0)
            median = p90 = None
            if count:
                ranks = [rank(0.5, count), rank(0.9, count)]
                median, p90 = await self.store.waits_at(step, office, ranks, lo, hi, territory)
            key = "claim" if step == "claim" else "first_reply"
            name = "office_hours" if office else "raw"
            found.setdefault(key, {})[name] = {"count": count, "median": median, "p90": p90}
        return found

    @staticmethod
    def _breakdowns(groups: list[ConversationGroup], kinds: dict[str, str]) -> dict[str, Any]:
        """Conversations started, counted by each trait (unknown when the youth did not say)."""
        parts: dict[str, Counter[str]] = {
            k: Counter()
            for k in ("channel", "source", "source_kind", "commune", "territory", "need", "age")
        }
        for g in groups:
            code = g.source if g.source in kinds else (UNKNOWN if g.source else NONE)
            parts["channel"][g.channel] += g.count
            parts["source"][code] += g.count
            parts["source_kind"][kinds.get(code, code)] += g.count
            parts["commune"][g.commune or UNKNOWN] += g.count
            parts["territory"][g.territory or UNKNOWN] += g.count
            parts["need"][g.need or UNKNOWN] += g.count
            parts["age"][age_band(g.age)] += g.count
        return {
            k: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for k, c in parts.items()
        }

    def _goal(self, reached: int, today: datetime.date) -> dict[str, Any]:
        """Tickets opened since 1 January against the goal, and the year's end at this pace."""
        day = today.timetuple().tm_yday
        days = 366 if datetime.date(today.year, 12, 31).timetuple().tm_yday == 366 else 365
        return {
            "year": today.year,
            "goal": self.yearly_goal,
            "reached": reached,
            "forecast": round(reached * days / day),
        }


def parse_period(
    query: Any, today: datetime.date
) -> tuple[datetime.date, datetime.date, str | None]:
    """`from`, `to` (YYYY-MM-DD, default: this month so far) and `territory` from a query."""
    from handoff.errors import Invalid

    try:
        start = datetime.date.fromisoformat(query.get("from") or today.replace(day=1).isoformat())
        end = datetime.date.fromisoformat(query.get("to") or today.isoformat())
    except ValueError:
        raise Invalid("figures.error_period") from None
    if end < start or (end - start).days > MAX_DAYS:
        raise Invalid("figures.error_period")
    territory = query.get("territory") or None
    if territory is not None and len(territory) > 120:
        raise Invalid("figures.error_period")
    return start, end, territory
