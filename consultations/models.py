"""ConsultationRequest: what a visitor asked for, and what staff did about it."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords


class Concern(models.TextChoices):
    DEPRESSION = "depression", "Depression"
    ANXIETY = "anxiety", "Anxiety"
    PTSD = "ptsd", "PTSD"
    CHRONIC_PAIN = "chronic_pain", "Chronic pain"
    OTHER = "other", "Something else"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"


class ContactTime(models.TextChoices):
    ANY = "any", "Any time"
    MORNING = "morning", "Morning (8 am to noon)"
    AFTERNOON = "afternoon", "Afternoon (noon to 5 pm)"
    EVENING = "evening", "Early evening (5 pm to 7 pm)"


# When each slot is, as its label says: the form offers a slot only if the clinic is open in some of it.
CONTACT_TIME_HOURS = {
    ContactTime.MORNING: (dt.time(8), dt.time(12)),
    ContactTime.AFTERNOON: (dt.time(12), dt.time(17)),
    ContactTime.EVENING: (dt.time(17), dt.time(19)),
}


class WhoFor(models.TextChoices):
    SELF = "self", "Me"
    SOMEONE_ELSE = "someone_else", "Someone I care about"


# A short reference the visitor can quote and staff can search: "KC-" and four characters without
# the look-alikes 0/O, 1/I/L and U/V (29 ** 4 = 707,281 references).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
REFERENCE_PREFIX = "KC-"


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))


class SeeingClinician(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Prefer not to say"


class HeardAbout(models.TextChoices):
    SEARCH = "search", "Search engine"
    CLINICIAN = "clinician", "My doctor or therapist"
    FRIEND = "friend", "Friend or family"
    SOCIAL = "social", "Social media"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Scheduled"
    CLOSED = "closed", "Closed"
    NOT_CANDIDATE = "not_candidate", "Not a candidate"


FINISHED_STATUSES = [Status.CLOSED, Status.NOT_CANDIDATE]


class ConsultationRequestQuerySet(models.QuerySet):
    def finished_before(self, cutoff):
        """Closed (or not a candidate) since before cutoff: what the retention rule removes."""
        return self.filter(status__in=FINISHED_STATUSES, status_changed_at__lt=cutoff)

    def with_unsent_email(self):
        """Staff not told yet, or a visitor who gave an email address not yet sent the confirmation."""
        unconfirmed = models.Q(confirmation_sent_at__isnull=True) & ~models.Q(email="")
        return self.filter(models.Q(staff_notified_at__isnull=True) | unconfirmed)


class ConsultationRequest(models.Model):
    reference = models.CharField(
        max_length=10,
        unique=True,
        default=new_reference,
        editable=False,
        help_text="The short reference the visitor was given, e.g. KC-7Q4M.",
    )

    # What the visitor told us (read-only in admin).
    who_for = models.CharField("who it is for", max_length=20, choices=WhoFor.choices, default=WhoFor.SELF)
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254, blank=True)  # required only when email is the chosen way
    phone = PhoneNumberField(max_length=40, blank=True)  # required only for a call or a text
    contact_method = models.CharField("preferred way to contact", max_length=10, choices=ContactMethod.choices)
    contact_time = models.CharField("preferred time", max_length=10, choices=ContactTime.choices)
    concerns = models.JSONField("would like help with", default=list)
    seeing_clinician = models.CharField(
        "currently seeing a clinician for it", max_length=10, choices=SeeingClinician.choices
    )
    heard_about = models.CharField("heard about us from", max_length=10, choices=HeardAbout.choices, blank=True)
    message = models.TextField(max_length=1000, blank=True)
    is_adult = models.BooleanField("confirmed 18 or older", default=False)
    consented_at = models.DateTimeField(
        "consented to be contacted at", help_text="When the visitor ticked the consent box."
    )
    sent_very_fast = models.BooleanField(
        default=False,
        editable=False,
        help_text="Sent sooner after the form opened than a person usually types (browser autofill does "
        "this, and so do some bots). Saved all the same: check it before acting on it.",
    )

    # What staff do with it.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_requests",
        limit_choices_to={"is_staff": True},
    )
    notes = models.TextField("internal notes", blank=True, help_text="Only staff see these.")

    # Emails: set when sent, so unsent ones can be seen and retried.
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_error = models.CharField(max_length=200, blank=True, editable=False)

    # One form, one request: a double click or a replayed form finds this and saves nothing new.
    form_nonce_digest = models.CharField(  # noqa: DJ001 - NULL, not "", so old rows never clash
        "form token digest",
        max_length=64,
        null=True,  # requests from before it existed have none; NULLs never clash
        unique=True,
        editable=False,
        help_text="SHA-256 of the one-time number in the form that sent this request (never the token itself).",
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The digest says nothing about the visitor and never changes: no need to copy it into history.
    history = HistoricalRecords(excluded_fields=["updated_at", "form_nonce_digest"])
    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_consultationrequest", "Can export consultation requests to CSV")]

    def __str__(self):
        return f"Request #{self.pk}"

    def get_admin_url(self) -> str:
        return reverse("admin:consultations_consultationrequest_change", args=[self.pk])

    def get_concerns_display(self) -> str:
        labels = dict(Concern.choices)
        return ", ".join(labels.get(value, value) for value in self.concerns)

    def set_status(self, status: str) -> None:
        if status != self.status:
            self.status, self.status_changed_at = status, timezone.now()

    @property
    def emails_pending(self) -> bool:
        """Whether an email is still to be sent: a visitor who gave no address gets no confirmation."""
        return self.staff_notified_at is None or (self.confirmation_sent_at is None and bool(self.email))
