"""Reverting to an old version in History is a change: only staff who may change the record do it.

simple_history saves a posted revert for anyone who may view the history (staff/history.py refuses it).
Every admin with a history is checked, found in admin's registry, so a new one is covered when added.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from newsletter.models import Issue
from practice.models import Clinician, CostSection, Location, OpeningHours, PriceItem
from staff.history import HistoryAdmin
from tests.articles.test_admin import browser_post_data
from tests.conftest import FormClient
from tests.factories import log_in_verified, make_article, make_consultation, make_staff

pytestmark = pytest.mark.django_db

# For each model with a history: a record of it, and a field a revert puts back.
RECORDS = {
    "articles.Article": (make_article, "title"),
    "consultations.ConsultationRequest": (make_consultation, "notes"),
    "newsletter.Issue": (lambda: Issue.objects.create(subject="Spring news", body="Hello."), "subject"),
    "practice.Clinician": (lambda: Clinician.objects.first(), "role"),  # the placeholder, from a migration
    "practice.CostSection": (lambda: CostSection.objects.first(), "title"),
    "practice.Location": (lambda: Location.objects.first(), "name"),
    "practice.OpeningHours": (lambda: OpeningHours.objects.first(), "closes"),
    "practice.PriceItem": (lambda: PriceItem.objects.create(service="Infusion", price=Decimal("450")), "service"),
}
NEW_VALUES = {"closes": dt.time(16, 30)}
# No revert for anyone: a request's would send its emails again; opening hours are changed on their
# location's page only (OpeningHoursAdmin is read only).
NO_REVERT = ["consultations.ConsultationRequest", "practice.OpeningHours"]

HISTORY_ADMINS = sorted(
    model._meta.label for model, model_admin in admin.site._registry.items() if isinstance(model_admin, HistoryAdmin)
)


def test_every_admin_with_a_history_is_checked():
    assert HISTORY_ADMINS == sorted(RECORDS)


def a_record_with_an_old_version(label: str):
    """The record, changed since the version returned (the record's field now reads differently)."""
    make, field = RECORDS[label]
    record = make()
    record.save()  # a version with the values to go back to (records made by migrations have none)
    old_version = record.history.latest()
    setattr(record, field, NEW_VALUES.get(field, "Changed since"))
    record.save()
    return record, old_version, field


def version_url(record, version) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[record.pk, version.pk])


def signed_in(user) -> FormClient:
    client = FormClient()
    log_in_verified(client, user)
    return client


def staff_who_may(record, *actions: str):
    opts = record._meta
    return make_staff(
        username="-".join(actions),
        superuser=False,
        permissions=[f"{opts.app_label}.{a}_{opts.model_name}" for a in actions],
    )


def revert_form_data(record, version) -> dict:
    """What the version's form posts, as a superuser's browser would see it."""
    response = signed_in(make_staff(username="super")).get(version_url(record, version))
    return browser_post_data(response, form_id=f"historical{record._meta.model_name}_form")


@pytest.mark.parametrize("label", HISTORY_ADMINS)
def test_staff_who_may_only_view_cannot_revert(label):
    record, old_version, field = a_record_with_an_old_version(label)
    changed = getattr(record, field)
    data = revert_form_data(record, old_version)
    viewer = signed_in(staff_who_may(record, "view"))

    assert viewer.get(version_url(record, old_version)).status_code == 200  # they may still read it
    assert viewer.post(version_url(record, old_version), data).status_code == 403

    record.refresh_from_db()
    assert getattr(record, field) == changed


@pytest.mark.parametrize("label", sorted(set(HISTORY_ADMINS) - set(NO_REVERT)))
def test_staff_who_may_change_can_revert(label):
    record, old_version, field = a_record_with_an_old_version(label)
    editor = signed_in(staff_who_may(record, "view", "change"))
    form = editor.get(version_url(record, old_version))
    data = browser_post_data(form, form_id=f"historical{record._meta.model_name}_form")

    response = editor.post(version_url(record, old_version), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    record.refresh_from_db()
    assert getattr(record, field) == getattr(old_version, field)


@pytest.mark.parametrize("superuser", [False, True])
@pytest.mark.parametrize("label", NO_REVERT)
def test_no_one_reverts_a_consultation_request_or_opening_hours(label, superuser):
    record, old_version, field = a_record_with_an_old_version(label)
    changed = getattr(record, field)
    data = revert_form_data(record, old_version)
    user = make_staff(username="boss") if superuser else staff_who_may(record, "view", "change")
    client = signed_in(user)

    page = client.get(version_url(record, old_version))
    assert page.status_code == 200  # the version still opens, to read
    assert page.context["revert_disabled"]
    assert client.post(version_url(record, old_version), data).status_code == 403

    record.refresh_from_db()
    assert getattr(record, field) == changed
