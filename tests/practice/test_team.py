"""The team page, each clinician's page, and articles' reviewers as clinicians."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.loading import ContentError, article_to_text, parse_file
from practice.models import Clinician
from tests.factories import make_article, make_clinician, placeholder_reviewer

pytestmark = pytest.mark.django_db


def test_the_team_page_lists_active_clinicians_in_order(client, django_assert_max_num_queries, warm_site_state):
    placeholder_reviewer().delete()
    make_clinician(name="Zoe Park", credentials="PMHNP-BC", role="Psychiatric nurse practitioner", order=2)
    make_clinician(name="Ann Lee", credentials="MD", role="Medical director", order=1, licence_states="Illinois")
    make_clinician(name="Gone Away", is_active=False)
    with django_assert_max_num_queries(1):
        response = client.get(reverse("practice:team"))
    html = response.content.decode()
    assert html.index("Ann Lee, MD") < html.index("Zoe Park, PMHNP-BC")
    assertContains(response, "Licensed in Illinois")
    assertNotContains(response, "Gone Away")
    assert not response.cookies


def test_a_clinicians_page_shows_their_bio_and_the_articles_they_reviewed(
    client, django_assert_max_num_queries, warm_site_state
):
    ann = make_clinician(name="Ann Lee", slug="ann-lee", bio="Trained in **psychiatry**.\n\n<script>x()</script>")
    make_article(title="Reviewed by Ann", reviewer=ann)
    make_article(title="A draft of Ann's", reviewer=ann, status="draft")
    make_article(title="Someone else's")
    with django_assert_max_num_queries(2):  # the clinician, the articles
        response = client.get(ann.get_absolute_url())
    assertContains(response, "<strong>psychiatry</strong>", html=False)
    assertNotContains(response, "<script>x()", html=False)
    assertContains(response, "Reviewed by Ann")
    assertNotContains(response, "A draft of Ann")
    assertNotContains(response, "Someone else")


def test_an_inactive_or_unknown_clinician_is_not_found(client):
    gone = make_clinician(is_active=False)
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get("/team/nobody/").status_code == 404


def test_an_articles_byline_links_to_its_reviewer(client):
    ann = make_clinician(name="Ann Lee", slug="ann-lee", credentials="DO")
    article = make_article(reviewer=ann)
    assertContains(client.get(article.get_absolute_url()), '<a href="/team/ann-lee/">Ann Lee, DO</a>', html=False)


def test_a_saved_clinician_shows_at_once_on_cached_pages(wsgi_client, django_capture_on_commit_callbacks):
    ann = make_clinician(name="Ann Lee", slug="ann-lee")
    article = make_article(reviewer=ann)
    assert "Ann Lee" in wsgi_client.get(article.get_absolute_url()).text()
    assert "Ann Lee" in wsgi_client.get("/team/").text()
    ann.name = "Ann Lee-Smith"
    with django_capture_on_commit_callbacks(execute=True):
        ann.save()
    assert "Ann Lee-Smith" in wsgi_client.get(article.get_absolute_url()).text()
    assert "Ann Lee-Smith" in wsgi_client.get("/team/").text()


def test_the_placeholder_is_flagged_until_its_details_are_replaced(staff_client):
    placeholder = placeholder_reviewer()
    assert placeholder.is_placeholder
    page = staff_client.get(reverse("admin:practice_clinician_change", args=[placeholder.pk]))
    assertContains(page, "placeholder reviewer of a fresh install")
    placeholder.name, placeholder.credentials = "Ann Lee", "MD"
    placeholder.save()
    assert not Clinician.objects.get(pk=placeholder.pk).is_placeholder
    assert placeholder.history.first().name == "Ann Lee"  # History shows the change


def test_a_content_file_naming_an_unknown_reviewer_is_refused_by_file_and_field(tmp_path):
    path = tmp_path / "one.md"
    path.write_text(
        "---\ntitle: One\nslug: one\nsummary: S.\ntopic: care\nreviewer: dr-nobody\n"
        "last_reviewed: 2026-11-01\nnext_review_due: 2027-05-01\n---\n\nText.\n"
    )
    with pytest.raises(ContentError, match=r"one\.md: reviewer: 'dr-nobody' is not a clinician's slug"):
        parse_file(path)
    make_clinician(slug="dr-nobody", reviews_content=False)
    with pytest.raises(ContentError, match="does not review articles"):
        parse_file(path)


def test_export_names_the_reviewer_by_slug():
    article = make_article(reviewer=make_clinician(slug="ann-lee"))
    assert "\nreviewer: ann-lee\n" in article_to_text(article)
