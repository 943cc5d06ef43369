"""The site's icons and web manifest: /favicon.ico, the Apple touch icon, site.webmanifest (scripts/make_icons.py)."""

import json
import re
import struct

import pytest
from django.test import Client

from practice.models import ClinicDetails
from web.page_cache import BROWSER_MAX_AGE

pytestmark = pytest.mark.django_db

ICO_TYPES = {"image/x-icon", "image/vnd.microsoft.icon"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_header(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type from a PNG's IHDR chunk (colour type 2 is RGB: no alpha)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG"
    length, chunk = struct.unpack(">I4s", data[8:16])
    assert chunk == b"IHDR" and length == 13
    width, height, _depth, colour_type = struct.unpack(">IIBB", data[16:26])
    return width, height, colour_type


def ico_images(data: bytes) -> dict[int, bytes]:
    """The images in an ICO file, by size, each checked against its directory entry."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1), "not an icon file"
    images = {}
    for index in range(count):
        width, height, _, _, _, _, size, offset = struct.unpack("<BBBBHHII", data[6 + 16 * index : 22 + 16 * index])
        image = data[offset : offset + size]
        assert len(image) == size
        assert png_header(image)[:2] == (width or 256, height or 256)
        images[width or 256] = image
    return images


@pytest.fixture
def static_client(settings):
    """As tests/web/test_page_cache.py does: static files from the finders, no collectstatic run."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def assert_public_and_cookieless(response):
    assert not response.cookies and "Set-Cookie" not in response
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("autorefresh", [True, False], ids=["runserver", "production"])
def test_root_files_are_served_with_short_cache_headers_not_immutable(settings, autorefresh):
    # Production (autorefresh off) lists WHITENOISE_ROOT once at start; runserver looks on each request.
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    for path in ("/favicon.ico", "/apple-touch-icon.png"):
        response = Client().get(path)
        assert response.status_code == 200, path
        assert_public_and_cookieless(response)
        # Fixed names, so never "immutable": whitenoise keeps that for hashed files under STATIC_URL.
        assert response["Cache-Control"] == f"max-age={settings.WHITENOISE_MAX_AGE}, public"


def test_favicon_ico_holds_png_images_at_16_32_and_48_px(static_client):
    response = static_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ICO_TYPES
    images = ico_images(b"".join(response.streaming_content))
    assert sorted(images) == [16, 32, 48]


def test_apple_touch_icon_is_an_opaque_180_px_png(static_client):
    response = static_client.get("/apple-touch-icon.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert png_header(b"".join(response.streaming_content)) == (180, 180, 2)


def test_the_manifest_names_the_clinic_and_lists_icons_that_answer(static_client):
    response = static_client.get("/site.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert_public_and_cookieless(response)
    assert response["Cache-Control"] == f"public, max-age={BROWSER_MAX_AGE}"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Riverside Ketamine Clinic"
    assert manifest["start_url"] == "/" and manifest["display"] in {"browser", "minimal-ui"}
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    home = static_client.get("/").content.decode()
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in home
    sizes = {}
    for icon in manifest["icons"]:
        answer = static_client.get(icon["src"])
        assert answer.status_code == 200, icon["src"]
        assert answer["Content-Type"] == icon["type"]
        if icon["type"] == "image/png":
            width, height, _ = png_header(b"".join(answer.streaming_content))
            assert icon["sizes"] == f"{width}x{height}"
            sizes[width] = icon["src"]
    assert sorted(sizes) == [192, 512]


def test_the_manifest_follows_the_clinic_name_through_the_page_cache(wsgi_client, django_capture_on_commit_callbacks):
    assert json.loads(wsgi_client.get("/site.webmanifest").text())["name"] == "Riverside Ketamine Clinic"
    assert wsgi_client.get("/site.webmanifest")["Content-Type"] == "application/manifest+json"  # a hit, as stored
    details = ClinicDetails.load()
    details.name = "Lakeside Ketamine Clinic"
    with django_capture_on_commit_callbacks(execute=True):
        details.save()
    response = wsgi_client.get("/site.webmanifest")
    assert json.loads(response.text())["name"] == "Lakeside Ketamine Clinic"
    assert "Set-Cookie" not in response.headers


def test_every_page_links_the_favicon_touch_icon_and_manifest(static_client):
    html = static_client.get("/").content.decode()
    links = re.findall(r'<link rel="(icon|apple-touch-icon|manifest)" href="([^"]+)"', html)
    assert ("icon", "/favicon.ico") in links and ("manifest", "/site.webmanifest") in links
    links = dict(links)
    touch = static_client.get(links["apple-touch-icon"])
    assert png_header(b"".join(touch.streaming_content))[:2] == (180, 180)
    assert static_client.get("/favicon.ico").status_code == 200
    assert static_client.get(links["manifest"]).status_code == 200
