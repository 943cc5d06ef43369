"""render_markdown: Markdown to sanitised HTML, plus the table of contents and reading time."""

import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

WORDS_PER_MINUTE = 200

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "section", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title", "rel", "class"},
    "abbr": {"title"},
    "div": {"class"},
    "details": {"class"},
    "li": {"class"},
    "p": {"class"},
    "ol": {"start"},
    "sup": {"class"},
    "td": {"align"},
    "th": {"align", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Wide tables scroll sideways on phones inside a region keyboard users can focus (WCAG 2.1.1).
TABLE_SCROLL_START = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table (scrolls sideways)">'


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{"id": ..., "title": ...}] for each h2
    reading_minutes: int = 1


class ExternalLinks(Treeprocessor):
    """Adds rel="noopener external" to links that leave the site."""

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if urlsplit(link.get("href", "")).scheme in {"http", "https"}:
                link.set("rel", "noopener external")


class FaqDisclosures(Treeprocessor):
    """Turns each h3 question and the blocks after it into a <details> with the question's id."""

    def run(self, root: Element) -> None:
        children = list(root)
        root.clear()
        current = None
        for child in children:
            if child.tag == "h3":
                if current is not None:
                    self.add_permalink(current)
                current = Element("details", {"id": child.get("id", ""), "class": "faq"})
                summary = Element("summary")
                summary.text = "".join(child.itertext())
                current.append(summary)
                root.append(current)
            elif child.tag in {"h2", "hr"} or current is None:
                if current is not None:
                    self.add_permalink(current)
                current = None
                root.append(child)
            else:
                current.append(child)
        if current is not None:
            self.add_permalink(current)

    @staticmethod
    def add_permalink(details: Element) -> None:
        paragraph = Element("p", {"class": "faq-permalink"})
        link = Element("a", {"href": "#" + details.get("id", "")})
        link.text = "Link to this question"
        paragraph.append(link)
        details.append(paragraph)


class ClinicExtension(Extension):
    def __init__(self, faq: bool = False):
        super().__init__()
        self.faq = faq

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(ExternalLinks(md), "external_links", 5)
        if self.faq:  # after "toc" (priority 20) so the question headings already have ids
            md.treeprocessors.register(FaqDisclosures(md), "faq_disclosures", 4)


def render_markdown(text: str, *, faq: bool = False) -> Rendered:
    """Render Markdown to HTML that is safe to mark safe: the only place |safe is used."""
    md = markdown.Markdown(
        extensions=["toc", "tables", "footnotes", "sane_lists", "abbr", "def_list", ClinicExtension(faq)],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    clean = clean.replace("<table>", TABLE_SCROLL_START + "<table>").replace("</table>", "</table></div>")
    toc = [{"id": token["id"], "title": html_lib.unescape(token["name"])} for token in md.toc_tokens if token["level"] == 2]
    words = len(re.findall(r"\w+", nh3.clean(html, tags=set())))
    return Rendered(html=clean, toc=toc, reading_minutes=max(1, round(words / WORDS_PER_MINUTE)))
