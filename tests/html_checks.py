"""Checks on a page's HTML that several test modules share."""

import re

from django.conf import settings

THIRD_PARTY_ASSET = re.compile(r"""<(script|link|img|iframe|source)[^>]+(src|href)=["']?(https?:)?//""")
INLINE_CODE = re.compile(r"<script>|<style|style=|\son[a-z]+=")


def assert_self_contained(html: str, where: str = "") -> None:
    """No file from another site, no inline script, style or event handler (the CSP would refuse them).
    Links naming the site's own public address (CLINIC_SITE_URL: the canonical link) are ours."""
    html = html.replace(f'"{settings.CLINIC_SITE_URL}/', '"/')
    assert not THIRD_PARTY_ASSET.search(html), where
    assert not INLINE_CODE.search(html), where
