"""What a visitor typed, as search terms: cleaned, capped, and written out for each database.

The same terms go to both databases, so simple words find the same articles on PostgreSQL and on
SQLite. The syntax is PostgreSQL's "websearch" subset, which people know from search engines:

- words: every word must appear (ketamine bladder); a word's other forms count too ("treatments"
  finds "treatment"): PostgreSQL's English stemmer, SQLite's porter tokenizer;
- "a quoted phrase": its words in that order. PostgreSQL skips the little words inside it ("ketamine
  for depression" also finds "ketamine and depression"); SQLite matches them as written;
- -word (a minus straight before a word or a phrase): leaves out articles that contain it;
- or between words: either side may match (ketamine or esketamine).

Everything else is text, never syntax: no other character has a meaning on either database
(FTS5's * ^ : ( ) NEAR AND NOT are all inside quoted strings), and the little words PostgreSQL's
English configuration ignores ("the", "how", "and", "not"...) are ignored on both. A part of the
query with no word left to look for (only little words, or only -words) is dropped on both:
"-ketamine" alone finds nothing, rather than every article without the word.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200  # characters of a query that are used; the page says when it cut one

# PostgreSQL's English stop words (share/tsearch_data/english.stop), which its "english" search
# configuration drops from documents and queries alike. SQLite drops them from queries here, so a
# query such as "how ketamine works" needs only "ketamine" and "works" on both databases.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
    hers herself it its itself they them their theirs themselves what which who whom this that these
    those am is are was were be been being have has had having do does did doing a an the and but if or
    because as until while of at by for with about against between into through during before after
    above below to from up down in out on off over under again further then once here there when where
    why how all any both each few more most other some such no nor not only own same so than too very s
    t can will just don should now
    """.split()
)

# A word: letters and digits, with inner hyphens or apostrophes ("self-harm", "don't").
WORD = r"[^\W_]+(?:['’-][^\W_]+)*"
# A minus counts only at the start of a word or phrase, as in websearch_to_tsquery ("self-harm" is a word).
TOKEN = re.compile(rf'(?P<minus>(?<!\S)-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>{WORD}))')
WORDS = re.compile(WORD)
PLAIN_WORDS = re.compile(r"[^\W_]+")


def clean_query(raw: str) -> tuple[str, bool]:
    """The query without control, format, private-use or unassigned characters (NUL among them, which
    PostgreSQL refuses in text), white space made single spaces, cut to MAX_QUERY_LENGTH characters
    (at a space when there is one: half a word would find nothing). Returns the text and whether it was cut."""
    text = " ".join("".join(" " if unicodedata.category(char)[0] == "C" else char for char in raw).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    cut = text[:MAX_QUERY_LENGTH]
    if text[MAX_QUERY_LENGTH] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(), True


@dataclass(frozen=True)
class Term:
    text: str  # one word, or a phrase's words separated by single spaces; lower case
    excluded: bool = False

    def quoted(self) -> str:
        # Only letters, digits, ' ’ - and spaces are left (WORD): nothing here can close the quotes.
        return f'{"-" if self.excluded else ""}"{self.text}"'


@dataclass(frozen=True)
class Terms:
    """Alternatives (joined by "or"), each a list of terms that must all match (or must not, if excluded)."""

    alternatives: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.alternatives)

    def websearch(self) -> str:
        """For PostgreSQL's websearch_to_tsquery: the terms again, normalised (stop words gone, quoted)."""
        return " or ".join(" ".join(term.quoted() for term in terms) for terms in self.alternatives)

    def fts5(self) -> str:
        """An FTS5 query: every term a quoted string, so nothing the visitor typed is read as syntax.
        FTS5 has no unary NOT, so excluded terms follow the wanted ones ("a" AND "b" NOT "c")."""
        alternatives = []
        for terms in self.alternatives:
            wanted = " AND ".join(f'"{term.text}"' for term in terms if not term.excluded)
            unwanted = "".join(f' NOT "{term.text}"' for term in terms if term.excluded)
            alternatives.append(f"({wanted}{unwanted})")
        return " OR ".join(alternatives)


def has_meaning(text: str) -> bool:
    """Whether a word or phrase holds more than stop words and signs: "don't" is "don" and "t" to PostgreSQL,
    and a term PostgreSQL would drop must not leave only a "-word" behind (finding every other article)."""
    return any(word not in STOP_WORDS and searchable(word) for word in PLAIN_WORDS.findall(text))


def searchable(word: str) -> bool:
    """Whether PostgreSQL's parser keeps the word: it has a letter or a digit 0-9 ("²" and "①" are dropped)."""
    return any(char.isalpha() or char in "0123456789" for char in word)


def parse_query(text: str) -> Terms:
    """The terms of a cleaned query (see the module's docstring for the syntax)."""
    alternatives, current = [], []
    for token in TOKEN.finditer(text):
        excluded = bool(token["minus"])
        if token["word"] is not None:
            word = token["word"].lower()
            if word == "or" and not excluded:
                alternatives.append(current)
                current = []
                continue
            if has_meaning(word):
                current.append(Term(word, excluded))
        else:
            phrase = " ".join(WORDS.findall(token["phrase"].lower()))
            if has_meaning(phrase):
                current.append(Term(phrase, excluded))
    alternatives.append(current)
    return Terms(tuple(tuple(terms) for terms in alternatives if any(not term.excluded for term in terms)))
