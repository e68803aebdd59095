"""Office-hour durations for many tickets at once: each local day's opening looked up once."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.officehours import OfficeHours

_DAY = datetime.timedelta(days=1)


class OfficeSpans:
    """`OfficeHours.business_seconds_between` over timestamps, for one figures computation.

    The same arithmetic in the same order, so the same floats; what a year of tickets would
    recompute hundreds of thousands of times (a day's opening and closing, its holiday check,
    an instant's local date) is kept for the computation's life, bounded by its days.
    """

    def __init__(self, office: OfficeHours) -> None:
        self.office = office
        self._intervals: dict[datetime.date, tuple[float, float] | None] = {}
        self._instants: dict[float, tuple[float, datetime.date]] = {}

    def seconds(self, a: float, b: float) -> float:
        """Seconds of open time between two instants (0.0 if b is not after a)."""
        lo, day = self._instant(a)
        hi, last = self._instant(b)
        if hi <= lo:
            return 0.0
        total = 0.0
        while day <= last:
            interval = self._interval(day)
            if interval is not None:
                overlap = min(hi, interval[1]) - max(lo, interval[0])
                if overlap > 0:
                    total += overlap
            day += _DAY
        return total

    def _instant(self, value: float) -> tuple[float, datetime.date]:
        found = self._instants.get(value)
        if found is None:
            # Through a datetime, as business_seconds_between gets it: microseconds, rounded.
            local = datetime.datetime.fromtimestamp(value, self.office.tz)
            found = self._instants[value] = (local.timestamp(), local.date())
        return found

    def _interval(self, day: datetime.date) -> tuple[float, float] | None:
        if day not in self._intervals:
            self._intervals[day] = self.office._interval(day)
        return self._intervals[day]
