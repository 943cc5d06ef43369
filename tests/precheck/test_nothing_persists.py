"""Stores nothing, tells no one: a pre-check leaves every table, the cache, the log and the outbox as they were."""

import logging

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from precheck.questions import QUESTIONS_BY_NAME
from tests.precheck.conftest import OUTCOME_POSTS, URL

pytestmark = pytest.mark.django_db

SUBMISSIONS = {
    **OUTCOME_POSTS,
    "missing answers": {"age": "under-18", "suicidal_thoughts": "yes", "conditions": ["aneurysm"]},
    "change my answers": {**OUTCOME_POSTS["not-offered"], "change": "1"},
}


def row_counts() -> dict[str, int]:
    """Rows in every table of the database, the models' tables and any other."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    model_tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    assert model_tables <= counts.keys(), model_tables - counts.keys()
    return counts


def cache_contents() -> dict:
    """Every key in the cache and its stored value: local memory on the SQLite lane, Redis on the other."""
    backend = cache._connections[cache._alias] if hasattr(cache, "_connections") else cache
    if isinstance(backend, LocMemCache):
        return dict(backend._cache)
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client()
        return {key: client.dump(key) for key in client.keys("*")}
    raise AssertionError(f"cannot list the keys of {type(backend).__name__}")


def words_of(post: dict) -> set[str]:
    """What a person answered, as values and as the labels they chose: none of it may reach a log."""
    said = set()
    for name, value in post.items():
        if name not in QUESTIONS_BY_NAME:
            continue
        choices = QUESTIONS_BY_NAME[name].choices
        for chosen in value if isinstance(value, list) else [value]:
            said.add(f"{name}={chosen}")
            if len(choices(chosen).label) > 6:  # "Yes", "No": too short to tell anything apart
                said.add(choices(chosen).label)
    return said


@pytest.mark.parametrize("submission", SUBMISSIONS)
def test_a_submission_changes_no_table_no_cache_key_no_email_and_logs_only_its_path(
    client, warm_site_state, caplog, submission
):
    client.get(URL)  # what every page reads and keeps (the clinic's details), read before we look
    post = SUBMISSIONS[submission]
    rows, kept, outbox = row_counts(), cache_contents(), len(mail.outbox)
    caplog.clear()

    with caplog.at_level(logging.DEBUG):  # every logger, at every level
        response = client.post(URL, post)

    assert response.status_code == 200
    assert row_counts() == rows
    assert cache_contents() == kept
    assert len(mail.outbox) == outbox == 0
    assert not response.cookies
    # One line: the access log's, with the path and status, never the body.
    lines = [(record.name, record.getMessage()) for record in caplog.records]
    assert [name for name, _ in lines] == ["clinic.access"], lines
    message = lines[0][1]
    assert " method=POST path=/pre-check/ status=200 " in message
    for said in words_of(post):
        assert said not in message and said not in caplog.text, said


def test_the_check_sees_a_change_in_each_place_it_looks(client, warm_site_state, caplog):
    """The snapshots are not blind: a row, a cache key, an email and a log line each show."""
    from django.core.mail import send_mail

    from practice.models import Clinician

    rows, kept = row_counts(), cache_contents()
    Clinician.objects.create(name="Dr Test", slug="dr-test", credentials="MD", role="Psychiatrist")
    cache.set("precheck-test", "something")
    send_mail("Subject", "Body", None, ["someone@example.com"])
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("precheck").debug("age=under-18")
    assert row_counts() != rows
    assert cache_contents() != kept
    assert len(mail.outbox) == 1
    assert "age=under-18" in caplog.text
