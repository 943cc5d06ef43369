"""The checks that keep content/ as the content brief (../shared/CONTENT.md) asks, over the real Markdown files.

Each check is a small function that returns the problems it finds, as `file:line: message`.
The real-content tests run every check over every file in the repository's content/ directory
(one test per article, so a failure names it) and fail with the whole list; the planted tests
write a small article with a known fault and prove that each check reports it.
"""

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from articles.loading import ContentError, parse_file, split_front_matter
from articles.markdown import find_unclosed_tags, render_markdown
from articles.models import Kind, Status
from tests.content.readability import hardest_sentences, plain_text, reading_grade

# The repository's articles. Tests point settings.CLINIC_CONTENT_DIR at a temporary directory.
CONTENT_DIR = Path(settings.BASE_DIR) / "content"
MAX_READING_GRADE = 8  # Flesch-Kincaid, US school grade (CONTENT.md: "8 or lower")
RISKS_ARTICLE = "risks-and-side-effects"


# Problems and files -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int | None  # in the file, from 1; None for the article as a whole
    message: str

    def __str__(self) -> str:
        try:
            where = str(self.path.relative_to(settings.BASE_DIR))
        except ValueError:
            where = str(self.path)
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"


@dataclass
class ContentFile:
    """One content file, split by the project's own loader into front matter (raw YAML values) and body."""

    path: Path
    text: str
    meta: dict
    body: str

    @classmethod
    def read(cls, path: Path) -> "ContentFile":
        text = path.read_text(encoding="utf-8")
        meta, body = split_front_matter(path, text)  # raises ContentError for a file with no valid front matter
        return cls(path=path, text=text, meta=meta, body=body)

    @property
    def is_published(self) -> bool:
        return self.meta.get("status") == Status.PUBLISHED

    @property
    def body_start_line(self) -> int:
        return self.line_at(len(self.text) - len(self.body))

    def line_at(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def key_line(self, key: str) -> int | None:
        """The line of a top-level front matter key."""
        found = re.search(rf"^{re.escape(key)}\s*:", self.text[: len(self.text) - len(self.body)], re.MULTILINE)
        return self.line_at(found.start()) if found else None

    def problem(self, line: int | None, message: str) -> Problem:
        return Problem(self.path, line, message)


def article_paths() -> list[Path]:
    return sorted(CONTENT_DIR.glob("*.md"))


def published_paths() -> list[Path]:
    """Published files, and any file whose front matter cannot be read (its test then says why)."""
    found = []
    for path in article_paths():
        try:
            published = ContentFile.read(path).is_published
        except (ContentError, OSError, UnicodeDecodeError):
            published = True
        if published:
            found.append(path)
    return found


def read_or_fail(path: Path) -> ContentFile:
    try:
        return ContentFile.read(path)
    except ContentError as error:
        pytest.fail(str(error), pytrace=False)


def assert_no_problems(problems: list[Problem]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s):\n" + "\n".join(str(problem) for problem in problems), pytrace=False)


# 1. Reading grade -------------------------------------------------------------------------------


def check_reading_grade(doc: ContentFile, max_grade: float = MAX_READING_GRADE) -> list[Problem]:
    grade = reading_grade(doc.body)
    if grade <= max_grade:
        return []
    hardest = "".join(f"\n    grade {g:.1f}: {sentence}" for g, sentence in hardest_sentences(doc.body))
    return [doc.problem(None, f"reading grade {grade:.1f}, above {max_grade}; hardest sentences:{hardest}")]


# 2. Banned phrases ------------------------------------------------------------------------------


class Banned(NamedTuple):
    phrase: str  # as reported
    pattern: str  # regex, matched case-insensitively (use (?-i:...) for a case-sensitive part)
    negation_ok: bool = False  # a negation just before it ("not a cure") makes it the honest statement
    about: str | None = None  # if set, only a hit in a sentence that also matches this regex


# Negation words, with the small words that may stand between them and the phrase:
# "not a cure", "does not cure", "is not guaranteed", "has never been cured".
NEGATED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|cannot)|n't)\s+"
    r"(?:(?:a|an|the|be|been|being|is|are|was|were|ever|always|yet|fully|currently)\s+)*$",
    re.IGNORECASE,
)
IV_KETAMINE = r"(?-i:\bIV\b)|\bintravenous(?:ly)?\b|\binfusions?\b"
# Beyond a negation just before "approved" ("is not FDA-approved", "has not been approved by the FDA",
# "no FDA-approved ..."), a sentence about IV ketamine may deny its approval in other ways:
APPROVAL_DENIED = re.compile(
    r"\boff[-\s]label\b|\bunapproved\b"  # "... but IV ketamine for depression is off-label"
    r"|\bbut\s+not\b|\bnot\s+for\b"  # "IV ketamine is FDA-approved as an anesthetic, but not for depression"
    rf"|(?:{IV_KETAMINE})[^.;:!?]{{0,40}}?\b(?:is|are|was|were|has|have|does|do)(?:\s+not\b|n't\b)",  # "IV ... is not"
    re.IGNORECASE,
)
FDA_APPROVED = (
    # "FDA-approved", "FDA approved", "the FDA (has) approved ...", but not "what the FDA has approved",
    # which names a topic (a heading like "Spravato and IV ketamine: what the FDA has approved").
    r"(?<!what the )(?<!which the )(?:\bFDA[-\s]+approved\b|\bFDA\s+(?:has|had)\s+approved\b)"
    r"|\bapproved\s+by\s+the\s+(?:U\.?S\.?\s+)?(?:FDA|Food\s+and\s+Drug\s+Administration)\b"
)

