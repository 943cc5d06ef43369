"""Structured data (JSON-LD) on each kind of page: what it claims, what it does not, and that nothing in
a title can break out of the script element."""

import datetime as dt
import json
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Kind, Status
from discovery.structured_data import faq_questions, postal_address
from practice.models import ClinicDetails, Location, OpeningHours
from tests.discovery.conftest import SITE
from tests.discovery.reading import entities, entity, read_head, trail
from tests.factories import make_article, make_clinician

pytestmark = pytest.mark.django_db
_numbers = count(1)
FAQ_BODY = """Short answers.

## About treatment

### How long does a session take?

About an hour, then a rest.

- Arrive early.
- Bring a driver.

### Can I eat before?

Not for [six hours](/articles/what-to-expect/) before.

## Costs

### Does insurance pay?

Sometimes. Ask us & we will check.
"""


def make_location(**fields) -> Location:
    number = next(_numbers)
    values = {"name": f"Clinic {number}", "slug": f"clinic-{number}", "street_address": f"{number} River Road"}
    location = Location.objects.create(**{**values, "locality": "Springfield, IL 62701", "order": number, **fields})
    OpeningHours.objects.create(location=location, weekday=0, opens=dt.time(9), closes=dt.time(17))
    return location


def iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


# Articles ----------------------------------------------------------------------------------------


def test_an_article_is_a_medical_web_page_reviewed_by_a_named_clinician(client):
    reviewer = make_clinician(name="Ana Ruiz", slug="ana-ruiz", credentials="MD, PhD", role="Psychiatrist")
    article = make_article(
        title="Understanding depression", summary="The signs, and when to ask for help.", topic="support",
        reviewer=reviewer, last_reviewed=dt.date(2026, 3, 1), next_review_due=dt.date(2026, 9, 1),
    )  # fmt: skip
    response = client.get(article.get_absolute_url())
    page = entity(response, "MedicalWebPage")
    assert page["url"] == f"{SITE}/articles/{article.slug}/"
    assert page["headline"] == "Understanding depression"
    assert page["description"] == "The signs, and when to ask for help."
    assert page["inLanguage"] == "en-US"
    assert page["datePublished"] == iso(article.published_at)
    assert page["dateModified"] == iso(article.updated_at)
    assert page["lastReviewed"] == "2026-03-01"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Ana Ruiz",
        "honorificSuffix": "MD, PhD",
        "jobTitle": "Psychiatrist",
        "url": f"{SITE}/team/ana-ruiz/",
    }
    assert page["publisher"]["@type"] == "MedicalOrganization"
    assert page["publisher"]["name"] == ClinicDetails.load().name
    assert page["publisher"]["url"] == f"{SITE}/"
    assert page["publisher"]["logo"].startswith(f"{SITE}/static/img/icon-512") and page["publisher"]["logo"].endswith(
        ".png"
    )
    assert page["about"] == [{"@type": "MedicalCondition", "name": "Depression"}]
    assert trail(response) == [
        ("Home", f"{SITE}/"),
        ("Articles", f"{SITE}/articles/"),
        ("Understanding depression", f"{SITE}/articles/{article.slug}/"),
    ]


def test_the_placeholder_reviewer_is_never_claimed_as_a_review(client):
    """A fresh install's stand-in reviewer is nobody: no reviewedBy, and no review date without a reviewer."""
    article = make_article()  # reviewed by the placeholder
    assert article.reviewer.is_placeholder
    response = client.get(article.get_absolute_url())
    page = entity(response, "MedicalWebPage")
    assert "reviewedBy" not in page and "lastReviewed" not in page
    assert "Medical reviewer" not in json.dumps(entities(response))


def test_a_reviewer_who_has_left_is_named_without_a_link_to_a_page_that_is_gone(client):
    reviewer = make_clinician(name="Sam Lee", credentials="NP", role="Nurse practitioner", is_active=False)
    article = make_article(reviewer=reviewer)
    person = entity(client.get(article.get_absolute_url()), "MedicalWebPage")["reviewedBy"]
    assert person == {"@type": "Person", "name": "Sam Lee", "honorificSuffix": "NP", "jobTitle": "Nurse practitioner"}


@pytest.mark.parametrize(
    ("topic", "kind", "about"),
    [
        ("treatment", Kind.GUIDE, [{"@type": "Drug", "name": "Ketamine"}]),
        (
            "care",
            Kind.GUIDE,
            [{"@type": "MedicalCondition", "name": "Depression"}, {"@type": "Drug", "name": "Ketamine"}],
        ),
        ("support", Kind.GUIDE, [{"@type": "MedicalCondition", "name": "Depression"}]),
        ("support", Kind.CRISIS, None),  # about a crisis, whatever its cause: no condition claimed
    ],
)
def test_what_an_article_is_about_follows_its_topic(client, topic, kind, about):
    article = make_article(topic=topic, kind=kind)
    page = entity(client.get(article.get_absolute_url()), "MedicalWebPage")
    assert page.get("about") == about


