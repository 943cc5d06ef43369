"""A builder for small article files with valid defaults, so a test plants only the problem it is about."""

from pathlib import Path

import pytest
import yaml

EASY_BODY = """\
## Before your visit

Eat a light meal the day before. Bring a friend to drive you home. Sleep well the night before.

## After your visit

Rest at home. Call the clinic if you feel unwell. Call or text 988 if you are in crisis.
"""

GOOD_REFERENCES = [
    {
        "title": "Depression",
        "publisher": "National Institute of Mental Health",
        "year": 2024,
        "url": "https://www.nimh.nih.gov/health/topics/depression",
    },
    {
        "title": "FDA approves new nasal spray medication for treatment-resistant depression",
        "publisher": "U.S. Food and Drug Administration",
        "year": 2019,
        "url": "https://www.fda.gov/news-events/press-announcements/fda-approves-new-nasal-spray-medication",
    },
]


@pytest.fixture
def write_article(tmp_path):
    """write_article(slug="...", body="...", references=[...], **front_matter) -> the file's path.

    Defaults make a file every check in test_articles.py accepts; a front matter value of None
    leaves that key out. The file is named <slug>.md unless file_name says otherwise.
    """
    directory = tmp_path / "planted"
    directory.mkdir(exist_ok=True)

    def write(*, slug: str = "planted", file_name: str | None = None, body: str = EASY_BODY, references=None, **front):
        meta = {
            "title": "Your visit",
            "slug": slug,
            "summary": "What happens before and after a visit.",
            "topic": "care",
            "kind": "guide",
            "status": "published",
            "published_at": "2026-11-01",
            "reviewer": "medical-reviewer",
            "last_reviewed": "2026-11-01",
            "next_review_due": "2027-05-01",
            **front,
        }
        meta = {key: value for key, value in meta.items() if value is not None}
        meta["references"] = GOOD_REFERENCES if references is None else references
        path: Path = directory / f"{file_name or slug}.md"
        front_matter = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        path.write_text(f"---\n{front_matter}---\n\n{body}", encoding="utf-8")
        return path

    return write
