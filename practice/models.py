"""The clinic's own facts, edited by staff in admin: its details and locations (every page's footer),
its clinicians, and its prices."""

import datetime as dt
import logging
import time
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.markdown import render_markdown

CACHE_KEY = "clinic:details"
LOCATIONS_CACHE_KEY = "clinic:locations"
# Every page shows the details and the active locations: a worker keeps the copy it read this long
# before asking the cache again, as it does with cached pages (web/page_cache.py WORKER_SECONDS). A
# save shows in this process at once, in others within that time. Both are read in one round trip.
WORKER_SECONDS = 1
logger = logging.getLogger(__name__)
_worker_copy: dict = {"details": None, "locations": None, "until": 0.0}


def forget_cached_details(*keys: str) -> None:
    """Forget the cached details and locations (or only the given cache keys), in this worker at once."""
    _worker_copy["until"] = 0.0
    try:
        cache.delete_many(list(keys or (CACHE_KEY, LOCATIONS_CACHE_KEY)))
    except Exception:
        logger.warning("Cache unreachable; cached clinic details not cleared")


def forget_when_committed(*keys: str) -> None:
    """After a save: forget now (this request reads its own write) and again once committed, in case
    another worker read the old rows from the database meanwhile and cached them."""
    forget_cached_details(*keys)
    transaction.on_commit(lambda: forget_cached_details(*keys), robust=True)


def markdown_html(text: str) -> str:
    """What staff wrote in Markdown, as sanitised HTML, rendered once when saved; nothing for nothing."""
    return render_markdown(text).html if text.strip() else ""


def tel_href(phone: str) -> str:
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def load_site_facts() -> tuple["ClinicDetails", list["Location"]]:
    """(details, active locations): every page's footer shows both. From this worker's copy, else the
    cache (one round trip for both), else the database (and then into the cache)."""
    now = time.time()
    if now >= _worker_copy["until"]:
        details, locations = _load_shared_facts()
        _worker_copy.update(details=details, locations=locations, until=now + WORKER_SECONDS)
    return _worker_copy["details"], _worker_copy["locations"]


def _load_shared_facts() -> tuple["ClinicDetails", list["Location"]]:
    try:
        found = cache.get_many([CACHE_KEY, LOCATIONS_CACHE_KEY])
    except Exception:  # cache unreachable: read the database every time instead
        logger.warning("Cache unreachable; clinic details read from the database")
        return ClinicDetails.from_database(), Location.active_from_database()
    missing = {}
    details, locations = found.get(CACHE_KEY), found.get(LOCATIONS_CACHE_KEY)
    if details is None:
        details = missing[CACHE_KEY] = ClinicDetails.from_database()
    if locations is None:
        locations = missing[LOCATIONS_CACHE_KEY] = Location.active_from_database()
    if missing:
        try:
            cache.set_many(missing, timeout=None)
        except Exception:
            logger.warning("Cache unreachable; clinic details not stored")
    return details, locations