BANNED_PHRASES = [
    # Ketamine does not cure depression (CONTENT.md); "not a cure" / "no cure" is the honest statement.
    Banned("cure", r"\bcure\b", negation_ok=True),
    # A promise of results ("it cures depression"); "does not cure" is caught as "cure", negated.
    Banned("cures", r"\bcures\b", negation_ok=True),
    # Recovery stories and promises ("patients were cured"); "not cured" stays allowed.
    Banned("cured", r"\bcured\b", negation_ok=True),
    # No promise of results (CONTENT.md rules); "results are not guaranteed" is honest and allowed.
    Banned("guaranteed", r"\bguaranteed\b", negation_ok=True),
    # Marketing hype: no honest use in patient information, negated or not.
    Banned("miracle", r"\bmiracles?\b"),
    # CONTENT.md: "Never say 'not addictive'": misuse potential is real (Schedule III). Also "non-addictive".
    Banned("not addictive", r"\b(?:not|non)[-\s]+addictive\b|n't\s+addictive\b"),
    # Every medicine has side effects; the risks article lists ketamine's.
    Banned("no side effects", r"\bno\s+side[-\s]+effects?\b"),
    # The old Lifeline number (1-800-273-8255 / 800-273-TALK): give 988 instead, the number since July 2022.
    Banned("1-800-273", r"(?:\b1[-.\s]?)?\(?\b800\)?[-.\s]?273\b"),
    # IV ketamine for depression is off-label; only esketamine (Spravato) is FDA-approved. A hit needs
    # IV/intravenous/infusion in the same sentence; "IV ketamine is not FDA-approved", "Spravato is
    # FDA-approved; IV ketamine is not", "off-label" and a question ("Is IV ketamine FDA-approved?") are fine.
    Banned("FDA-approved about IV ketamine", FDA_APPROVED, negation_ok=True, about=IV_KETAMINE),
]

