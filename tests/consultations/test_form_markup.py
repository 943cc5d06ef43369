"""The form's markup, GOV.UK's pattern (templates/bootstrap5/field.html): in each question the label or
legend, then the hint, then the error message, then the input(s); the error bar on the whole question;
hint and error named by aria-describedby; "Error:" read before each message. The browser tests check
the same on screen (tests/browser/test_consultation_errors.py)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from consultations.forms import ConsultationRequestForm
from tests.factories import consultation_post_data

pytestmark = pytest.mark.django_db

URL = reverse("consultations:request")
GROUPS = ["who_for", "contact_method", "contact_time", "concerns", "seeing_clinician"]
TEXT_INPUTS = ["name", "phone", "email", "heard_about", "message"]
SINGLE_CHECKBOXES = ["is_adult", "consent"]


class Elements(HTMLParser):
    """Every element's tag, attributes and position in the page, and the elements inside each id'd wrapper."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def index(self, **attrs) -> int:
        """Position of the first element with these attributes (class_ matches one class)."""
        wanted_class = attrs.pop("class_", None)
        for position, (_, element) in enumerate(self.elements):
            if all(element.get(name) == value for name, value in attrs.items()) and (
                wanted_class is None or wanted_class in element.get("class", "").split()
            ):
                return position
        raise AssertionError(f"no element with {attrs} {wanted_class or ''}")

    def get(self, **attrs) -> dict:
        return self.elements[self.index(**attrs)][1]

    def tag(self, **attrs) -> str:
        return self.elements[self.index(**attrs)][0]


def post(client, **data) -> tuple[str, Elements]:
    response = client.post(URL, {**data, "started": consultation_post_data()["started"]})
    html = response.content.decode()
    return html, Elements(html)


@pytest.fixture
def with_errors(client) -> tuple[str, Elements]:
    """The page after sending the form empty but for a phone-call choice: every other question has an
    error, the phone number too."""
    return post(client, contact_method="phone")


@pytest.fixture
def empty(client) -> tuple[str, Elements]:
    """The page after sending the form empty: every required question has an error."""
    return post(client)


@pytest.mark.parametrize("name", GROUPS)
def test_a_group_of_choices_is_a_fieldset_legend_hint_error_then_choices(empty, name):
    _, page = empty
    wrapper = page.index(id=f"div_id_{name}")
    fieldset = next(i for i in range(wrapper, len(page.elements)) if page.elements[i][0] == "fieldset")
    legend = fieldset + 1
    assert page.elements[legend][0] == "legend"
    error = page.index(id=f"id_{name}_error")
    first_choice = page.index(id=f"id_{name}_0")
    last_choice = max(i for i, (_, attrs) in enumerate(page.elements) if attrs.get("name") == name)
    assert wrapper < fieldset < legend < error < first_choice <= last_choice
    if page.elements[legend + 1][1].get("id") == f"id_{name}_helptext":
        assert legend < page.index(id=f"id_{name}_helptext") < error
    # The error bar is on the question, and its hint and error are read with it.
    assert "form-group-error" in page.get(id=f"div_id_{name}")["class"].split()
    described = page.elements[fieldset][1]["aria-describedby"].split()
    assert f"id_{name}_error" in described
    assert page.get(id=f"id_{name}_0")["aria-invalid"] == "true"


def test_choose_all_that_apply_comes_before_the_boxes(with_errors):
    html, page = with_errors
    assert page.index(id="id_concerns_helptext") < page.index(id="id_concerns_0")
    assert "Choose all that apply." in html
    assert page.get(id="div_id_concerns")["class"] == "form-group form-group-error"
    assert page.elements[page.index(id="div_id_concerns") + 1][1]["aria-describedby"] == (
        "id_concerns_helptext id_concerns_error"
    )


@pytest.mark.parametrize("name", ["name", "phone"])
def test_a_text_input_is_label_hint_error_then_input(with_errors, name):
    _, page = with_errors
    label = page.index(**{"for": f"id_{name}"})
    error = page.index(id=f"id_{name}_error")
    field = page.index(id=f"id_{name}")
    assert page.index(id=f"div_id_{name}") < label < error < field
    if name == "phone":
        assert label < page.index(id="id_phone_helptext") < error
    attrs = page.get(id=f"id_{name}")
    assert attrs["aria-invalid"] == "true"
    assert attrs["aria-describedby"].split()[-1] == f"id_{name}_error"
    assert "is-invalid" in attrs["class"].split()


