"""PublicFormMixin: what every public form shares, checked on a small form of its own and on the real ones."""

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.http import QueryDict

from consultations.forms import ConsultationRequestForm
from newsletter.forms import SignupForm
from web.public_forms import PublicFormMixin, honeypot_layout


class PetForm(PublicFormMixin, forms.Form):
    name = forms.CharField(error_messages={"required": "Enter a name."})
    kind = forms.ChoiceField(choices=[("cat", "Cat"), ("dog", "Dog")], widget=forms.RadioSelect)
    notes = forms.CharField(required=False, widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") == "Rex" and cleaned.get("kind") == "cat":
            raise forms.ValidationError("Rex is a dog's name.")
        return cleaned


def post(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in {"name": "Tom", "kind": "cat", **fields}.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


def test_control_characters_are_removed_before_fields_see_them_and_tabs_and_newlines_stay():
    data = post(name="T\x00o\x1bm\u202e", notes="one\r\ntwo\tthree\x7f\x9b\u2066")
    form = PetForm(data)
    assert form.data["name"] == "Tom" and form.data["notes"] == "one\ntwo\tthree"
    assert form.is_valid(), form.errors
    assert form.cleaned_data["notes"] == "one\ntwo\tthree"
    assert data["name"] == "T\x00o\x1bm\u202e"  # the request's own data is left alone


def test_every_value_of_a_repeated_field_is_cleaned_and_plain_dicts_work_too():
    assert PetForm(post(notes=["a\x00", "b\x01"])).data.getlist("notes") == ["a", "b"]
    assert PetForm({"name": "T\x07om", "kind": "cat"}).data["name"] == "Tom"
    assert PetForm().data == {}  # an unbound form has nothing to clean


def test_the_honeypot_is_an_optional_field_keyboards_and_autofill_skip():
    field = PetForm().fields["website"]
    assert not field.required and field.label == "Leave this empty"
    assert field.widget.attrs.items() >= {"autocomplete": "off", "tabindex": "-1"}.items()


@pytest.mark.parametrize(
    ("website", "is_bot"), [("", False), ("   ", False), ("http://spam.example", True), ("\x00", False)]
)
def test_a_valid_form_with_the_honeypot_filled_is_a_bot(website, is_bot):
    form = PetForm(post(website=website))
    assert form.is_valid(), form.errors
    assert form.is_bot is is_bot


def test_an_invalid_form_is_shown_its_errors_even_with_the_honeypot_filled():
    form = PetForm(post(name="", website="http://spam.example"))
    assert not form.is_bot and form.errors["name"] == ["Enter a name."]
    assert not PetForm().is_bot


def test_is_bot_validates_the_form_if_the_view_has_not_yet():
    assert PetForm(post(website="http://spam.example")).is_bot


def test_error_summary_links_each_message_to_its_fields_first_input():
    form = PetForm(post(name="", kind=""))
    assert form.error_summary() == [("id_name", "Enter a name."), ("id_kind_0", "This field is required.")]


def test_error_summary_puts_form_wide_errors_first_and_follows_the_forms_ids():
    form = PetForm(post(name="Rex", notes="x" * 10), auto_id="pet-%s")
    form.add_error("notes", "Too short.")
    assert form.error_summary() == [("", "Rex is a dog's name."), ("pet-notes", "Too short.")]
    prefixed = PetForm({"pet-name": "Tom", "pet-kind": "fish"}, prefix="pet")
    assert [anchor for anchor, _ in prefixed.error_summary()] == ["id_pet-kind_0"]


def test_honeypot_layout_hides_the_field_in_a_wrapper_css_hides():
    form = PetForm()
    form.helper = FormHelper()
    form.helper.layout = Layout("name", honeypot_layout())
    shown, hidden = render_crispy_form(form).split('class="hp-field"')
    assert 'name="website"' not in shown
    assert 'name="website"' in hidden and 'tabindex="-1"' in hidden


@pytest.mark.parametrize("form_class", [ConsultationRequestForm, SignupForm])
def test_the_public_forms_render_the_honeypot_hidden(form_class, db):
    html = render_crispy_form(form_class())
    assert html.count('name="website"') == 1
    assert html.index('class="hp-field"') < html.index('name="website"')
