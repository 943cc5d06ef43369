"""The timelines on "What to expect": our own SVGs, loaded, described, legible on a phone, in forced colours too."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PATH = "/articles/what-to-expect/"
IMAGES = ["/static/img/treatment-day.svg", "/static/img/first-series.svg"]
SMALLEST_TEXT_PX = 14  # the smallest text in a picture, as drawn on a 320px phone


def check_timelines(page: Page, width: int):
    """Both pictures loaded, with alt text, each followed by the same steps in words; no sideways scroll."""
    figures = page.locator(".article-body figure")
    expect(figures).to_have_count(len(IMAGES))
    for figure, src in zip(figures.all(), IMAGES, strict=True):
        image = figure.locator("img")
        expect(image).to_have_attribute("src", src)
        assert len((image.get_attribute("alt") or "").strip()) > 40, "the alt text summarises the picture"
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), f"{src} did not load"
        assert image.bounding_box()["width"] <= width
        # The text equivalent: the same steps, as a numbered list, soon after the picture.
        assert figure.evaluate(
            "figure => [figure.nextElementSibling, figure.nextElementSibling?.nextElementSibling]"
            ".some(element => element?.tagName === 'OL')"
        ), f"no list of steps after {src}"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"scrolls sideways: {scroll_width}px wide at {width}px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_what_to_expect_shows_the_timelines(
    page: Page, live_server, content, viewport, assert_accessible, assert_no_foreign_requests
):
    page.set_viewport_size(viewport)
    response = page.goto(live_server.url + PATH)
    assert response.status == 200
    check_timelines(page, viewport["width"])
    assert_accessible(page)
    assert_no_foreign_requests()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_timelines_stay_readable_in_forced_colours(
    browser: Browser, live_server, content, scheme, assert_accessible
):
    """Windows high-contrast themes: the pictures keep their own white background and dark text.

    axe runs on the light theme only. On a dark one it takes the text colour from
    -webkit-text-fill-color, which Chromium leaves at the authored dark colour while it draws the
    text in the theme's white (getComputedStyle(...).color), so axe reports every text on the site
    at 1.3:1 against the forced black background. The pictures are images, which forced colours
    never repaint: their own opaque background (test below) is what keeps them legible.
    """
    context = browser.new_context(viewport=PHONE, forced_colors="active", color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(live_server.url + PATH)
        assert page.evaluate("matchMedia('(forced-colors: active)').matches")
        check_timelines(page, PHONE["width"])
        border = page.locator(".article-body figure img").first.evaluate("img => getComputedStyle(img).borderTopStyle")
        assert border == "solid", "in forced colours the picture has a border against the page"
        if scheme == "light":
            assert_accessible(page)
    finally:
        context.close()


def test_the_text_in_each_timeline_fits_and_is_legible_on_a_phone(page: Page, live_server, content):
    """Every label inside its picture, and no text smaller than SMALLEST_TEXT_PX when fitted to a phone."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + PATH)
    shown_widths = page.locator(".article-body figure img").evaluate_all("images => images.map(img => img.width)")
    for src, shown_width in zip(IMAGES, shown_widths, strict=True):
        response = page.goto(live_server.url + src)
        assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
        svg = page.evaluate(
            """() => {
                const svg = document.documentElement, box = svg.viewBox.baseVal;
                const texts = [...svg.querySelectorAll("text")].map(text => {
                    const b = text.getBBox();
                    return {text: text.textContent, left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height,
                            size: parseFloat(getComputedStyle(text).fontSize)};
                });
                const opaque = [...svg.querySelectorAll("rect")].some(rect =>
                    rect.width.baseVal.value >= box.width && rect.height.baseVal.value >= box.height
                    && getComputedStyle(rect).fill === "rgb(255, 255, 255)");
                return {width: box.width, height: box.height, texts, opaque,
                        styled: document.querySelectorAll("[style], style, link, script, image, foreignObject").length};
            }"""
        )
        assert svg["opaque"], f"{src} needs its own opaque white background"
        assert svg["styled"] == 0, f"{src}: presentation attributes only (no style, scripts or outside files)"
        assert svg["texts"], src
        scale = shown_width / svg["width"]
        for text in svg["texts"]:
            assert 0 <= text["left"] and text["right"] <= svg["width"], f"{src}: {text['text']!r} runs off the side"
            assert 0 <= text["top"] and text["bottom"] <= svg["height"], f"{src}: {text['text']!r} runs off the end"
            assert text["size"] * scale >= SMALLEST_TEXT_PX, f"{src}: {text['text']!r} is {text['size'] * scale:.1f}px"
