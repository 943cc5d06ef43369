"""The real articles in content/ pass every check in checks.py (one test per article, so a
failure names it), and each is listed under its topic."""

import re

import pytest

from articles.loading import ContentError, parse_file
from tests.content.checks import (
    CONTENT_DIR,
    RISKS_ARTICLE,
    article_paths,
    assert_no_problems,
    check_banned_phrases,
    check_reading_grade,
    check_references,
    check_renders,
    check_review,
    check_risk_terms,
    check_slug,
    published_paths,
    read_or_fail,
)

# The real content -------------------------------------------------------------------------------

ALL = pytest.mark.parametrize("path", article_paths(), ids=lambda path: path.stem)
PUBLISHED = pytest.mark.parametrize("path", published_paths(), ids=lambda path: path.stem)


def test_content_directory_holds_the_articles():
    assert CONTENT_DIR.is_dir(), CONTENT_DIR
    assert len(article_paths()) >= 10, f"expected the site's articles in {CONTENT_DIR}"


@PUBLISHED
def test_published_article_reads_at_grade_8_or_lower(path):
    assert_no_problems(check_reading_grade(read_or_fail(path)))


@ALL
def test_article_has_no_banned_phrases(path):
    assert_no_problems(check_banned_phrases(read_or_fail(path)))


@ALL
def test_article_cites_references_on_the_publishers_own_sites(path):
    assert_no_problems(check_references(read_or_fail(path)))


@ALL
def test_article_has_a_reviewer_and_review_dates_in_order(path):
    assert_no_problems(check_review(read_or_fail(path)))


@ALL
def test_article_slug_matches_its_file_name(path):
    assert_no_problems(check_slug(read_or_fail(path)))


@PUBLISHED
def test_published_article_renders_without_unclosed_tags(path):
    assert_no_problems(check_renders(read_or_fail(path)))


@ALL
@pytest.mark.django_db  # the reviewer named by slug must be a clinician in the database
def test_article_loads_as_sync_content_would(path):
    """Whatever the checks above allow, `manage.py sync_content` must accept too."""
    try:
        parse_file(path)
    except ContentError as error:
        pytest.fail(str(error), pytrace=False)


def test_risks_article_names_every_risk_and_contraindication():
    assert_no_problems(check_risk_terms(read_or_fail(CONTENT_DIR / f"{RISKS_ARTICLE}.md")))


# Planted violations: each check finds what it is for ------------------------------------------


@pytest.mark.django_db
def test_every_article_is_listed_under_its_topic(client):
    from articles.loading import sync_content
    from articles.models import Article, Topic

    sync_content(CONTENT_DIR)
    page = client.get("/articles/").content.decode()
    sections = dict(re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>(.*?)</section>', page, re.DOTALL))
    for article in Article.objects.published().listed():  # site pages (about us, policies) are never listed
        label = Topic(article.topic).label
        assert label in sections, f"no {label!r} section on the article list"
        assert f'href="{article.get_absolute_url()}"' in sections[label], f"{article.slug} not under {label}"
