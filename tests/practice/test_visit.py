"""Locations and their opening hours: the rules for periods, how hours read, every footer, the visit
pages (one location or several), their queries, and staff edits showing at once on cached pages."""

import datetime as dt
from itertools import count

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from practice.models import (
    LOCATIONS_CACHE_KEY,
    ClinicDetails,
    Location,
    OpeningHours,
    forget_cached_details,
    format_time,
    group_opening_hours,
)

pytestmark = pytest.mark.django_db
_numbers = count(1)
WEEKDAYS_8_TO_5 = [(day, "08:00", "17:00") for day in range(5)]


def time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def make_location(hours=WEEKDAYS_8_TO_5, **fields) -> Location:
    number = next(_numbers)
    values = {
        "name": f"Clinic {number}",
        "slug": f"clinic-{number}",
        "street_address": f"{number} River Road",
        "locality": "Springfield, IL 62701",
        "order": number,
    }
    location = Location.objects.create(**{**values, **fields})
    for weekday, opens, closes in hours:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=time(opens), closes=time(closes))
    return location


def only_location(**fields) -> Location:
    """The fresh install's location (migration 0005), changed as a test needs."""
    location = Location.objects.get(slug="clinic")
    for name, value in fields.items():
        setattr(location, name, value)
    location.save()
    return location


def period(weekday, opens, closes, location=None) -> OpeningHours:
    return OpeningHours(location=location, weekday=weekday, opens=time(opens), closes=time(closes))


def hours_row(days: str, *periods: str) -> str:
    """A row of a visit page's opening hours, as the page writes it."""
    spans = " and ".join(f'<span class="opening-period">{period}</span>' for period in periods) or "Closed"
    return f"<div><dt>{days}</dt><dd>{spans}</dd></div>"


def lines(periods) -> list[str]:
    return [str(line) for line in group_opening_hours(periods)]


# How hours read ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [("08:00", "8 am"), ("17:00", "5 pm"), ("17:30", "5:30 pm"), ("09:05", "9:05 am"), ("12:00", "noon"),
     ("12:30", "12:30 pm"), ("00:00", "midnight"), ("00:30", "12:30 am"), ("23:59", "11:59 pm")],
)  # fmt: skip
def test_times_read_us_style_without_zero_minutes(value, text):
    assert format_time(time(value)) == text


def test_consecutive_days_with_the_same_hours_share_a_line():
    week = [period(day, "08:00", "17:00") for day in range(5)] + [period(5, "09:00", "13:00")]
    assert lines(week) == ["Monday to Friday: 8 am to 5 pm", "Saturday: 9 am to 1 pm", "Sunday: closed"]


def test_a_day_with_two_periods_and_days_that_only_look_alike():
    week = [
        period(0, "13:00", "17:00"),
        period(0, "08:00", "12:00"),  # given out of order: read in order
        period(1, "08:00", "12:00"),
        period(1, "13:00", "17:00"),
        period(2, "10:00", "19:30"),
        period(3, "08:00", "12:00"),  # like Monday, but not next to it
        period(3, "13:00", "17:00"),
    ]
    assert lines(week) == [
        "Monday and Tuesday: 8 am to noon and 1 pm to 5 pm",
        "Wednesday: 10 am to 7:30 pm",
        "Thursday: 8 am to noon and 1 pm to 5 pm",
        "Friday to Sunday: closed",
    ]


def test_every_day_and_no_hours_at_all():
    assert lines(period(day, "09:00", "17:00") for day in range(7)) == ["Every day: 9 am to 5 pm"]
    assert lines([period(6, "10:00", "14:00")]) == ["Monday to Saturday: closed", "Sunday: 10 am to 2 pm"]
    assert lines([]) == []  # unknown, which is not "closed all week"


# The rules for periods --------------------------------------------------------------------------


@pytest.mark.parametrize(("opens", "closes"), [("17:00", "09:00"), ("09:00", "09:00")])
def test_a_period_that_closes_before_it_opens_is_refused(opens, closes):
    with pytest.raises(ValidationError) as refused:
        period(0, opens, closes, make_location(hours=[])).full_clean()
    assert refused.value.message_dict == {
        "closes": [
            f"The closing time ({format_time(time(closes))}) must be later than the opening time "
            f"({format_time(time(opens))}). Times use the 24-hour clock: enter 5 pm as 17:00."
        ]
    }


