import datetime
import zoneinfo

import pytest

from bot.officehours import OfficeHours, _holiday_dates

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
HOUR = 3600.0


def paris(y, mo, d, h=0, mi=0, fold=0):
    return datetime.datetime(y, mo, d, h, mi, tzinfo=PARIS, fold=fold)


@pytest.fixture
def office():
    return OfficeHours.parse()


# -- parse ---------------------------------------------------------------------


def test_parse_defaults():
    oh = OfficeHours.parse()
    assert oh.days == frozenset(range(5))
    assert oh.start == datetime.time(9, 0)
    assert oh.end == datetime.time(17, 0)
    assert oh.tz == PARIS


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("lun-ven", {0, 1, 2, 3, 4}),
        ("mon,tue,thu", {0, 1, 3}),
        ("Lundi, Mardi , jeudi", {0, 1, 3}),
        ("MON-WED,fri", {0, 1, 2, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sam", {5}),
        ("mon-sun", set(range(7))),
    ],
)
def test_parse_days(days, expected):
    assert OfficeHours.parse(days=days).days == frozenset(expected)


@pytest.mark.parametrize(
    ("hours", "start", "end"),
    [
        ("09:00-17:00", (9, 0), (17, 0)),
        ("9:00-17:00", (9, 0), (17, 0)),
        ("09h00-17h00", (9, 0), (17, 0)),
        ("9h30-17h", (9, 30), (17, 0)),
        (" 8H45 - 12H15 ", (8, 45), (12, 15)),
        ("9-17", (9, 0), (17, 0)),
    ],
)
def test_parse_hours(hours, start, end):
    oh = OfficeHours.parse(hours=hours)
    assert oh.start == datetime.time(*start)
    assert oh.end == datetime.time(*end)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"days": ""}, "empty office days"),
        ({"days": "mon-xyz"}, "unknown weekday 'xyz'"),
        ({"days": "mon,,fri"}, "empty item"),
        ({"days": "mon-tue-wed"}, "invalid day range"),
        ({"hours": ""}, "invalid office hours"),
        ({"hours": "nine to five"}, "invalid office hours"),
        ({"hours": "09:00"}, "invalid office hours"),
        ({"hours": "25:00-26:00"}, "invalid time of day"),
        ({"hours": "09:75-17:00"}, "invalid time of day"),
        ({"hours": "17:00-09:00"}, "must start before they end"),
        ({"hours": "09:00-09:00"}, "must start before they end"),
        ({"tz": "Europe/Nowhere"}, "unknown time zone"),
        ({"tz": ""}, "empty time zone"),
    ],
)
def test_parse_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        OfficeHours.parse(**kwargs)


def test_constructor_validates():
    with pytest.raises(ValueError):
        OfficeHours(frozenset(), datetime.time(9), datetime.time(17), PARIS)
    with pytest.raises(ValueError):
        OfficeHours(frozenset({7}), datetime.time(9), datetime.time(17), PARIS)


def test_frozen_and_hashable(office):
    with pytest.raises(AttributeError):
        office.start = datetime.time(8)
    assert hash(office) == hash(OfficeHours.parse())


# -- holidays --------------------------------------------------------------------


def test_holiday_calendar_2026():
    assert _holiday_dates(2026) == {
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 6),  # Easter Monday
        datetime.date(2026, 5, 1),
        datetime.date(2026, 5, 8),
        datetime.date(2026, 5, 14),  # Ascension
        datetime.date(2026, 5, 25),  # Whit Monday, kept closed on purpose
        datetime.date(2026, 7, 14),
        datetime.date(2026, 8, 15),
        datetime.date(2026, 11, 1),
        datetime.date(2026, 11, 11),
        datetime.date(2026, 12, 25),
    }
    # Alsace-Moselle only: Good Friday and St Stephen's Day are working days.
    assert datetime.date(2026, 4, 3) not in _holiday_dates(2026)
    assert datetime.date(2026, 12, 26) not in _holiday_dates(2026)


def test_holiday_lookup_is_cached():
    _holiday_dates(2031)
    before = _holiday_dates.cache_info().hits
    _holiday_dates(2031)
    assert _holiday_dates.cache_info().hits == before + 1


