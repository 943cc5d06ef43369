"""render_markdown: Markdown to sanitised HTML, plus the table of contents and reading time.

Images are kept only when they are ours (a file in static/img/) and carry alt text.

find_unclosed_tags names the lines whose tags would hide the rest of an article, so that admin and
sync_content can refuse them; render_markdown shows such tags as text instead of losing the rest.
"""

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
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "section", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title", "rel", "class"},
    "abbr": {"title"},
    "div": {"class"},
    "details": {"class"},
    "img": {"src", "alt", "width", "height"},
    "li": {"class"},
    "p": {"class"},
    "ol": {"start"},
    "sup": {"class"},
    "td": {"align"},
    "th": {"align", "scope"},
}
# Link schemes a reader may follow: web pages, email, and tap-to-call (tel:) or tap-to-text (sms:) for
# the crisis lines and the clinic. Any other scheme (javascript:, data:, vbscript:, file:...) loses its href.
URL_SCHEMES = {"http", "https", "mailto", "sms", "tel"}
# Our own pictures only: a file straight inside static/img/, by its plain name. Stored HTML keeps the
# plain name (not the hashed one of the manifest storage, which changes with every edit of the file):
# whitenoise serves both, as collectstatic keeps the originals (WHITENOISE_KEEP_ONLY_HASHED_FILES is
# off). No other host, no data: or javascript: URL, no "..", no query string.
IMAGE_SRC = re.compile(r"/static/img/[a-z0-9][a-z0-9_-]*\.(?:svg|png|jpe?g|webp)")
IMAGE_SIZE = re.compile(r"[1-9][0-9]{0,3}")
IMG_TAG = re.compile(r"<img\b[^>]*>")  # nh3 escapes ">" inside attribute values
HTML_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# Tags that hide what follows them until their end tag: nh3 drops the content of script, style and
# template, and the HTML parser reads the rest as plain text (so "<p>" shows as text), or drops it.
# Left open, any of them would take the rest of the article with it.
SWALLOWING_TAGS = [
    "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "template", "textarea", "title", "xmp",
]  # fmt: skip
OPENING_TAG = re.compile(rf"<({'|'.join(SWALLOWING_TAGS)})(?=[\s/>])", re.IGNORECASE)
SOURCE_OFFSET = re.compile(r" data-source-offset=(\d+)")
UNCLOSED_COMMENT = re.compile(r"<!--(?!.*-->)", re.DOTALL)  # nh3 strips comments, and the rest with one
# Wide tables scroll sideways on phones inside a region keyboard users can focus (WCAG 2.1.1).
TABLE_SCROLL_START = '<div class="table-scroll" role="region" tabindex="0" aria-label="Table (scrolls sideways)">'


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # [{"id": ..., "title": ...}] for each h2
    reading_minutes: int = 1
    text: str = ""  # the words alone, without markup: what site search reads and quotes


@dataclass(frozen=True)
class UnclosedTag:
    line: int  # from 1, in the Markdown text
    tag: str  # lower case, e.g. "style"

    @property
    def problem(self) -> str:
        return (
            f"<{self.tag}> is never closed, so it would hide or garble everything after it. "
            f"Close it, remove it, or write it between backticks (`<{self.tag}>`) to show it as code."
        )


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


def make_markdown(faq: bool = False) -> markdown.Markdown:
    """The one Markdown set-up, so that checking a text and rendering it read it alike."""
    return markdown.Markdown(
        extensions=["toc", "tables", "footnotes", "sane_lists", "abbr", "def_list", ClinicExtension(faq)],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )


def unclosed_tags(html: str) -> list[re.Match]:
    """The SWALLOWING_TAGS opened in html whose next tag of the same name is not their end tag.

    A little stricter than a browser (which would let a second <script> inside the first pass):
    in doubt, a tag is shown as text rather than trusted to end.
    """
    found = []
    for opening in OPENING_TAG.finditer(html):
        name = opening[1].lower()
        following = re.compile(rf"<(/?){name}(?=[\s/>])", re.IGNORECASE).search(html, opening.end())
        if name == "plaintext" or following is None or following[1] != "/":  # nothing ends <plaintext>
            found.append(opening)
    return found


