"""The costs and insurance page: the price list, the sections staff write, the Good Faith Estimate
notice; its queries, its place in the page cache, and its admin."""

import re
from decimal import Decimal

import nh3
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from practice.models import CostSection, PriceItem
from tests.content.readability import reading_grade
from tests.html_checks import assert_self_contained

pytestmark = pytest.mark.django_db

URL = reverse("practice:costs")
TEL_LINK = '<a class="price-call" href="tel:5550100199">(555) 010-0199</a>'
DEFAULT_SECTIONS = ["insurance", "hsa-and-fsa", "superbills", "payment-plans", "cancellations"]


def make_item(**fields) -> PriceItem:
    values = {"service": "Ketamine infusion for depression", "price": Decimal("450.00")}
    return PriceItem.objects.create(**{**values, **fields})


def html_of(response) -> str:
    return response.content.decode()


def section_html(html: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}"[^>]*>(.*?)</section>', html, re.DOTALL)
    assert found, f"no section #{section_id}"
    return found.group(1)


def test_the_price_list_shows_active_items_in_order_with_their_details(client):
    make_item(service="Spravato visit", price=Decimal("99.50"), order=3)
    make_item(
        service="First series of six infusions",
        price=Decimal("1800"),
        is_from_price=True,
        order=2,
        typical_sessions="6 sessions over 2 to 3 weeks",
    )
    make_item(service="Single infusion", order=1, included="Your infusion\nMonitoring and recovery")
    make_item(service="Retired service", order=0, is_active=False)
    response = client.get(URL)
    assertTemplateUsed(response, "practice/costs.html")
    prices = section_html(html_of(response), "prices")
    services = re.findall(r"<h3>(.*?)</h3>", prices)
    assert services == ["Single infusion", "First series of six infusions", "Spravato visit"]
    assert '<dd class="price-amount">$450</dd>' in prices  # whole dollars: no cents
    assert '<dd class="price-amount">from $1,800</dd>' in prices  # thousands separated
    assert '<dd class="price-amount">$99.50</dd>' in prices  # cents only when there are some
    assert "<dd>Your infusion<br>Monitoring and recovery</dd>" in prices
    assert "<dd>6 sessions over 2 to 3 weeks</dd>" in prices
    assert "Retired service" not in html_of(response)


def test_an_empty_price_list_says_call_us_and_shows_no_figure(client):
    assert not PriceItem.objects.exists()
    response = client.get(URL)
    prices = section_html(html_of(response), "prices")
    assert "Call us for current prices" in prices
    assert TEL_LINK in prices
    assert "$" not in prices


def test_an_item_without_a_price_says_call_us_instead_of_a_figure(client):
    make_item(service="Spravato visit", price=None, is_from_price=True)
    prices = section_html(html_of(client.get(URL)), "prices")
    assert "Spravato visit" in prices
    assert f"Call us for the current price: {TEL_LINK}" in prices
    assert "$" not in prices and "from" not in prices


def test_staff_sections_show_in_order_each_with_its_slug_as_id(client):
    CostSection.objects.create(title="Refunds", slug="refunds", body="We **refund** unused sessions.", order=9)
    response = client.get(URL)
    html = html_of(response)
    ids = re.findall(r'<section id="([\w-]+)" class="costs-section prose">', html)
    assert ids == [*DEFAULT_SECTIONS, "refunds"]
    assert "<strong>refund</strong>" in section_html(html, "refunds")  # the rendered Markdown
    assertContains(response, '<a href="#insurance">Insurance</a>', html=False)  # "On this page"
    assertContains(response, '<a href="#refunds">Refunds</a>', html=False)


def test_a_section_body_is_sanitised_markdown(client):
    CostSection.objects.create(
        title="Odd", slug="odd", body='Hi <script>alert(1)</script> <a href="#" onclick="x()">y</a>'
    )
    odd = section_html(html_of(client.get(URL)), "odd")
    assert "<script" not in odd and "onclick" not in odd


def test_the_good_faith_estimate_notice_explains_the_right_and_links_the_federal_page(client):
    response = client.get(URL)
    notice = section_html(html_of(response), "good-faith-estimate")
    assert "Good Faith Estimate" in notice
    assert "do not have health insurance, or you are not using it" in notice
    assert "before your care starts" in notice
    assert "tell us when you book" in notice and 'href="tel:5550100199"' in notice
    assert "at least $400 more than your estimate" in notice
    assert "within 120 days of the date on the bill" in notice
    assert '<a href="https://www.cms.gov/nosurprises" rel="noopener external">' in notice
    assertContains(response, '<a href="#good-faith-estimate">', html=False)


def test_the_pages_own_words_read_at_grade_8_or_lower(client):
    CostSection.objects.all().delete()  # staff write those; the checks here are for the template's text
    html = html_of(client.get(URL))
    main = html[html.index("<main") : html.index("</main>")]
    paragraphs = [nh3.clean(p, tags=set()) for p in re.findall(r"<p[^>]*>(.*?)</p>", main, re.DOTALL)]
    grade = reading_grade("\n\n".join(paragraphs))  # as the articles are measured
    assert grade <= 8, grade


