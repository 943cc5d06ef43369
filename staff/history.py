"""Honest history in admin: times in the clinic's time zone, and no change recorded where there was none.

Every admin with a change history subclasses HistoryAdmin instead of simple_history's SimpleHistoryAdmin:

- Its textareas keep the stored text when staff did not touch it. Browsers send a textarea's lines
  ending in CRLF, and Django's CharField strips the newline that ends a text loaded from a file
  (content/*.md ends with one). Either made an untouched save look like an edit: Django's change
  message said "Changed Body", the saved text lost its last newline, and the history showed a Body
  change. TextareaField normalises the line endings and keeps the rest as typed.
- Its history shows each change's values as staff read them elsewhere: datetimes in the clinic's time
  zone ("November 30, 2026, 9:00 a.m.", where simple_history printed "2026-11-30 14:00:00+00:00"),
  dates as American dates, choices by their labels, and no change where old and new differ only in
  line endings or space at either end (versions saved before TextareaField carry such differences),
  nor where both read the same (two times a fraction of a second apart).
- Its revert form posts as an ordinary form: simple_history sends it as a file upload, which the site
  refuses.

The history pages' templates (templates/simple_history/) show each version's own time the same way.
"""

import datetime as dt

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def clinic_datetime(value: dt.datetime) -> str:
    """'November 30, 2026, 9:00 a.m.': the clinic's wall clock, as the site writes times."""
    return date_format(timezone.localtime(value, timezone.get_default_timezone()), "F j, Y, g:i a")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def same_text(old, new) -> bool:
    """Whether two stored texts read the same: line endings and space at either end do not count."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return False
    return normalise_newlines(old).strip() == normalise_newlines(new).strip()


class TextareaField(forms.CharField):
    """A textarea's text, exactly as stored when nobody edited it (see the module's docstring)."""

    def __init__(self, **kwargs):
        kwargs["strip"] = False  # a browser sends back the stored text whole, final newline included
        super().__init__(**kwargs)

    def to_python(self, value):
        value = normalise_newlines(super().to_python(value))
        return value if value.strip() else self.empty_value  # blank is still blank for a required field

    def has_changed(self, initial, data):
        return super().has_changed(normalise_newlines(initial or ""), data)


class ClinicRecordContextHelper(HistoricalRecordContextHelper):
    """How a version's changes read in the history list."""

    def context_for_delta_changes(self, delta):
        shown = []
        for change in delta.changes:
            if same_text(change.old, change.new):
                continue
            change = self.format_delta_change(change)
            if change.old != change.new:  # not a time that differed in a fraction of a second only
                shown.append({"field": change.field, "old": change.old, "new": change.new})
        return shown

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, dt.datetime):
            return clinic_datetime(value)
        if isinstance(value, dt.date):
            return date_format(value, "F j, Y")
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if getattr(field, "flatchoices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with honest history. A subclass that sets its own formfield_overrides should
    keep this one: {**HistoryAdmin.formfield_overrides, ...}."""

    formfield_overrides = {models.TextField: {"form_class": TextareaField}}

    def get_historical_record_context_helper(self, request, historical_record):
        return ClinicRecordContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history marks every revert form as sending files, so browsers post it as multipart,
        # which the site refuses (no form here takes files: web/middleware.py). Ours sends none.
        extra_context = {"has_file_field": False, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)
