"""Make the site's bitmap icons from static/img/favicon.svg, our own artwork. Run again after changing it:

    uv run python scripts/make_icons.py

Debian's chromium (through Playwright, a dev dependency) draws the SVG at each exact size; the ICO
container is written here with struct, so the project needs no image library. It writes:

- static/root/favicon.ico: PNG images at 16, 32 and 48 px, transparent corners. Served at /favicon.ico
  (WHITENOISE_ROOT), which browsers and tools ask for whatever the page links.
- static/root/apple-touch-icon.png: 180 px, opaque (iOS rounds the corners itself and turns
  transparency black). Served at /apple-touch-icon.png, which iOS asks for, and linked from base.html.
- static/img/icon-192.png and static/img/icon-512.png: for the web manifest (pages.views.web_manifest);
  the 512 px one is also the clinic's logo in structured data (discovery/structured_data.py).
- static/img/og-default.png: 1200 x 630, opaque, from static/img/og-card.svg: the picture chat apps and
  social sites show beside a shared link (og:image, discovery/templatetags/discovery.py). Its words
  are generic, never the clinic's name, which staff can change.

Commit the files it writes; nothing runs this at build or deploy time.
"""

import base64
import os
import shutil
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE = BASE_DIR / "static" / "img" / "favicon.svg"
CARD_SOURCE = BASE_DIR / "static" / "img" / "og-card.svg"
CARD_SIZE = (1200, 630)  # what Open Graph and Twitter's large summary card show best (1.91:1)
TILE = "#005a52"  # the SVG's own background, filling its rounded corners where an icon must be opaque
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ICO_SIZES = (16, 32, 48)


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file holding PNG images (allowed since Windows Vista; every current browser reads it)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, image count
    entries, offset = b"", len(header) + 16 * len(pngs)
    for size, png in pngs.items():
        # width, height (0 means 256), colour count, reserved, colour planes, bits per pixel, bytes, offset
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(pngs.values())


def data_url(source: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(source.read_bytes()).decode()


def main() -> None:
    svg, card = data_url(SOURCE), data_url(CARD_SOURCE)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": CARD_SIZE[0], "height": CARD_SIZE[1]}, device_scale_factor=1)

        def render(size: int, background: str = "transparent", source: str = svg, height: int | None = None) -> bytes:
            height = height or size
            page.set_content(
                f'<body style="margin:0;background:{background}">'
                f'<img src="{source}" width="{size}" height="{height}" style="display:block"></body>'
            )
            page.wait_for_function("document.images[0].complete")
            clip = {"x": 0, "y": 0, "width": size, "height": height}
            return page.screenshot(clip=clip, omit_background=background == "transparent")

        outputs = {
            "static/root/favicon.ico": ico({size: render(size) for size in ICO_SIZES}),
            "static/root/apple-touch-icon.png": render(180, TILE),
            "static/img/icon-192.png": render(192),
            "static/img/icon-512.png": render(512),
            "static/img/og-default.png": render(CARD_SIZE[0], TILE, source=card, height=CARD_SIZE[1]),
        }
        browser.close()
    for name, content in outputs.items():
        path = BASE_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"{name}: {len(content)} bytes")


if __name__ == "__main__":
    main()
