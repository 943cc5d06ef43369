"""ConsultationRequestForm: helpful validation, normalised phone numbers, an error summary."""

import pytest
from django import forms

from consultations.forms import ConsultationRequestForm
from tests.factories import consultation_post_data

pytestmark = pytest.mark.django_db


def form(**fields) -> ConsultationRequestForm:
    return ConsultationRequestForm(data=consultation_post_data(**fields))


def test_a_complete_form_is_valid_and_saves_a_normalised_phone_number():
    valid = form(phone="202.555.0123")
    assert valid.is_valid(), valid.errors
    consultation = valid.save()
    assert str(consultation.phone) == "+12025550123"
    assert consultation.concerns == ["depression", "anxiety"]
    assert consultation.consented_at is not None


def test_international_numbers_are_accepted_with_a_plus():
    valid = form(phone="+44 20 7946 0958")
    assert valid.is_valid(), valid.errors
    assert str(valid.cleaned_data["phone"]) == "+442079460958"


@pytest.mark.parametrize("phone", ["12", "call me maybe", "555-0100-99999999", "+1 000 000 0000"])
def test_bad_phone_numbers_get_a_clear_message(phone):
    invalid = form(phone=phone)
    assert not invalid.is_valid()
    assert invalid.errors["phone"] == ["Enter a phone number we can call, like (202) 555-0123."]


def test_bad_email_gets_a_clear_message():
    invalid = form(email="jordan@")
    assert not invalid.is_valid()
    assert invalid.errors["email"] == ["Enter an email address like name@example.com."]


GENERIC_REQUIRED = str(forms.Field.default_error_messages["required"])  # "This field is required."
REQUIRED = {
    "who_for", "name", "contact_method", "contact_time", "concerns", "seeing_clinician", "is_adult", "consent",
}  # fmt: skip


def test_the_required_fields_are_the_questions_every_request_needs():
    fields = ConsultationRequestForm().fields
    assert {name for name, field in fields.items() if field.required} == REQUIRED
    assert not fields["phone"].required and not fields["email"].required  # required by the contact method


def test_every_required_answer_has_its_own_message():
    invalid = ConsultationRequestForm(data={"started": consultation_post_data()["started"]})
    assert not invalid.is_valid()
    assert set(invalid.errors) == REQUIRED
    assert invalid.errors["consent"] == ["Tick the box to let us contact you. We cannot reply otherwise."]
    assert invalid.errors["is_adult"] == ["Confirm that you are 18 or older. We can only see adults."]
    assert invalid.errors["who_for"] == ["Choose who the consultation is for."]


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_each_required_field_left_out_alone_gets_its_own_message(name):
    data = consultation_post_data()
    del data[name]
    invalid = ConsultationRequestForm(data=data)
    assert not invalid.is_valid()
    assert list(invalid.errors) == [name]
    assert invalid.errors[name] and GENERIC_REQUIRED not in invalid.errors[name]


@pytest.mark.parametrize(
    ("method", "missing", "message"),
    [
        ("phone", "phone", "Enter a phone number so we can call or text you."),
        ("text", "phone", "Enter a phone number so we can call or text you."),
        ("email", "email", "Enter an email address so we can email you."),
    ],
)
def test_the_contact_detail_a_method_needs_has_its_own_message(method, missing, message):
    invalid = form(contact_method=method, **{missing: ""})
    assert not invalid.is_valid()
    assert invalid.errors == {missing: [message]}


def test_error_summary_links_to_the_first_input_of_each_field():
    invalid = ConsultationRequestForm(
        data=consultation_post_data(who_for="", name="", phone="", concerns=[], contact_time="", consent="")
    )
    assert not invalid.is_valid()
    anchors = [anchor for anchor, _ in invalid.error_summary()]
    # In the page's order; the phone number's message is on the phone number, which the method needs.
    assert anchors == ["id_who_for_0", "id_name", "id_phone", "id_contact_time_0", "id_concerns_0", "id_consent"]


def test_unknown_choices_are_refused():
    invalid = form(concerns=["astrology"], contact_method="pigeon")
    assert not invalid.is_valid()
    assert {"concerns", "contact_method"} <= set(invalid.errors)


def test_fields_have_autocomplete_and_limits():
    fields = ConsultationRequestForm().fields
    assert fields["name"].widget.attrs["autocomplete"] == "name"
    assert fields["email"].widget.attrs["autocomplete"] == "email"
    assert fields["phone"].widget.attrs["autocomplete"] == "tel"
    assert fields["name"].max_length == 100 and fields["message"].max_length == 1000


def test_control_characters_are_removed_before_validation_and_whitespace_trimmed():
    valid = form(name="  Jo\x07rdan\x1b\u202e  ", message="Line one\r\nLine\ttwo\x00\x9b")
    assert valid.is_valid(), valid.errors
    assert valid.cleaned_data["name"] == "Jordan"
    assert valid.cleaned_data["message"] == "Line one\nLine\ttwo"
    only_controls = form(name="\x01\x02")
    assert only_controls.errors["name"] == ["Enter your name."]


def test_a_filled_honeypot_marks_the_post_as_a_bot():
    bot = form(website="http://spam.example")
    assert bot.is_valid() and bot.is_bot
    assert not form().is_bot
