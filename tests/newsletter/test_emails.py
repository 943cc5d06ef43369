"""The newsletter's emails: a simple, accessible HTML part that loads nothing, beside a plain-text part."""

import re
from urllib.parse import urlsplit

import pytest

from articles.markdown import render_markdown
from newsletter.email_body import email_html
from newsletter.emails import confirmation_message, issue_message
from newsletter.models import Issue
from tests.factories import make_article, make_subscriber
from tests.newsletter.reading import PageReader

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"  # CLINIC_SITE_URL in tests

HOSTILE_BODY = """## Sleep

Rest helps. <script>steal()</script>

<img src="https://tracker.example/pixel.gif" onerror="steal()"> [a link](javascript:steal())

<b style="color:red">bold</b>

<iframe src="https://evil.example/"></iframe>
"""


@pytest.fixture
def issue():
    issue = Issue.objects.create(subject='Spring "update" & news', body=HOSTILE_BODY)
    issue.featured_articles.add(make_article(title="Between sessions", summary="Looking after yourself."))
    return issue


@pytest.fixture
def subscriber():
    return make_subscriber(email="reader@example.com")


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_issue_html_is_the_sanitised_body_in_a_simple_accessible_layout(issue, subscriber):
    html = html_of(issue_message(issue, subscriber))
    page = PageReader(html)
    assert page.find_all("html", lang="en")
    assert re.search(r"<title>Spring &quot;update&quot; &amp; news</title>", html)
    # The body is what the model stored (Markdown rendered and sanitised by nh3), links made fit for email.
    assert issue.body_html == render_markdown(issue.body).html
    assert email_html(issue.body_html) in html
    for hostile in ("<script", "steal()", "onerror", "javascript:", "<iframe", "tracker.example", "color:red"):
        assert hostile not in html, hostile
    # The clinic's name as the header, the issue's title, the featured article as a link.
    assert "Riverside Ketamine Clinic</td>" in html
    assert page.h1s == ['Spring "update" & news']
    article_link = f"{SITE}/articles/{issue.featured_articles.get().slug}/"
    assert page.find_all("a", href=article_link)
    # Footer: crisis line as a phone link, the clinic's address and phone, the unsubscribe link.
    assert 'In a crisis, call or text <a href="tel:988"' in html
    assert "100 Main Street, Suite 200<br>Springfield, IL 62701" in html
    assert page.find_all("a", href="tel:5550100199")
    unsubscribe = issue_message(issue, subscriber).extra_headers["List-Unsubscribe"].strip("<>")
    assert page.find_all("a", href=unsubscribe)


def test_issue_html_reads_well_one_column_sans_serif_16px_or_more(issue, subscriber):
    html = html_of(issue_message(issue, subscriber))
    assert "max-width: 600px" in html
    families = set(re.findall(r"font-family: ([^;\"]+)", html))
    assert families and all(family.rstrip().endswith("sans-serif") for family in families)
    sizes = [int(size) for size in re.findall(r"font-size: (\d+)px", html)]
    assert sizes and min(sizes) >= 16
    # The colour pairs the layout uses, each at least WCAG AA for body text.
    pairs = [("#1d2428", "#ffffff"), ("#1d2428", "#f4f6f5"), ("#ffffff", "#005a52"), ("#005a52", "#ffffff"),
             ("#005a52", "#f4f6f5"), ("#4a555c", "#ffffff")]  # fmt: skip
    for foreground, background in pairs:
        assert contrast(foreground, background) >= 4.5, (foreground, background)
    colours = set(re.findall(r"#[0-9a-f]{6}", html))
    assert colours <= {colour for pair in pairs for colour in pair} | {"#b9c4c2"}  # the frame's border, not text


def test_issue_html_loads_nothing_and_links_only_to_the_site(issue, subscriber):
    html = html_of(issue_message(issue, subscriber))
    page = PageReader(html)
    for tag in ("img", "link", "script", "iframe", "object", "embed", "video", "audio", "source", "style"):
        assert not page.find_all(tag), tag
    assert not [attrs for _, attrs in page.elements if "src" in attrs or "srcset" in attrs or "background" in attrs]
    assert "url(" not in html and "@import" not in html
    hrefs = [link["href"] for link in page.find_all("a") if "href" in link]
    assert len(hrefs) >= 5
    for href in hrefs:
        target = urlsplit(href)
        assert target.scheme == "tel" or f"{target.scheme}://{target.netloc}" == SITE, href


