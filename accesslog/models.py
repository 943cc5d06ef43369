"""AccessEntry: one staff access to records that hold health data, kept six years.

An entry says who (the account, and its username copied so it survives the account's deletion),
when, from which address, what they did, and to which records of which model: primary keys and a
short non-personal label per record that the caller chooses (a consultation request's reference).
It never holds what the records say, so it can outlive them: a request deleted under the retention
rule leaves its entries behind, naming only its id and reference.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    LISTED = "listed", "Listed"  # a list page that shows the records (names, contact details)
    VIEWED = "viewed", "Opened"  # a record's own page, editable or view-only
    CHANGED = "changed", "Changed"  # a save or a bulk action, logged in the change's own transaction
    EXPORTED = "exported", "Exported"  # a download (CSV): the data left the admin
    HISTORY_VIEWED = "history", "Opened history"  # past versions hold the personal data too
    DELETED = "deleted", "Deleted"  # by a member of staff; purges by the retention rule are not access


class AccessEntryQuerySet(models.QuerySet):
    def older_than(self, cutoff):
        return self.filter(at__lt=cutoff)


class AccessEntry(models.Model):
    at = models.DateTimeField("when", default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the entry stays when the account goes; `username` keeps the name
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    username = models.CharField("who", max_length=150, editable=False)
    action = models.CharField(max_length=20, choices=Action.choices, editable=False)
    detail = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="Which fields a save changed, or which bulk action ran: names, never values.",
    )
    model = models.CharField(
        max_length=100, editable=False, help_text='Which kind of record, e.g. "consultations.consultationrequest".'
    )
    object_ids = models.JSONField("record ids", default=list, editable=False)
    labels = models.JSONField(
        "references", default=list, editable=False, help_text="One per id, in the same order (e.g. KC-7Q4M)."
    )
    ip = models.GenericIPAddressField("IP address", null=True, blank=True, editable=False)

    objects = AccessEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log entries"

    def __str__(self):
        return f"{self.username} {self.get_action_display().lower()} {self.records_text(limit=3)}"

    def save(self, *args, **kwargs):
        # Append-only: an entry once written is never rewritten by the site.
        if not self._state.adding:
            raise TypeError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Access log entries are removed only by the purge_access_log command.")

    def records(self) -> list[str]:
        """Each record as reference and id, e.g. "KC-7Q4M (#42)": the id stays beside the reference, since
        a reference freed by a purged request may be given to a new one years later."""
        labels = list(self.labels) + [""] * (len(self.object_ids) - len(self.labels))
        return [f"{label} (#{pk})" if label else f"#{pk}" for pk, label in zip(self.object_ids, labels, strict=False)]

    def records_text(self, limit: int | None = None) -> str:
        records = self.records()
        if limit is not None and len(records) > limit:
            return ", ".join(records[:limit]) + f" and {len(records) - limit} more"
        return ", ".join(records)
