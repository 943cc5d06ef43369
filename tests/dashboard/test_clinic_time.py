"""The clinic's calendar: one working day back, and weeks from Monday, on the clinic's wall clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from dashboard.clinic_time import MONDAY_TO_FRIDAY, one_working_day_before, week_starts, working_weekdays
from practice.models import OpeningHours

CLINIC = ZoneInfo("America/New_York")  # settings.TIME_ZONE in tests


@pytest.fixture(autouse=True)
def _clinic_zone(settings):
    settings.TIME_ZONE = "America/New_York"


def at(text: str) -> dt.datetime:
    """A moment on the clinic's wall clock: at("2026-11-27 15:00") is Friday 3 pm in New York."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=CLINIC)


@pytest.mark.parametrize(
    ("now", "cutoff"),
    [
        ("2026-11-25 10:00", "2026-11-24 10:00"),  # Wednesday: Tuesday, same time
        ("2026-11-30 10:00", "2026-11-27 10:00"),  # Monday: back across the weekend to Friday
        ("2026-11-30 00:30", "2026-11-27 00:30"),
        ("2026-11-28 10:00", "2026-11-27 00:00"),  # Saturday: the clock stands at the end of Friday
        ("2026-11-29 23:59", "2026-11-27 00:00"),  # Sunday night: still
        ("2026-11-28 00:00", "2026-11-27 00:00"),  # Saturday's first moment
    ],
)
def test_one_working_day_back_on_weekdays_and_across_a_weekend(now, cutoff):
    assert one_working_day_before(at(now), MONDAY_TO_FRIDAY) == at(cutoff)


def test_a_request_from_friday_afternoon_is_not_late_over_the_weekend():
    received = at("2026-11-27 15:00")  # Friday
    for now in ("2026-11-28 09:00", "2026-11-29 18:00", "2026-11-30 14:59"):
        assert not received < one_working_day_before(at(now)), now
    assert received < one_working_day_before(at("2026-11-30 15:01"))  # Monday afternoon: a working day passed


def test_the_days_the_clinic_opens_are_its_working_days():
    monday_to_saturday = frozenset(range(6))
    # Open on Saturdays: Saturday is a working day, and Monday looks back to Saturday.
    assert one_working_day_before(at("2026-11-30 10:00"), monday_to_saturday) == at("2026-11-28 10:00")
    assert one_working_day_before(at("2026-11-28 10:00"), monday_to_saturday) == at("2026-11-27 10:00")
    # Closed on Wednesdays: Thursday looks back to Tuesday.
    no_wednesdays = frozenset({0, 1, 3, 4})
    assert one_working_day_before(at("2026-11-26 10:00"), no_wednesdays) == at("2026-11-24 10:00")
    assert one_working_day_before(at("2026-11-25 10:00"), no_wednesdays) == at("2026-11-24 00:00")


def test_the_wall_clock_holds_across_a_daylight_saving_change():
    # New York leaves daylight saving time on Sunday, November 1, 2026.
    cutoff = one_working_day_before(at("2026-11-02 09:00"))  # Monday, 9 am EST
    assert cutoff == at("2026-10-30 09:00")  # Friday, 9 am EDT: the same wall clock, not 72 hours before
    assert cutoff.utcoffset() != at("2026-11-02 09:00").utcoffset()


def test_the_time_zone_is_the_clinics_not_utc():
    # 02:00 UTC on Saturday is still Friday 9 pm in New York: a working day.
    now = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
    assert one_working_day_before(now) == at("2026-11-26 21:00")


def test_working_days_come_from_opening_hours(db):
    class Place:
        def __init__(self, *weekdays):
            self.periods = [OpeningHours(weekday=day, opens=dt.time(9), closes=dt.time(17)) for day in weekdays]

    assert working_weekdays([Place(0, 1, 2), Place(2, 5)]) == {0, 1, 2, 5}
    assert working_weekdays([Place()]) == MONDAY_TO_FRIDAY  # no hours known yet
    assert working_weekdays([]) == MONDAY_TO_FRIDAY


def test_an_empty_week_of_working_days_is_refused():
    with pytest.raises(ValueError, match="at least one working day"):
        one_working_day_before(at("2026-11-25 10:00"), frozenset())


@pytest.mark.parametrize(
    ("now", "first", "last"),
    [
        ("2026-11-26 12:00", dt.date(2026, 9, 7), dt.date(2026, 11, 23)),  # a Thursday
        ("2026-11-23 00:00", dt.date(2026, 9, 7), dt.date(2026, 11, 23)),  # Monday's first moment
        ("2026-11-22 23:59", dt.date(2026, 8, 31), dt.date(2026, 11, 16)),  # Sunday's last
    ],
)
def test_weeks_start_on_monday_in_the_clinics_time_zone(now, first, last):
    starts = week_starts(at(now), 12)
    assert (len(starts), starts[0], starts[-1]) == (12, first, last)
    assert all(day.weekday() == 0 for day in starts)
    assert all(later - earlier == dt.timedelta(weeks=1) for earlier, later in zip(starts, starts[1:], strict=False))


def test_monday_begins_at_the_clinics_midnight_not_utcs():
    # 03:00 UTC on Monday is Sunday 10 pm in New York: still the week before.
    now = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    assert week_starts(now, 1) == [dt.date(2026, 11, 16)]
