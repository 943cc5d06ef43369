"""{% staff_dashboard %}: the dashboard on admin's home page (templates/admin/index.html).

The admin site lives in staff/, which imports no capability app, so the dashboard comes in through
the template, as the go-live checklist does. Each card shows only to staff who may view its model
in admin (view or change permission, as admin itself decides), and its queries run only then.
"""

from django import template
from django.utils import timezone

from practice.models import Location

from ..clinic_time import working_weekdays
from ..figures import article_figures, latest_issue_progress, request_figures

register = template.Library()


def may_view(user, app_label: str, model_name: str) -> bool:
    return user.has_perm(f"{app_label}.view_{model_name}") or user.has_perm(f"{app_label}.change_{model_name}")


@register.inclusion_tag("dashboard/_dashboard.html", takes_context=True)
def staff_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return {"shown": False}
    now = timezone.now().replace(microsecond=0)  # whole seconds: the links' query strings carry it
    current_app = getattr(request, "current_app", None)
    cards = {"requests": None, "articles": None, "sees_newsletter": False, "newsletter": None}
    if may_view(user, "consultations", "consultationrequest"):
        working_days = working_weekdays(Location.load_active())
        cards["requests"] = request_figures(now=now, working_days=working_days, current_app=current_app)
    if may_view(user, "articles", "article"):
        cards["articles"] = article_figures(now=now, current_app=current_app)
    if may_view(user, "newsletter", "issue"):
        cards["sees_newsletter"] = True
        cards["newsletter"] = latest_issue_progress(current_app=current_app)
    return {
        "shown": True,
        "request": request,  # for {% go_live_checklist %} inside
        "sees_nothing": not (cards["requests"] or cards["articles"] or cards["sees_newsletter"]),
        **cards,
    }
