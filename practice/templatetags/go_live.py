"""{% go_live_checklist %}: the "before going live" checklist on admin's home page (templates/admin/index.html).

The admin site lives in staff/, which imports no capability app, so the checklist comes in through
the template rather than through the admin site's code.
"""

from django import template
from django.urls import NoReverseMatch, reverse

from ..checklist import go_live_problems

register = template.Library()


@register.inclusion_tag("admin/_go_live_checklist.html", takes_context=True)
def go_live_checklist(context):
    """Every staff member sees what is left to fix; the link only shows to those who may use its page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return {"items": []}
    items = []
    for problem in go_live_problems():
        url = None
        if not problem.permission or user.has_perm(problem.permission):
            try:
                url = reverse(problem.url_name, args=problem.args, current_app=getattr(request, "current_app", None))
            except NoReverseMatch:  # that model has no admin page (yet)
                pass
        items.append({"message": problem.message, "url": url, "action": problem.action})
    return {"items": items}