def test_issue_text_part_has_the_essentials_and_no_markup(issue, subscriber):
    message = issue_message(issue, subscriber)
    text = message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert text.startswith('Spring "update" & news\nRiverside Ketamine Clinic newsletter\n')
    assert f"Unsubscribe in one click: {unsubscribe}" in text
    assert "In a crisis, call or text 988, any time, day or night." in text
    assert "Between sessions: Looking after yourself." in text
    assert "100 Main Street, Suite 200\nSpringfield, IL 62701\nPhone: (555) 010-0199" in text
    assert "&amp;" not in text and "&quot;" not in text and "<p>" not in text
    assert "\n\n\n" not in text


LINKS_BODY = """Read our [guide](/articles/between-sessions/ "Between sessions") before your visit.

Ask [the 988 line](https://988lifeline.org/) or [us][clinic], see <https://example.org/help>,
and [another host](//other.example/page) or [Wikipedia](https://en.wikipedia.org/wiki/Ketamine_(drug)).

Written as code, a link stays as typed: `[guide](/articles/)`.

[clinic]: /contact/
"""


@pytest.fixture
def linked_issue():
    return Issue.objects.create(subject="Links", body=LINKS_BODY)


def test_issue_html_makes_site_relative_links_absolute_and_colours_them(linked_issue, subscriber):
    html = html_of(issue_message(linked_issue, subscriber))
    page = PageReader(html)
    body = {link["href"]: link for link in page.find_all("a") if "href" in link}
    assert body[f"{SITE}/articles/between-sessions/"]["title"] == "Between sessions"
    assert f"{SITE}/contact/" in body
    assert "https://988lifeline.org/" in body and "https://example.org/help" in body
    assert "https://en.wikipedia.org/wiki/Ketamine_(drug)" in body
    assert "//other.example/page" in body  # another host, not the site's: left alone
    assert not [href for href in body if href.startswith("/") and not href.startswith("//")]
    # Every link of the body in the clinic colour, inline as emails need; nothing else the body brought.
    body_html = email_html(linked_issue.body_html)
    assert body_html in html
    assert body_html.count("<a ") == len(re.findall(r'<a href="[^"]*"[^>]* style="color: #005a52;">', body_html)) == 6
    # The site's own copy is unchanged: site-relative links and no styles, as articles render them.
    assert 'href="/articles/between-sessions/"' in linked_issue.body_html and "style=" not in linked_issue.body_html


def test_issue_html_link_rewrite_stays_sanitised():
    hostile = '<p><a href="/x&quot;onclick=&quot;steal()" style="color:red" onclick="steal()">x</a></p>'
    html = email_html(render_markdown(hostile).html)
    assert "onclick" not in html.replace("&quot;onclick=&quot;", "") and "color:red" not in html
    assert html == f'<p><a href="{SITE}/x&quot;onclick=&quot;steal()" style="color: #005a52;">x</a></p>'


def test_issue_text_part_writes_links_as_text_and_full_address(linked_issue, subscriber):
    text = issue_message(linked_issue, subscriber).body
    assert f"Read our guide ({SITE}/articles/between-sessions/) before your visit." in text
    assert (
        "Ask the 988 line (https://988lifeline.org/) or us (" + SITE + "/contact/), see https://example.org/help,"
        in text
    )
    assert "another host (//other.example/page) or Wikipedia (https://en.wikipedia.org/wiki/Ketamine_(drug))." in text
    assert "Written as code, a link stays as typed: `[guide](/articles/)`." in text
    assert "](" not in text.replace("`[guide](/articles/)`", "") and "[clinic]" not in text
    assert "\n\n\n" not in text


def test_confirmation_email_has_an_html_part_in_the_same_style_and_keeps_its_text(subscriber):
    subscriber.status = "pending"
    message = confirmation_message(subscriber)
    link = re.search(rf"{re.escape(SITE)}/newsletter/confirm/\S+/", message.body).group(0)
    assert "If you did not ask for this, ignore this email" in message.body and "988" in message.body
    html = html_of(message)
    page = PageReader(html)
    assert page.find_all("html", lang="en") and "max-width: 600px" in html
    assert len(page.find_all("a", href=link)) == 2  # the button, and the address written out
    assert page.find_all("a", href="tel:988")
    assert not page.find_all("img") and "src=" not in html
    assert "reader@example.com" not in html  # nothing more about the reader than the email's own address


def test_issue_html_leaves_images_out_so_opening_the_email_loads_nothing():
    from newsletter.email_body import email_html

    html = email_html('<p>Before<img src="/static/img/room.png" alt="Our room">after</p>')
    assert "<img" not in html and "room.png" not in html
    assert "Before" in html and "after" in html
