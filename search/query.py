"""search_articles: one page of ranked results for what a visitor typed, on PostgreSQL or SQLite.

Both databases read an article's title, summary and body words (Article.plain_text), weighted in
that order, and only published articles (Article.objects.published(), joined at query time: a
status or date change needs no index update). One query returns the page and the total.

- PostgreSQL: full-text search in the "english" configuration, ranked by ts_rank over a vector
  weighted A (title), B (summary), C (body), with ts_headline snippets. Migration search/0001
  stores the vector in a column kept by a trigger, with a GIN index on it.
- SQLite: the FTS5 table of the same migration (porter stemming), kept in step by triggers,
  ranked by bm25() with the same column order of weights, with snippet() snippets.
"""

import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Window
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Kind

from .parsing import Terms, parse_query

PAGE_SIZE = 20
# Snippets are marked with private-use characters (clean_query removes them from queries), then
# escaped, and only then are the markers turned into <mark>: no article or visitor text is trusted.
MARK_START, MARK_STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_STOP}]*){MARK_STOP}")
SNIPPET_WORDS = 30
# What a site page (about the clinic, editorial policy, accessibility) shows where an article shows its topic.
SITE_PAGE_LABEL = "About this site"

# PostgreSQL --------------------------------------------------------------------------------------
CONFIG = "english"
DOCUMENT_COLUMN = "search_document"  # made by migration search/0001
# SQLite ------------------------------------------------------------------------------------------
FTS_TABLE = "search_articleindex"  # created by migration search/0001, filled by its triggers
BM25_WEIGHTS = (10.0, 4.0, 1.0)  # title, summary, body: as A, B and C weigh in ts_rank (1, 0.4, 0.2)
RESULT_FIELDS = ("title", "slug", "summary", "topic", "kind")  # what a result shows, and nothing else


@dataclass(frozen=True)
class Result:
    article: Article  # with RESULT_FIELDS loaded
    snippet: SafeString  # the body around the matched words, matches in <mark>; else the summary
    label: str  # the article's topic, or SITE_PAGE_LABEL


@dataclass
class SearchPage:
    results: list[Result] = field(default_factory=list)
    total: int = 0  # articles matching, on all pages
    number: int = 1  # this page's number, from 1
    past_end: bool = False  # a later page was asked for: this is the last one
    has_terms: bool = True  # False when the query held nothing to look for ("the", "-ketamine", "***")

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def search_articles(text: str, page: int = 1) -> SearchPage:
    """Published articles matching `text` (a cleaned query, see parsing.clean_query), best first:
    the results of page `page` (from 1; a page past the end gives the last page)."""
    terms = parse_query(text)
    if not terms:
        return SearchPage(has_terms=False)
    search = _search_postgresql if connection.vendor == "postgresql" else _search_sqlite
    number = max(page, 1)
    results, total = search(terms, offset=(number - 1) * PAGE_SIZE)
    past_end = not results and number > 1
    if past_end:  # rare: a hand-made URL or an old link; one more query to count, one for the last page
        _, total = search(terms, offset=0, limit=1)
        number = max(1, math.ceil(total / PAGE_SIZE))
        results, total = search(terms, offset=(number - 1) * PAGE_SIZE)
    return SearchPage(results, total, number, past_end)


def highlight(snippet: str) -> SafeString:
    """The snippet escaped, with its marked words in <mark> (and any stray marker dropped)."""
    marked = MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_STOP, ""))


def _result(article: Article, snippet: str) -> Result:
    # A body without the matched words (a title or summary match) has nothing to highlight: the summary says more.
    shown = highlight(snippet) if MARK_START in snippet else escape(article.summary)
    label = SITE_PAGE_LABEL if article.kind == Kind.PAGE else article.get_topic_display()
    return Result(article, shown, label)