def test_a_site_page_is_a_plain_web_page_under_home(client):
    """About us or a policy is not medical information, and its breadcrumb skips the article list."""
    article = make_article(kind=Kind.PAGE, title="About us", slug="about", topic="care")
    response = client.get(article.get_absolute_url())
    page = entity(response, "WebPage")
    assert page["headline"] == "About us" and "about" not in page
    assert [item["@type"] for item in entities(response)] == ["WebPage", "BreadcrumbList"]
    assert trail(response) == [("Home", f"{SITE}/"), ("About us", f"{SITE}/articles/about/")]


def test_the_faq_lists_each_question_with_its_answer_text(client):
    faq = make_article(kind=Kind.FAQ, slug="faq", title="Frequently asked questions", topic="care", body=FAQ_BODY)
    response = client.get(faq.get_absolute_url())
    page = entity(response, "FAQPage")
    assert page["headline"] == "Frequently asked questions"
    assert page["about"][0] == {"@type": "MedicalCondition", "name": "Depression"}
    questions = [(item["name"], item["acceptedAnswer"]["text"]) for item in page["mainEntity"]]
    assert questions == [
        ("How long does a session take?", "About an hour, then a rest.\nArrive early.\nBring a driver."),
        ("Can I eat before?", "Not for six hours before."),
        ("Does insurance pay?", "Sometimes. Ask us & we will check."),
    ]
    assert all(
        item["@type"] == "Question" and item["acceptedAnswer"]["@type"] == "Answer" for item in page["mainEntity"]
    )
    assert response.content.decode().count('<details class="faq"') == len(questions)


def test_faq_answers_leave_out_the_permalink_and_keep_nested_markup_as_text():
    html = (
        '<p>Intro</p><details class="faq" id="q"><summary>Why?</summary><p>Because <em>it</em> helps.</p>'
        '<ul><li>One</li><li>Two</li></ul><p class="faq-permalink"><a href="#q">Link to this question</a></p>'
        "</details><h2>Next</h2><p>Not an answer.</p>"
    )
    assert faq_questions(html) == (("Why?", "Because it helps.\nOne\nTwo"),)


def test_nothing_in_a_title_can_break_out_of_the_script_element(client):
    title = 'Ends here </script><script>alert(1)</script> <!-- & "quoted"'
    article = make_article(title=title, summary="Less < more & more > less.")
    response = client.get(article.get_absolute_url())
    block = read_head(response).ld_json
    assert len(block) == 1  # still one block: the title did not close it
    assert "</script" not in block[0] and "<!--" not in block[0] and "\\u003C/script\\u003E" in block[0]
    page = entity(response, "MedicalWebPage")
    assert page["headline"] == title and page["description"] == "Less < more & more > less."


def test_a_draft_staff_preview_claims_nothing(staff_client):
    draft = make_article(status=Status.DRAFT)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    head = read_head(response)
    assert head.ld_json == [] and not [link for link in head.links if link.get("rel") == "canonical"]
    assert not [key for key in head.meta if key.startswith("og:")]


def test_a_scheduled_article_seen_by_staff_claims_nothing_either(staff_client):
    scheduled = make_article(published_at=timezone.now() + dt.timedelta(days=2))
    response = staff_client.get(scheduled.get_absolute_url())
    assert response.status_code == 200 and read_head(response).ld_json == []


def test_the_article_page_needs_no_query_for_its_structured_data(client, django_assert_num_queries, warm_site_state):
    article = make_article(reviewer=make_clinician())
    make_article(), make_article()
    with django_assert_num_queries(3):  # article with its reviewer, references, related: as before
        response = client.get(article.get_absolute_url())
    assert "reviewedBy" in entity(response, "MedicalWebPage")


# The clinic's places -----------------------------------------------------------------------------


def test_home_describes_the_clinic_with_its_address_phone_and_hours(client):
    clinic = entity(client.get("/"), "MedicalClinic")
    assert clinic["name"] == ClinicDetails.load().name
    assert clinic["url"] == f"{SITE}/visit/"  # one location: /visit/ is its page
    assert clinic["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "100 Main Street, Suite 200",
        "addressLocality": "Springfield",
        "addressRegion": "IL",
        "postalCode": "62701",
        "addressCountry": "US",
    }
    assert clinic["telephone"] == ClinicDetails.load().phone
    hours = [(spec["dayOfWeek"], spec["opens"], spec["closes"]) for spec in clinic["openingHoursSpecification"]]
    stored = Location.objects.get().opening_hours.all()
    assert sum(len(days) for days, _, _ in hours) == len(stored)  # each stored period, once
    for period in stored:
        day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][period.weekday]
        assert any(day in days and opens == f"{period.opens:%H:%M}" and closes == f"{period.closes:%H:%M}"
                   for days, opens, closes in hours)  # fmt: skip
    assert all(spec["@type"] == "OpeningHoursSpecification" for spec in clinic["openingHoursSpecification"])