# -- is_open -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (paris(2026, 3, 2, 8, 59), False),  # Monday just before opening
        (paris(2026, 3, 2, 9, 0), True),  # opening instant is open
        (paris(2026, 3, 2, 12, 0), True),
        (paris(2026, 3, 2, 16, 59), True),
        (paris(2026, 3, 2, 17, 0), False),  # closing instant is closed
        (paris(2026, 3, 6, 16, 0), True),  # Friday
        (paris(2026, 3, 7, 10, 0), False),  # Saturday
        (paris(2026, 3, 8, 10, 0), False),  # Sunday
        (paris(2026, 12, 25, 10, 0), False),  # Christmas, a Friday
        (paris(2026, 12, 24, 10, 0), True),
        (paris(2027, 1, 1, 10, 0), False),  # New Year's Day, a Friday
        (paris(2026, 4, 6, 10, 0), False),  # Easter Monday
        (paris(2026, 5, 14, 10, 0), False),  # Ascension Thursday
        (paris(2026, 5, 25, 10, 0), False),  # Whit Monday
        (paris(2026, 7, 14, 10, 0), False),  # Bastille Day, a Tuesday
        (paris(2026, 11, 11, 10, 0), False),  # Armistice, a Wednesday
    ],
)
def test_is_open(office, when, expected):
    assert office.is_open(when) is expected


def test_is_open_accepts_other_time_zones(office):
    # 08:30 UTC on a winter Monday is 09:30 in Paris.
    assert office.is_open(datetime.datetime(2026, 3, 2, 8, 30, tzinfo=UTC))
    # 07:30 UTC on a summer Monday is 09:30 in Paris; in winter it would be 08:30.
    assert office.is_open(datetime.datetime(2026, 6, 1, 7, 30, tzinfo=UTC))
    assert not office.is_open(datetime.datetime(2026, 3, 2, 7, 30, tzinfo=UTC))
    # Friday 18:30 in New York is Saturday 00:30 in Paris.
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert not office.is_open(datetime.datetime(2026, 3, 6, 18, 30, tzinfo=new_york))


