"""Full page load of one page in Debian chromium through CDP, with an empty cache: requests, bytes
transferred (encodedDataLength: headers plus the encoded body) and third-party hosts."""

import time
from urllib.parse import urlsplit

from .config import CHROMIUM, CHROMIUM_ARGS
from .server import Server


def page_load(server: Server, path: str) -> dict:
    from playwright.sync_api import sync_playwright

    own = urlsplit(server.base).netloc
    resources: dict[str, dict] = {}

    def entry(params):
        return resources.setdefault(params["requestId"], {})

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context()
            page = context.new_page()
            playwright_urls = []
            page.on("request", lambda request: playwright_urls.append(request.url))
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.on("Network.requestWillBeSent", lambda p: entry(p).update(url=p["request"]["url"], type=p.get("type")))
            cdp.on(
                "Network.responseReceived",
                lambda p: entry(p).update(
                    status=p["response"]["status"],
                    mime=p["response"].get("mimeType"),
                    encoding={k.lower(): v for k, v in p["response"].get("headers", {}).items()}.get(
                        "content-encoding"
                    ),
                ),
            )
            cdp.on("Network.loadingFinished", lambda p: entry(p).update(transferred=int(p["encodedDataLength"])))
            cdp.on("Network.loadingFailed", lambda p: entry(p).update(failed=p.get("errorText"), transferred=0))
            started = time.perf_counter()
            page.goto(server.base + path, wait_until="load", timeout=30_000)
            load_ms = (time.perf_counter() - started) * 1000
            try:
                page.wait_for_load_state("networkidle", timeout=5_000)
            except Exception:
                pass
            page.wait_for_timeout(300)  # let the last loadingFinished events arrive
        finally:
            browser.close()

    requests = [r for r in resources.values() if r.get("url", "").split(":", 1)[0] in ("http", "https", "ws", "wss")]
    third_party = sorted(
        {r["url"] for r in requests if urlsplit(r["url"]).netloc != own}
        | {
            u
            for u in playwright_urls
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != own
        }
    )
    return {
        "url": path,
        "load_ms": round(load_ms),
        "requests": len(requests),
        "transferred_bytes": sum(r.get("transferred", 0) for r in requests),
        "third_party": third_party,
        "resources": [
            {k: r.get(k) for k in ("url", "type", "status", "encoding", "transferred", "failed")} for r in requests
        ],
    }
