"""The consultation form offers only the contact times when the clinic is open: "any time" always,
and morning, afternoon or early evening only if some active location is open then on some day."""

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.forms import ConsultationRequestForm, contact_time_choices
from consultations.models import ContactTime
from practice.models import Location, OpeningHours
from tests.factories import consultation_post_data

pytestmark = pytest.mark.django_db
ALL = ["any", "morning", "afternoon", "evening"]


def set_hours(*periods: tuple[int, str, str], location: Location | None = None) -> None:
    """The fresh install's location (migration 0005) with only these periods."""
    location = location or Location.objects.get(slug="clinic")
    location.opening_hours.all().delete()
    for weekday, opens, closes in periods:
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=dt.time.fromisoformat(opens), closes=dt.time.fromisoformat(closes)
        )


def offered() -> list[str]:
    return [value for value, _ in contact_time_choices()]


def test_closing_at_5_pm_every_day_offers_no_evening():
    # The fresh install's hours: Monday to Friday 8 am to 5 pm, Saturday 9 am to 1 pm.
    assert offered() == ["any", "morning", "afternoon"]


def test_opening_late_on_one_day_offers_the_evening():
    set_hours((0, "08:00", "17:00"), (3, "12:00", "19:00"))
    assert offered() == ALL


def test_a_clinic_open_only_in_the_afternoons_offers_no_morning():
    set_hours(*[(day, "12:00", "18:00") for day in range(5)])
    assert offered() == ["any", "afternoon", "evening"]


def test_a_period_that_ends_as_a_slot_starts_does_not_count():
    set_hours((0, "08:00", "12:00"))  # closes at noon: no afternoon
    assert offered() == ["any", "morning"]


def test_the_hours_of_every_active_location_count_and_of_no_inactive_one():
    other = Location.objects.create(name="Eastside", slug="eastside", street_address="9 Oak Ave", locality="X")
    set_hours((2, "16:00", "20:00"), location=other)
    assert offered() == ALL
    other.is_active = False
    other.save()
    assert offered() == ["any", "morning", "afternoon"]


def test_with_no_opening_hours_known_every_time_is_offered():
    set_hours()
    assert offered() == ALL


def test_the_form_page_shows_only_the_offered_times(client):
    response = client.get(reverse("consultations:request"))
    assertContains(response, ContactTime.AFTERNOON.label)
    assertNotContains(response, ContactTime.EVENING.label)


def test_a_time_no_longer_offered_gets_a_clear_message_and_the_stored_values_stay():
    invalid = ConsultationRequestForm(data=consultation_post_data(contact_time="evening"))
    assert not invalid.is_valid()
    assert invalid.errors["contact_time"] == ["Choose one of the times shown."]
    set_hours((4, "15:00", "19:00"))
    valid = ConsultationRequestForm(data=consultation_post_data(contact_time="evening"))
    assert valid.is_valid(), valid.errors
    assert valid.save().contact_time == "evening"


# The labels: honest about the hours ----------------------------------------------------------


def labels() -> dict[str, str]:
    return dict(contact_time_choices())


def test_a_clinic_that_closes_at_5_pm_is_offered_no_5_to_7_pm_slot(client):
    set_hours(*[(day, "09:00", "17:00") for day in range(5)])
    assert "evening" not in labels()
    response = client.get(reverse("consultations:request"))
    assertNotContains(response, "Early evening")
    assertNotContains(response, "7 pm")


def test_the_labels_give_the_hours_the_clinic_is_open_in_each_slot():
    set_hours(*[(day, "09:00", "18:30") for day in range(5)])
    assert labels() == {
        "any": "Any time",
        "morning": "Morning (9 am to noon)",
        "afternoon": "Afternoon (noon to 5 pm)",
        "evening": "Early evening (5 pm to 6:30 pm)",
    }


def test_the_labels_span_the_earliest_opening_and_latest_closing_of_every_day_and_location():
    set_hours((0, "10:00", "16:00"), (2, "08:30", "12:00"), (5, "12:00", "14:00"))
    assert labels() == {
        "any": "Any time",
        "morning": "Morning (8:30 am to noon)",
        "afternoon": "Afternoon (noon to 4 pm)",
    }


def test_the_fresh_installs_hours_keep_the_usual_labels():
    # Monday to Friday 8 am to 5 pm, Saturday 9 am to 1 pm: the slots as the model labels them.
    assert labels() == {value: label for value, label in ContactTime.choices if value != "evening"}


def test_a_relabelled_slot_still_stores_its_value():
    set_hours(*[(day, "09:00", "17:00") for day in range(5)])
    valid = ConsultationRequestForm(data=consultation_post_data(contact_time="morning"))
    assert valid.is_valid(), valid.errors
    assert valid.save().contact_time == "morning"
