"""Clinic details: sensible defaults, one row, edited in admin, shown in every footer (addresses and
opening hours are the locations': tests/practice/test_visit.py)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from practice.models import ClinicDetails

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_sensible_defaults_without_a_row():
    details = ClinicDetails.load()
    assert details.name and details.phone and details.notification_email
    assert not ClinicDetails.objects.exists()


def test_the_address_and_hours_are_no_longer_part_of_the_details():
    names = {field.name for field in ClinicDetails._meta.get_fields()}
    assert not names & {"street_address", "locality", "hours"}
    assert not hasattr(ClinicDetails, "hours_lines")


def test_the_main_location_is_the_first_active_one():
    # The fresh install's location, made by migration 0005.
    assert [location.slug for location in ClinicDetails.load().locations] == ["clinic"]
    assert ClinicDetails.load().main_location.address == "100 Main Street, Suite 200, Springfield, IL 62701"


def test_there_is_only_ever_one_row():
    ClinicDetails(name="First").save()
    ClinicDetails(name="Second").save()
    assert list(ClinicDetails.objects.values_list("pk", "name")) == [(1, "Second")]


def test_phone_link_keeps_only_digits():
    assert ClinicDetails(phone="(555) 010-0199").phone_href == "tel:5550100199"


def test_footer_shows_details_and_saving_refreshes_the_cached_copy(client, django_capture_on_commit_callbacks):
    assertContains(client.get("/"), "Riverside Ketamine Clinic")
    details = ClinicDetails.load()
    details.name = "Lakeside Clinic"
    details.phone = "(555) 010-0123"
    with django_capture_on_commit_callbacks(execute=True):
        details.save()
    response = client.get("/")
    assertContains(response, "Lakeside Clinic")
    # The fresh install's location has no number of its own: the footer shows the main one.
    assertContains(response, '<a href="tel:5550100123">(555) 010-0123</a>', html=True)


def test_admin_edits_the_single_row(staff_client):
    changelist = staff_client.get(reverse("admin:practice_clinicdetails_changelist"))
    assert changelist.status_code == 302
    assert changelist["Location"] == reverse("admin:practice_clinicdetails_change", args=[1])
    form = staff_client.get(changelist["Location"])
    assertContains(form, "Shown to patients")
    assert not form.context["has_add_permission"] and not form.context["has_delete_permission"]
    response = staff_client.post(
        changelist["Location"],
        {
            "name": "Hillside Clinic",
            "phone": "(555) 010-0100",
            "notification_email": "team@hillside.example",
        },
    )
    assert response.status_code == 302
    assert ClinicDetails.load().name == "Hillside Clinic"
    assertNotContains(form, 'name="street_address"')


def test_admin_is_refused_to_anonymous_visitors(client):
    response = client.get(reverse("admin:practice_clinicdetails_change", args=[1]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_worker_rereads_the_details_within_worker_seconds_of_a_save_elsewhere(django_assert_num_queries):
    import time_machine
    from django.core.cache import cache
    from django.utils import timezone

    from practice import models

    models.ClinicDetails().save()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert models.ClinicDetails.load().phone == "(555) 010-0199"
        # Another worker's save: the database and the shared cache change; this worker's copy is not told.
        models.ClinicDetails.objects.filter(pk=1).update(phone="(555) 777-1234")
        cache.delete(models.CACHE_KEY)
        with django_assert_num_queries(0):
            assert models.ClinicDetails.load().phone == "(555) 010-0199"
        clock.shift(models.WORKER_SECONDS)
        assert models.ClinicDetails.load().phone == "(555) 777-1234"
