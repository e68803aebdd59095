"""The coordinator's figures for a period: funnel, waiting times, breakdowns, yearly progress."""

from __future__ import annotations

import asyncio
import datetime
import math
from collections import Counter
from typing import TYPE_CHECKING, Any

from bot.store.base import ConversationGroup, TicketFact
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


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _spread(values: list[float]) -> dict[str, Any]:
    return {"count": len(values), "median": percentile(values, 0.5), "p90": percentile(values, 0.9)}


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
        facts = await self.store.ticket_facts(lo, hi, territory)
        kinds = {s.code: s.kind for s in await self.store.list_sources()}
        today = datetime.datetime.fromtimestamp(now, self.office.tz).date()
        year_start = self._instant(datetime.date(today.year, 1, 1))
        year_tickets = await self.store.count_tickets(year_start, now + 1, territory)
        times = await asyncio.to_thread(self._times, facts)  # office hours: a loop per day
        return {
            "period": {"from": start.isoformat(), "to": end.isoformat(), "territory": territory},
            "funnel": self._funnel(groups, facts),
            "times": times,
            "breakdowns": self._breakdowns(groups, kinds),
            "goal": self._goal(year_tickets, today),
        }

    def _instant(self, day: datetime.date) -> float:
        return datetime.datetime.combine(day, datetime.time(), self.office.tz).timestamp()

    @staticmethod
    def _funnel(groups: list[ConversationGroup], facts: list[TicketFact]) -> dict[str, Any]:
        outcomes = Counter(f.outcome or UNKNOWN for f in facts if f.closed_at is not None)
        return {
            "started": sum(g.count for g in groups),
            "consented": sum(g.count for g in groups if g.consented),
            "intake_completed": sum(1 for f in facts if f.reason == "intake_done"),
            "tickets": len(facts),
            "claimed": sum(1 for f in facts if f.claimed_at is not None),
            "first_reply": sum(1 for f in facts if f.first_reply_at is not None),
            "closed": sum(outcomes.values()),
            "closed_by_outcome": dict(sorted(outcomes.items())),
        }

    def _times(self, facts: list[TicketFact]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        spans = OfficeSpans(self.office)
        for name in ("claimed_at", "first_reply_at"):
            pairs = [(f.created_at, getattr(f, name)) for f in facts if getattr(f, name)]
            raw = [max(0.0, b - a) for a, b in pairs]
            office = [spans.seconds(a, b) for a, b in pairs]
            key = "claim" if name == "claimed_at" else "first_reply"
            found[key] = {"raw": _spread(raw), "office_hours": _spread(office)}
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
