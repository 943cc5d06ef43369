"""Structured data and link previews in a real browser, with the site's strict CSP on: the JSON-LD blocks
are data the CSP lets be (never run), parse in the browser, and nothing asks another host for anything."""

import pytest
from playwright.sync_api import Page

from practice.models import Location
from tests.practice.test_visit import make_location

pytestmark = pytest.mark.browser

# Recorded before any page script runs; Playwright's init scripts are not subject to the page's CSP.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
READ_JSON_LD = """() => [...document.querySelectorAll('script[type="application/ld+json"]')].flatMap((script) => {
  const data = JSON.parse(script.textContent);
  return data["@graph"] ? data["@graph"] : [data];
})"""
PAGES = {  # path: the schema.org types its structured data holds
    "/": ["MedicalClinic"],
    "/articles/": ["BreadcrumbList"],
    "/articles/how-ketamine-works/": ["MedicalWebPage", "BreadcrumbList"],
    "/articles/faq/": ["FAQPage", "BreadcrumbList"],
    "/articles/about/": ["WebPage", "BreadcrumbList"],
    "/visit/": ["MedicalClinic", "BreadcrumbList"],
    "/team/medical-reviewer/": ["BreadcrumbList"],
}


def test_structured_data_parses_in_the_browser_without_breaking_the_csp(
    page: Page, live_server, content, settings, assert_no_foreign_requests
):
    settings.CLINIC_SITE_URL = live_server.url  # so the preview image's absolute address is this server's
    # One place, whatever an earlier test's flush left (the migration's first location goes with it).
    Location.objects.all().delete()
    make_location()
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.add_init_script(CSP_LISTENER)

    for path, types in PAGES.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        found = page.evaluate(READ_JSON_LD)
        assert [entity["@type"] for entity in found] == types, path
        assert page.evaluate("window.__cspViolations") == [], path
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert canonical == live_server.url + path

        if path == "/articles/faq/":
            questions = found[0]["mainEntity"]
            assert len(questions) == page.locator("details.faq").count() >= 10
            first = page.locator("details.faq summary").first.inner_text()
            assert questions[0]["name"] == first and questions[0]["acceptedAnswer"]["text"]

    # The preview image a shared link shows is served by the site itself.
    image_url = page.locator('meta[property="og:image"]').get_attribute("content")
    assert image_url.startswith(live_server.url)
    image = page.request.get(image_url)
    assert image.status == 200 and image.headers["content-type"] == "image/png"

    assert not [text for text in console_errors if "Content Security Policy" in text], console_errors
    assert_no_foreign_requests()

    # The listener does catch a violation: an inline script added now is refused and recorded.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.head.append(s); }")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
