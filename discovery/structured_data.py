"""Structured data (schema.org, as JSON-LD) for search engines, built from what a page already shows.

Each function returns one entity as a dict; ld_json() writes a page's entities as one
<script type="application/ld+json"> block, which the strict CSP allows because browsers never run it.
The tag that picks the entities for a page is discovery/templatetags/discovery.py.

What is claimed, and what is not:
- An article names its reviewer only when that is a real person. The placeholder clinician of a fresh
  install (is_placeholder) is no one, so its articles carry neither reviewedBy nor lastReviewed: no
  medical review is claimed until staff name the clinician who did it.
- `about` says what an article is about by its topic, only as far as that holds for every article
  on the topic: treatment articles are about ketamine (one is about pain, not depression, so no
  condition is claimed for them); care articles about ketamine treatment for depression; support
  articles about depression. Nothing says "treatment-resistant": not every article is about it. Crisis
  support and site pages (about us, our policies) claim no topic.
"""

import json
import re
from functools import lru_cache
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, to_locale

from articles.models import Kind, Topic
from practice.models import Weekday

from .site import absolute_static, absolute_url, iso, last_changed

CONTEXT = "https://schema.org"
KETAMINE = {"@type": "Drug", "name": "Ketamine"}
DEPRESSION = {"@type": "MedicalCondition", "name": "Depression"}
ABOUT_BY_TOPIC = {
    Topic.TREATMENT: [KETAMINE],
    Topic.CARE: [DEPRESSION, KETAMINE],
    Topic.SUPPORT: [DEPRESSION],
}
PAGE_TYPES = {Kind.FAQ: "FAQPage", Kind.PAGE: "WebPage"}  # every other kind: MedicalWebPage
LOGO = "img/icon-512.png"  # our own artwork (scripts/make_icons.py): 512 px square, as search engines want

# What django.utils.html.json_script escapes, for the same reason: a title holding "</script>" or
# "<!--" cannot end or upset the script element (the JSON means the same after escaping).
JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
# "Springfield, IL 62701": city, two-letter state, ZIP or ZIP+4. Anything else stays whole.
US_LOCALITY = re.compile(r"^\s*(?P<city>[^,]+?)\s*,\s*(?P<state>[A-Z]{2})\s+(?P<zip>\d{5}(?:-\d{4})?)\s*$")


def ld_json(entities: list[dict]) -> SafeString:
    """One block for the page: a single entity as it is, several as a @graph (fewer bytes than a block each)."""
    if not entities:
        return mark_safe("")
    data = {"@context": CONTEXT, **entities[0]} if len(entities) == 1 else {"@context": CONTEXT, "@graph": entities}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def language() -> str:
    """The page's language as a BCP 47 tag: en-US."""
    return to_locale(get_language()).replace("_", "-")


def publisher(clinic) -> dict:
    return {
        "@type": "MedicalOrganization",
        "name": clinic.name,
        "url": absolute_url("/"),
        "logo": absolute_static(LOGO),
    }


def person(clinician) -> dict:
    entity = {"@type": "Person", "name": clinician.name}
    if clinician.credentials:
        entity["honorificSuffix"] = clinician.credentials
    if clinician.role:
        entity["jobTitle"] = clinician.role
    if clinician.is_active:  # a clinician who has left has no page any more
        entity["url"] = absolute_url(clinician.get_absolute_url())
    return entity


