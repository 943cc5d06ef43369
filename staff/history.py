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
- Its history shows what changed in full where simple_history cut it short ("A ste[45 chars]our first
  visit…"): short texts whole, and a long text (a body, notes) as the words removed and added, with a
  few words either side (word_diff), so staff read the change without comparing two versions.
- Its revert form posts as an ordinary form: simple_history sends it as a file upload, which the site
  refuses; and only staff who may change the record revert it.

The history pages' templates (templates/simple_history/) show each version's own time the same way.
"""

import datetime as dt
from difflib import SequenceMatcher

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def clinic_datetime(value: dt.datetime, format: str = "F j, Y, g:i a") -> str:
    """'November 30, 2026, 9:00 a.m.': the clinic's wall clock, as the site writes times."""
    return date_format(timezone.localtime(value, timezone.get_default_timezone()), format)


def same_text(old, new) -> bool:
    """Whether two stored texts read the same: line endings and space at either end do not count."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return False
    return normalize_newlines(old).strip() == normalize_newlines(new).strip()


class TextareaField(forms.CharField):
    """A textarea's text, exactly as stored when nobody edited it (see the module's docstring)."""

    def __init__(self, **kwargs):
        kwargs["strip"] = False  # a browser sends back the stored text whole, final newline included
        super().__init__(**kwargs)

    def to_python(self, value):
        value = normalize_newlines(super().to_python(value))
        return value if value.strip() else self.empty_value  # blank is still blank for a required field

    def has_changed(self, initial, data):
        return super().has_changed(normalize_newlines(initial or ""), data)


# How much of a long text's change the history list shows: the words removed and added, this many words
# either side of them, a removed or added run of more words cut short, and this many places at most.
SHORT_TEXT_CHARS = 300  # a text field this long or shorter is shown whole, before and after
DIFF_CONTEXT_WORDS = 8
DIFF_RUN_WORDS = 40
DIFF_MAX_PLACES = 4


def _words(words: list[str]) -> str:
    return " ".join(words)


def _changed_run(tag: str, label: str, words: list[str]) -> SafeString:
    """<del> or <ins>, named for screen readers (which do not announce either), cut short when long."""
    shown = _words(words[:DIFF_RUN_WORDS])
    if len(words) > DIFF_RUN_WORDS:
        shown += f" … ({len(words) - DIFF_RUN_WORDS} more words)"
    return format_html('<{}><span class="history-diff-label">{}: </span>{}</{}>', tag, label, shown, tag)


def word_diff(old: str, new: str) -> SafeString:
    """The words of a long text that a change removed and added, each place with a few words around it:
    '… before the first visit <del>we</del> <ins>you</ins> will …'. Escaped; the markup is ours."""
    before, after = (old or "").split(), (new or "").split()
    if before == after:
        return mark_safe('<span class="history-diff-note">Only line breaks or spacing changed.</span>')
    places = []
    for group in SequenceMatcher(None, before, after, autojunk=False).get_grouped_opcodes(DIFF_CONTEXT_WORDS):
        parts = ["…"] if group[0][1] > 0 or group[0][3] > 0 else []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                parts.append(conditional_escape(_words(before[i1:i2])))
            if tag in ("delete", "replace"):
                parts.append(_changed_run("del", "removed", before[i1:i2]))
            if tag in ("insert", "replace"):
                parts.append(_changed_run("ins", "added", after[j1:j2]))
        if group[-1][2] < len(before) or group[-1][4] < len(after):
            parts.append("…")
        places.append(format_html_join(" ", "{}", ((part,) for part in parts)))
    more = len(places) - DIFF_MAX_PLACES
    shown = format_html_join(
        "", '<span class="history-diff-place">{}</span>', ((place,) for place in places[:DIFF_MAX_PLACES])
    )
    if more > 0:
        shown += format_html(
            '<span class="history-diff-note">and {} more {}</span>', more, "place" if more == 1 else "places"
        )
    return shown


def is_long_text(field) -> bool:
    """A body, notes, a letter: shown as a diff. Titles, summaries, names: shown whole."""
    if isinstance(field, models.TextField):
        return True
    return isinstance(field, models.CharField) and (field.max_length or 0) > SHORT_TEXT_CHARS


class ClinicRecordContextHelper(HistoricalRecordContextHelper):
    """How a version's changes read in the history list."""

    def context_for_delta_changes(self, delta):
        shown = []
        for change in delta.changes:
            if same_text(change.old, change.new):
                continue
            field = self.model._meta.get_field(change.field)
            diff = None
            if is_long_text(field) and all(isinstance(value, str | None) for value in (change.old, change.new)):
                diff = word_diff(normalize_newlines(change.old or ""), normalize_newlines(change.new or ""))
            change = self.format_delta_change(change)
            if change.old != change.new:  # not a time that differed in a fraction of a second only
                shown.append({"field": change.field, "old": change.old, "new": change.new, "diff": diff})
        return shown

    def stringify_delta_change_values(self, change, old, new):
        """Both values whole and escaped: simple_history cuts them at 100 characters, mid-word. The long
        texts this would make too long are shown as a diff instead (context_for_delta_changes)."""
        if is_long_text(self.model._meta.get_field(change.field)):
            return super().stringify_delta_change_values(change, old, new)
        old, new = (
            mark_safe(", ".join(map(conditional_escape, value)))
            if isinstance(value, list)
            else conditional_escape(value)
            for value in (old, new)
        )
        return old, new

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
        # simple_history saves a posted revert for anyone who may view the history: only staff who may
        # change the record revert it, and never where reverting is turned off.
        if request.method == "POST" and (self.revert_disabled(request) or not self.has_change_permission(request)):
            raise PermissionDenied
        # simple_history marks every revert form as sending files, so browsers post it as multipart,
        # which the site refuses (no form here takes files: web/middleware.py). Ours sends none.
        extra_context = {"has_file_field": False, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)
