"""Staff edit a price, an opening time and a clinician in admin: the cached public pages change at
once, and History says who changed what."""

import pytest
from django.urls import reverse

from practice.models import Clinician, Location, PriceItem
from tests.factories import make_article, make_clinician
from tests.practice.test_visit import admin_post_data, change_url, make_location, saved_rows

pytestmark = pytest.mark.django_db


def test_admin_edits_reach_the_cached_pages_at_once_with_history(
    staff_client, wsgi_client, django_capture_on_commit_callbacks
):
    price = PriceItem.objects.create(service="Ketamine infusion", price=450)
    Location.objects.all().delete()  # the fresh install's own, so /visit/ shows this one
    location = make_location(hours=[(0, "08:00", "17:00")])
    ann = make_clinician(name="Ann Lee", slug="ann-lee", role="Psychiatrist")
    article = make_article(reviewer=ann)
    pages = ["/costs/", "/visit/", "/team/", article.get_absolute_url()]
    for path in pages:
        wsgi_client.get(path)  # now in the page cache
    assert "$450" in wsgi_client.get("/costs/").text() and "8 am to 5 pm" in wsgi_client.get("/visit/").text()

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:practice_priceitem_change", args=[price.pk]),
            {"service": "Ketamine infusion", "price": "475", "order": "0", "is_active": "on"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        rows = saved_rows(location)
        rows[0]["closes"] = "18:00"
        response = staff_client.post(change_url(location), admin_post_data(location, rows))
        assert response.status_code == 302
        response = staff_client.post(
            reverse("admin:practice_clinician_change", args=[ann.pk]),
            {"name": "Ann Lee-Smith", "credentials": "MD", "slug": "ann-lee", "role": "Psychiatrist",
             "licence_states": "", "bio": "", "reviews_content": "on", "order": "0", "is_active": "on"},
        )  # fmt: skip
        assert response.status_code == 302

    assert "$475" in wsgi_client.get("/costs/").text()
    assert "8 am to 6 pm" in wsgi_client.get("/visit/").text()
    assert "Ann Lee-Smith" in wsgi_client.get("/team/").text()
    assert "Ann Lee-Smith" in wsgi_client.get(article.get_absolute_url()).text()
    for record in (
        PriceItem.history.filter(id=price.pk).latest(),
        location.opening_hours.get().history.latest(),
        Clinician.history.filter(id=ann.pk).latest(),
    ):
        assert record.history_user.username == "staff"