# Where a sentence ends: . ! ? (before a space, quote or bracket), a blank line, or a new block
# (list item, heading, table row, quote, YAML key or the front matter's end).
SENTENCE_BREAK = re.compile(
    r"[.!?]+[\"')\]*_]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+][ \t]|\d+[.)][ \t]|#|\||>|[\w-]+:\s|---))"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for found in SENTENCE_BREAK.finditer(text):
        spans.append((start, found.end()))
        start = found.end()
    spans.append((start, len(text)))
    return spans


def find_banned_phrases(text: str) -> list[tuple[int, str]]:
    """(offset, phrase) for every banned phrase in text, in order."""
    spans = sentence_spans(text)
    starts = [start for start, _ in spans]
    hits = []
    for banned in BANNED_PHRASES:
        for found in re.finditer(banned.pattern, text, re.IGNORECASE):
            start, end = spans[bisect_right(starts, found.start()) - 1]
            sentence = text[start:end]
            if banned.negation_ok and NEGATED_BEFORE.search(text[start : found.start()]):
                continue
            if banned.about:
                if not re.search(banned.about, sentence, re.IGNORECASE):
                    continue
                if APPROVAL_DENIED.search(sentence) or sentence.rstrip(" \n\"'*_)").endswith("?"):
                    continue
            hits.append((found.start(), banned.phrase))
    return sorted(hits)


def check_banned_phrases(doc: ContentFile) -> list[Problem]:
    return [doc.problem(doc.line_at(offset), phrase) for offset, phrase in find_banned_phrases(doc.text)]


# 3. References and review -----------------------------------------------------------------------

# Publisher (exactly as written in front matter) -> the domain of its own site (or several).
# A reference counts as "on the publisher's own site" when its URL's host is that domain or under it.
# doi.org links resolve to the publisher too, but they do not count: readers see doi.org.
PUBLISHER_DOMAINS: dict[str, str | tuple[str, ...]] = {
    "988 Suicide & Crisis Lifeline": "988lifeline.org",
    "American Journal of Psychiatry": "psychiatryonline.org",
    "Anesthesia & Analgesia": "journals.lww.com",
    "Archives of General Psychiatry": "jamanetwork.com",  # now JAMA Psychiatry, on JAMA Network
    "BJPsych Open": "cambridge.org",
    "Biological Psychiatry": "biologicalpsychiatryjournal.com",
    "Crisis Text Line": "crisistextline.org",
    "Focus (American Psychiatric Association Publishing)": "psychiatryonline.org",
    "Frontiers in Psychology": "frontiersin.org",
    "HealthCare.gov": "healthcare.gov",
    "JAMA Psychiatry": "jamanetwork.com",
    "Johnson & Johnson": "jnj.com",
    "Journal of Clinical Psychiatry": "psychiatrist.com",
    "Journal of General Internal Medicine": "springer.com",
    "National Institute of Mental Health": "nimh.nih.gov",
    "Neuron": "cell.com",
    "New England Journal of Medicine": "nejm.org",
    "Psychotherapy and Psychosomatics": "karger.com",
    "Regional Anesthesia & Pain Medicine": "rapm.bmj.com",
    "SPRAVATO REMS": "spravatorems.com",
    "Substance Abuse and Mental Health Services Administration (SAMHSA)": "samhsa.gov",
    "U.S. Department of Veterans Affairs": ("va.gov", "veteranscrisisline.net"),  # the VA runs the Veterans Crisis Line
    "U.S. Drug Enforcement Administration": "dea.gov",
    "U.S. Food and Drug Administration": "fda.gov",  # www.fda.gov and accessdata.fda.gov (labels)
}
REFERENCE_KEYS = ["title", "publisher", "year", "url"]
MIN_REFERENCES = 2
MIN_ON_PUBLISHER_SITE = 2


def on_domain(host: str, domains: str | tuple[str, ...]) -> bool:
    domains = (domains,) if isinstance(domains, str) else domains
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def check_references(doc: ContentFile) -> list[Problem]:
    line = doc.key_line("references")
    references = doc.meta.get("references") or []
    if not isinstance(references, list):
        return [doc.problem(line, "references must be a list")]
    problems = []
    if len(references) < MIN_REFERENCES:
        problems.append(doc.problem(line, f"{len(references)} reference(s); at least {MIN_REFERENCES} needed"))
    on_site, unknown, elsewhere = 0, [], []
    for number, ref in enumerate(references, start=1):
        where = f"references[{number}]"
        if not isinstance(ref, dict):
            problems.append(doc.problem(line, f"{where}: needs {', '.join(REFERENCE_KEYS)}"))
            continue
        if missing := [key for key in REFERENCE_KEYS if ref.get(key) in (None, "")]:
            problems.append(doc.problem(line, f"{where}: missing {', '.join(missing)}"))
        year = ref.get("year")
        if year not in (None, "") and not (isinstance(year, int) and 1900 <= year <= dt.date.today().year + 1):
            problems.append(doc.problem(line, f"{where}: year {year!r} is not a year"))
        publisher = str(ref.get("publisher") or "")
        if publisher and publisher not in PUBLISHER_DOMAINS:
            unknown.append(publisher)
        url = str(ref.get("url") or "")
        parts = urlsplit(url)
        if url and (parts.scheme != "https" or not parts.hostname):
            problems.append(doc.problem(line, f"{where}: url must be an https:// address, not {url!r}"))
            continue
        host = parts.hostname or ""
        if publisher not in PUBLISHER_DOMAINS or not host or on_domain(host, "doi.org"):
            continue
        if on_domain(host, PUBLISHER_DOMAINS[publisher]):
            on_site += 1
        else:
            elsewhere.append(f"{publisher!r} links to {host}")
    if on_site < MIN_ON_PUBLISHER_SITE:
        message = (
            f"{on_site} reference(s) link to the publisher's own site; at least {MIN_ON_PUBLISHER_SITE} needed "
            "(doi.org links do not count)"
        )
        if unknown:
            message += (
                "; publishers not in PUBLISHER_DOMAINS (add their domain in tests/content/test_articles.py): "
                + ", ".join(repr(name) for name in dict.fromkeys(unknown))
            )
        if elsewhere:
            message += "; not on the publisher's domain: " + ", ".join(elsewhere)
        problems.append(doc.problem(line, message))
    return problems


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def check_review(doc: ContentFile) -> list[Problem]:
    problems = []
    reviewer = doc.meta.get("reviewed_by")
    if not isinstance(reviewer, str) or not reviewer.strip():
        problems.append(doc.problem(doc.key_line("reviewed_by"), "reviewed_by is empty: name the medical reviewer"))
    dates = {}
    for key in ["last_reviewed", "next_review_due"]:
        dates[key] = parse_date(doc.meta.get(key))
        if dates[key] is None:
            problems.append(doc.problem(doc.key_line(key), f"{key} {doc.meta.get(key)!r} is not a YYYY-MM-DD date"))
    last, due = dates["last_reviewed"], dates["next_review_due"]
    if last and due and not last < due:
        problems.append(
            doc.problem(doc.key_line("next_review_due"), f"next_review_due {due} is not after last_reviewed {last}")
        )
    return problems


# 4. The risks article ---------------------------------------------------------------------------

# CONTENT.md, second edition: "Risks the risks page must name", "Who should not have it (named, not
# vague)" and "Interactions"; the first edition adds liver harm. (label, regex on the rendered text,
# case-insensitive), tolerant of plain-language wording.
REQUIRED_RISK_TERMS = [
    ("dissociation", r"dissociat"),
    # The word itself, or a strong plain description: "drowsiness" alone was in the first edition,
    # and the medical read still asked for sedation to be named.
    ("sedation", r"\bsedat\w*|\bvery (?:sleepy|drowsy)\b|hard to stay awake"),
    (
        "slowed breathing (respiratory depression)",
        r"\bslow(?:ed|s|er|ing)?\s+(?:down\s+)?(?:your\s+|the\s+)?breathing|breathing\s+(?:can\s+|may\s+)?"
        r"(?:slows|slow down|is slowed|becomes slow|gets slow)|respiratory depression|breathe\s+(?:too\s+)?slowly",
    ),
    ("blood pressure", r"blood pressure"),
    ("heart rate", r"heart rate|heartbeat|\bpulse\b"),
    ("attention, memory and thinking", r"\bmemory\b|\battention\b|concentrat|(?:clear|foggy|slow|muddled) thinking"),
    ("anxiety", r"\banxi(?:ety|ous)"),
    ("nausea", r"\bnause"),
    ("vomiting", r"\bvomit|\bthrow(?:ing)? up\b|being sick"),
    ("urinary or bladder symptoms", r"\burin|\bbladder\b|\bpee\b"),
    ("liver harm", r"\bliver\b"),
    ("misuse", r"\bmisuse|\babuse\b"),
    ("dependence", r"\bdependen(?:ce|cy|t)\b|\baddict(?:ion|ed)\b"),
    ("Schedule III", r"\bschedule\s+(?:III|3)\b"),
    ("suicidal thoughts (boxed warning)", r"\bsuicid"),
    (
        "more suicidal thoughts at 24 and younger",
        r"\b24\s+(?:years\s+(?:old\s+)?)?(?:and|or)\s+(?:younger|under)\b|\b(?:under|younger than)\s+25\b",
    ),
    ("aneurysm", r"\baneurysm"),
    ("arteriovenous malformation", r"arteriovenous malformation|\bAVM\b"),
    (
        "bleed in the brain",
        r"\b(?:bleed|bleeding|hemorrhage|haemorrhage)\s+(?:in|into|inside|on)\s+(?:the\s+|your\s+)?brain"
        r"|\bbrain\s+(?:bleed|hemorrhage|haemorrhage)|\bintracranial (?:bleed|hemorrhage|haemorrhage)",
    ),
    (
        "uncontrolled high blood pressure",
        r"\b(?:uncontrolled|poorly controlled)\s+(?:high\s+blood\s+pressure|hypertension)"
        r"|\b(?:high\s+blood\s+pressure|hypertension)\s+(?:that\s+is\s+)?(?:not|isn't)\s+(?:well\s+)?"
        r"(?:under\s+control|controlled)",
    ),
    ("psychosis", r"\bpsychos[ie]s|\bpsychotic"),
    (
        "substance use disorder",
        r"\bsubstance[-\s](?:use|misuse|abuse)\s+disorder|\b(?:current|active)\s+(?:problem|trouble)s?\s+with\s+"
        r"(?:alcohol|drugs)",
    ),
    ("pregnancy", r"\bpregnan"),
    ("breastfeeding", r"\bbreast[-\s]?feed|\bchest[-\s]?feed|\bnursing (?:a|your) baby"),
    ("allergy to ketamine or esketamine", r"\ballerg"),
    (
        "under 18",
        r"\b(?:under|younger than|below)\s+(?:age\s+|the\s+age\s+of\s+)?18\b|\b18\s+(?:years\s+(?:old\s+)?)?(?:or|and)"
        r"\s+(?:older|over)\b",
    ),
    ("benzodiazepines", r"\bbenzodiazepine|\bbenzos?\b"),
    ("opioids", r"\bopioid|\bopiate"),
    ("alcohol", r"\balcohol"),
    ("stimulants", r"\bstimulant"),
    ("MAO inhibitors", r"\bMAO[-\s]*inhibitor|\bMAOIs?\b|monoamine oxidase"),
]


def check_risk_terms(doc: ContentFile, terms=REQUIRED_RISK_TERMS) -> list[Problem]:
    text = " ".join(plain_text(doc.body).split())
    missing = [label for label, pattern in terms if not re.search(pattern, text, re.IGNORECASE)]
    if not missing:
        return []
    return [doc.problem(None, f"does not name {len(missing)} required risk(s): {', '.join(missing)}")]


# 6. Slug and rendering --------------------------------------------------------------------------


def check_slug(doc: ContentFile) -> list[Problem]:
    slug = doc.meta.get("slug")
    if slug == doc.path.stem:
        return []
    return [doc.problem(doc.key_line("slug"), f"slug {slug!r} must match the file name ({doc.path.stem}.md)")]


def check_renders(doc: ContentFile) -> list[Problem]:
    problems = [
        doc.problem(doc.body_start_line + unclosed.line - 1, unclosed.problem)
        for unclosed in find_unclosed_tags(doc.body)
    ]
    if not render_markdown(doc.body, faq=doc.meta.get("kind") == Kind.FAQ).html.strip():
        problems.append(doc.problem(doc.body_start_line, "the body renders to nothing"))
    return problems


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
def test_article_loads_as_sync_content_would(path):
    """Whatever the checks above allow, `manage.py sync_content` must accept too."""
    try:
        parse_file(path)
    except ContentError as error:
        pytest.fail(str(error), pytrace=False)


def test_risks_article_names_every_risk_and_contraindication():
    assert_no_problems(check_risk_terms(read_or_fail(CONTENT_DIR / f"{RISKS_ARTICLE}.md")))


# Planted violations: each check finds what it is for ------------------------------------------


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


def test_the_planted_defaults_pass_every_check(write_article):
    doc = ContentFile.read(write_article())
    checks = [check_reading_grade, check_banned_phrases, check_references, check_review, check_slug, check_renders]
    assert [problem for check in checks for problem in check(doc)] == []
    parse_file(doc.path)  # and the project's loader accepts it


def test_reading_grade_check_reports_a_hard_body(write_article):
    hard = (
        "## Pharmacology\n\nKetamine's antidepressant pharmacodynamics, incorporating N-methyl-D-aspartate receptor "
        "antagonism, subsequent glutamatergic neurotransmission, alpha-amino-3-hydroxy-5-methyl-4-isoxazolepropionic "
        "acid receptor potentiation and brain-derived neurotrophic factor liberation, remain incompletely "
        "characterised notwithstanding considerable investigational endeavour.\n"
    )
    doc = ContentFile.read(write_article(body=hard))
    [problem] = check_reading_grade(doc)
    grade = reading_grade(hard)
    assert grade > 12
    assert str(problem).startswith(f"{doc.path}: reading grade {grade:.1f}, above 8; hardest sentences:")


def test_banned_phrase_check_reports_every_hit_by_line(write_article):
    body = (
        "## Results\n\n"
        "Ketamine cured my depression, it is guaranteed.\n\n"
        "- It is a MIRACLE and it Cures pain.\n"
        "- It is not addictive and has no side effects.\n\n"
        "Call 1-800-273-8255. Our IV ketamine is FDA-approved.\n"
    )
    path = write_article(summary="A cure for depression.", body=body)
    problems = [str(problem) for problem in check_banned_phrases(ContentFile.read(path))]
    summary, results = line_of(path, "summary:"), line_of(path, "cured my")
    assert problems == [
        f"{path}:{summary}: cure",
        f"{path}:{results}: cured",
        f"{path}:{results}: guaranteed",
        f"{path}:{results + 2}: miracle",
        f"{path}:{results + 2}: cures",
        f"{path}:{results + 3}: not addictive",
        f"{path}:{results + 3}: no side effects",
        f"{path}:{results + 5}: 1-800-273",
        f"{path}:{results + 5}: FDA-approved about IV ketamine",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ketamine is not a cure.", []),
        ("There is no cure-all, and ketamine does not cure depression.", []),
        ("Results are not guaranteed. Keep your home secure.", []),
        ("Ketamine can cure depression.", ["cure"]),
        ("It has cured many people. No doubt it cures.", ["cured", "cures"]),
        ("Results are guaranteed.", ["guaranteed"]),
        ("It is not a miracle.", ["miracle"]),
        ("Ketamine isn't addictive; it is non-addictive.", ["not addictive", "not addictive"]),
        ("Call 988, or 800-273-TALK.", ["1-800-273"]),
        # FDA approval: a claim about IV ketamine is banned; the negated, correct statements are not.
        ("IV ketamine is FDA-approved for depression.", ["FDA-approved about IV ketamine"]),
        ("Each infusion uses an FDA approved medicine.", ["FDA-approved about IV ketamine"]),
        ("Intravenous ketamine was approved by the FDA for depression.", ["FDA-approved about IV ketamine"]),
        ("The FDA has approved our IV treatment.", ["FDA-approved about IV ketamine"]),
        ("Our IV ketamine is FDA-approved and not addictive.", ["FDA-approved about IV ketamine", "not addictive"]),
        ("Don't worry: IV ketamine is FDA-approved.", ["FDA-approved about IV ketamine"]),
        ("IV ketamine is not FDA-approved for depression.", []),
        ("There is no FDA-approved IV ketamine for depression.", []),
        ("IV ketamine is FDA-approved as an anesthetic, but not for depression.", []),
        ("Intravenous ketamine has not been approved by the FDA for any mental health condition.", []),
        ("IV ketamine isn't FDA approved.", []),
        ("Spravato is FDA-approved; IV ketamine is not.", []),
        ("Spravato is FDA-approved, but IV ketamine for depression is off-label.", []),
        ("### Is IV ketamine FDA-approved?\n\nNo.", []),
        ("Spravato is FDA-approved. IV ketamine is given through a drip.", []),
        ("## Spravato and IV ketamine: what the FDA has approved", []),
        ("- Spravato is FDA-approved\n- IV ketamine is given through a drip", []),
    ],
)
def test_banned_phrase_rules(text, found):
    assert [phrase for _, phrase in find_banned_phrases(text)] == found


