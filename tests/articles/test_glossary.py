"""content/glossary.md: the term ids other articles link to exist, and every such link finds its term.

Reads the repository's own content/ directory (tests point CLINIC_CONTENT_DIR at a temporary one).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from articles.loading import parse_file
from articles.markdown import render_markdown

CONTENT = Path(settings.BASE_DIR) / "content"
GLOSSARY = CONTENT / "glossary.md"

# Other articles link to these: /articles/glossary/#<id>.
REQUIRED_IDS = [
    "dissociation", "nmda-receptor", "glutamate", "off-label", "rems", "treatment-resistant-depression",
    "infusion", "esketamine", "racemic-ketamine", "maintenance", "integration", "series", "response",
    "remission", "ect", "tms", "schedule-iii", "compounded", "boxed-warning", "placebo",
]  # fmt: skip
# A link to a glossary term from any article, with or without the slash before "#".
GLOSSARY_LINK = re.compile(r"/articles/glossary/?#([^\s)\"'>]+)")
# A link within the glossary itself: [word](#term).
IN_PAGE_LINK = re.compile(r"\]\(#([^\s)]+)\)")


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


def glossary_ids() -> set[str]:
    source = parse_file(GLOSSARY)  # the loader sync_content uses: the file must load as it will on the site
    collector = IdCollector()
    collector.feed(render_markdown(source.fields["body"], faq=source.fields["kind"] == "faq").html)
    return collector.ids


@pytest.fixture
def ids(db) -> set[str]:
    return glossary_ids()


@pytest.mark.django_db
def test_glossary_loads_as_a_published_support_article():
    source = parse_file(GLOSSARY)
    assert source.slug == "glossary"
    assert source.fields["topic"] == "support"
    assert source.fields["status"] == "published"


@pytest.mark.parametrize("term_id", REQUIRED_IDS)
def test_glossary_has_an_element_for_each_linked_term(ids, term_id):
    assert term_id in ids, f"no element with id '{term_id}' in the rendered glossary"


@pytest.mark.django_db
def test_each_required_term_is_a_heading_of_its_own():
    body = parse_file(GLOSSARY).fields["body"]
    headings = re.findall(r'<h3 id="([^"]+)"', render_markdown(body).html)
    assert set(REQUIRED_IDS) <= set(headings)
    assert len(headings) == len(set(headings)), "two terms share an id"


@pytest.mark.parametrize("path", sorted(CONTENT.glob("*.md")), ids=lambda path: path.name)
def test_every_glossary_link_in_the_content_points_to_a_term(ids, path):
    text = path.read_text(encoding="utf-8")
    linked = set(GLOSSARY_LINK.findall(text))
    if path == GLOSSARY:
        linked |= set(IN_PAGE_LINK.findall(text))
    missing = sorted(linked - ids)
    assert not missing, f"{path.name} links to glossary ids that do not exist: {', '.join(missing)}"


def test_a_link_to_a_missing_term_is_caught(ids):
    text = "See [a word](/articles/glossary/#no-such-term) and [another](/articles/glossary#rems)."
    assert set(GLOSSARY_LINK.findall(text)) - ids == {"no-such-term"}
