"""Every request gets its own reference, even when a random draw repeats one already given."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import REFERENCE_ALPHABET, ConsultationRequest, new_reference
from tests.factories import consultation_post_data, make_consultation

URL = reverse("consultations:request")
FORM = "application/x-www-form-urlencoded"


def post(client, **fields):
    return client.post(URL, urlencode(consultation_post_data(**fields), doseq=True), content_type=FORM)


def test_a_reference_is_kc_and_four_characters_without_look_alikes():
    for _ in range(200):
        reference = new_reference()
        assert reference[:3] == "KC-" and len(reference) == 7
        assert set(reference[3:]) <= set(REFERENCE_ALPHABET)
    assert not set("01ILOUV") & set(REFERENCE_ALPHABET)


@pytest.mark.django_db
def test_a_reference_already_given_is_drawn_again(client, monkeypatch):
    make_consultation(reference="KC-7Q4M")
    draws = iter(["KC-7Q4M", "KC-7Q4M", "KC-8R5N"])
    monkeypatch.setattr(services, "new_reference", lambda: next(draws))
    response = post(client, name="New Visitor")
    assert response.status_code == 302
    assert ConsultationRequest.objects.get(name="New Visitor").reference == "KC-8R5N"


@pytest.mark.django_db(transaction=True)
def test_a_reference_taken_between_the_draw_and_the_save_is_drawn_again_and_nothing_is_lost(client, monkeypatch):
    """Another request took the reference after it was checked: the insert fails, and is made again."""
    make_consultation(reference="KC-7Q4M")
    drawn = iter(["KC-7Q4M", "KC-9T6P"])
    monkeypatch.setattr(services, "unused_reference", lambda: next(drawn))  # as if free when checked
    response = post(client, name="New Visitor")
    assert response.status_code == 302
    saved = ConsultationRequest.objects.get(name="New Visitor")
    assert saved.reference == "KC-9T6P"
    assert ConsultationRequest.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_is_still_one_request_with_one_reference(client):
    data = consultation_post_data()
    first = client.post(URL, urlencode(data, doseq=True), content_type=FORM)
    second = client.post(URL, urlencode(data, doseq=True), content_type=FORM)
    assert first["Location"] == second["Location"]
    assert ConsultationRequest.objects.count() == 1