def test_reference_check_reports_too_few_and_off_site_references(write_article):
    references = [
        {"title": "A study", "publisher": "Journal of Examples", "year": 2020, "url": "http://example.org/study"},
        {"title": "Another", "publisher": "Lancet Psychiatry", "year": "soon", "url": "https://example.org/two"},
        {"title": "A DOI", "publisher": "JAMA Psychiatry", "year": 2017, "url": "https://doi.org/10.1001/x"},
        {"title": "", "publisher": "U.S. Food and Drug Administration", "year": 2023, "url": "https://www.jnj.com/x"},
    ]
    path = write_article(references=references)
    line = line_of(path, "references:")
    assert [str(problem) for problem in check_references(ContentFile.read(path))] == [
        f"{path}:{line}: references[1]: url must be an https:// address, not 'http://example.org/study'",
        f"{path}:{line}: references[2]: year 'soon' is not a year",
        f"{path}:{line}: references[4]: missing title",
        f"{path}:{line}: 0 reference(s) link to the publisher's own site; at least 2 needed (doi.org links do not "
        "count); publishers not in PUBLISHER_DOMAINS (add their domain in tests/content/test_articles.py): "
        "'Journal of Examples', 'Lancet Psychiatry'; "
        "not on the publisher's domain: 'U.S. Food and Drug Administration' links to www.jnj.com",
    ]
    one = write_article(slug="one", references=references[2:3])
    assert [problem.message for problem in check_references(ContentFile.read(one))][:1] == [
        "1 reference(s); at least 2 needed"
    ]