def test_days_with_the_same_hours_share_one_specification(client):
    location = Location.objects.get()
    location.opening_hours.all().delete()
    for weekday in range(5):
        OpeningHours.objects.create(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(12))
        OpeningHours.objects.create(location=location, weekday=weekday, opens=dt.time(13), closes=dt.time(17, 30))
    location.phone = "(217) 555-0100"
    location.save()
    clinic = entity(client.get(reverse("practice:visit")), "MedicalClinic")
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert clinic["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "08:00", "closes": "12:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "13:00", "closes": "17:30"},
    ]
    assert clinic["telephone"] == "(217) 555-0100"


def test_a_location_without_hours_claims_none_rather_than_closed(client):
    Location.objects.get().opening_hours.all().delete()
    assert "openingHoursSpecification" not in entity(client.get("/"), "MedicalClinic")


@pytest.mark.parametrize(
    ("locality", "parts"),
    [
        ("Springfield, IL 62701", {"addressLocality": "Springfield", "addressRegion": "IL", "postalCode": "62701"}),
        (
            " Saint Paul ,  MN 55101-1234 ",
            {"addressLocality": "Saint Paul", "addressRegion": "MN", "postalCode": "55101-1234"},
        ),
        ("Toronto, ON M5V 2T6", {"addressLocality": "Toronto, ON M5V 2T6"}),  # not the US shape: kept whole
        ("Springfield", {"addressLocality": "Springfield"}),
        ("Springfield, Illinois 62701", {"addressLocality": "Springfield, Illinois 62701"}),
    ],
)
def test_the_locality_is_split_only_when_it_has_the_us_shape(locality, parts):
    address = postal_address(Location(street_address="1 Main St", locality=locality))
    expected = {"@type": "PostalAddress", "streetAddress": "1 Main St", **parts}
    if "postalCode" in parts:
        expected["addressCountry"] = "US"
    assert address == expected


def test_with_several_locations_each_has_its_own_page_and_entity(client):
    first = Location.objects.get()
    second = make_location(name="Northside", slug="northside", locality="Peoria, IL 61602", phone="(309) 555-0111")
    clinics = [item for item in entities(client.get("/")) if item["@type"] == "MedicalClinic"]
    assert [clinic["url"] for clinic in clinics] == [f"{SITE}/visit/{first.slug}/", f"{SITE}/visit/northside/"]
    assert len({clinic["@id"] for clinic in clinics}) == 2

    listing = client.get(reverse("practice:visit"))
    assert len([item for item in entities(listing) if item["@type"] == "MedicalClinic"]) == 2
    assert trail(listing) == [("Home", f"{SITE}/"), ("Visiting us", f"{SITE}/visit/")]

    page = client.get(second.get_absolute_url())
    clinic = entity(page, "MedicalClinic")
    assert clinic["url"] == f"{SITE}/visit/northside/" and clinic["telephone"] == "(309) 555-0111"
    assert clinic["address"]["addressLocality"] == "Peoria"
    assert trail(page) == [
        ("Home", f"{SITE}/"),
        ("Visiting us", f"{SITE}/visit/"),
        ("Northside", f"{SITE}/visit/northside/"),
    ]


# The other pages ---------------------------------------------------------------------------------


def test_a_clinicians_page_has_its_breadcrumb_trail(client):
    clinician = make_clinician(name="Ana Ruiz", slug="ana-ruiz", credentials="MD")
    assert trail(client.get(clinician.get_absolute_url())) == [
        ("Home", f"{SITE}/"),
        ("Our team", f"{SITE}/team/"),
        ("Ana Ruiz, MD", f"{SITE}/team/ana-ruiz/"),
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/articles/", "Articles"),
        ("/team/", "Our team"),
        ("/costs/", "Costs and insurance"),
        ("/privacy/", "Privacy notice"),
        ("/consultation/", "Request a consultation"),
        ("/newsletter/", "Newsletter"),
    ],
)
def test_pages_one_step_below_home_have_a_two_step_trail(client, path, name):
    response = client.get(path)
    assert response.status_code == 200
    assert trail(response) == [("Home", f"{SITE}/"), (name, f"{SITE}{path}")]


def test_error_pages_carry_no_structured_data(client):
    for path in ("/no/such/page/", "/articles/no-such-article/", "/team/nobody/", "/visit/nowhere/"):
        response = client.get(path)
        assert response.status_code == 404 and read_head(response).ld_json == [], path
