"""Fixtures for the browser journeys: the site's real articles, loaded into the live server's database."""

from pathlib import Path

import pytest

from articles.loading import sync_content
from tests.factories import placeholder_reviewer

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
CONTENT_SLUGS = sorted(path.stem for path in CONTENT_DIR.glob("*.md"))


@pytest.fixture
def content(live_server):
    """Every article in content/, as patients would find it (live_server tests get a transactional DB,
    emptied after each test, so the reviewer a migration made is made again)."""
    placeholder_reviewer()
    report = sync_content(CONTENT_DIR)
    assert sorted(report.created) == CONTENT_SLUGS, report
    return report