@pytest.mark.parametrize("name", SINGLE_CHECKBOXES)
def test_a_single_checkbox_has_its_error_above_and_its_label_beside_the_box(with_errors, name):
    _, page = with_errors
    error = page.index(id=f"id_{name}_error")
    box = page.index(id=f"id_{name}")
    label = page.index(**{"for": f"id_{name}"})
    assert page.index(id=f"div_id_{name}") < error < box < label
    assert page.get(id=f"id_{name}")["aria-describedby"] == f"id_{name}_error"
    assert page.get(id=f"id_{name}")["aria-invalid"] == "true"


def test_each_message_is_read_after_a_hidden_error_prefix(with_errors):
    html, _ = with_errors
    prefixed = html.count('<span class="visually-hidden">Error:</span> ')
    invalid = ConsultationRequestForm(data={"contact_method": "phone", "started": "x"})
    invalid.is_valid()
    assert prefixed == sum(len(errors) for name, errors in invalid.errors.items() if name != "__all__")
    assert '<span class="visually-hidden">Error:</span> Enter a phone number so we can call or text you.' in html


def test_without_errors_there_is_no_error_markup_and_hints_are_still_described(client):
    response = client.get(URL)
    assertNotContains(response, "form-group-error")
    assertNotContains(response, "aria-invalid")
    assertNotContains(response, "Error:")
    page = Elements(response.content.decode())
    assert page.get(id="id_phone")["aria-describedby"] == "id_phone_helptext"
    assert page.elements[page.index(id="div_id_who_for") + 1][1]["aria-describedby"] == "id_who_for_helptext"


def test_question_legends_are_labels_and_only_sections_have_the_large_legend(client):
    page = Elements(client.get(URL).content.decode())
    for name in GROUPS:
        fieldset = page.index(id=f"div_id_{name}") + 1
        assert page.elements[fieldset + 1] == ("legend", {"class": "form-label"})
    section_legends = [attrs for tag, attrs in page.elements if tag == "legend" and not attrs]
    assert len(section_legends) == 4  # About you, Contacting you, How we can help, Before you send


# Who it is for ---------------------------------------------------------------------------------------


def test_who_it_is_for_is_the_first_question_with_nothing_chosen_and_an_always_visible_hint(client):
    response = client.get(URL)
    html = response.content.decode()
    page = Elements(html)
    assert page.index(id="id_who_for_0") < page.index(id="id_name")  # first of all
    assert [page.get(id=f"id_who_for_{i}")["value"] for i in (0, 1)] == ["self", "someone_else"]
    assert "checked" not in page.get(id="id_who_for_0") and "checked" not in page.get(id="id_who_for_1")
    assertContains(response, '<label for="id_who_for_0" class="form-check-label">Me</label>', html=True)
    assertContains(
        response, '<label for="id_who_for_1" class="form-check-label">Someone I care about</label>', html=True
    )
    hint = html[html.index('id="id_who_for_helptext"') :].split("</div>")[0]
    assert "we will need to speak with them themselves" in hint
    family = reverse("articles:detail", args=["for-family-and-friends"])
    assert f'<a href="{family}">guide for family and friends</a>' in hint


def test_who_it_is_for_keeps_the_answer_when_the_form_comes_back(client):
    response = client.post(URL, consultation_post_data(who_for="someone_else", name=""))
    page = Elements(response.content.decode())
    assert "checked" in page.get(id="id_who_for_1") and "checked" not in page.get(id="id_who_for_0")


def test_an_unknown_answer_to_who_it_is_for_is_refused():
    invalid = ConsultationRequestForm(data=consultation_post_data(who_for="everyone"))
    assert not invalid.is_valid()
    assert list(invalid.errors) == ["who_for"]


# Queries ---------------------------------------------------------------------------------------------


def test_the_form_page_needs_no_query_once_the_clinics_facts_are_cached(
    client, django_assert_num_queries, warm_site_state
):
    with django_assert_num_queries(0):  # the contact times come from the cached opening hours
        response = client.get(URL)
    assertContains(response, "Morning (8 am to noon)")


def test_the_form_with_errors_needs_no_query_either(client, django_assert_num_queries, warm_site_state):
    data = consultation_post_data(name="")
    with django_assert_num_queries(0):  # the rate limit counts in the cache
        response = client.post(URL, data)
    assertContains(response, "Enter your name.")


def test_an_error_of_no_field_is_shown_once_in_the_summary(client):
    response = client.post(URL, consultation_post_data(started="not-a-token"))
    html = response.content.decode()
    message = "Something went wrong with this form. Please check your answers and send it again."
    assert html.count(message) == 1
    assert html.index('id="error-summary"') < html.index(message) < html.index('id="consultation-form"')