def test_the_database_refuses_an_inverted_period_too():
    location = make_location(hours=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(location=location, weekday=0, opens=time("17:00"), closes=time("09:00"))


def test_a_period_overlapping_a_saved_one_of_that_day_is_refused():
    location = make_location(hours=[(0, "08:00", "12:00")])
    with pytest.raises(ValidationError) as refused:
        period(0, "11:00", "17:00", location).full_clean()
    assert refused.value.messages == [
        "Monday 11 am to 5 pm overlaps Monday 8 am to noon. A day can have two opening periods (before and "
        "after lunch, say), but they must not overlap: change the times, or remove one of them."
    ]


def test_periods_that_touch_or_are_elsewhere_are_accepted():
    location = make_location(hours=[(0, "08:00", "12:00")])
    period(0, "12:00", "17:00", location).full_clean()  # touching: noon to noon
    period(1, "08:00", "17:00", location).full_clean()  # another day
    period(0, "08:00", "17:00", make_location(hours=[])).full_clean()  # another location
    saved = location.opening_hours.get()
    saved.closes = time("13:00")
    saved.full_clean()  # a period never clashes with itself


def test_the_map_link_searches_openstreetmap_for_the_address():
    location = Location(street_address="100 Main Street, Suite 200", locality="Springfield, IL 62701")
    assert location.map_url == (
        "https://www.openstreetmap.org/search?query=100+Main+Street%2C+Suite+200%2C+Springfield%2C+IL+62701"
    )


def test_markdown_is_rendered_on_save_and_sanitised():
    location = make_location(
        directions="Use the **side door**.\n\n<script>alert(1)</script><a href='javascript:x()' onclick='y()'>here</a>",
        parking="",
    )
    assert "<strong>side door</strong>" in location.directions_html
    assert "<script" not in location.directions_html and "onclick" not in location.directions_html
    assert "javascript:" not in location.directions_html
    assert location.parking_html == ""


def test_a_location_without_its_own_number_shows_the_main_one():
    assert make_location().shown_phone == ClinicDetails.load().phone
    own = make_location(phone="(217) 555-0142")
    assert (own.shown_phone, own.phone_href) == ("(217) 555-0142", "tel:2175550142")


# The cached locations every page shows ----------------------------------------------------------


def test_active_locations_are_read_once_then_from_the_cache(django_assert_num_queries):
    make_location(name="Second", hours=[(5, "10:00", "14:00")])
    make_location(name="Hidden", is_active=False)
    make_location(name="No hours yet", hours=[])
    ClinicDetails.load()  # the details in the shared cache; the locations were forgotten by the saves
    forget_cached_details(LOCATIONS_CACHE_KEY)
    with django_assert_num_queries(1):  # the locations and their hours, together
        locations = Location.load_active()
    assert [location.name for location in locations] == ["Our clinic", "Second", "No hours yet"]
    assert [str(line) for line in locations[1].hours_lines] == ["Monday to Friday: closed", "Saturday: 10 am to 2 pm",
                                                                "Sunday: closed"]  # fmt: skip
    assert locations[2].hours_lines == []
    with django_assert_num_queries(0):
        assert Location.load_active()[0].address == "100 Main Street, Suite 200, Springfield, IL 62701"


@pytest.mark.parametrize("change", ["save location", "add hours", "save hours", "delete hours", "delete location"])
def test_every_change_to_a_location_or_its_hours_forgets_the_cached_copy(change, django_assert_num_queries):
    location = make_location(name="Changing")
    Location.load_active()
    hours = location.opening_hours.first()
    if change == "save location":
        location.name = "Changed"
        location.save()
    elif change == "add hours":
        OpeningHours.objects.create(location=location, weekday=6, opens=time("10:00"), closes=time("12:00"))
    elif change == "save hours":
        hours.closes = time("16:00")
        hours.save()
    elif change == "delete hours":
        hours.delete()
    else:
        Location.objects.filter(pk=location.pk).delete()  # as admin's bulk action does: no delete() call
    with django_assert_num_queries(1):
        Location.load_active()


def test_the_footer_of_every_page_shows_each_location_its_phone_and_hours(client):
    make_location(name="Eastside", street_address="9 Oak Avenue", phone="(217) 555-0142", hours=[(3, "12:00", "19:00")])
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for text in ("<h3>Our clinic</h3>", "100 Main Street, Suite 200", "<li>Monday to Friday: 8 am to 5 pm</li>",
                 "<li>Saturday: 9 am to 1 pm</li>", "<li>Sunday: closed</li>", "<h3>Eastside</h3>", "9 Oak Avenue",
                 '<a href="tel:2175550142">(217) 555-0142</a>', "<li>Thursday: noon to 7 pm</li>",
                 '<a href="/visit/">Visiting us: directions, parking and access</a>'):  # fmt: skip
        assert text in footer, text


def test_with_one_location_the_footer_says_opening_hours_without_naming_it(client):
    html = client.get("/articles/").content.decode()
    assert "<h3>Opening hours</h3>" in html and "<h3>Our clinic</h3>" not in html


def test_the_footer_needs_no_query_once_the_locations_are_cached(client, django_assert_num_queries, warm_site_state):
    with django_assert_num_queries(1):  # the home page's own: its featured articles
        response = client.get("/")
    assertContains(response, "Monday to Friday: 8 am to 5 pm")


def test_emails_and_the_thanks_page_give_the_main_locations_address_and_hours(client):
    only_location(street_address="12 Elm Street", locality="Peoria, IL 61602")
    clinic = ClinicDetails.load()
    confirmation = render_to_string("consultations/email/confirmation.txt", {"clinic": clinic})
    assert "12 Elm Street, Peoria, IL 61602\n(555) 010-0199" in confirmation
    issue = render_to_string("newsletter/email/issue.txt", {"clinic": clinic, "issue": {"subject": "Hi"}})
    assert "Riverside Ketamine Clinic\n12 Elm Street\nPeoria, IL 61602\nPhone: (555) 010-0199" in issue
    assertContains(
        client.get(reverse("consultations:thanks")),
        "(we are open Monday to Friday, 8 am to 5 pm; Saturday, 9 am to 1 pm)",
    )


# The visit pages -------------------------------------------------------------------------------


def test_with_one_location_the_visit_page_tells_everything(client, django_assert_num_queries, warm_site_state):
    only_location(
        phone="(217) 555-0100",
        directions="Enter from **Elm Street**, next to the pharmacy.",
        parking="Free parking behind the building.",
        public_transport="Bus 7 stops outside.",
        accessibility="Step-free entrance and a lift to every floor.",
    )
    Location.load_active()  # saving forgot the footer's copy: read it again, as the first page after a save does
    with django_assert_num_queries(2):  # the location, its hours
        response = client.get(reverse("practice:visit"))
    assertTemplateUsed(response, "practice/location.html")
    assertContains(response, "<h1>Visiting us</h1>", html=True)
    assertContains(response, "100 Main Street, Suite 200")
    assertContains(response, '<a class="visit-phone" href="tel:2175550100">(217) 555-0100</a>', html=True, count=2)
    assertContains(
        response,
        '<a class="map-link" href="https://www.openstreetmap.org/search?query=100+Main+Street%2C+Suite+200%2C+'
        'Springfield%2C+IL+62701" rel="external noreferrer">Open in a map '
        '<span class="map-link-site">(on the OpenStreetMap website)</span></a>',
        html=True,
    )
    assertContains(response, hours_row("Monday to Friday", "8 am to 5 pm"), html=True)
    assertContains(response, hours_row("Sunday"), html=True)
    for heading, text in [
        ("Finding us", "Enter from <strong>Elm Street</strong>, next to the pharmacy."),
        ("Parking", "Free parking behind the building."),
        ("By bus or train", "Bus 7 stops outside."),
        ("Getting into the building", "Step-free entrance and a lift to every floor."),
    ]:
        assertContains(response, f">{heading}</h2>")
        assertContains(response, text)
    assertNotContains(response, "call us. We are glad to explain")  # everything is written down
    assertNotContains(response, 'aria-label="Breadcrumb"')


def test_a_location_with_nothing_written_yet_offers_to_explain_by_phone(client):
    response = client.get(reverse("practice:visit"))
    assertContains(response, "call us. We are glad to explain")
    assertNotContains(response, ">Parking</h2>")


def test_with_several_locations_the_visit_page_lists_them_each_with_its_page(
    client, django_assert_num_queries, warm_site_state
):
    make_location(name="Eastside", slug="eastside", hours=[(3, "12:00", "19:00")], parking="Park on **Oak Avenue**.")
    make_location(name="Northside", slug="northside")
    make_location(name="Closed for good", slug="closed", is_active=False)
    Location.load_active()
    with django_assert_num_queries(2):  # the locations, their hours (three locations: no query each)
        response = client.get(reverse("practice:visit"))
    assertTemplateUsed(response, "practice/visit.html")
    for name, url in (
        ("Our clinic", "/visit/clinic/"),
        ("Eastside", "/visit/eastside/"),
        ("Northside", "/visit/northside/"),
    ):
        assertContains(response, f'<a href="{url}">{name}</a>', html=True)
    assertContains(response, hours_row("Thursday", "Noon to 7 pm"), html=True)
    assertNotContains(response, "Closed for good")

    with django_assert_num_queries(2):  # the location, its hours
        response = client.get("/visit/eastside/")
    assertTemplateUsed(response, "practice/location.html")
    assertContains(response, "<h1>Eastside</h1>", html=True)
    assertContains(response, "Park on <strong>Oak Avenue</strong>.")
    assertContains(response, hours_row("Thursday", "Noon to 7 pm"), html=True)
    assertContains(response, '<a href="/visit/">Visiting us</a>', html=True)  # the breadcrumb back to the list
    assert client.get("/visit/closed/").status_code == 404
    assert client.get("/visit/nowhere/").status_code == 404


def test_with_no_active_location_the_visit_page_asks_to_call(client):
    Location.objects.update(is_active=False)
    response = client.get(reverse("practice:visit"))
    assertContains(response, "Please call us on")
    assertContains(response, '<a class="visit-phone" href="tel:5550100199">(555) 010-0199</a>', html=True)
    assert "<address>" not in response.content.decode()  # and the footer still gives the main number


def test_visit_pages_are_public_cached_and_set_no_cookie(client, wsgi_client, django_assert_num_queries):
    make_location(slug="eastside")
    response = client.get("/visit/eastside/")
    assert "public" in response["Cache-Control"] and not response.cookies
    for url in ("/visit/", "/visit/eastside/"):
        wsgi_client.get(url)  # stored
        with django_assert_num_queries(0):
            assert wsgi_client.get(url).status_code == 200


# Staff edits in admin ------------------------------------------------------------------------


def admin_post_data(location: Location, rows: list[dict]) -> dict:
    """The location's change form as a browser sends it; rows with an "id" are the saved ones."""
    data = {
        name: getattr(location, name)
        for name in ("name", "slug", "street_address", "locality", "phone", "directions", "parking",
                     "public_transport", "accessibility", "order")
    }  # fmt: skip
    data["is_active"] = "on"
    data.update({
        "opening_hours-TOTAL_FORMS": len(rows),
        "opening_hours-INITIAL_FORMS": sum("id" in row for row in rows),
        "opening_hours-MIN_NUM_FORMS": 0,
        "opening_hours-MAX_NUM_FORMS": 1000,
    })  # fmt: skip
    for index, row in enumerate(rows):
        row = {"id": "", "location": location.pk, **row}
        data.update({f"opening_hours-{index}-{name}": value for name, value in row.items()})
    return data


def saved_rows(location: Location) -> list[dict]:
    return [
        {"id": hours.pk, "weekday": hours.weekday, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
        for hours in location.opening_hours.order_by("weekday", "opens")
    ]


def change_url(location: Location) -> str:
    return reverse("admin:practice_location_change", args=[location.pk])


def test_admin_refuses_two_overlapping_periods_added_together(staff_client):
    location = make_location(hours=[])
    rows = [
        {"weekday": 2, "opens": "08:00", "closes": "13:00"},
        {"weekday": 2, "opens": "12:00", "closes": "17:00"},
        {"weekday": 3, "opens": "12:00", "closes": "17:00"},
    ]
    response = staff_client.post(change_url(location), admin_post_data(location, rows))
    assert response.status_code == 200  # the form again, with the error
    assertContains(response, "Wednesday noon to 5 pm overlaps Wednesday 8 am to 1 pm.")
    assert not location.opening_hours.exists()


def test_admin_refuses_an_inverted_period_on_its_row(staff_client):
    location = make_location(hours=[])
    rows = [{"weekday": 0, "opens": "17:00", "closes": "09:00"}]
    response = staff_client.post(change_url(location), admin_post_data(location, rows))
    assertContains(response, "The closing time (9 am) must be later than the opening time (5 pm).")
    assert not location.opening_hours.exists()


def test_admin_refuses_a_new_period_overlapping_a_saved_one(staff_client):
    location = make_location(hours=[(0, "08:00", "17:00")])
    rows = [*saved_rows(location), {"weekday": 0, "opens": "16:00", "closes": "19:00"}]
    response = staff_client.post(change_url(location), admin_post_data(location, rows))
    assertContains(response, "Monday 4 pm to 7 pm overlaps Monday 8 am to 5 pm.")
    assert location.opening_hours.count() == 1


def test_admin_compares_the_rows_as_edited_not_as_saved(staff_client, django_capture_on_commit_callbacks):
    location = make_location(hours=[(0, "08:00", "17:00"), (1, "08:00", "17:00")])
    monday, tuesday = saved_rows(location)
    rows = [  # saved rows first, as the form lists them
        {**monday, "closes": "12:00"},  # a lunch break: Monday now closes at noon ...
        {**tuesday, "DELETE": "on"},  # Tuesday's period goes, for one that overlaps it
        {"weekday": 0, "opens": "13:00", "closes": "17:00"},  # ... and opens again at 1, in the same save
        {"weekday": 1, "opens": "10:00", "closes": "18:00"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(change_url(location), admin_post_data(location, rows))
    assert response.status_code == 302
    assert [str(line) for line in Location.load_active()[-1].hours_lines][:2] == [
        "Monday: 8 am to noon and 1 pm to 5 pm",
        "Tuesday: 10 am to 6 pm",
    ]
    assert location.opening_hours.first().history.count() == 2  # the hours keep their history too


def test_admin_edits_show_at_once_on_the_cached_visit_page_and_footers(
    staff_client, wsgi_client, django_capture_on_commit_callbacks
):
    location = Location.objects.get(slug="clinic")
    saturday_open = {"/visit/": hours_row("Saturday", "9 am to 1 pm"), "/": "<li>Saturday: 9 am to 1 pm</li>"}
    for url, text in saturday_open.items():
        assert text in wsgi_client.get(url).text()
        assert text in wsgi_client.get(url).text()  # now from the page cache
    rows = saved_rows(location)
    rows[-1]["DELETE"] = "on"  # no more Saturday mornings
    data = {**admin_post_data(location, rows), "street_address": "200 Main Street"}
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(change_url(location), data).status_code == 302
    weekend_closed = {
        "/visit/": hours_row("Saturday and Sunday"),
        "/": "<li>Saturday and Sunday: closed</li>",
    }
    for url, text in weekend_closed.items():
        page = wsgi_client.get(url).text()
        assert text in page and saturday_open[url] not in page, url
        assert "200 Main Street" in page and "100 Main Street" not in page, url


def test_a_location_added_in_admin_appears_at_once(staff_client, wsgi_client, django_capture_on_commit_callbacks):
    assert "Eastside" not in wsgi_client.get("/visit/").text()
    new = Location(name="Eastside", slug="eastside", street_address="9 Oak Avenue", locality="Springfield, IL 62702")
    data = admin_post_data(new, [{"weekday": 3, "opens": "12:00", "closes": "19:00"}])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:practice_location_add"), data)
    assert response.status_code == 302, response.content.decode()
    assert '<a href="/visit/eastside/">Eastside</a>' in wsgi_client.get("/visit/").text()
    assert hours_row("Thursday", "Noon to 7 pm") in wsgi_client.get("/visit/eastside/").text()
    assert "<li>Thursday: noon to 7 pm</li>" in wsgi_client.get("/articles/").text()


def test_admin_location_pages_and_the_hours_history_list(staff_client, django_assert_max_num_queries):
    for _ in range(3):
        make_location()
    with django_assert_max_num_queries(12):  # incl. the sliding session (2) and the OTP device (1)
        changelist = staff_client.get(reverse("admin:practice_location_changelist"))
    assertContains(changelist, "100 Main Street, Suite 200, Springfield, IL 62701")
    form = staff_client.get(change_url(Location.objects.get(slug="clinic")))
    assertContains(form, "Getting here and in")
    assertContains(form, 'name="opening_hours-0-opens"')
    hours = staff_client.get(reverse("admin:practice_openinghours_changelist"))
    assertContains(hours, "Monday 8 am to 5 pm")
    assert not hours.context["has_add_permission"]
