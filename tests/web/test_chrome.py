"""What keeps an uncached article render cheap: templates parsed once per process, the chrome's
fixed URLs reversed once per process, the header rendered once per clinic name and page, and
references read without a join."""

import re
from pathlib import Path
from unittest import mock

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError, engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import RequestFactory
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils.safestring import mark_safe
from pytest_django.asserts import assertContains

from articles.models import Reference
from practice.models import ClinicDetails
from tests.factories import make_article
from web.templatetags import chrome

ROOT = Path(__file__).resolve().parents[2]
# The templates rendered on every article page, whose constant URLs should come from {% fixed_url %}.
CHROME_TEMPLATES = ["base.html", "includes/header.html", "includes/nav_links.html", "includes/footer.html"]
ARTICLE_TEMPLATES = ["articles/article_detail.html", "articles/_article_card.html"]
# {% url %} with nothing but literal arguments: the same URL on every render.
LITERAL_URL_TAG = re.compile(r"""{%\s*url\s+(?:(?:'[^']*'|"[^"]*"|\d+)\s*)+(?:as\s+\w+\s*)?%}""")


def render(source: str, **context) -> str:
    return Template("{% load chrome %}" + source).render(Context(context))


def test_production_parses_each_template_once_per_process(settings):
    assert settings.DEBUG is False
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [CachedLoader]


@pytest.mark.parametrize(
    ("tag", "name", "args"),
    [
        ("{% fixed_url 'pages:home' %}", "pages:home", []),
        ("{% fixed_url 'articles:detail' 'faq' %}", "articles:detail", ["faq"]),
        ('{% fixed_url "consultations:request" %}', "consultations:request", []),
    ],
)
def test_fixed_url_is_the_url_tag_for_literal_arguments(tag, name, args):
    assert render(tag) == reverse(name, args=args)
    assert render(tag.replace("fixed_url", "url")) == render(tag)


def test_fixed_url_can_set_a_variable():
    assert render("{% fixed_url 'articles:list' as list_url %}[{{ list_url }}]") == f"[{reverse('articles:list')}]"


@pytest.mark.parametrize(
    "tag", ["{% fixed_url 'articles:detail' slug %}", "{% fixed_url 'articles:detail' 'faq'|upper %}"]
)
def test_fixed_url_refuses_variable_arguments(tag):
    with pytest.raises(TemplateSyntaxError, match="literal arguments"):
        render(tag, slug="faq")


def test_fixed_url_reverses_once_then_follows_the_script_prefix():
    with mock.patch.object(chrome, "reverse", wraps=reverse) as counted:
        first, second = render("{% fixed_url 'pages:privacy' %}"), render("{% fixed_url 'pages:privacy' %}")
        assert first == second and counted.call_count == 1
        set_script_prefix("/clinic/")
        try:
            assert render("{% fixed_url 'pages:privacy' %}") == "/clinic/" + first.lstrip("/")
        finally:
            clear_script_prefix()
        assert render("{% fixed_url 'pages:privacy' %}") == first


def test_changed_settings_forget_reversed_urls(settings):
    render("{% fixed_url 'pages:home' %}")
    assert chrome._reversed
    settings.FORCE_SCRIPT_NAME = "/elsewhere/"
    assert not chrome._reversed


@pytest.mark.parametrize("name", CHROME_TEMPLATES + ARTICLE_TEMPLATES)
def test_chrome_and_article_templates_reverse_constant_urls_once_per_process(name):
    source = (ROOT / "templates" / name).read_text()
    assert not LITERAL_URL_TAG.findall(source), f"{name}: use {{% fixed_url %}} for URLs with literal arguments"


@pytest.mark.django_db
def test_header_and_navigation_reverse_no_url_once_warm():
    request = RequestFactory().get(reverse("articles:list"))
    header = engines["django"].get_template("includes/header.html")
    header.render({}, request)
    with mock.patch.object(chrome, "reverse") as chrome_reverse, mock.patch("django.urls.reverse") as url_tag_reverse:
        html = header.render({}, request)
    assert chrome_reverse.call_count == url_tag_reverse.call_count == 0
    # Both copies of the navigation mark the page being read.
    assert html.count('aria-current="page">Articles</a>') == 2


@pytest.mark.django_db
def test_references_keep_their_order_without_joining_articles(client, django_assert_num_queries, warm_site_state):
    article = make_article(references=0)
    for position, title in [(2, "Third source"), (0, "First source"), (1, "Second source")]:
        Reference.objects.create(
            article=article, position=position, title=title, publisher="Journal", year=2024, url="https://example.org/"
        )
    with django_assert_num_queries(3) as captured:  # article, references, related
        response = client.get(article.get_absolute_url())
    references_query = next(query["sql"] for query in captured.captured_queries if "articles_reference" in query["sql"])
    assert "JOIN" not in references_query
    assertContains(response, "References")
    html = response.content.decode()
    assert html.index("First source") < html.index("Second source") < html.index("Third source")


def test_memo_content_sees_only_its_values():
    html = render("{% memo name=clinic %}[{{ name }}|{{ clinic }}|{{ user }}]{% endmemo %}", clinic="C", user="someone")
    assert html == "[C||]"


def test_memo_renders_once_per_set_of_values():
    template = Template("{% load chrome %}{% memo name=name %}{{ name }}{% fixed_url 'pages:home' %}{% endmemo %}")
    first = template.render(Context({"name": "A"}))
    with mock.patch.object(template.nodelist[1].nodelist, "render") as rendered_again:
        assert template.render(Context({"name": "A"})) == first == "A" + reverse("pages:home")
    assert rendered_again.call_count == 0
    assert template.render(Context({"name": "B"})) == "B" + reverse("pages:home")
    assert len(chrome._fragments) == 2


def test_memo_never_serves_unescaped_html_for_plain_text():
    template = Template("{% load chrome %}{% memo name=name %}{{ name }}{% endmemo %}")
    assert template.render(Context({"name": mark_safe("<b>A</b>")})) == "<b>A</b>"
    assert template.render(Context({"name": "<b>A</b>"})) == "&lt;b&gt;A&lt;/b&gt;"


def test_memo_refuses_values_that_could_outlive_an_edit():
    with pytest.raises(TypeError, match="must be text or a number"):
        render("{% memo clinic=clinic %}{{ clinic.name }}{% endmemo %}", clinic=ClinicDetails(name="A"))


def test_memo_renders_every_time_in_debug():
    engine = Engine(debug=True, libraries={"chrome": "web.templatetags.chrome"})
    template = engine.from_string("{% load chrome %}{% memo name=name %}[{{ name }}]{% endmemo %}")
    assert [template.render(Context({"name": name})) for name in "AA"] == ["[A]", "[A]"]
    assert not chrome._fragments  # so an edited template shows at the next request


@pytest.mark.django_db
def test_a_new_clinic_name_shows_in_the_header_at_once(client, warm_site_state):
    article = make_article()
    assertContains(client.get(article.get_absolute_url()), "<span>Riverside Ketamine Clinic</span>")
    details = ClinicDetails.load()
    details.name = "Lakeside Clinic"
    details.save()
    response = client.get(article.get_absolute_url())
    assertContains(response, "<span>Lakeside Clinic</span>")
    assert "Riverside" not in response.content.decode()


@pytest.mark.django_db
def test_each_page_marks_its_own_navigation_link(client):
    for name, label in [("articles:list", "Articles"), ("pages:home", "Home")]:
        html = client.get(reverse(name)).content.decode()
        assert html.count('aria-current="page"') == 2
        assert html.count(f'aria-current="page">{label}</a>') == 2
