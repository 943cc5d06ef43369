"""Tags for base.html's <head>: how a page is found and shared.

They work from what the page's template already has in its context (`article`, `clinician`,
`location`, `locations`, the clinic's details, the view's name), so no page template needs to change:

{% canonical_link %}   <link rel="canonical">: CLINIC_SITE_URL and the path, never a query string.
{% link_preview %}     Open Graph and Twitter card tags, for chat apps and social sites.
{% structured_data %}  schema.org JSON-LD for search engines (discovery/structured_data.py).

None of them says anything for a page that is not public: a staff preview, a draft, a page answering
a POST (a form sent back with its errors), or an error page rendered without a request. Error pages
and pages marked noindex replace base.html's `discovery` block, which holds all three: they claim no
address of their own and describe nothing.
"""

from html import unescape

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

from articles.models import Article, Kind
from discovery import structured_data as schema
from discovery.site import absolute_static, absolute_url, fixed_reverse, iso, last_changed

register = template.Library()

# The picture chat apps and social sites show with a link (1200 x 630): scripts/make_icons.py draws it
# from static/img/og-card.svg. Its words are generic, so renaming the clinic needs no new picture.
PREVIEW_IMAGE = "img/og-default.png"
PREVIEW_IMAGE_ALT = "Ketamine treatment for depression, explained plainly."  # the words in the picture
HOME = "Home"
# Pages one step below home, as their breadcrumb trail names them.
SECTIONS = {
    "articles:list": "Articles",
    "practice:team": "Our team",
    "practice:costs": "Costs and insurance",
    "practice:visit": "Visiting us",
    "pages:privacy": "Privacy notice",
    "consultations:request": "Request a consultation",
    "newsletter:newsletter": "Newsletter",
}


def view_name(context) -> str | None:
    match = getattr(context.get("request"), "resolver_match", None)
    return match.view_name if match is not None else None


def main_article(context) -> Article | None:
    """The article an article page shows (not one of the cards or related articles other pages list)."""
    article = context.get("article")
    return article if isinstance(article, Article) and view_name(context) == "articles:detail" else None


def canonical_path(context) -> str | None:
    """The path this page is known by, or None when the page is not public."""
    request = context.get("request")
    if request is None or request.method not in ("GET", "HEAD") or context.get("is_preview"):
        return None
    article = main_article(context)
    if article is not None and not article.is_published:  # a draft staff are looking at
        return None
    clinic = context.get("clinic")
    if view_name(context) == "practice:location" and clinic is not None and len(clinic.locations) == 1:
        return fixed_reverse("practice:visit")  # the only location: /visit/ shows the same page
    return request.path


def block_text(context, name: str) -> str:
    """The text of the page's own version of a base.html block (its title, its description), rendered
    again as {{ block.super }} renders a block: from the block context of the template being rendered."""
    if context.render_context.get(BLOCK_CONTEXT_KEY) is None:
        return ""
    rendered = BlockNode(name, NodeList()).render(context)
    return " ".join(unescape(strip_tags(rendered)).split())


@register.simple_tag(takes_context=True)
def canonical_link(context):
    path = canonical_path(context)
    return format_html('<link rel="canonical" href="{}">', absolute_url(path)) if path else ""


@register.simple_tag(takes_context=True)
def link_preview(context):
    path = canonical_path(context)
    if path is None:
        return ""
    article = main_article(context)
    is_article = article is not None and article.kind != Kind.PAGE
    properties = [
        ("og:type", "article" if is_article else "website"),
        ("og:title", block_text(context, "title")),
        ("og:description", block_text(context, "meta_description")),
        ("og:url", absolute_url(path)),
        ("og:site_name", getattr(context.get("clinic"), "name", "")),
        ("og:image", absolute_static(PREVIEW_IMAGE)),
        ("og:image:alt", PREVIEW_IMAGE_ALT),
    ]
    if is_article:
        properties += [
            ("article:published_time", iso(article.published_at)),
            ("article:modified_time", iso(last_changed(article))),
        ]
    # Twitter reads og:title, og:description and og:image when its own tags are missing. (Joined by hand:
    # format_html_join costs as much as the rest of these tags together.)
    tags = [f'<meta property="{name}" content="{escape(value)}">' for name, value in properties if value]
    tags.append('<meta name="twitter:card" content="summary_large_image">')
    return mark_safe("\n  ".join(tags))  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def structured_data(context):
    build = PAGES.get(view_name(context))
    if build is None or canonical_path(context) is None or context.get("clinic") is None:
        return ""
    return schema.ld_json(build(context, context["clinic"]))


# What each page says about itself ------------------------------------------------------------------


def trail(*steps: tuple[str, str]) -> dict:
    return schema.breadcrumbs([(HOME, fixed_reverse("pages:home")), *steps])


def section(name: str) -> tuple[str, str]:
    return SECTIONS[name], fixed_reverse(name)


def clinics(clinic, locations) -> list[dict]:
    """Each place the clinic sees patients, linked to its visit page (/visit/ when there is only one)."""
    if len(locations) == 1:
        return [schema.medical_clinic(clinic, locations[0], fixed_reverse("practice:visit"))]
    return [schema.medical_clinic(clinic, location, location.get_absolute_url()) for location in locations]


def home_page(context, clinic):
    return clinics(clinic, clinic.locations)


def article_page(context, clinic):
    article = main_article(context)
    if article is None:
        return []
    here = (article.title, article.get_absolute_url())
    steps = [here] if article.kind == Kind.PAGE else [section("articles:list"), here]  # as the page's own breadcrumb
    return [schema.article_page(article, clinic, here[1]), trail(*steps)]


def clinician_page(context, clinic):
    clinician = context.get("clinician")
    if clinician is None:
        return []
    return [trail(section("practice:team"), (clinician.display_name, clinician.get_absolute_url()))]


def visit_page(context, clinic):
    locations = context.get("locations") or ([context["location"]] if "location" in context else [])
    return [*clinics(clinic, locations), trail(section("practice:visit"))]


def location_page(context, clinic):
    location = context.get("location")
    if location is None:
        return []
    if len(clinic.locations) == 1:  # its page is /visit/ (see canonical_path)
        return visit_page(context, clinic)
    place = schema.medical_clinic(clinic, location, location.get_absolute_url())
    return [place, trail(section("practice:visit"), (location.name, location.get_absolute_url()))]


def section_page(context, clinic):
    return [trail(section(view_name(context)))]


PAGES = {
    "pages:home": home_page,
    "articles:detail": article_page,
    "practice:clinician": clinician_page,
    "practice:visit": visit_page,
    "practice:location": location_page,
    **{name: section_page for name in SECTIONS if name != "practice:visit"},
}