def test_review_check_reports_a_missing_reviewer_and_reversed_dates(write_article):
    path = write_article(reviewed_by="", last_reviewed="2027-05-01", next_review_due="2026-11-01")
    assert [str(problem) for problem in check_review(ContentFile.read(path))] == [
        f"{path}:{line_of(path, 'reviewed_by:')}: reviewed_by is empty: name the medical reviewer",
        f"{path}:{line_of(path, 'next_review_due:')}: next_review_due 2026-11-01 is not after last_reviewed 2027-05-01",
    ]
    same_day = write_article(slug="same-day", last_reviewed="2026-11-01", next_review_due="2026-11-01")
    assert [problem.message for problem in check_review(ContentFile.read(same_day))] == [
        "next_review_due 2026-11-01 is not after last_reviewed 2026-11-01"
    ]


def test_risk_check_lists_the_missing_terms(write_article):
    body = "## Side effects\n\nYou may feel dissociation, nausea and a rise in blood pressure and heart rate.\n"
    doc = ContentFile.read(write_article(body=body))
    [problem] = check_risk_terms(doc)
    labels = [label for label, _ in REQUIRED_RISK_TERMS]
    named = {"dissociation", "nausea", "blood pressure", "heart rate"}
    missing = [label for label in labels if label not in named]
    assert problem.message == f"does not name {len(missing)} required risk(s): {', '.join(missing)}"