def article_page(article, clinic, path: str) -> dict:
    """MedicalWebPage for a guide or crisis page, FAQPage (with its questions) for the FAQ, WebPage for a
    site page (about us, a policy), which is not medical information. `path`: the article's own."""
    entity = {
        "@type": PAGE_TYPES.get(article.kind, "MedicalWebPage"),
        "url": absolute_url(path),
        "headline": article.title,
        "description": article.summary,
        "inLanguage": language(),
        "datePublished": iso(article.published_at),
        "dateModified": iso(last_changed(article)),
        "publisher": publisher(clinic),
    }
    if not article.reviewer.is_placeholder:
        entity["lastReviewed"] = article.last_reviewed.isoformat()
        entity["reviewedBy"] = person(article.reviewer)
    if article.kind in (Kind.GUIDE, Kind.FAQ) and article.topic in ABOUT_BY_TOPIC:
        entity["about"] = ABOUT_BY_TOPIC[article.topic]
    if article.kind == Kind.FAQ:
        entity["mainEntity"] = [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in faq_questions(article.body_html)
        ]
    return entity


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """`trail`: (name, path) from the home page to this page."""
    items = [
        {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(path)}
        for position, (name, path) in enumerate(trail, start=1)
    ]
    return {"@type": "BreadcrumbList", "itemListElement": items}


def postal_address(location) -> dict:
    address = {"@type": "PostalAddress", "streetAddress": location.street_address}
    match = US_LOCALITY.match(location.locality)
    if match:
        address.update(
            addressLocality=match["city"], addressRegion=match["state"], postalCode=match["zip"], addressCountry="US"
        )
    else:
        address["addressLocality"] = location.locality.strip()
    return address


def opening_hours(periods) -> list[dict]:
    """One specification per opening time, with every day that has it: Monday to Friday 8 to 5 is one."""
    days: dict[tuple, list[str]] = {}
    for period in sorted(periods, key=lambda period: (period.weekday, period.opens)):
        days.setdefault((period.opens, period.closes), []).append(Weekday(period.weekday).label)
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": names,
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
        for (opens, closes), names in days.items()
    ]


def medical_clinic(clinic, location, path: str) -> dict:
    """One place where the clinic sees patients; `path` is its visit page."""
    url = absolute_url(path)
    entity = {
        "@type": "MedicalClinic",
        "@id": url + "#clinic",
        "name": clinic.name,
        "url": url,
        "address": postal_address(location),
        "telephone": location.phone or clinic.phone,
    }
    hours = opening_hours(location.periods)
    if hours:  # none stored means unknown, not closed all week
        entity["openingHoursSpecification"] = hours
    return entity


class FaqParser(HTMLParser):
    """Questions and answers from the FAQ's rendered disclosures (articles/markdown.py FaqDisclosures):
    each <details class="faq"> holds a <summary> question, then the answer, then a permalink paragraph."""

    BLOCKS = {"p", "li", "ul", "ol", "dd", "dt", "table", "tr", "blockquote", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.questions: list[tuple[str, str]] = []
        self.depth = 0  # <details> open inside the current question, itself included
        self.part: str | None = None  # "question", "answer", or "skip" (the permalink)
        self.question: list[str] = []
        self.answer: list[str] = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "details" and self.depth == 0 and "faq" in classes:
            self.depth, self.part, self.question, self.answer = 1, "answer", [], []
        elif self.depth:
            if tag == "details":
                self.depth += 1
            elif tag == "summary" and self.depth == 1:
                self.part = "question"
            elif tag == "p" and "faq-permalink" in classes:
                self.part = "skip"
            elif tag in self.BLOCKS or tag == "br":
                self.answer.append("\n")

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "details":
            self.depth -= 1
            if not self.depth:
                self.questions.append((tidy(self.question), tidy(self.answer)))
        elif (tag, self.part) in (("summary", "question"), ("p", "skip")):
            self.part = "answer"
        elif tag in self.BLOCKS:
            self.answer.append("\n")

    def handle_data(self, data):
        if self.part == "question":
            self.question.append(data)
        elif self.depth and self.part == "answer":
            self.answer.append(data)


def tidy(parts: list[str]) -> str:
    """Text as read: spaces collapsed within each line, one line per paragraph or list item."""
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=8)
def faq_questions(body_html: str) -> tuple[tuple[str, str], ...]:
    """(question, answer text) for each disclosure, parsed once per process for each version of the FAQ."""
    parser = FaqParser()
    parser.feed(body_html)
    parser.close()
    return tuple((question, answer) for question, answer in parser.questions if question and answer)