class ClinicDetails(models.Model):
    """The single row of clinic contact details. Defaults suit a fresh install."""

    name = models.CharField(max_length=120, default="Riverside Ketamine Clinic")
    phone = models.CharField(
        "main phone number",
        max_length=40,
        default="(555) 010-0199",
        help_text="Shown in every page's header and on contact pages. Addresses and opening hours are "
        "edited under Locations.",
    )
    notification_email = models.EmailField(
        default="staff@example.com",
        help_text="Where notifications of new requests go. They never contain health details.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "clinic details"
        verbose_name_plural = "clinic details"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1  # there is only ever one row
        super().save(*args, **kwargs)
        forget_when_committed(CACHE_KEY)

    def delete(self, *args, **kwargs):
        forget_when_committed(CACHE_KEY)
        return super().delete(*args, **kwargs)

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def locations(self) -> list["Location"]:
        """The active locations, in order (from the cache, as the details are)."""
        return Location.load_active()

    @property
    def main_location(self) -> "Location | None":
        """The first active location: the address in emails and on pages that show only one."""
        return next(iter(self.locations), None)

    @classmethod
    def load(cls) -> "ClinicDetails":
        """The clinic's details, from the cache when possible (every page shows them)."""
        return load_site_facts()[0]

    @classmethod
    def from_database(cls) -> "ClinicDetails":
        return cls.objects.filter(pk=1).first() or cls(pk=1)  # a fresh install: the defaults


PLACEHOLDER_CLINICIAN = {"slug": "medical-reviewer", "name": "Medical reviewer", "credentials": "MD"}


class ClinicianQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Clinician(models.Model):
    """One of the clinic's clinicians: shown on the team page, and named as an article's reviewer."""

    name = models.CharField(max_length=120, help_text="As patients should read it, without credentials.")
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Their page's address (/team/<slug>/), and how content files name them."
    )
    credentials = models.CharField(
        max_length=60, help_text="After the name, as in 'Jane Doe, MD': MD, DO, NP, PA, RN, LCSW ..."
    )
    role = models.CharField(max_length=120, help_text="For example 'Medical director' or 'Infusion nurse'.")
    licence_states = models.CharField(
        "licensed in",
        max_length=200,
        blank=True,
        help_text="States where they hold a licence, e.g. 'Illinois, Indiana'.",
    )
    bio = models.TextField(blank=True, help_text="A few sentences in Markdown: training, experience, approach.")
    bio_html = models.TextField(editable=False, default="")
    reviews_content = models.BooleanField(
        "reviews articles", default=False, help_text="Can be named as an article's medical reviewer."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position on the team page; lower first.")
    is_active = models.BooleanField("shown on the site", default=True)
    is_placeholder = models.BooleanField(
        default=False,
        editable=False,
        help_text="The stand-in reviewer of a fresh install; cleared once its name or credentials are changed.",
    )

    objects = ClinicianQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        self.bio_html = markdown_html(self.bio)
        if self.is_placeholder and (self.name, self.credentials) != (
            PLACEHOLDER_CLINICIAN["name"],
            PLACEHOLDER_CLINICIAN["credentials"],
        ):
            self.is_placeholder = False  # replaced by a real person's details
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practice:clinician", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


class PriceItem(models.Model):
    """One line of the price list on the costs page. No price shown means 'call us for the current price'."""

    service = models.CharField(max_length=120, help_text="For example 'Ketamine infusion for depression'.")
    price = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="In dollars. Leave empty to say 'call us'."
    )
    is_from_price = models.BooleanField("'from' price", default=False, help_text="Shown as 'from $…'.")
    included = models.TextField("what is included", blank=True)
    typical_sessions = models.CharField(
        max_length=160, blank=True, help_text="For example 'A first series is usually 6 sessions over 2 to 3 weeks'."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the list; lower first.")
    is_active = models.BooleanField("shown on the site", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "service"]

    def __str__(self):
        return self.service

    @property
    def price_text(self) -> str | None:
        """'$450', 'from $1,800', '$99.50'; None without a price (the page then says 'call us')."""
        if self.price is None:
            return None
        whole = self.price == self.price.to_integral_value()
        amount = f"${self.price:,.0f}" if whole else f"${self.price:,.2f}"
        return f"from {amount}" if self.is_from_price else amount


class CostSection(models.Model):
    """A section of the costs page that staff write: insurance, HSA/FSA, superbills, payment plans ..."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True, help_text="The section's anchor on the costs page.")
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = markdown_html(self.body)
        super().save(*args, **kwargs)


class LocationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_hours(self):
        return self.prefetch_related(
            models.Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
        )


class Location(models.Model):
    """A place where the clinic sees patients, with how to get there and in."""

    MARKDOWN_FIELDS = ("directions", "parking", "public_transport", "accessibility")
    # What footers and emails show, in the fields' order (from_db() reads the values in that order).
    SHOWN_EVERYWHERE = ("id", "name", "slug", "street_address", "locality", "phone")

    name = models.CharField(max_length=120, help_text="For example 'Downtown clinic'.")
    slug = models.SlugField(max_length=60, unique=True, help_text="Its visit page: /visit/<slug>/.")
    street_address = models.CharField(max_length=200)
    locality = models.CharField("city, state and ZIP", max_length=120)
    phone = models.CharField(max_length=40, blank=True, help_text="If it differs from the clinic's main number.")
    directions = models.TextField(blank=True, help_text="Markdown. How to find the building and the entrance.")
    parking = models.TextField(blank=True, help_text="Markdown.")
    public_transport = models.TextField(blank=True, help_text="Markdown.")
    accessibility = models.TextField(
        "building access", blank=True, help_text="Markdown. Step-free access, lifts, accessible restrooms ..."
    )
    # The Markdown above, rendered and sanitised on save: pages never render Markdown per request.
    directions_html = models.TextField(editable=False, default="")
    parking_html = models.TextField(editable=False, default="")
    public_transport_html = models.TextField(editable=False, default="")
    accessibility_html = models.TextField(editable=False, default="")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("shown on the site", default=True)

    objects = LocationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        for name in self.MARKDOWN_FIELDS:
            setattr(self, f"{name}_html", markdown_html(getattr(self, name)))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("practice:location", kwargs={"slug": self.slug})

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.locality}"

    @property
    def map_url(self) -> str:
        """The address on OpenStreetMap: a link, so the page itself loads nothing from another site."""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})

    @property
    def shown_phone(self) -> str:
        return self.phone or ClinicDetails.load().phone

    @property
    def phone_href(self) -> str:
        return tel_href(self.shown_phone)

    @cached_property
    def periods(self) -> list["OpeningHours"]:
        """Its opening periods: prefetched by with_hours(), or read along with it by active_from_database()."""
        return list(self.opening_hours.all())

    @cached_property
    def hours_lines(self) -> list["HoursLine"]:
        """The week's opening hours as patients read them."""
        return group_opening_hours(self.periods)

    @property
    def open_hours_text(self) -> str:
        """The open days only, in a sentence: 'Monday to Friday, 8 am to 5 pm; Saturday, 9 am to 1 pm'."""
        return "; ".join(f"{line.days}, {line.hours}" for line in self.hours_lines if line.is_open)

    @classmethod
    def load_active(cls) -> list["Location"]:
        """The active locations with their hours, from the cache when possible (every footer shows them)."""
        return load_site_facts()[1]

    @classmethod
    def active_from_database(cls) -> list["Location"]:
        """The active locations and their opening periods in one query (a location without hours comes
        too, with none). Only what footers, emails and the consultation form show is read: the other
        fields are deferred, as with only(); the visit pages read their own, in full."""
        hours = ("opening_hours__weekday", "opening_hours__opens", "opening_hours__closes")
        queryset = cls.objects.active()
        locations: dict[int, Location] = {}
        for *values, weekday, opens, closes in queryset.values_list(*cls.SHOWN_EVERYWHERE, *hours):
            location = locations.get(values[0])
            if location is None:
                location = locations[values[0]] = cls.from_db(queryset.db, cls.SHOWN_EVERYWHERE, values)
                location.periods = []
            if weekday is not None:
                location.periods.append(OpeningHours(location=location, weekday=weekday, opens=opens, closes=closes))
        for location in locations.values():
            location.hours_lines  # noqa: B018 - worked out once, and cached along with the location
        return list(locations.values())


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def format_time(value: dt.time) -> str:
    """A time as patients say it in the US: '8 am', '5:30 pm', 'noon', 'midnight'."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "noon"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{value.hour % 12 or 12}{minutes} {'am' if value.hour < 12 else 'pm'}"


def format_period(opens: dt.time, closes: dt.time) -> str:
    return f"{format_time(opens)} to {format_time(closes)}"


@dataclass(frozen=True)
class HoursLine:
    days: str  # "Monday to Friday", "Saturday and Sunday", "Every day"
    periods: tuple[str, ...]  # ("8 am to noon", "1 pm to 5 pm"); none when closed

    def __str__(self):
        return f"{self.days}: {self.hours}"

    @property
    def hours(self) -> str:
        return " and ".join(self.periods) or "closed"

    @property
    def is_open(self) -> bool:
        return bool(self.periods)


def _day_range(first: int, last: int) -> str:
    if first == last:
        return Weekday(first).label
    if (first, last) == (Weekday.MONDAY, Weekday.SUNDAY):
        return "Every day"
    joiner = " and " if last == first + 1 else " to "
    return f"{Weekday(first).label}{joiner}{Weekday(last).label}"


def group_opening_hours(periods) -> list[HoursLine]:
    """The week from Monday, one line per run of consecutive days with the same hours:
    'Monday to Friday: 8 am to 5 pm', 'Saturday: 9 am to 1 pm', 'Sunday: closed'.

    `periods`: anything with weekday, opens and closes (OpeningHours rows). None at all gives no
    lines: the hours are then unknown, which is not the same as closed all week."""
    spans: dict[int, list[tuple[dt.time, dt.time]]] = {day: [] for day in Weekday.values}
    for period in sorted(periods, key=lambda period: (period.weekday, period.opens)):
        spans[period.weekday].append((period.opens, period.closes))
    if not any(spans.values()):
        return []
    runs: list[list] = []  # [first day, last day, that run's periods]
    for day in Weekday.values:
        if runs and runs[-1][2] == spans[day]:
            runs[-1][1] = day
        else:
            runs.append([day, day, spans[day]])
    return [
        HoursLine(_day_range(first, last), tuple(format_period(opens, closes) for opens, closes in day_spans))
        for first, last, day_spans in runs
    ]


class OpeningHours(models.Model):
    """One opening period of a location on one day of the week (a day may have two, around lunch)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField(help_text="For example 08:00.")
    closes = models.TimeField(help_text="For example 17:00 for 5 pm.")

    history = HistoricalRecords()

    # clean() compares a period with the location's saved periods of the same day. The admin's inline
    # turns that off for its rows: it sees all of them at once, edits not yet saved included, and
    # compares them with each other (practice/admin.py, OpeningHoursFormSet).
    check_saved_periods = True

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")),
                name="practice_openinghours_closes_after_opens",
                violation_error_message="The closing time must be later than the opening time.",
            )
        ]

    def __str__(self):
        return f"{Weekday(self.weekday).label} {format_period(self.opens, self.closes)}"

    def clean(self):
        super().clean()
        if self.weekday is None or self.opens is None or self.closes is None:
            return  # the missing field has its own error
        if self.closes <= self.opens:
            raise ValidationError({"closes": self.inverted_message()})
        if self.check_saved_periods and self.location_id is not None:
            saved = OpeningHours.objects.filter(location_id=self.location_id, weekday=self.weekday)
            clash = saved.exclude(pk=self.pk).filter(opens__lt=self.closes, closes__gt=self.opens).first()
            if clash is not None:
                raise ValidationError(self.overlap_message(clash))

    def overlaps(self, other: "OpeningHours") -> bool:
        """Same day, and sharing some time: 8 am to noon and noon to 5 pm do not overlap."""
        return self.weekday == other.weekday and self.opens < other.closes and other.opens < self.closes

    def inverted_message(self) -> str:
        return (
            f"The closing time ({format_time(self.closes)}) must be later than the opening time "
            f"({format_time(self.opens)}). Times use the 24-hour clock: enter 5 pm as 17:00."
        )

    def overlap_message(self, other: "OpeningHours") -> str:
        day = Weekday(self.weekday).label
        return (
            f"{day} {format_period(self.opens, self.closes)} overlaps {day} "
            f"{format_period(other.opens, other.closes)}. A day can have two opening periods (before and "
            "after lunch, say), but they must not overlap: change the times, or remove one of them."
        )


@receiver([post_save, post_delete], sender=Location, dispatch_uid="practice-forget-locations-location")
@receiver([post_save, post_delete], sender=OpeningHours, dispatch_uid="practice-forget-locations-hours")
def forget_cached_locations(sender, **kwargs) -> None:
    """Every footer shows the locations and their hours. A signal, not save(): the admin's inline saves
    and deletes hours one by one, and deleting a location deletes its hours without calling delete()."""
    forget_when_committed(LOCATIONS_CACHE_KEY)
