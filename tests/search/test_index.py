"""The search index keeps in step with the articles, however they change, on both databases."""

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.models import Article, Status
from search.query import FTS_TABLE, search_articles, stored_document
from tests.articles.test_admin import form_data
from tests.articles.test_sync_content import write
from tests.factories import make_article

pytestmark = pytest.mark.django_db

initial = importlib.import_module("search.migrations.0001_initial")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")


def found(text: str) -> list[str]:
    return sorted(result.article.slug for result in search_articles(text).results)


def test_a_new_article_is_found_at_once():
    make_article(slug="new", body="## Part\n\nAbout nausea.\n")
    assert found("nausea") == ["new"]


def test_an_edit_replaces_the_old_words():
    article = make_article(slug="edited", title="Headaches", body="## Part\n\nAbout nausea.\n")
    article.title, article.body = "Dizziness", "## Part\n\nAbout tiredness.\n"
    article.save()
    assert (found("headaches"), found("nausea")) == ([], [])
    assert found("dizziness") == found("tiredness") == ["edited"]


def test_a_deleted_article_is_gone():
    make_article(slug="deleted", body="## Part\n\nAbout nausea.\n").delete()
    make_article(slug="kept", body="## Part\n\nAbout nausea too.\n")
    assert found("nausea") == ["kept"]


def test_a_queryset_update_is_seen_too():
    make_article(slug="updated", title="Headaches")
    Article.objects.filter(slug="updated").update(title="Dizziness", summary="Feeling light-headed.")
    assert (found("headaches"), found("dizziness"), found("light-headed")) == ([], ["updated"], ["updated"])


def test_publishing_needs_no_index_update():
    article = make_article(slug="draft", status=Status.DRAFT, body="## Part\n\nAbout nausea.\n")
    assert found("nausea") == []
    Article.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)
    assert found("nausea") == ["draft"]


def test_sync_content_creates_and_updates_what_search_finds(settings):
    content = settings.CLINIC_CONTENT_DIR
    write(content, "synced", title="Hydration", body="## Part\n\nDrink water before you come.\n")
    call_command("sync_content", verbosity=0)
    assert found("hydration") == found("water") == ["synced"]
    write(content, "synced", title="Eating", body="## Part\n\nHave a light meal the day before.\n")
    call_command("sync_content", verbosity=0)
    assert (found("hydration"), found("water")) == ([], [])
    assert found("eating") == found("meal") == ["synced"]


def test_an_admin_edit_is_found_at_once(staff_client):
    article = make_article(slug="admin-edited", title="Headaches")
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = staff_client.post(url, form_data(article, title="Dizziness", body="## Part\n\nAbout tiredness.\n"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert found("headaches") == []
    assert found("dizziness") == found("tiredness") == ["admin-edited"]


@sqlite_only
def test_the_fts5_table_and_its_triggers_exist_after_all_migrations():
    # Django's SQLite "table remake" (AlterField and others in an articles migration) drops the
    # table's triggers. If this fails after such a migration, add a search migration that runs
    # 0001's CREATE_TRIGGERS and REBUILD again, after it.
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        objects = {(kind, name): table for kind, name, table in cursor.fetchall()}
    assert objects[("table", FTS_TABLE)] == FTS_TABLE
    for event in ("insert", "update", "delete"):
        assert objects.get(("trigger", f"search_article_{event}")) == "articles_article", f"{event} trigger missing"


@sqlite_only
def test_the_fts5_index_holds_one_row_per_article():
    make_article(slug="one")
    make_article(slug="two").delete()
    Article.objects.filter(slug="one").update(summary="Changed.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, summary FROM {FTS_TABLE}")
        assert cursor.fetchall() == [(Article.objects.get(slug="one").pk, "Changed.")]


@postgresql_only
def test_the_search_uses_the_gin_index_on_the_stored_vector():
    from django.contrib.postgres.search import SearchQuery

    make_article(slug="indexed", body="## Part\n\nAbout nausea.\n")
    query = SearchQuery('"nausea"', config="english", search_type="websearch")
    articles = Article.objects.published().alias(document=stored_document()).filter(document=query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = articles.explain()
    assert f"Bitmap Index Scan on {initial.INDEX_NAME}" in plan, plan
    assert [article.slug for article in articles] == ["indexed"]


@postgresql_only
def test_the_stored_vector_weighs_title_summary_and_body_and_its_index_takes_saves_at_once():
    article = make_article(title="Nausea", summary="Feeling sick.", body="## Part\n\nAbout tiredness.\n")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {initial.DOCUMENT_COLUMN}::text FROM articles_article WHERE id = %s", [article.pk])
        (document,) = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [initial.INDEX_NAME])
        (definition,) = cursor.fetchone()
    assert "'nausea':1A" in document and "'sick':3B" in document and "'tired':" in document and "C" in document
    assert "USING gin (search_document)" in definition and definition.endswith("WITH (fastupdate=off)")
