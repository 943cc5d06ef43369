"""Hostile, malformed and abusive input to the consultation form, its view and its admin.

Whatever arrives, the visitor gets a page (never a 500), nothing they typed is rendered as HTML,
and what is saved fits its column and carries no control characters.
"""

import logging
import time
import unicodedata
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db.models import CharField, TextField
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertTemplateUsed

from consultations.forms import BAD_TOKEN, TIMING_SALT, ConsultationRequestForm, sign_start_time
from consultations.models import ConsultationRequest
from tests.consultations.thanks import thanked_reference
from tests.factories import consultation_post_data

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")
CHANGELIST = reverse("admin:consultations_consultationrequest_changelist")
PROPERTIES = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = [
    SCRIPT,
    IMG,
    "'; DROP TABLE consultations_consultationrequest;--",
    "' OR '1'='1",
    "\x00",
    "a\x00b",
    "\u202etxt.exe",  # right-to-left override
    "\u200f\u2066\u2069",
    "😀👩🏽‍⚕️",
    "{{ request }}{% debug %}",
    "%s%n%x",
    "\r\nSet-Cookie: pwned=1",
    "x" * 5000,
]
FORM_FIELDS = list(ConsultationRequestForm.base_fields)
TEXT_COLUMNS = [
    field for field in ConsultationRequest._meta.concrete_fields if isinstance(field, CharField | TextField)
]  # name, email, phone, the choices, message, status, notes, email_error

control_heavy = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]) | st.sampled_from("a<>&\"'"))
huge = st.text(max_size=10).map(lambda text: text * 600)
any_text = st.text() | control_heavy | huge | st.sampled_from(HOSTILE)
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(max_size=30), max_size=4).map("".join)


def valid_post(**fields) -> dict:
    """A correctly filled form, as a browser sends it."""
    defaults = {
        "name": "Robin Example",
        "email": "robin@example.com",
        "phone": "(202) 555-0123",
        "contact_method": "phone",
        "contact_time": "any",
        "concerns": ["depression"],
        "seeing_clinician": "no",
    }
    return consultation_post_data(**{**defaults, **fields})


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_characters(text: str) -> set[str]:
    """C0 and C1 controls but tab and newline, and the bidirectional overrides: never kept from a form."""
    controls = {char for char in text if unicodedata.category(char) == "Cc"} - {"\n", "\t"}
    return controls | (set(text) & BIDI_CONTROLS)


def without_control_characters(text: str) -> str:
    """What a free-text field should keep of what was typed: the text less its control characters, stripped."""
    return "".join(char for char in text if not control_characters(char)).strip()


def cleaned_text(form) -> list[str]:
    """Every value in cleaned_data as text (a list, such as the concerns, item by item)."""
    values = form.cleaned_data.values()
    return [str(item) for value in values for item in (value if isinstance(value, list) else [value])]


def saved_text(consultation) -> dict[str, str]:
    """The text columns as stored (phone as its database string, not a PhoneNumber)."""
    names = [field.attname for field in TEXT_COLUMNS]
    return {
        name: str(value)
        for name, value in ConsultationRequest.objects.filter(pk=consultation.pk).values(*names).get().items()
    }


def assert_fits_and_is_clean(consultation):
    for field in TEXT_COLUMNS:
        value = saved_text(consultation)[field.attname]
        assert field.max_length is None or len(value) <= field.max_length, (field.name, len(value))
        assert not control_characters(value), (field.name, value)


def assert_escaped(response):
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body
    assert "<img src=x onerror" not in body


