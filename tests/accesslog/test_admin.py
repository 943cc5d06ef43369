"""The access log in admin: superusers read it; nobody adds, changes or deletes an entry there."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accesslog.models import AccessEntry, Action
from tests.factories import log_in_verified, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accesslog_accessentry_changelist")


def make_entry(**fields) -> AccessEntry:
    values = {
        "username": "nurse",
        "action": Action.VIEWED,
        "model": "consultations.consultationrequest",
        "object_ids": [42],
        "labels": ["KC-7Q4M"],
        "ip": "192.0.2.7",
        **fields,
    }
    return AccessEntry.objects.create(**values)


def urls_of(entry) -> dict:
    return {
        "add": reverse("admin:accesslog_accessentry_add"),
        "change": reverse("admin:accesslog_accessentry_change", args=[entry.pk]),
        "delete": reverse("admin:accesslog_accessentry_delete", args=[entry.pk]),
        "history": reverse("admin:accesslog_accessentry_history", args=[entry.pk]),
    }


def test_superusers_see_when_in_clinic_time_who_what_which_and_ip(staff_client, settings):
    settings.TIME_ZONE = "America/New_York"
    make_entry(at=dt.datetime(2026, 7, 1, 16, 5, 9, tzinfo=dt.UTC), action=Action.CHANGED, detail="status, notes")
    make_entry(action=Action.LISTED, object_ids=list(range(1, 8)), labels=[f"KC-000{n}" for n in range(1, 8)])
    response = staff_client.get(CHANGELIST)
    assertContains(response, "July 1, 2026, 12:05:09 p.m. EDT")
    assertContains(response, "Changed: status, notes")
    assertContains(response, "KC-7Q4M (#42)")
    assertContains(response, "KC-0001 (#1), KC-0002 (#2), KC-0003 (#3), KC-0004 (#4) and 3 more")
    assertContains(response, "192.0.2.7")
    assertContains(response, "nurse")


@pytest.mark.parametrize("typed", ["KC-7Q4M", "7q4m"])
def test_search_by_reference(staff_client, typed):
    make_entry(labels=["KC-7Q4M"], username="alex")
    make_entry(labels=["KC-ABCD"], username="sam")
    response = staff_client.get(CHANGELIST, {"q": typed})
    assertContains(response, "KC-7Q4M (#42)")
    assertNotContains(response, "KC-ABCD")


def test_search_by_username_and_filter_by_action_user_and_date(staff_client):
    make_entry(username="alex", labels=["KC-AAAA"], action=Action.EXPORTED)
    make_entry(username="sam", labels=["KC-SSSS"], at=timezone.now() - dt.timedelta(days=40))
    assertNotContains(staff_client.get(CHANGELIST, {"q": "alex"}), "KC-SSSS")
    assertNotContains(staff_client.get(CHANGELIST, {"action__exact": "exported"}), "KC-SSSS")
    assertNotContains(staff_client.get(CHANGELIST, {"username": "sam"}), "KC-AAAA")
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    this_week = staff_client.get(CHANGELIST, {"at__gte": str(midnight - dt.timedelta(days=7))})  # "Past 7 days"
    assertNotContains(this_week, "KC-SSSS")
    assertContains(this_week, "KC-AAAA")


def test_a_superuser_can_read_an_entry_but_not_add_change_or_delete_any(staff_client):
    entry = make_entry()
    urls = urls_of(entry)
    response = staff_client.get(urls["change"])
    assert response.status_code == 200
    assertContains(response, "KC-7Q4M (#42)")
    assertNotContains(response, 'name="_save"')
    assert staff_client.post(urls["change"], {"username": "someone"}).status_code == 403
    assert staff_client.get(urls["add"]).status_code == 403
    assert staff_client.post(urls["add"], {"username": "someone"}).status_code == 403
    assert staff_client.get(urls["delete"]).status_code == 403
    assert staff_client.post(urls["delete"], {"post": "yes"}).status_code == 403
    assert staff_client.get(CHANGELIST).context["action_form"] is None  # no actions, so no bulk delete
    staff_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert AccessEntry.objects.get().username == "nurse"


def test_the_log_is_invisible_to_staff_who_are_not_superusers_even_with_view_permission(client):
    entry = make_entry()
    user = make_staff(
        username="manager",
        superuser=False,
        permissions=[f"accesslog.{action}_accessentry" for action in ("view", "add", "change", "delete")],
    )
    log_in_verified(client, user)
    for name, url in urls_of(entry).items():
        assert client.get(url).status_code == 403, name
    assert client.get(CHANGELIST).status_code == 403
    assert client.post(urls_of(entry)["delete"], {"post": "yes"}).status_code == 403
    assertNotContains(client.get(reverse("admin:index")), "Access log")
    assert client.get(reverse("admin:app_list", args=["accesslog"])).status_code == 404
    assert AccessEntry.objects.count() == 1


def test_superusers_find_the_log_on_admins_home_page(staff_client):
    assertContains(staff_client.get(reverse("admin:index")), CHANGELIST)


def test_the_list_costs_the_same_queries_for_many_entries(staff_client, django_assert_max_num_queries):
    for number in range(20):
        make_entry(username=f"user{number}")
    with django_assert_max_num_queries(12):
        response = staff_client.get(CHANGELIST)
    assertContains(response, "user19")