def stored_document():
    """The weighted vector PostgreSQL searches (title A, summary B, body C), as migration search/0001's
    trigger stores it in a column of the articles table that the model does not know."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models.expressions import RawSQL

    table = connection.ops.quote_name(Article._meta.db_table)
    return RawSQL(f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", (), output_field=SearchVectorField())


# ts_headline parses all the text it is given, ~0.2 ms a thousand characters: over whole bodies, the
# snippets of one page of results took 10 ms. It is given this much of the body instead, around the
# first place a word of the query appears.
WINDOW_BEFORE, WINDOW_LENGTH = 200, 600


def snippet_window(terms: Terms):
    """The part of an article's words that its snippet is made from: WINDOW_LENGTH characters from a
    little before the first wanted word. The words are found by their stems (the query's lexemes), which
    start most words that have them ("ketamin" in "ketamine"); when none is found (a stem such as
    "anxieti", which "anxiety" does not start with), the whole body, as before."""
    from django.db.models import TextField
    from django.db.models.expressions import RawSQL

    words = " ".join(term.text for terms_ in terms.alternatives for term in terms_ if not term.excluded)
    text = f"{connection.ops.quote_name(Article._meta.db_table)}.{connection.ops.quote_name('plain_text')}"
    sql = f"""(
        SELECT CASE WHEN first IS NULL THEN words ELSE substr(words, greatest(1, first - %s), %s) END
        FROM (
            SELECT {text} AS words, (
                SELECT min(nullif(strpos(lower({text}), lexeme), 0))
                FROM unnest(tsvector_to_array(to_tsvector(%s::regconfig, %s))) AS lexeme
            ) AS first
            OFFSET 0
        ) AS found
    )"""  # noqa: S608 (names are ours; the visitor's words are a parameter). OFFSET 0: `first` is found once.
    return RawSQL(sql, (WINDOW_BEFORE, WINDOW_LENGTH, CONFIG, words), output_field=TextField())


def _search_postgresql(terms: Terms, offset: int, limit: int = PAGE_SIZE) -> tuple[list[Result], int]:
    # Imported here: django.contrib.postgres needs psycopg, which only the PostgreSQL lane uses.
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(terms.websearch(), config=CONFIG, search_type="websearch")
    document = stored_document()
    snippet = SearchHeadline(
        snippet_window(terms),
        query,
        config=CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=SNIPPET_WORDS,
        min_words=SNIPPET_WORDS // 2,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    articles = (
        Article.objects.published()
        .alias(document=document)
        .filter(document=query)
        .annotate(rank=SearchRank(document, query), total=Window(Count("*")), snippet=snippet)
        .only(*RESULT_FIELDS)
        .order_by("-rank", "title", "pk")[offset : offset + limit]
    )
    rows = list(articles)
    return [_result(article, f"… {article.snippet} …") for article in rows], rows[0].total if rows else 0


def _search_sqlite(terms: Terms, offset: int, limit: int = PAGE_SIZE) -> tuple[list[Result], int]:
    # The published filter is the model's own (published()), as a subquery; the FTS5 table only matches.
    published, published_params = Article.objects.published().order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(Article._meta.db_table)
    columns = ", ".join(f"a.{connection.ops.quote_name(name)}" for name in ("id", *RESULT_FIELDS))
    weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
    # FTS5's functions work only in the query that matches, not beside a window function: the
    # matches are materialised first (bm25 and snippet per match), then joined, counted and paged.
    sql = f"""
        WITH hits AS MATERIALIZED (
            SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS rank,
                   snippet({FTS_TABLE}, 2, %s, %s, '…', {SNIPPET_WORDS}) AS snippet
            FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s
        )
        SELECT {columns}, hits.snippet, count(*) OVER () AS total
        FROM hits JOIN {table} AS a ON a.id = hits.id
        WHERE a.id IN ({published})
        ORDER BY hits.rank, a.title, a.id
        LIMIT %s OFFSET %s
    """  # noqa: S608 (names and numbers are ours; everything the visitor typed is a parameter)
    params = [MARK_START, MARK_STOP, terms.fts5(), *published_params, limit, offset]
    rows = list(Article.objects.raw(sql, params))
    return [_result(article, article.snippet) for article in rows], rows[0].total if rows else 0