def post_urlencoded(client, data: dict):
    return client.post(URL, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


# The form -----------------------------------------------------------------------------------


@PROPERTIES
@given(
    data=st.dictionaries(
        st.sampled_from(FORM_FIELDS) | st.text(max_size=20),
        any_text | st.lists(any_text | st.sampled_from(["depression", "ptsd", "other"]), max_size=6),
        max_size=len(FORM_FIELDS) + 4,
    )
)
def test_arbitrary_text_is_refused_without_a_crash_and_cleaned_of_control_characters(data):
    form = ConsultationRequestForm(data=data)
    # Nothing generated here carries a token this site signed, so no such post is ever accepted.
    assert not form.is_valid()
    assert BAD_TOKEN in form.non_field_errors()
    for text in cleaned_text(form):
        assert not control_characters(text), text


@PROPERTIES
@given(
    overrides=st.fixed_dictionaries(
        {"name": any_text | hostile_text, "message": any_text | hostile_text},
        optional={field: any_text for field in ("email", "phone", "website", "heard_about", "contact_time")},
    )
)
@example(overrides={"name": "Robin\x01\x07\x1b[31m Example", "message": "one\x00two"})
@example(overrides={"name": "Robin\x1b]0;pwned\x07", "message": "line one\nline\ttwo\x0b\x0c\x7f"})
@example(overrides={"name": "\x01\x02\x03"})
@example(overrides={"email": '"\\\x01"@example.com'})
@example(overrides={"name": "x" * 100 + "\x01"})
def test_hostile_text_in_a_valid_form_is_saved_without_control_characters_or_refused_on_its_field(overrides):
    data = valid_post(**overrides)
    form = ConsultationRequestForm(data=data)
    event(f"valid: {form.is_valid()}")
    # Only a field given hostile text can be wrong, and only that field says so.
    assert not form.non_field_errors()
    assert set(form.errors) <= set(overrides), form.errors
    name, message = without_control_characters(data["name"]), without_control_characters(data["message"])
    if not name:
        assert form.errors["name"] == ["Enter your name."]
    elif len(name) > 100:
        assert form.errors["name"] == [f"Ensure this value has at most 100 characters (it has {len(name)})."]
    else:
        assert "name" not in form.errors
    if len(message) > 1000:
        assert form.errors["message"] == [f"Ensure this value has at most 1000 characters (it has {len(message)})."]
    else:
        assert "message" not in form.errors
    if form.is_valid():
        consultation = form.save()
        assert_fits_and_is_clean(consultation)
        assert (saved_text(consultation)["name"], saved_text(consultation)["message"]) == (name, message)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Robin\rExample", "RobinExample"),
        ("Robin\x85Example", "RobinExample"),
        ("Robin\x9b31mExample", "Robin31mExample"),
        ("\u202eRobin Example\u2069", "Robin Example"),
    ],
)
def test_no_control_character_but_tab_and_newline_is_saved(name, kept):
    form = ConsultationRequestForm(data=valid_post(name=name, message="one\r\ntwo\tthree\x00"))
    assert form.is_valid(), form.errors
    saved = saved_text(form.save())
    assert (saved["name"], saved["message"]) == (kept, "one\ntwo\tthree")


def test_a_list_as_the_start_time_is_a_form_error_not_a_crash():
    form = ConsultationRequestForm(data=valid_post(started=[":"]))
    assert not form.is_valid()
    assert form.non_field_errors() == [BAD_TOKEN]


# The view -----------------------------------------------------------------------------------


@pytest.fixture
def no_rate_limit(settings):
    settings.CLINIC_FORM_RATE = "100000/h"


@PROPERTIES
@given(
    name=st.tuples(hostile_text, hostile_text).map(lambda parts: parts[0] + SCRIPT + parts[1]),
    others=st.dictionaries(
        st.sampled_from(["who_for", "email", "phone", "message", "contact_method", "heard_about", "started", "website"])
        | st.text(min_size=1, max_size=20),
        hostile_text,
        max_size=5,
    ),
    urlencoded=st.booleans(),
)
@example(name=SCRIPT, others={}, urlencoded=False)
@example(name=IMG + SCRIPT, others={"email": IMG, "message": SCRIPT, "contact_method": SCRIPT}, urlencoded=True)
def test_hostile_posts_never_fail_and_are_never_rendered_unescaped(client, no_rate_limit, name, others, urlencoded):
    data = valid_post(**{**others, "name": name})
    response = post_urlencoded(client, data) if urlencoded else client.post(URL, data)
    event(f"status {response.status_code}")
    assert response.status_code in (200, 302) or 400 <= response.status_code < 500, response.status_code
    if response.status_code == 302:
        assert thanked_reference(response)
    assert_escaped(response)


def test_markup_typed_into_the_form_comes_back_as_text(client):
    response = client.post(URL, valid_post(name=SCRIPT, email="not-an-email", message=IMG))
    assertContains(response, 'value="&lt;script&gt;alert(1)&lt;/script&gt;"')
    assertContains(response, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>")
    assert_escaped(response)


@pytest.mark.parametrize("value", HOSTILE)
def test_each_hostile_string_in_every_text_field_gets_a_page(client, no_rate_limit, value):
    fields = {name: value for name in ("name", "email", "phone", "message", "contact_method", "heard_about")}
    response = client.post(URL, valid_post(**fields))
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assert_escaped(response)
    assert not ConsultationRequest.objects.exists()


# The admin ----------------------------------------------------------------------------------


def hostile_request(name: str, message: str = SCRIPT) -> ConsultationRequest:
    return ConsultationRequest.objects.create(
        name=name,
        email="robin@example.com",
        phone="+12025550123",
        contact_method="phone",
        contact_time="any",
        concerns=["depression", SCRIPT],
        seeing_clinician="no",
        message=message,
        notes=IMG,
        consented_at=timezone.now(),
    )


@PROPERTIES
@given(
    name=st.tuples(hostile_text, hostile_text).map(lambda parts: (parts[0][:40] + SCRIPT + parts[1])[:100]),
    message=hostile_text,
)
@example(name=SCRIPT, message="")
@example(name=IMG[:60] + SCRIPT, message=IMG + "\n" + SCRIPT)
def test_hostile_text_is_escaped_in_the_admin(staff_client, name, message):
    # PostgreSQL text cannot hold NUL (the form refuses it, so it never reaches the database).
    consultation = hostile_request(name.replace("\x00", ""), message.replace("\x00", "")[:1000])
    for url in (consultation.get_admin_url(), CHANGELIST):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response)
    consultation.delete()