def escape_unclosed_tags(html: str) -> str:
    """Turn the "<" of each unclosed tag or comment into "&lt;", so it shows as text and hides nothing.

    Comments too: once a <script> is shown as text, a "<!--" that was inside it starts a comment.
    """
    for opening in reversed(unclosed_tags(html)):
        html = html[: opening.start()] + "&lt;" + html[opening.start() + 1 :]
    return UNCLOSED_COMMENT.sub("&lt;!--", html)


def find_unclosed_tags(text: str) -> list[UnclosedTag]:
    """Where the Markdown opens a tag that would hide the rest of the article; code is not counted.

    Only Markdown knows what is HTML and what is code (a line starting with a tag opens an HTML
    block, even after a backtick), so each candidate tag is marked with its offset, the text
    rendered, and the offsets read back from the tags left unclosed in the HTML.
    """
    marked = OPENING_TAG.sub(lambda tag: f"{tag[0]} data-source-offset={tag.start()}", text)
    html = make_markdown().convert(marked)
    found = []
    for opening in unclosed_tags(html):
        offset = int(SOURCE_OFFSET.match(html, opening.end())[1])
        found.append(UnclosedTag(line=text.count("\n", 0, offset) + 1, tag=opening[1].lower()))
    return found


def filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute_filter: an image's src must be one of ours, its size plain numbers."""
    if element == "img":
        if attribute == "src":
            return value if IMAGE_SRC.fullmatch(value) else None
        if attribute in {"width", "height"}:
            return value if IMAGE_SIZE.fullmatch(value) else None
    return value


def drop_unusable_images(html: str) -> str:
    """Remove each <img> left without a src (it was not ours) or without alt text to read out."""

    def keep_or_drop(tag: re.Match) -> str:
        attributes = dict(HTML_ATTRIBUTE.findall(tag[0]))
        usable = "src" in attributes and html_lib.unescape(attributes.get("alt", "")).strip()
        return tag[0] if usable else ""

    return IMG_TAG.sub(keep_or_drop, html)


def render_markdown(text: str, *, faq: bool = False) -> Rendered:
    """Render Markdown to HTML that is safe to mark safe: the only place |safe is used."""
    md = make_markdown(faq)
    html = escape_unclosed_tags(md.convert(text))  # before nh3, which would drop all that follows
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    clean = drop_unusable_images(clean)
    clean = clean.replace("<table>", TABLE_SCROLL_START + "<table>").replace("</table>", "</table></div>")
    toc = [
        {"id": token["id"], "title": html_lib.unescape(token["name"])} for token in md.toc_tokens if token["level"] == 2
    ]
    text = plain_text(clean)
    words = len(re.findall(r"\w+", text))
    return Rendered(html=clean, toc=toc, reading_minutes=max(1, round(words / WORDS_PER_MINUTE)), text=text)


# Where one block of text ends and another starts: a space there keeps "pay?" and "Sometimes" two words.
BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|td|th|dd|dt|summary|details|blockquote|div|br|tr|table|ul|ol)\b[^>]*>")
# The FAQ's "Link to this question" under each answer: a link, not words of the article.
FAQ_PERMALINK = re.compile(r'<p class="faq-permalink">.*?</p>', re.S)


def plain_text(html: str) -> str:
    """The words of sanitised HTML, for search: blocks kept apart, tags dropped, entities decoded, runs of
    white space made one space."""
    spaced = BLOCK_TAG.sub(r" \g<0> ", FAQ_PERMALINK.sub(" ", html))
    return " ".join(html_lib.unescape(nh3.clean(spaced, tags=set())).split())