def test_risk_terms_accept_plain_language_wording(write_article):
    body = """\
## During and after

You may feel dissociation (detached), or sedation (very sleepy). Ketamine can slow your breathing, which is
why oxygen is checked. Blood pressure and heart rate go up. Memory and attention may be off for a while.
Some people feel anxious. Nausea and **vomiting** can happen. Some people need to pee more often.

## Misuse

Misuse and dependence are possible: ketamine is a Schedule III drug. Frequent high-dose misuse harms the
bladder and liver. Like all antidepressants, it carries a warning about suicidal thoughts for people aged 24
and younger.

## Who should not have it

- an aneurysm or an arteriovenous malformation
- a past bleed in the brain
- uncontrolled high blood pressure
- a history of psychosis
- an active substance use disorder
- pregnancy or breastfeeding
- an allergy to ketamine or esketamine
- under 18

## Other medicines

Benzodiazepines, opioids and alcohol add sleepiness. Stimulants and MAO inhibitors raise blood pressure.
"""
    assert check_risk_terms(ContentFile.read(write_article(body=body))) == []


def test_slug_check_reports_a_slug_unlike_the_file_name(write_article):
    path = write_article(slug="other-name", file_name="planted")
    assert [str(problem) for problem in check_slug(ContentFile.read(path))] == [
        f"{path}:{line_of(path, 'slug:')}: slug 'other-name' must match the file name (planted.md)"
    ]


def test_render_check_reports_an_unclosed_tag_by_file_line(write_article):
    path = write_article(body="## Part\n\nText.\n\n<style>\n\nThe rest of the article.\n")
    [problem] = check_renders(ContentFile.read(path))
    assert problem.line == line_of(path, "<style>")
    assert problem.message.startswith("<style> is never closed")


@pytest.mark.django_db
def test_every_article_is_listed_under_its_topic(client):
    from articles.loading import sync_content
    from articles.models import Article, Topic

    sync_content(CONTENT_DIR)
    page = client.get("/articles/").content.decode()
    sections = dict(re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>(.*?)</section>', page, re.DOTALL))
    for article in Article.objects.published():
        label = Topic(article.topic).label
        assert label in sections, f"no {label!r} section on the article list"
        assert f'href="{article.get_absolute_url()}"' in sections[label], f"{article.slug} not under {label}"