def test_naive_datetime_rejected(office):
    naive = datetime.datetime(2026, 3, 2, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.is_open(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.next_opening(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.business_seconds_between(naive, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        office.describe_next(naive)


# -- next_opening --------------------------------------------------------------


def test_next_opening_when_open_is_when(office):
    when = paris(2026, 3, 2, 10, 15)
    assert office.next_opening(when) == when
    in_utc = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    result = office.next_opening(in_utc)
    assert result == in_utc
    assert result.tzinfo == PARIS


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (paris(2026, 3, 2, 7, 0), paris(2026, 3, 2, 9, 0)),  # Monday morning
        (paris(2026, 3, 2, 17, 0), paris(2026, 3, 3, 9, 0)),  # Monday closing
        (paris(2026, 3, 6, 17, 30), paris(2026, 3, 9, 9, 0)),  # Friday evening
        (paris(2026, 3, 7, 11, 0), paris(2026, 3, 9, 9, 0)),  # Saturday
        (paris(2026, 3, 8, 23, 59), paris(2026, 3, 9, 9, 0)),  # Sunday night
        (paris(2026, 4, 3, 17, 30), paris(2026, 4, 7, 9, 0)),  # before Easter Monday
        (paris(2026, 12, 24, 17, 30), paris(2026, 12, 28, 9, 0)),  # Christmas Friday
        (paris(2026, 12, 31, 18, 0), paris(2027, 1, 4, 9, 0)),  # New Year Friday
    ],
)
def test_next_opening(office, when, expected):
    result = office.next_opening(when)
    assert result == expected
    assert result.tzinfo == PARIS
    assert (result.hour, result.minute) == (expected.hour, expected.minute)


def test_next_opening_from_utc_input(office):
    # Friday 2026-03-06 22:00 UTC -> Monday 09:00 CET = 08:00 UTC.
    result = office.next_opening(datetime.datetime(2026, 3, 6, 22, 0, tzinfo=UTC))
    assert result == datetime.datetime(2026, 3, 9, 8, 0, tzinfo=UTC)


# -- DST (last Sundays of March and October 2026: 29 March, 25 October) ----------


def test_dst_spring_forward_next_opening(office):
    # Friday 27 March is CET (UTC+1), Monday 30 March is CEST (UTC+2).
    result = office.next_opening(paris(2026, 3, 27, 17, 30))
    assert result == datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert (result.hour, result.minute) == (9, 0)
    assert result.utcoffset() == datetime.timedelta(hours=2)


def test_dst_fall_back_next_opening(office):
    result = office.next_opening(paris(2026, 10, 23, 17, 30))
    assert result == datetime.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert (result.hour, result.minute) == (9, 0)
    assert result.utcoffset() == datetime.timedelta(hours=1)


def test_dst_is_open_around_switch(office):
    # Monday 30 March 2026, 9:00 CEST = 07:00 UTC.
    assert not office.is_open(datetime.datetime(2026, 3, 30, 6, 59, tzinfo=UTC))
    assert office.is_open(datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC))
    # Monday 26 October 2026, 9:00 CET = 08:00 UTC.
    assert not office.is_open(datetime.datetime(2026, 10, 26, 7, 59, tzinfo=UTC))
    assert office.is_open(datetime.datetime(2026, 10, 26, 8, 0, tzinfo=UTC))


def test_dst_business_seconds_over_switch_weekends(office):
    # Friday 16:00 -> Monday 10:00: one hour each side, whatever the DST shift.
    spring = office.business_seconds_between(paris(2026, 3, 27, 16), paris(2026, 3, 30, 10))
    autumn = office.business_seconds_between(paris(2026, 10, 23, 16), paris(2026, 10, 26, 10))
    assert spring == autumn == 2 * HOUR


def test_dst_hours_spanning_the_switch_count_real_time():
    night = OfficeHours.parse(days="sun", hours="01:00-04:00")
    # 29 March 2026: 02:00 CET jumps to 03:00 CEST, so only 2 real hours.
    spring_day = night.business_seconds_between(paris(2026, 3, 29), paris(2026, 3, 30))
    assert spring_day == 2 * HOUR
    # 25 October 2026: 03:00 CEST falls back to 02:00 CET, so 4 real hours.
    autumn_day = night.business_seconds_between(paris(2026, 10, 25), paris(2026, 10, 26))
    assert autumn_day == 4 * HOUR
    # The repeated hour is open on both passes.
    assert night.is_open(paris(2026, 10, 25, 2, 30, fold=0))
    assert night.is_open(paris(2026, 10, 25, 2, 30, fold=1))
    assert night.is_open(datetime.datetime(2026, 10, 25, 2, 59, tzinfo=UTC))  # 03:59 CET
    assert not night.is_open(datetime.datetime(2026, 10, 25, 3, 0, tzinfo=UTC))


# -- business_seconds_between ----------------------------------------------------


def test_business_seconds_within_a_day(office):
    assert office.business_seconds_between(paris(2026, 3, 2, 10), paris(2026, 3, 2, 11, 30)) == (
        1.5 * HOUR
    )
    # Clipped to office hours on both ends.
    assert office.business_seconds_between(paris(2026, 3, 2, 6), paris(2026, 3, 2, 22)) == 8 * HOUR


def test_business_seconds_over_weekend(office):
    # Friday 16:30 -> Monday 9:45 = 30 min + 45 min.
    result = office.business_seconds_between(paris(2026, 3, 6, 16, 30), paris(2026, 3, 9, 9, 45))
    assert result == 75 * 60
    # Whole weekend alone is zero.
    assert office.business_seconds_between(paris(2026, 3, 6, 17), paris(2026, 3, 9, 9)) == 0.0


def test_business_seconds_over_holiday(office):
    # Christmas 2026 is a Friday: Thursday 24 Dec 16:00 -> Monday 28 Dec 10:00.
    result = office.business_seconds_between(paris(2026, 12, 24, 16), paris(2026, 12, 28, 10))
    assert result == 2 * HOUR
    # Easter Monday: Friday 3 April 16:00 -> Tuesday 7 April 10:00.
    result = office.business_seconds_between(paris(2026, 4, 3, 16), paris(2026, 4, 7, 10))
    assert result == 2 * HOUR


def test_business_seconds_full_week(office):
    # Monday 2 March 00:00 -> Monday 9 March 00:00: 5 days x 8 hours.
    assert office.business_seconds_between(paris(2026, 3, 2), paris(2026, 3, 9)) == 40 * HOUR
    # Week of Ascension (Thursday 14 May 2026): 4 days.
    assert office.business_seconds_between(paris(2026, 5, 11), paris(2026, 5, 18)) == 32 * HOUR


def test_business_seconds_mixed_time_zones(office):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 Paris
    end = paris(2026, 3, 2, 10, 0)
    assert office.business_seconds_between(start, end) == HOUR


def test_business_seconds_empty_or_reversed(office):
    when = paris(2026, 3, 2, 10)
    assert office.business_seconds_between(when, when) == 0.0
    assert office.business_seconds_between(when, when - datetime.timedelta(hours=1)) == 0.0


# -- describe_next ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        # Open, plenty of time left.
        (paris(2026, 3, 2, 10, 0), ("eta_open_now", {})),
        (paris(2026, 3, 2, 16, 30), ("eta_open_now", {})),  # exactly 30 min left
        # Open but closing within 30 minutes: next opening is tomorrow.
        (paris(2026, 3, 2, 16, 31), ("eta_tomorrow", {"time": "9h"})),
        # Before opening in the morning.
        (paris(2026, 3, 2, 7, 45), ("eta_today", {"time": "9h"})),
        # Evening of a weekday.
        (paris(2026, 3, 2, 17, 30), ("eta_tomorrow", {"time": "9h"})),
        # Friday 17:30 -> Monday 9:00.
        (paris(2026, 3, 6, 17, 30), ("eta_day", {"day": "lundi", "time": "9h"})),
        # Friday 16:45 (closing soon) -> Monday.
        (paris(2026, 3, 6, 16, 45), ("eta_day", {"day": "lundi", "time": "9h"})),
        # Saturday -> Monday; Sunday -> tomorrow.
        (paris(2026, 3, 7, 10, 0), ("eta_day", {"day": "lundi", "time": "9h"})),
        (paris(2026, 3, 8, 10, 0), ("eta_tomorrow", {"time": "9h"})),
        # Holiday Monday (Easter): Friday evening -> Tuesday.
        (paris(2026, 4, 3, 17, 30), ("eta_day", {"day": "mardi", "time": "9h"})),
        # On the holiday Monday itself -> tomorrow.
        (paris(2026, 4, 6, 10, 0), ("eta_tomorrow", {"time": "9h"})),
        # Sunday before Whit Monday -> Tuesday.
        (paris(2026, 5, 24, 10, 0), ("eta_day", {"day": "mardi", "time": "9h"})),
        # Christmas Friday and New Year Friday -> Monday.
        (paris(2026, 12, 24, 17, 30), ("eta_day", {"day": "lundi", "time": "9h"})),
        (paris(2026, 12, 31, 18, 0), ("eta_day", {"day": "lundi", "time": "9h"})),
        # Spring-forward weekend.
        (paris(2026, 3, 27, 18, 0), ("eta_day", {"day": "lundi", "time": "9h"})),
    ],
)
def test_describe_next(office, when, expected):
    assert office.describe_next(when) == expected


