"""The "before going live" checklist on admin's home page: each rule on and off, the links, who sees what."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from practice import checklist
from practice.checklist import Problem, go_live_problems, is_placeholder_email, is_placeholder_phone
from practice.models import ClinicDetails, Clinician, Location, OpeningHours, PriceItem
from tests.factories import log_in_verified, make_clinician, make_staff, placeholder_reviewer

pytestmark = pytest.mark.django_db


def fix_the_details():
    ClinicDetails(
        name="Lakeside Ketamine Care",
        phone="(217) 788-4100",
        notification_email="frontdesk@lakeside-care.test",
    ).save()


def fix_everything():
    fix_the_details()
    Clinician.objects.filter(is_placeholder=True).update(name="Ann Lee", is_placeholder=False)
    PriceItem.objects.create(service="Ketamine infusion", price=450)
    Location.objects.update(street_address="12 Lake Road")


def url_names() -> list[str]:
    return [problem.url_name for problem in go_live_problems()]


@pytest.fixture
def fresh_install():
    """What migrations leave: no details row (the defaults), the placeholder reviewer, one location."""
    placeholder_reviewer()
    assert not ClinicDetails.objects.exists()
    assert Location.objects.filter(street_address=checklist.PLACEHOLDER_ADDRESS).exists()


# The phone and email rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "(555) 010-0199",  # the fresh install's
        "555-010-0199",
        "+1 555 010 0199",
        "1-555-123-4567",  # area code 555 is never assigned
        "555-123-4567",
        "(217) 555-0100",  # 555-0100 to 555-0199 is reserved for fiction in every area code
        "(217) 555-0199 ext. 12",
        "217.555.0142",
        "555-0123",  # no area code
    ],
)
def test_placeholder_phone_numbers(phone):
    assert is_placeholder_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "(217) 788-4100",
        "+1 217 788 4100",
        "(217) 555-1212",  # a real service on the 555 exchange, outside the fictional range
        "(217) 555-0200",
        "(217) 401-5550",
        "788-4100",
        "",
        "call us",
    ],
)
def test_real_phone_numbers(phone):
    assert not is_placeholder_phone(phone)


@pytest.mark.parametrize(
    ("email", "placeholder"),
    [
        ("staff@example.com", True),
        ("Staff@EXAMPLE.ORG", True),
        ("desk@mail.example.net", True),
        ("frontdesk@lakeside-care.com", False),
        ("me@notexample.com", False),
    ],
)
def test_placeholder_emails(email, placeholder):
    assert is_placeholder_email(email) is placeholder


# Each rule on and off -------------------------------------------------------------------------


def test_a_fresh_install_shows_every_item(fresh_install, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # details, clinicians, prices, locations
        problems = go_live_problems()
    assert [problem.url_name for problem in problems] == [
        "admin:practice_clinicdetails_changelist",
        "admin:practice_clinician_change",
        "admin:practice_priceitem_add",
        "admin:practice_location_change",
    ]
    assert all(isinstance(problem, Problem) and problem.permission.startswith("practice.") for problem in problems)
    assert problems[0].message == (
        "The clinic's name, phone number and notification email are still the fresh install's examples."
    )


def test_nothing_is_left_once_everything_is_fixed(fresh_install):
    fix_everything()
    assert go_live_problems() == []


@pytest.mark.parametrize(
    ("field", "value", "left"),
    [
        (
            "name",
            "Lakeside Ketamine Care",
            "phone number and notification email are still the fresh install's examples",
        ),
        ("phone", "(217) 788-4100", "name and notification email are still the fresh install's examples"),
        (
            "notification_email",
            "desk@lakeside-care.com",
            "name and phone number are still the fresh install's examples",
        ),
    ],
)
def test_fixing_one_of_the_clinics_details_removes_it_from_the_line(field, value, left):
    ClinicDetails(**{field: value}).save()
    [message] = [problem.message for problem in go_live_problems() if "clinicdetails" in problem.url_name]
    assert message == f"The clinic's {left}."


def test_a_placeholder_phone_number_in_the_details_is_flagged():
    fix_the_details()
    ClinicDetails(**{**ClinicDetails.objects.values().get(), "phone": "(217) 555-0150"}).save()
    [problem] = [problem for problem in go_live_problems() if "clinicdetails" in problem.url_name]
    assert problem.message == "The clinic's phone number is still the fresh install's example."


def test_fixed_details_remove_their_line():
    fix_the_details()
    assert "admin:practice_clinicdetails_changelist" not in url_names()


def test_the_placeholder_clinician_is_flagged_while_it_is_the_only_reviewer(fresh_install):
    placeholder = Clinician.objects.get(is_placeholder=True)
    make_clinician(name="Not a reviewer", reviews_content=False)
    make_clinician(name="Gone away", reviews_content=True, is_active=False)
    [problem] = [problem for problem in go_live_problems() if "clinician" in problem.url_name]
    assert problem.args == (placeholder.pk,)
    assert "Medical reviewer, MD" in problem.message


def test_the_placeholder_stays_flagged_while_it_shows_beside_a_real_reviewer(fresh_install):
    make_clinician(name="Ann Lee", reviews_content=True)
    assert "admin:practice_clinician_change" in url_names()  # still on the team page and in bylines


@pytest.mark.parametrize(
    "fix",
    [
        lambda placeholder: Clinician.objects.filter(pk=placeholder.pk).update(is_active=False),
        lambda placeholder: placeholder.delete(),
        lambda placeholder: setattr(placeholder, "name", "Ann Lee") or placeholder.save(),  # no longer a placeholder
    ],
    ids=["placeholder hidden", "placeholder deleted", "placeholder renamed"],
)
def test_the_placeholder_clinician_line_goes_when(fresh_install, fix):
    fix(Clinician.objects.get(is_placeholder=True))
    assert "admin:practice_clinician_change" not in url_names()


def test_an_empty_price_list_is_flagged_until_an_active_price_is_added():
    PriceItem.objects.create(service="Hidden", price=100, is_active=False)
    assert "admin:practice_priceitem_add" in url_names()
    PriceItem.objects.create(service="Ketamine infusion")  # "call us" is a price line too
    assert "admin:practice_priceitem_add" not in url_names()


def location_messages() -> list[str]:
    return [problem.message for problem in go_live_problems() if "location" in problem.url_name]


def test_a_location_with_the_fresh_install_address_is_flagged(fresh_install):
    location = Location.objects.get()
    assert location_messages() == [f"Location “{location.name}”: its address is still the fresh install's example."]
    Location.objects.update(street_address="12 Lake Road")
    assert location_messages() == []


def test_a_location_with_a_placeholder_phone_or_no_hours_is_flagged():
    Location.objects.all().delete()
    location = Location.objects.create(
        name="Downtown", slug="downtown", street_address="1 Elm St", locality="Springfield", phone="(217) 555-0110"
    )
    assert location_messages() == ["Location “Downtown”: its phone number is an example and it has no opening hours."]
    OpeningHours.objects.create(location=location, weekday=0, opens=dt.time(9), closes=dt.time(17))
    assert location_messages() == ["Location “Downtown”: its phone number is an example."]
    Location.objects.update(phone="")  # no phone of its own: the clinic's main number
    assert location_messages() == []


def test_hidden_locations_and_no_locations_are_not_flagged():
    Location.objects.update(is_active=False)
    assert location_messages() == []
    Location.objects.all().delete()
    assert location_messages() == []


# On admin's home page -------------------------------------------------------------------------


def checklist_links(html: str) -> list[str]:
    section = re.search(r'<section class="go-live-checklist".*?</section>', html, re.S)
    assert section, "no checklist on the page"
    return re.findall(r'<a href="([^"]+)"', section.group())


def test_admin_home_shows_the_checklist_with_links_that_work(fresh_install, staff_client):
    response = staff_client.get(reverse("admin:index"))
    assertContains(response, "Before going live")
    assertContains(response, "The price list is empty")
    assertContains(response, "/static/css/admin.css")
    links = checklist_links(response.content.decode())
    assert reverse("admin:practice_clinicdetails_changelist") in links
    assert reverse("admin:practice_clinician_change", args=[Clinician.objects.get(is_placeholder=True).pk]) in links
    for link in links:
        assert staff_client.get(link, follow=True).status_code == 200, link


def test_admin_home_shows_nothing_once_everything_is_fixed(fresh_install, staff_client):
    fix_everything()
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assertNotContains(response, "go-live-checklist")
    assertNotContains(response, "Before going live")


def test_staff_without_the_permission_see_the_items_without_links(fresh_install, client):
    log_in_verified(client, make_staff(superuser=False, permissions=["practice.change_clinician"]))
    html = client.get(reverse("admin:index")).content.decode()
    assert "name, phone number and notification email" in html and "The price list is empty" in html
    placeholder = Clinician.objects.get(is_placeholder=True)
    assert checklist_links(html) == [reverse("admin:practice_clinician_change", args=[placeholder.pk])]


def test_an_item_whose_admin_page_does_not_exist_shows_without_a_link(staff_client, monkeypatch):
    from practice.templatetags import go_live

    problems = [Problem("Something to fix.", "admin:practice_nothing_here", permission="practice.change_location")]
    monkeypatch.setattr(go_live, "go_live_problems", lambda: problems)
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "Something to fix." in html
    assert checklist_links(html) == []


def test_the_checklist_costs_a_few_queries_on_admin_home_only(
    fresh_install, staff_client, django_assert_max_num_queries
):
    staff_client.get(reverse("admin:index"))  # warm: sessions, permissions, content types
    with django_assert_max_num_queries(17) as captured:
        staff_client.get(reverse("admin:index"))
    checklist_queries = [q["sql"] for q in captured.captured_queries if '"practice_' in q["sql"]]
    assert len(checklist_queries) <= 5  # details, clinicians, prices, locations (with their hours)
    other = staff_client.get(reverse("admin:practice_clinician_changelist"))
    assertNotContains(other, "Before going live")


@pytest.mark.browser
def test_the_checklist_on_admin_home_in_a_browser(page, live_server, assert_accessible):
    from playwright.sync_api import expect

    from tests.conftest import DESKTOP
    from tests.factories import current_totp, enroll_totp

    placeholder_reviewer()  # what migrations made may be gone: earlier live-server tests empty the database
    Location.objects.update_or_create(slug="clinic", defaults={"street_address": checklist.PLACEHOLDER_ADDRESS})
    device = enroll_totp(make_staff(password="correct-horse-battery"))
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_label("Code from your authenticator app").fill(current_totp(device))
    page.get_by_role("button", name="Log in").click()

    box = page.get_by_role("region", name="Before going live")
    expect(box.get_by_role("listitem")).to_have_count(4)
    assert_accessible(page)
    box.get_by_role("link", name="Edit the placeholder clinician").click()
    expect(page.get_by_role("heading", name="Change clinician")).to_be_visible()
