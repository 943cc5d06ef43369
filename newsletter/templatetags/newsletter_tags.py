"""The footer's newsletter signup, rendered from SignupForm so the two never drift apart."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from newsletter.forms import SignupForm

register = template.Library()


@register.simple_tag
def footer_signup_form(source_page: str) -> str:
    """The footer's form for this page. It holds nothing per visitor (no CSRF token, no input), so
    cached pages may carry it, and it is rendered once per page and process rather than on every
    page that is not served from the page cache."""
    return _render(source_page, get_script_prefix(), get_urlconf(), get_language())


@lru_cache(maxsize=256)  # bounded: the path comes from the request, and every 404 has its own
def _render(source_page: str, script_prefix: str, urlconf, language) -> str:
    """The key holds all the HTML depends on besides the code: the page, and what reverse() and text follow."""
    form = SignupForm.for_footer(source_page)
    return mark_safe(render_to_string("newsletter/_footer_form.html", {"form": form}))  # escaped by the template


forget_rendered_forms = _render.cache_clear  # for tests that change SignupForm
