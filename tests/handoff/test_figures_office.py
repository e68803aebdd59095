"""The figures' office-hour spans equal OfficeHours.business_seconds_between, float for float."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.officehours import OfficeHours
from handoff.figures_office import OfficeSpans

OFFICES = (
    OfficeHours.parse(),
    OfficeHours.parse("mon-sat", "08:30-12:15", "Europe/Paris"),
    OfficeHours.parse("tue-thu", "02:00-03:30", "America/New_York"),  # inside DST changes
)
# 2025-2027: holidays, DST changes both ways, a leap day.
instants = st.floats(1_735_689_600.0, 1_830_297_600.0, allow_nan=False)


def reference(office: OfficeHours, a: float, b: float) -> float:
    tz = office.tz
    return office.business_seconds_between(
        datetime.datetime.fromtimestamp(a, tz), datetime.datetime.fromtimestamp(b, tz)
    )


@settings(max_examples=300, deadline=None)  # the first call loads a year of holidays
@given(st.sampled_from(range(len(OFFICES))), instants, st.floats(-3600, 20 * 86400))
def test_same_as_business_seconds_between(which: int, a: float, length: float) -> None:
    office = OFFICES[which]
    spans = OfficeSpans(office)
    assert spans.seconds(a, a + length) == reference(office, a, a + length)
    # A second use of the same days and instants (kept from the first) answers the same.
    assert spans.seconds(a, a + length) == reference(office, a, a + length)


def test_a_weekend_and_a_holiday() -> None:
    office = OFFICES[0]
    tz = office.tz
    friday_4pm = datetime.datetime(2026, 4, 24, 16, tzinfo=tz).timestamp()
    tuesday_10am = datetime.datetime(2026, 4, 28, 10, tzinfo=tz).timestamp()
    # Friday 16-17, Monday 9-17, Tuesday 9-10: 10 hours.
    assert OfficeSpans(office).seconds(friday_4pm, tuesday_10am) == 10 * 3600
    may_day_eve = datetime.datetime(2026, 4, 30, 16, tzinfo=tz).timestamp()
    monday_9am = datetime.datetime(2026, 5, 4, 9, tzinfo=tz).timestamp()
    # Thursday 16-17; Friday 1 May is a public holiday.
    assert OfficeSpans(office).seconds(may_day_eve, monday_9am) == 3600
