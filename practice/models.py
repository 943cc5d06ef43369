"""The clinic's own facts, edited by staff in admin: its details (every page's footer) and its clinicians."""

import logging
import time

from django.core.cache import cache
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.markdown import render_markdown

CACHE_KEY = "clinic:details"
# Every page shows the details: a worker keeps the copy it read this long before asking the cache
# again, as it does with cached pages (web/page_cache.py WORKER_SECONDS). A save shows in this
# process at once, in others within that time.
WORKER_SECONDS = 1
logger = logging.getLogger(__name__)
_worker_copy: dict = {"details": None, "until": 0.0}


def forget_cached_details() -> None:
    _worker_copy["until"] = 0.0
    try:
        cache.delete(CACHE_KEY)
    except Exception:
        logger.warning("Cache unreachable; cached clinic details not cleared")


class ClinicDetails(models.Model):
    """The single row of clinic contact details. Defaults suit a fresh install."""

    name = models.CharField(max_length=120, default="Riverside Ketamine Clinic")
    phone = models.CharField(
        max_length=40, default="(555) 010-0199", help_text="Shown in the footer and on contact pages."
    )
    street_address = models.CharField(max_length=200, default="100 Main Street, Suite 200")
    locality = models.CharField("City, state and ZIP", max_length=120, default="Springfield, IL 62701")
    hours = models.TextField(
        default="Monday to Friday, 8 am to 5 pm\nSaturday, 9 am to 1 pm",
        help_text="One line per row, as patients should read it.",
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
        forget_cached_details()

    def delete(self, *args, **kwargs):
        forget_cached_details()
        return super().delete(*args, **kwargs)

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.hours.splitlines() if line.strip()]

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")

    @classmethod
    def load(cls) -> "ClinicDetails":
        """The clinic's details, from the cache when possible (every page shows them)."""
        now = time.time()
        if now < _worker_copy["until"]:
            return _worker_copy["details"]
        details = cls.load_shared()
        _worker_copy.update(details=details, until=now + WORKER_SECONDS)
        return details

    @classmethod
    def load_shared(cls) -> "ClinicDetails":
        try:
            details = cache.get(CACHE_KEY)
        except Exception:  # cache unreachable: read the database every time instead
            logger.warning("Cache unreachable; clinic details read from the database")
            return cls.objects.filter(pk=1).first() or cls(pk=1)
        if details is None:
            details = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(CACHE_KEY, details, timeout=None)
        return details


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
        self.bio_html = render_markdown(self.bio).html if self.bio.strip() else ""
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
        self.body_html = render_markdown(self.body).html
        super().save(*args, **kwargs)


class Location(models.Model):
    """A place where the clinic sees patients, with how to get there and in."""

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
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("shown on the site", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street_address}, {self.locality}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    """One opening period of a location on one day of the week (a day may have two, around lunch)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = "opening hours"

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"
