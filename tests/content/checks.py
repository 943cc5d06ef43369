"""The checks that keep content/ as the content brief (../shared/CONTENT.md) asks.

Each check is a small function that returns the problems it finds, as `file:line: message`:
test_articles.py runs them over every real article, test_checks.py proves on planted files that
each one reports what it should.
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

from articles.loading import ContentError, split_front_matter
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
    "International Committee of Medical Journal Editors": "icmje.org",  # cited by the editorial policy
    "JAMA Psychiatry": "jamanetwork.com",
    "Johnson & Johnson": "jnj.com",
    "Journal of Clinical Psychiatry": "psychiatrist.com",
    "Journal of General Internal Medicine": "springer.com",
    "National Institute of Mental Health": "nimh.nih.gov",
    "National Institutes of Health": "nih.gov",
    "National Library of Medicine (MedlinePlus)": "medlineplus.gov",
    "Neuron": "cell.com",
    "New England Journal of Medicine": "nejm.org",
    "Psychotherapy and Psychosomatics": "karger.com",
    "Regional Anesthesia & Pain Medicine": "rapm.bmj.com",
    "SPRAVATO REMS": "spravatorems.com",
    "Substance Abuse and Mental Health Services Administration (SAMHSA)": "samhsa.gov",
    "U.S. Department of Justice": "ada.gov",  # the ADA's own site, cited by the accessibility statement
    "U.S. Department of Veterans Affairs": ("va.gov", "veteranscrisisline.net"),  # the VA runs the Veterans Crisis Line
    "U.S. Drug Enforcement Administration": "dea.gov",
    "U.S. Food and Drug Administration": "fda.gov",  # www.fda.gov and accessdata.fda.gov (labels)
    "World Wide Web Consortium (W3C)": "w3.org",  # WCAG, cited by the accessibility statement
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
    reviewer = doc.meta.get("reviewer")
    if not isinstance(reviewer, str) or not reviewer.strip():
        problems.append(doc.problem(doc.key_line("reviewer"), "reviewer is empty: name the reviewing clinician's slug"))
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
