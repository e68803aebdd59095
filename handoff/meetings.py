"""A meeting proposal: checked (a real date, from today to a year ahead) and worded in French."""

from __future__ import annotations

import datetime
import re

from bot.texts import Texts
from handoff.errors import Invalid
from handoff.views import trim

PLACE_MAX = 200
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def proposal(
    texts: Texts, day: str, time: str, place: str, today: datetime.date
) -> tuple[str, str]:
    """The cleaned place and the message to the youth; Invalid (422) on a bad field."""
    try:
        when_day = datetime.date.fromisoformat(day) if _DAY.match(day) else None
    except ValueError:
        when_day = None
    if when_day is None or not today <= when_day <= today + datetime.timedelta(days=366):
        raise Invalid("api.error_meeting_date")
    if not _TIME.match(time):
        raise Invalid("api.error_meeting_time")
    if not trim(place) or len(place) > PLACE_MAX:
        raise Invalid("api.error_meeting_place", max=PLACE_MAX)
    place = trim(place)
    when = meeting_when(texts, when_day, datetime.time.fromisoformat(time), today)
    return place, texts("meeting.proposal", when=when, place=place)


def meeting_when(
    texts: Texts, day: datetime.date, time: datetime.time, today: datetime.date
) -> str:
    """'mardi 2 décembre à 14h' (the year is added when it is not this year's)."""
    weekdays, months = texts("meeting.weekdays").split(), texts("meeting.months").split()
    values = {
        "weekday": weekdays[day.weekday()],
        "day": texts("meeting.first_of_month") if day.day == 1 else str(day.day),
        "month": months[day.month - 1],
        "time": texts(
            "meeting.time", hour=time.hour, minutes=f"{time.minute:02d}" if time.minute else ""
        ),
    }
    if day.year != today.year:
        return texts("meeting.when_year", year=day.year, **values)
    return texts("meeting.when", **values)


def check_catalogue(texts: Texts) -> list[str]:
    """Problems with the handoff's list-shaped catalogue entries (empty when all is well)."""
    problems = []
    if len(texts("meeting.weekdays").split()) != 7:
        problems.append("meeting.weekdays must list 7 day names")
    if len(texts("meeting.months").split()) != 12:
        problems.append("meeting.months must list 12 month names")
    return problems