def test_describe_next_time_formats():
    assert OfficeHours.parse(hours="9h30-17h").describe_next(paris(2026, 3, 2, 8)) == (
        "eta_today",
        {"time": "9h30"},
    )
    afternoon = OfficeHours.parse(hours="14:00-18:00")
    assert afternoon.describe_next(paris(2026, 3, 2, 10)) == (
        "eta_today",
        {"time": "14h"},
    )
    assert afternoon.describe_next(paris(2026, 3, 2, 19)) == (
        "eta_tomorrow",
        {"time": "14h"},
    )
    assert OfficeHours.parse(hours="08h05-12h").describe_next(paris(2026, 3, 7)) == (
        "eta_day",
        {"day": "lundi", "time": "8h05"},
    )


def test_describe_next_uses_office_time_zone(office):
    # Friday 23:30 UTC is Saturday 00:30 in Paris: Monday is two days away.
    when = datetime.datetime(2026, 3, 6, 23, 30, tzinfo=UTC)
    assert office.describe_next(when) == ("eta_day", {"day": "lundi", "time": "9h"})


def test_describe_next_far_away_uses_date():
    mondays = OfficeHours.parse(days="lun")
    # Monday 30 March after closing: 6 April is Easter Monday -> 13 April.
    assert mondays.describe_next(paris(2026, 3, 30, 18)) == (
        "eta_date",
        {"date": "13 avril", "time": "9h"},
    )
    # Tuesday -> next Monday is six days away: still a weekday name.
    assert mondays.describe_next(paris(2026, 4, 14, 10)) == (
        "eta_day",
        {"day": "lundi", "time": "9h"},
    )
    # Monday 18 May after closing: 25 May is Whit Monday -> 1 June ("1er").
    assert mondays.describe_next(paris(2026, 5, 18, 18)) == (
        "eta_date",
        {"date": "1er juin", "time": "9h"},
    )
    fridays = OfficeHours.parse(days="ven", hours="9h-12h")
    # Friday 18 Dec: 25 Dec and 1 Jan are holidays -> 8 January.
    assert fridays.describe_next(paris(2026, 12, 18, 12)) == (
        "eta_date",
        {"date": "8 janvier", "time": "9h"},
    )
