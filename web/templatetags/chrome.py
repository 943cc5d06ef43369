"""Tags for the chrome every page shares (header, navigation, footer), kept cheap to render.

{% fixed_url 'name' 'arg' %} is {% url %} for a URL whose arguments are written in the template:
such a URL is the same on every request, so it is reversed once per process (and per URLconf and
script prefix) instead of on every render. Arguments must be literals, so the memo stays small.

{% memo name=value ... %}...{% endmemo %} renders its content once per process for each set of
values, and reuses the HTML. The content sees those values and nothing else (not the request, not
the user, not a context processor), so what it shows can only come from its key: it can hold nothing
per visitor, and a change to a value (the clinic's name, say) renders it again. Values must be text
or numbers: a model instance would be keyed by its primary key and outlive an edit. With the
template engine in debug mode (DEBUG), the content is rendered every time.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, token_kwargs
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# (kind, view name or file, args, current app, URLconf, script prefix) -> URL: see fixed(). Bounded by the
# literal names and arguments written in code and templates, times the URLconfs and prefixes in use.
_reversed: dict[tuple, str] = {}

# (memo node, URLconf, script prefix, language, autoescaping, its values and their types: text marked
# safe renders unescaped) -> HTML. A value may come from the request
# (the path, which has one header per page): past MEMO_LIMIT entries, everything is rendered afresh.
_fragments: dict[tuple, str] = {}
MEMO_LIMIT = 512
MEMO_VALUE_TYPES = (str, int, float, type(None))  # bool is an int


@receiver(setting_changed, dispatch_uid="chrome-memos")
def _forget_memos(**kwargs) -> None:
    # Tests that swap ROOT_URLCONF, FORCE_SCRIPT_NAME or the static files storage.
    _reversed.clear()
    _fragments.clear()


def fixed(key: tuple, make) -> str:
    """A URL that is the same on every request, made by `make()` once per process (and per URLconf and
    script prefix): {% fixed_url %}, and the absolute URLs of discovery/site.py. Any setting change forgets it."""
    key = (*key, get_urlconf(), get_script_prefix())
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = make()
    return url


def _literal(parser, bit: str):
    expression: FilterExpression = parser.compile_filter(bit)
    value = expression.var
    if isinstance(value, template.Variable):
        value = value.literal  # a number; None for a context variable
    if expression.filters or value is None:
        raise template.TemplateSyntaxError(
            f"fixed_url takes only literal arguments (got {bit!r}); use {{% url %}} for variable ones."
        )
    return str(value)


class FixedURLNode(template.Node):
    child_nodelists = ()

    def __init__(self, view_name: str, args: tuple, asvar: str | None):
        self.view_name, self.args, self.asvar = view_name, args, asvar

    def render(self, context):
        request = context.get("request")
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = fixed(
            ("url", self.view_name, self.args, current_app),
            lambda: reverse(self.view_name, args=self.args, current_app=current_app),
        )
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def fixed_url(parser, token):
    """{% fixed_url 'pattern:name' 'literal-arg' [as var] %}: a URL reversed once per process."""
    bits = token.split_contents()
    asvar = None
    if len(bits) >= 4 and bits[-2] == "as":
        asvar, bits = bits[-1], bits[:-2]
    if len(bits) < 2:
        raise template.TemplateSyntaxError("fixed_url takes at least a URL pattern name.")
    view_name, *args = (_literal(parser, bit) for bit in bits[1:])
    return FixedURLNode(str(view_name), tuple(args), asvar)


class MemoNode(template.Node):
    def __init__(self, nodelist, values: dict[str, FilterExpression]):
        self.nodelist, self.values = nodelist, values

    def render(self, context):
        values = {name: expression.resolve(context) for name, expression in self.values.items()}
        for name, value in values.items():
            if not isinstance(value, MEMO_VALUE_TYPES):
                raise TypeError(f"memo: {name} must be text or a number, not {type(value).__name__}")
        isolated = context.new(values)  # the values only: no request, user or context processor
        if context.template.engine.debug:
            return self.nodelist.render(isolated)
        key = (self, get_urlconf(), get_script_prefix(), get_language(), context.autoescape)
        key += tuple((name, type(value), value) for name, value in values.items())
        html = _fragments.get(key)
        if html is None:
            if len(_fragments) >= MEMO_LIMIT:
                _fragments.clear()
            html = _fragments[key] = self.nodelist.render(isolated)
        return html


@register.tag
def memo(parser, token):
    """{% memo name=value ... %}...{% endmemo %}: content rendered once per process for its values."""
    bits = token.split_contents()[1:]
    values = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"memo takes only name=value pairs (left: {' '.join(bits)!r}).")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, values)
