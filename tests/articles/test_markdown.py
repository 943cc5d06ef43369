"""render_markdown: structure, sanitising, images, table of contents, FAQ disclosures, reading time."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory, SimpleTestCase
from whitenoise.middleware import WhiteNoiseMiddleware

from articles.markdown import IMAGE_SRC, plain_text, render_markdown

OUR_IMAGES = sorted(Path(__file__).resolve().parents[2].joinpath("static", "img").iterdir())


class RenderMarkdownTests(SimpleTestCase):
    def test_headings_get_ids_and_level_two_headings_make_the_toc(self):
        rendered = render_markdown("## Before you go\n\nText.\n\n### Detail\n\nMore.\n\n## After & later\n")
        self.assertHTMLEqual(
            rendered.html,
            '<h2 id="before-you-go">Before you go</h2><p>Text.</p><h3 id="detail">Detail</h3><p>More.</p>'
            '<h2 id="after-later">After &amp; later</h2>',
        )
        assert rendered.toc == [
            {"id": "before-you-go", "title": "Before you go"},
            {"id": "after-later", "title": "After & later"},
        ]

    def test_script_tags_and_event_handlers_are_stripped(self):
        html = render_markdown('<script>alert(1)</script>\n\n<p onclick="x()" style="color:red">Hi</p>\n').html
        assert "<script" not in html and "alert(1)" not in html
        assert "onclick" not in html and "style=" not in html
        assert "Hi" in html

    def test_javascript_links_lose_their_href(self):
        html = render_markdown('[click](javascript:alert(1)) and <a href="JaVaScRiPt:alert(2)">this</a>').html
        assert "javascript" not in html.lower()
        assert "click" in html

    def test_phone_numbers_link_to_call_or_text(self):
        html = render_markdown(
            "[Call 988](tel:988), [text 988](sms:988), [text HOME to 741741](sms:741741?body=HOME) "
            'or <a href="tel:+15550100199">call us</a>.'
        ).html
        self.assertHTMLEqual(
            html,
            '<p><a href="tel:988">Call 988</a>, <a href="sms:988">text 988</a>, '
            '<a href="sms:741741?body=HOME">text HOME to 741741</a> or <a href="tel:+15550100199">call us</a>.</p>',
        )

    def test_links_with_any_other_scheme_lose_their_href(self):
        hrefs = [
            "javascript:alert(1)", "JAVASCRIPT:alert(1)", "java&#09;script:alert(1)", "data:text/html,<b>hi</b>",
            "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://evil.example/",
            "facetime:988", "callto:988", "intent://988#Intent;end", "blob:https://evil.example/x",
        ]  # fmt: skip
        for href in hrefs:
            with self.subTest(href=href):
                html = render_markdown(f'Before <a href="{href}">the link</a> after.').html
                self.assertHTMLEqual(html, "<p>Before <a>the link</a> after.</p>")

    def test_iframes_images_and_forms_are_removed(self):
        html = render_markdown(
            '<iframe src="https://evil.example"></iframe><form><input></form>![x](https://t.example/p.gif)'
        ).html
        for tag in ("<iframe", "<form", "<input", "<img"):
            assert tag not in html

    def test_our_own_images_are_kept_with_their_alt_text(self):
        html = render_markdown("Before.\n\n![A treatment day, step by step](/static/img/treatment-day.svg)\n").html
        self.assertHTMLEqual(
            html, '<p>Before.</p><p><img alt="A treatment day, step by step" src="/static/img/treatment-day.svg"></p>'
        )

    def test_a_figure_keeps_its_image_size_and_caption(self):
        html = render_markdown(
            '<figure>\n<img src="/static/img/first-series.svg" alt="Six visits over two to three weeks" '
            'width="320" height="560">\n<figcaption>A first series.</figcaption>\n</figure>\n'
        ).html
        self.assertHTMLEqual(
            html,
            '<figure><img src="/static/img/first-series.svg" alt="Six visits over two to three weeks" width="320" '
            'height="560"><figcaption>A first series.</figcaption></figure>',
        )

    def test_images_from_anywhere_but_our_static_img_folder_are_removed(self):
        sources = [
            "http://evil.example/a.svg", "https://evil.example/a.svg", "//evil.example/a.svg",
            "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
            "/static/img/../../admin/", "/static/img/sub/a.svg", "/static/img/a.svg?x=1", "/static/img/a.svg#x",
            "/static/css/site.css", "/media/a.svg", "img/a.svg", "/static/img/a.svg.html", "/static/img/%2e%2e/a.svg",
            "https://evil.example/static/img/a.svg", "/static/img/a.gif",
        ]  # fmt: skip
        for src in sources:
            with self.subTest(src=src, written="as Markdown"):
                html = render_markdown(f"Text ![A picture]({src}) after.").html
                assert "<img" not in html and "evil" not in html, html
                assert "Text" in html and "after." in html
            with self.subTest(src=src, written="as HTML"):
                html = render_markdown(f'<figure><img src="{src}" alt="A picture"></figure>\n\nAfter.').html
                assert "<img" not in html and "evil" not in html, html
                assert "After." in html

    def test_images_without_alt_text_are_removed(self):
        texts = ["![](/static/img/a.svg)", '<img src="/static/img/a.svg">', '<img src="/static/img/a.svg" alt="  ">']
        for text in texts:
            with self.subTest(text=text):
                assert "<img" not in render_markdown(text).html

    def test_images_lose_every_attribute_but_src_alt_and_a_plain_size(self):
        html = render_markdown(
            '<img src="/static/img/a.svg" alt="A &gt; B" onerror="alert(1)" style="width:9in" '
            'srcset="https://evil.example/a.png 2x" '
            'loading="lazy" width="100%" height="400">'
        ).html
        self.assertHTMLEqual(html, '<p><img src="/static/img/a.svg" alt="A &gt; B" height="400"></p>')

    def test_the_image_path_allowed_is_where_django_serves_our_images(self):
        for path in OUR_IMAGES:
            with self.subTest(image=path.name):
                assert IMAGE_SRC.fullmatch(static(f"img/{path.name}")), static(f"img/{path.name}")

    def test_external_links_get_noopener_and_internal_links_do_not(self):
        html = render_markdown("[988](https://988lifeline.org/) and [FAQ](/articles/faq/)").html
        self.assertHTMLEqual(
            html,
            '<p><a href="https://988lifeline.org/" rel="noopener external">988</a> and '
            '<a href="/articles/faq/">FAQ</a></p>',
        )

    def test_tables_lists_emphasis_blockquotes_and_footnotes_are_kept(self):
        html = render_markdown(
            "| A | B |\n|---|---|\n| 1 | 2 |\n\n- one\n- two\n\n*em* **strong**\n\n"
            "> quoted\n\nSee this.[^1]\n\n[^1]: A note.\n"
        ).html
        for fragment in (
            "<table>",
            "<th>A</th>",
            "<td>2</td>",
            "<ul>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "<blockquote>",
            'class="footnote"',
            "A note.",
        ):
            assert fragment in html, fragment

    def test_faq_questions_become_linkable_disclosures(self):
        rendered = render_markdown(
            "## Safety\n\n### Is it addictive?\n\nIt can be misused.\n\nMore.\n\n"
            "### Can I drive?\n\nNo.\n\n## Cost\n\nText.\n",
            faq=True,
        )
        self.assertHTMLEqual(
            rendered.html,
            '<h2 id="safety">Safety</h2>'
            '<details class="faq" id="is-it-addictive"><summary>Is it addictive?</summary>'
            "<p>It can be misused.</p><p>More.</p>"
            '<p class="faq-permalink"><a href="#is-it-addictive">Link to this question</a></p></details>'
            '<details class="faq" id="can-i-drive"><summary>Can I drive?</summary><p>No.</p>'
            '<p class="faq-permalink"><a href="#can-i-drive">Link to this question</a></p></details>'
            '<h2 id="cost">Cost</h2><p>Text.</p>',
        )
        assert [item["id"] for item in rendered.toc] == ["safety", "cost"]

    def test_guides_keep_level_three_headings(self):
        assert "<details" not in render_markdown("### A question?\n\nAnswer.").html

    def test_reading_time_counts_words_at_two_hundred_a_minute(self):
        assert render_markdown("word " * 50).reading_minutes == 1
        assert render_markdown("word " * 1000).reading_minutes == 5

    def test_text_after_an_unclosed_tag_stays_on_the_page_and_the_tag_shows_as_text(self):
        # nh3 drops what is inside script, style and template, and the HTML parser reads everything
        # after the others as plain text: left open, each used to hide or garble the rest of the article.
        tags = [
            "script",
            "style",
            "template",
            "iframe",
            "noembed",
            "noframes",
            "noscript",
            "plaintext",
            "textarea",
            "title",
            "xmp",
        ]
        for tag in tags:
            with self.subTest(tag=tag, where="in a paragraph"):
                html = render_markdown(f"Intro <{tag.upper()} class=x> middle.\n\n## After\n\nText *after*.\n").html
                assert f"&lt;{tag.upper()} class=x&gt; middle." in html
                assert '<h2 id="after">After</h2>' in html and "<p>Text <em>after</em>.</p>" in html
            with self.subTest(tag=tag, where="on its own line"):
                # Markdown takes the rest for raw HTML, so it stays unformatted; but it stays.
                html = render_markdown(f"Intro.\n\n<{tag}>\n\n## After\n\nText after.\n").html
                assert f"&lt;{tag}&gt;" in html and "After" in html and "Text after." in html
        # A second <style> before any end tag: the first must not hide the text up to that end tag.
        assert "Some text." in render_markdown("<style>\n\nSome text.\n\n<style>p {}</style>\n").html
        # A comment that was inside the unclosed <script> must not take over and hide the rest.
        assert "Text after." in render_markdown("<script><!-- note\n\nText after.\n").html

    def test_closed_script_and_style_still_vanish_and_the_text_after_them_stays(self):
        html = render_markdown(
            "Intro <style>p { color: red }</style> middle.\n\n<script>\nalert(1)\n</script>\n\nText after.\n"
        ).html
        self.assertHTMLEqual(html, "<p>Intro  middle.</p><p>Text after.</p>")


def test_our_images_are_served_by_their_plain_names_with_the_production_storage(settings, tmp_path):
    """Stored article HTML names /static/img/x.svg, not the hashed name, which changes with the file."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    whitenoise = WhiteNoiseMiddleware(lambda request: pytest.fail(f"not served: {request.path}"))
    assert OUR_IMAGES
    for path in OUR_IMAGES:
        response = whitenoise(RequestFactory().get(f"/static/img/{path.name}"))
        assert response.status_code == 200, path.name
        assert b"".join(response.streaming_content) == path.read_bytes()


def test_plain_text_keeps_blocks_apart_and_leaves_out_the_faq_permalinks():
    rendered = render_markdown("## Cost\n\n### Will insurance pay?\n\nSometimes.\n\n- one\n- two\n", faq=True)
    assert rendered.text == "Cost Will insurance pay? Sometimes. one two"


def test_the_migration_fills_plain_text_as_saving_does():
    from importlib import import_module

    migration = import_module("articles.migrations.0007_article_plain_text")
    html = render_markdown(
        "## A\n\n### Q?\n\nAn *answer* &amp; more.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n", faq=True
    ).html
    assert migration.plain_text(html) == plain_text(html)
