"""An issue's body made fit for email: links that work outside the site, in both parts of the message.

On the site, a link like [guide](/articles/between-sessions/) is relative to the page; in an email there is
no page, so every site-relative link ("/..." but not "//...", which names another host) is made absolute on
CLINIC_SITE_URL. The stored body_html stays as articles render it (site-relative, no inline styles): the
email's copy is derived when a message is built, so a change of CLINIC_SITE_URL applies to the next send.
"""

import re

import nh3
from django.conf import settings

from articles.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

# The clinic colour of the email layout's links (templates/newsletter/email/_layout.html). Inline, as many
# email clients drop <style>; the only style a link gets, since nh3 drops every style the body brought.
LINK_STYLE = "color: #005a52;"
# render_markdown wraps tables in a scroll region; keep its attributes when the HTML is cleaned again.
EMAIL_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "div": ALLOWED_ATTRIBUTES["div"] | {"role", "tabindex", "aria-label"}}


def absolute_href(url: str) -> str:
    """A site-relative URL on CLINIC_SITE_URL; any other URL (another host, "#note", "tel:") as it is.
    As typed (no IRI encoding, unlike discovery.site.absolute_url for paths reverse() made): nh3 escapes it."""
    return settings.CLINIC_SITE_URL + url if url.startswith("/") and not url.startswith("//") else url


def _absolute_links(element: str, attribute: str, value: str) -> str:
    """nh3's attribute_filter: nh3 passes the decoded value and escapes what comes back."""
    return absolute_href(value) if element == "a" and attribute == "href" else value


def email_html(body_html: str) -> str:
    """The sanitised body_html with absolute links in the clinic colour, and no images.

    The HTML goes through nh3 again, with the rules it was first cleaned with, rather than through a
    hand-written rewrite: whatever comes out is sanitised by the same rules, whatever the input.
    Images are left out: an email loads nothing, so that opening it tells nobody it was read.
    """
    return nh3.clean(
        body_html,
        tags=ALLOWED_TAGS - {"img"},
        attributes=EMAIL_ATTRIBUTES,
        attribute_filter=_absolute_links,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        set_tag_attribute_values={"a": {"style": LINK_STYLE}},
    )


# What Markdown reads as code, where a link is text to show as written: fenced blocks and `spans`.
CODE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$|(`+).+?\2", re.MULTILINE | re.DOTALL)
# A link's optional title: "title", 'title' or (title).
_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?"""
# [text](url "title"), not ![alt](src): the URL may hold one level of brackets, as Wikipedia's do.
INLINE_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))+)>?" + _TITLE + r"\s*\)")
# [text][label], [text][] and [text]: a reference link, when a definition has that label.
REFERENCE_LINK = re.compile(r"(?<!!)\[([^\]\n]+)\](?:[ \t]?\[([^\]\n]*)\])?(?![(:\[])")
# [label]: url "title", on a line of its own; footnotes ([^1]: ...) are not links.
DEFINITION = re.compile(r"^ {0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*<?(\S+?)>?" + _TITLE + r"[ \t]*(?:\n|$)", re.MULTILINE)
AUTOLINK = re.compile(r"<((?:https?|mailto|tel):[^\s<>]+)>")


def _as_text(text: str, url: str) -> str:
    url = absolute_href(url)
    return url if text.strip() == url else f"{text} ({url})"


def email_text(body: str) -> str:
    """The Markdown body for the plain-text part, with each link written as "text (https://full/url)".

    The rest stays Markdown, which reads as plain text (## headings, - lists, *emphasis*); only the link
    syntax, which hides the address behind brackets, is rewritten. Code is left as written.
    """
    definitions = {label.strip().lower(): url for label, url in DEFINITION.findall(body)}

    def reference(link: re.Match) -> str:
        label = (link[2] or link[1]).strip().lower()
        return _as_text(link[1], definitions[label]) if label in definitions else link[0]

    def rewrite(prose: str) -> str:
        prose = DEFINITION.sub("", prose)
        prose = INLINE_LINK.sub(lambda link: _as_text(link[1], link[2]), prose)
        prose = REFERENCE_LINK.sub(reference, prose)
        return AUTOLINK.sub(lambda link: link[1], prose)

    parts, start = [], 0
    for code in CODE.finditer(body):
        parts += [rewrite(body[start : code.start()]), code[0]]
        start = code.end()
    parts.append(rewrite(body[start:]))
    return re.sub(r"\n{3,}", "\n\n", "".join(parts)).strip()
