"""Office hours of the Mission locale: when will a human answer?

Used to tell a youth honestly when a counsellor will read their message and
to count waiting time for staff alerts in office hours only.

All computations are done on real instants (UTC timestamps), with opening
and closing times built per local calendar day in the configured time zone,
so results stay correct across daylight-saving changes.

Public holidays come from ``holidays.France`` with no subdivision, i.e.
metropolitan France outside Alsace-Moselle (the Meuse is department 55, so
neither Good Friday nor St Stephen's Day apply). That calendar includes Whit
Monday (lundi de Pentecôte). Whit Monday is also the usual "journée de
solidarité", and some employers work that day, but it remains a public
holiday in the Code du travail and the structure is not expected to answer
youths then, so we keep the library default and treat it as closed.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

import holidays

__all__ = ["OfficeHours"]

# Keep "eta_open_now" only when at least this much open time remains.
_OPEN_NOW_MARGIN = datetime.timedelta(minutes=30)

# Upper bound on the number of calendar days scanned to find an opening.
# With at least one open weekday, an opening always exists within a few weeks.
_MAX_SCAN_DAYS = 400

_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "lun", "lundi"),
        ("tue", "tues", "tuesday", "mar", "mardi"),
        ("wed", "wednesday", "mer", "mercredi"),
        ("thu", "thur", "thurs", "thursday", "jeu", "jeudi"),
        ("fri", "friday", "ven", "vendredi"),
        ("sat", "saturday", "sam", "samedi"),
        ("sun", "sunday", "dim", "dimanche"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index

_FRENCH_WEEKDAYS = (
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
)
_FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# "9", "9h", "9h30", "09h00", "9:00", "09:30".
_TIME_TOKEN = r"(\d{1,2})(?:h(\d{2})?|:(\d{2}))?"
_HOURS_RE = re.compile(rf"^\s*{_TIME_TOKEN}\s*[-\u2013]\s*{_TIME_TOKEN}\s*$", re.IGNORECASE)


@lru_cache(maxsize=64)
def _holiday_dates(year: int) -> frozenset[datetime.date]:
    """Public holidays of metropolitan France for one year (cached)."""
    return frozenset(holidays.France(years=year).keys())


def _is_holiday(day: datetime.date) -> bool:
    return day in _holiday_dates(day.year)


def _require_aware(name: str, value: datetime.datetime) -> None:
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _parse_day(token: str, spec: str) -> int:
    key = token.strip().lower().rstrip(".")
    try:
        return _DAY_NAMES[key]
    except KeyError:
        raise ValueError(
            f"unknown weekday {token.strip()!r} in {spec!r} "
            "(expected e.g. 'mon-fri', 'mon,tue,thu' or 'lun-ven')"
        ) from None


def _parse_days(spec: str) -> frozenset[int]:
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(
            f"empty office days {spec!r} (expected e.g. 'mon-fri', 'mon,tue,thu' or 'lun-ven')"
        )
    days: set[int] = set()
    for part in spec.split(","):
        if not part.strip():
            raise ValueError(f"empty item in office days {spec!r}")
        bounds = re.split(r"[-\u2013]", part)
        if len(bounds) == 1:
            days.add(_parse_day(bounds[0], spec))
        elif len(bounds) == 2:
            first = _parse_day(bounds[0], spec)
            last = _parse_day(bounds[1], spec)
            # Ranges may wrap around the week end, e.g. "fri-mon".
            length = (last - first) % 7 + 1
            days.update((first + offset) % 7 for offset in range(length))
        else:
            raise ValueError(f"invalid day range {part.strip()!r} in {spec!r}")
    return frozenset(days)


def _make_time(
    hour: str, minute_h: str | None, minute_colon: str | None, spec: str
) -> datetime.time:
    minute = minute_h or minute_colon or "0"
    h, m = int(hour), int(minute)
    if h > 23 or m > 59:
        raise ValueError(f"invalid time of day in office hours {spec!r}")
    return datetime.time(h, m)


def _parse_hours(spec: str) -> tuple[datetime.time, datetime.time]:
    match = _HOURS_RE.match(spec) if isinstance(spec, str) else None
    if match is None:
        raise ValueError(
            f"invalid office hours {spec!r} (expected e.g. '09:00-17:00' or '9h00-17h00')"
        )
    groups = match.groups()
    start = _make_time(groups[0], groups[1], groups[2], spec)
    end = _make_time(groups[3], groups[4], groups[5], spec)
    if start >= end:
        raise ValueError(
            f"office hours {spec!r} must start before they end (overnight hours are not supported)"
        )
    return start, end


def _parse_tz(name: str) -> zoneinfo.ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"empty time zone {name!r} (expected e.g. 'Europe/Paris')")
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (expected e.g. 'Europe/Paris')") from exc


def _french_time(value: datetime.datetime) -> str:
    """French time of day: 9h, 9h30, 14h."""
    if value.minute:
        return f"{value.hour}h{value.minute:02d}"
    return f"{value.hour}h"


def _french_date(day: datetime.date) -> str:
    """French day and month: 2 janvier, 1er juin."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_FRENCH_MONTHS[day.month - 1]}"


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Weekly opening hours in one time zone, closed on French public holidays."""

    days: frozenset[int]  # weekday numbers, Monday=0
    start: datetime.time
    end: datetime.time
    tz: zoneinfo.ZoneInfo

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("office hours need at least one open weekday")
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in self.days):
            raise ValueError(f"weekday numbers must be 0 (Monday) to 6, got {sorted(self.days)}")
        if self.start >= self.end:
            raise ValueError("office hours must start before they end")

    @classmethod
    def parse(
        cls,
        days: str = "mon-fri",
        hours: str = "09:00-17:00",
        tz: str = "Europe/Paris",
    ) -> OfficeHours:
        """Build from settings strings; raises ValueError with a clear message."""
        start, end = _parse_hours(hours)
        return cls(days=_parse_days(days), start=start, end=end, tz=_parse_tz(tz))

    # -- internals -----------------------------------------------------------

    def _interval(self, day: datetime.date) -> tuple[float, float] | None:
        """Opening and closing timestamps of a local day, or None if closed all day.

        Timestamps rather than aware datetimes: Python compares and subtracts
        datetimes sharing a tzinfo by wall time, which is wrong across DST.
        """
        if day.weekday() not in self.days or _is_holiday(day):
            return None
        opening = datetime.datetime.combine(day, self.start, tzinfo=self.tz).timestamp()
        closing = datetime.datetime.combine(day, self.end, tzinfo=self.tz).timestamp()
        if closing <= opening:  # only possible with hours inside a DST gap
            return None
        return opening, closing

    def _current_interval(self, when: datetime.datetime) -> tuple[float, float] | None:
        interval = self._interval(when.astimezone(self.tz).date())
        if interval is not None and interval[0] <= when.timestamp() < interval[1]:
            return interval
        return None

    def _next_opening_ts(self, when: datetime.datetime) -> float:
        """Timestamp of the first opening at or after `when` (which is closed)."""
        now = when.timestamp()
        day = when.astimezone(self.tz).date()
        for offset in range(_MAX_SCAN_DAYS):
            interval = self._interval(day + datetime.timedelta(days=offset))
            if interval is not None and interval[0] >= now:
                return interval[0]
        raise RuntimeError(f"no office opening found within {_MAX_SCAN_DAYS} days of {when}")

    def _from_ts(self, timestamp: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(timestamp, tz=self.tz)

    # -- public API ------------------------------------------------------------

    def is_open(self, when: datetime.datetime) -> bool:
        """Whether `when` (timezone-aware, any zone) falls within office hours."""
        _require_aware("when", when)
        return self._current_interval(when) is not None

    def next_opening(self, when: datetime.datetime) -> datetime.datetime:
        """`when` if open (same instant, in self.tz), else the next opening instant."""
        _require_aware("when", when)
        if self._current_interval(when) is not None:
            return when.astimezone(self.tz)
        return self._from_ts(self._next_opening_ts(when))

    def business_seconds_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Seconds of open time within [start, end); 0.0 if end <= start."""
        _require_aware("start", start)
        _require_aware("end", end)
        lo, hi = start.timestamp(), end.timestamp()
        if hi <= lo:
            return 0.0
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        total = 0.0
        while day <= last:
            interval = self._interval(day)
            if interval is not None:
                overlap = min(hi, interval[1]) - max(lo, interval[0])
                if overlap > 0:
                    total += overlap
            day += datetime.timedelta(days=1)
        return total

    def describe_next(self, when: datetime.datetime) -> tuple[str, dict[str, str]]:
        """Catalogue key and placeholders telling a youth when a human will answer.

        When the office is open but closes in less than 30 minutes, the next
        opening after this closing is described instead.
        """
        _require_aware("when", when)
        current = self._current_interval(when)
        if current is not None:
            if current[1] - when.timestamp() >= _OPEN_NOW_MARGIN.total_seconds():
                return "eta_open_now", {}
            opening = self._next_opening_ts(self._from_ts(current[1]))
        else:
            opening = self._next_opening_ts(when)

        today = when.astimezone(self.tz).date()
        local = self._from_ts(opening)
        time = _french_time(local)
        delta = (local.date() - today).days
        if delta <= 0:
            return "eta_today", {"time": time}
        if delta == 1:
            return "eta_tomorrow", {"time": time}
        if delta <= 6:
            return "eta_day", {"day": _FRENCH_WEEKDAYS[local.weekday()], "time": time}
        return "eta_date", {"date": _french_date(local.date()), "time": time}
