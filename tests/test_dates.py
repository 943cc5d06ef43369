"""Dates read as Americans write them: "November 1, 2026", never "01/11/2026", "2026-11-01" or "Nov. 1".

Every date our templates (pages and emails) show goes through the `date` filter with a format from
US_FORMATS; machine-readable formats only fill <time datetime="...">. A bare `|date` is refused:
it would use the en-us locale's DATE_FORMAT, "N j, Y" ("Nov. 1, 2026"), and settings.DATE_FORMAT
cannot change that while USE_I18N is on (the locale's format wins).
"""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template

from articles.models import Status
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent
US_FORMATS = {"F j, Y": "November 1, 2026", "F j, Y, g:i a": "November 1, 2026, 3:30 p.m."}
MACHINE_FORMATS = {"Y-m-d", "c"}
DATE_FILTER = re.compile(r"""\|date(?::(["'])(?P<format>.*?)\1)?""")
NOW_TAG = re.compile(r"""{%\s*now\s+(["'])(?P<format>.*?)\1""")


def our_templates() -> list[Path]:
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    folders += [path for path in ROOT.glob("*/templates") if path.parent.name != ".venv"]
    return sorted(path for folder in folders for path in folder.rglob("*") if path.suffix in {".html", ".txt"})


def date_formats_shown() -> list[tuple[str, str | None, bool]]:
    """(template, format or None, whether it fills a datetime attribute) for every date filter and now tag."""
    found = []
    for path in our_templates():
        text = path.read_text()
        for match in [*DATE_FILTER.finditer(text), *NOW_TAG.finditer(text)]:
            before = text[: match.start()]
            opening = before.rfind('datetime="')  # inside it if no quote closed it since
            machine = opening != -1 and '"' not in before[opening + len('datetime="') :]
            found.append((str(path.relative_to(ROOT)), match.group("format"), machine))
    return found


def test_the_templates_show_dates():
    assert date_formats_shown(), "no date found: has the scan stopped matching?"


@pytest.mark.parametrize(("template", "date_format", "machine"), date_formats_shown())
def test_every_date_in_our_templates_is_us_style(template, date_format, machine):
    assert date_format is not None, f'{template}: give |date a format, e.g. |date:"F j, Y"'
    if machine:
        assert date_format in MACHINE_FORMATS, f"{template}: datetime attribute with {date_format!r}"
    else:
        assert date_format in US_FORMATS, f"{template}: {date_format!r} is not one of {sorted(US_FORMATS)}"


@pytest.mark.parametrize(("date_format", "expected"), US_FORMATS.items())
def test_the_us_formats_read_as_americans_write_them(date_format, expected):
    moment = dt.datetime(2026, 11, 1, 15, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    rendered = Template("{{ moment|date:date_format }}").render(Context({"moment": moment, "date_format": date_format}))
    assert rendered == expected


@pytest.mark.django_db
def test_an_article_shows_its_review_dates_us_style(client):
    article = make_article(last_reviewed=dt.date(2026, 11, 1), next_review_due=dt.date(2027, 5, 1))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2026-11-01">November 1, 2026</time>' in html
    assert '<time datetime="2027-05-01">May 1, 2027</time>' in html


@pytest.mark.django_db
def test_staff_see_when_an_unpublished_article_publishes_in_clinic_time(staff_client):
    publishes = dt.datetime(2026, 11, 1, 15, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    article = make_article(status=Status.DRAFT, published_at=publishes)
    html = staff_client.get(article.get_absolute_url()).content.decode()
    assert "publishes November 1, 2026, 3:30 p.m." in html
