"""The clinic's calendar: its working days and its weeks, in its own time zone (settings.TIME_ZONE).

Staff read "waiting over a working day" and "this week" as the clinic's wall clock says them, so
every boundary here is a local date or midnight made aware, never a count of hours from now: a week
that crosses a daylight-saving change still starts at midnight on Monday.
"""

import datetime as dt

from django.utils import timezone

MONDAY_TO_FRIDAY = frozenset(range(5))  # Python's weekday(): Monday is 0, as practice.models.Weekday


def working_weekdays(locations) -> frozenset[int]:
    """The weekdays on which any of the clinic's locations opens (practice.models.Location.load_active());
    Monday to Friday while no opening hours are known."""
    days = frozenset(period.weekday for location in locations for period in location.periods)
    return days or MONDAY_TO_FRIDAY


def _working_day_before(day: dt.date, working_days) -> dt.date:
    for back in range(1, 8):
        earlier = day - dt.timedelta(days=back)
        if earlier.weekday() in working_days:
            return earlier
    raise ValueError("The clinic needs at least one working day a week.")


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the clinic's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def one_working_day_before(now: dt.datetime, working_days=MONDAY_TO_FRIDAY) -> dt.datetime:
    """The moment one working day before `now`: whatever arrived earlier has waited longer than that.

    The clock runs on working days only. On a working day the answer is the same time on the
    previous working day (Monday 10:00 gives Friday 10:00). On a closed day the clock stands still
    at the end of the last working day, so the answer is that day's start (all weekend: Friday
    00:00): a request sent on Friday afternoon is not late on Saturday, nor until Monday afternoon.
    """
    local = timezone.localtime(now, timezone.get_default_timezone())
    today = local.date()
    previous = _working_day_before(today, working_days)
    if today.weekday() not in working_days:
        return local_midnight(previous)
    wall_clock = dt.datetime.combine(previous, local.time())
    return timezone.make_aware(wall_clock, timezone.get_default_timezone())


def week_starts(now: dt.datetime, weeks: int) -> list[dt.date]:
    """The Mondays of the last `weeks` weeks in the clinic's time zone, oldest first, this week's last."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    monday = today - dt.timedelta(days=today.weekday())
    return [monday - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]