def test_the_admin_change_changelist_and_history_pages_show_hostile_text_as_text(staff_client):
    consultation = hostile_request(SCRIPT)
    history = reverse("admin:consultations_consultationrequest_history", args=[consultation.pk])
    version = reverse(
        "admin:consultations_consultationrequest_simple_history",
        args=[consultation.pk, consultation.history.get().history_id],
    )
    for url in (consultation.get_admin_url(), CHANGELIST, version):
        assertContains(staff_client.get(url), "&lt;script&gt;alert(1)&lt;/script&gt;")
    for url in (consultation.get_admin_url(), CHANGELIST, history, version):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response)


@pytest.mark.parametrize("query", [SCRIPT, IMG, "'; DROP TABLE x;--", "\u202e", "=1", "abc", "a\x00b"])
def test_admin_search_for_hostile_text_gets_a_page(staff_client, query):
    hostile_request(SCRIPT)
    response = staff_client.get(CHANGELIST, {"q": query})
    assert response.status_code == 200
    assert_escaped(response)


# Explicit cases -----------------------------------------------------------------------------


def test_a_one_megabyte_body_is_refused_with_the_413_page(client):
    body = urlencode(valid_post(message="x" * 1024 * 1024), doseq=True)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assertTemplateUsed(response, "400.html")
    assertContains(response, "We could not read that request", status_code=413)
    assert not ConsultationRequest.objects.exists()


def test_a_post_missing_every_field_shows_the_error_summary_and_saves_nothing(client):
    response = client.post(URL, {})
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assertContains(response, "Enter your name.")
    assertContains(response, "Tick the box to let us contact you.")
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch", "options", "trace"])
def test_methods_other_than_get_head_and_post_are_not_allowed(client, method):
    response = getattr(client, method)(URL, urlencode(valid_post(), doseq=True))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    "started",
    [
        "",
        "not-a-token",
        sign_start_time()[:-2] + "xx",  # signature altered
        signing.dumps(time.time() - 3600, salt="another.salt"),  # signed for something else
        signing.dumps("yesterday", salt=TIMING_SALT),  # signed by us, but not a time
    ],
)
def test_a_tampered_start_time_is_a_form_error_with_a_fresh_token(client, started):
    response = client.post(URL, valid_post(name="Robin Tamper", started=started))
    assert response.status_code == 200
    assertContains(response, "Something went wrong with this form. Please check your answers and send it again.")
    assertContains(response, 'value="Robin Tamper"')
    fresh = response.context["form"].data["started"]
    token = signing.loads(fresh, salt=TIMING_SALT, max_age=60)  # a time and a one-time number
    assert fresh != started and token["t"] <= time.time() and token["n"]
    assert not ConsultationRequest.objects.exists()


def test_a_post_faster_than_a_person_types_is_saved_and_flagged_for_staff(client, settings):
    settings.CLINIC_FORM_MIN_SECONDS = 3600
    reference = thanked_reference(client.post(URL, valid_post(name="Robin Quick", message="Typed quickly")))
    consultation = ConsultationRequest.objects.get(reference=reference)
    assert (consultation.name, consultation.sent_very_fast) == ("Robin Quick", True)


def test_a_filled_honeypot_redirects_to_thanks_and_saves_nothing(client):
    response = client.post(URL, valid_post(website="https://spam.example"))
    assert thanked_reference(response)  # a reference, as a person gets, of a request that does not exist
    assert not ConsultationRequest.objects.exists()


def test_posts_over_the_rate_limit_get_a_429_that_keeps_what_was_typed(client, settings):
    settings.CLINIC_FORM_RATE = "2/h"
    for number in (1, 2):
        assert thanked_reference(client.post(URL, valid_post(name=f"Robin {number}")))
    response = client.post(URL, valid_post(name="Robin Three"))
    assert response.status_code == 429
    assertTemplateUsed(response, "consultations/request_form.html")
    assertContains(response, "Please wait a little before sending again", status_code=429)
    assertContains(response, "Your answers are still below.", status_code=429)
    assertContains(response, 'value="Robin Three"', status_code=429)
    assert sorted(ConsultationRequest.objects.values_list("name", flat=True)) == ["Robin 1", "Robin 2"]


def test_with_the_cache_unreachable_posts_save_and_the_limit_still_holds(client, unreachable_cache, settings, caplog):
    settings.CLINIC_FORM_RATE = "2/h"
    with caplog.at_level(logging.WARNING, logger="web.ratelimit"):
        for number in (1, 2):
            assert thanked_reference(client.post(URL, valid_post(name=f"Robin {number}")))
        refused = client.post(URL, valid_post(name="Robin 3"))
    assert refused.status_code == 429
    assertContains(refused, "Robin 3", status_code=429)  # what they typed is kept
    assert ConsultationRequest.objects.count() == 2
    assert "Rate-limit cache unreachable; counting in the database (group=consultation)" in caplog.messages