def test_the_page_has_no_inline_code_and_no_third_party_assets(client):
    make_item()
    assert_self_contained(html_of(client.get(URL)))


def test_the_page_runs_two_queries_however_many_items_and_sections(client, django_assert_num_queries, warm_site_state):
    for number in range(4):
        make_item(service=f"Service {number}", order=number)
    with django_assert_num_queries(2):  # the price items, the sections
        response = client.get(URL)
    assert len(response.context["price_items"]) == 4
    assert len(response.context["sections"]) == len(DEFAULT_SECTIONS)
    assert not response.cookies


def test_saving_a_price_or_a_section_shows_at_once_on_the_cached_page(wsgi_client, django_capture_on_commit_callbacks):
    item = make_item(price=Decimal("450"))
    assert "$450" in wsgi_client.get(URL).text()
    assert "$450" in wsgi_client.get(URL).text()  # served from the cache
    item.price = Decimal("475")
    with django_capture_on_commit_callbacks(execute=True):
        item.save()
    assert "$475" in wsgi_client.get(URL).text()

    section = CostSection.objects.get(slug="payment-plans")
    section.body = "We now offer monthly payments."
    with django_capture_on_commit_callbacks(execute=True):
        section.save()
    assert "We now offer monthly payments." in wsgi_client.get(URL).text()

    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert "Call us for current prices" in wsgi_client.get(URL).text()


# Admin ----------------------------------------------------------------------------------------


def test_staff_add_and_change_a_price_item_in_admin_with_history(staff_client):
    add = reverse("admin:practice_priceitem_add")
    assert staff_client.get(add).status_code == 200
    response = staff_client.post(
        add,
        {
            "service": "Single infusion",
            "price": "450",
            "included": "Monitoring",
            "typical_sessions": "6",
            "order": "1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    item = PriceItem.objects.get()
    assert item.price == Decimal("450") and item.is_active and not item.is_from_price

    change = reverse("admin:practice_priceitem_change", args=[item.pk])
    assertContains(staff_client.get(change), "Single infusion")
    response = staff_client.post(
        change, {"service": "Single infusion", "price": "475", "is_from_price": "on", "order": "1"}
    )
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.price == Decimal("475") and item.is_from_price and not item.is_active
    assert item.history.count() == 2
    latest = item.history.latest()
    assert latest.price == Decimal("475") and latest.history_user.username == "staff"
    history = staff_client.get(reverse("admin:practice_priceitem_history", args=[item.pk]))
    assert history.status_code == 200


def test_the_price_changelist_shows_price_and_active_and_edits_order_in_place(staff_client):
    make_item(service="Single infusion", price=Decimal("450"))
    response = staff_client.get(reverse("admin:practice_priceitem_changelist"))
    assertContains(response, "Single infusion")
    assertContains(response, "450")
    assertContains(response, 'name="form-0-order"', html=False)  # list_editable
    assert "is_active" in response.context["cl"].list_display
    assert "price" in response.context["cl"].list_display


def test_the_price_changelist_runs_the_same_queries_for_more_items(staff_client):
    url = reverse("admin:practice_priceitem_changelist")
    for number in range(3):
        make_item(service=f"Service {number}")
    staff_client.get(url)  # warm anything loaded once per process
    with CaptureQueriesContext(connection) as three:
        staff_client.get(url)
    for number in range(3, 8):
        make_item(service=f"Service {number}")
    with CaptureQueriesContext(connection) as eight:
        staff_client.get(url)
    assert len(eight) == len(three)


def test_staff_add_a_section_with_its_slug_then_the_slug_is_kept(staff_client):
    add = staff_client.get(reverse("admin:practice_costsection_add"))
    assert add.status_code == 200
    # The slug fills itself in from the title.
    assertContains(add, 'data-prepopulated-fields="[{&quot;id&quot;: &quot;#id_slug&quot;', html=False)
    response = staff_client.post(
        reverse("admin:practice_costsection_add"),
        {"title": "Refunds", "slug": "refunds", "body": "We refund *unused* sessions.", "order": "9"},
    )
    assert response.status_code == 302, response.content.decode()
    section = CostSection.objects.get(slug="refunds")
    assert section.body_html == "<p>We refund <em>unused</em> sessions.</p>"

    change = reverse("admin:practice_costsection_change", args=[section.pk])
    response = staff_client.post(
        change, {"title": "Refunds and credits", "slug": "changed", "body": "New words.", "order": "9"}
    )
    assert response.status_code == 302, response.content.decode()
    section.refresh_from_db()
    assert section.title == "Refunds and credits" and section.slug == "refunds"  # links to #refunds still work
    assert section.history.count() == 2
    assert section.history.latest().history_user.username == "staff"
    assertNotContains(staff_client.get(change), 'name="slug"', html=False)
