"""What the dashboard counts: one small function per card, each returning a dataclass.

Every figure is defined once, as the lookups admin's changelist understands (`status__exact=new`),
and both its count and its link are made from those same lookups, so following a figure's link
shows exactly the rows it counted. Each function reads the database once or twice, whatever the data.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import REVIEW_DUE_SOON_DAYS, Article
from articles.models import Status as ArticleStatus
from consultations.models import FINISHED_STATUSES, ConsultationRequest, Status
from newsletter.models import Issue

from .chart import BarChart, bar_chart
from .clinic_time import local_midnight, one_working_day_before, week_starts

REQUEST_WEEKS = 12
SCHEDULED_SHOWN = 5  # scheduled articles listed by name; the rest behind a link
OPEN_STATUSES = [status for status in Status if status not in FINISHED_STATUSES]


@dataclass(frozen=True)
class Figure:
    count: int
    label: str
    url: str  # the changelist showing exactly what was counted
    needs_action: bool = False  # shown in a warning colour while above zero


@dataclass(frozen=True)
class Week:
    starts: dt.date  # a Monday, in the clinic's time zone
    count: int
    is_current: bool


@dataclass(frozen=True)
class RequestFigures:
    figures: list[Figure]
    weeks: list[Week]
    chart: BarChart


@dataclass(frozen=True)
class ScheduledArticle:
    title: str
    publishes_at: dt.datetime  # in the clinic's time zone
    url: str

    @property
    def when(self) -> str:
        return date_format(self.publishes_at, "D, F j, Y, g:i a")  # "Tue, December 1, 2026, 9:00 a.m."


@dataclass(frozen=True)
class ArticleFigures:
    figures: list[Figure]
    scheduled: list[ScheduledArticle]  # the next few, soonest first
    scheduled_count: int
    scheduled_url: str  # all of them in the changelist


@dataclass(frozen=True)
class IssueProgress:
    subject: str
    status: str
    sent: int
    failed: int
    remaining: int
    url: str


def changelist_url(model, lookups: dict | None = None, current_app: str | None = None) -> str:
    """The model's admin changelist, filtered by `lookups` as its query string.

    Admin applies a lookup on one of the model's own fields as given (ModelAdmin.lookup_allowed),
    and splits the value of an `__in` lookup on commas.
    """
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist", current_app=current_app)
    if not lookups:
        return url

    def text(value) -> str:
        if isinstance(value, list):
            return ",".join(str(item) for item in value)
        if isinstance(value, dt.datetime):
            return timezone.localtime(value, timezone.get_default_timezone()).isoformat()
        return str(value)

    return url + "?" + urlencode({key: text(value) for key, value in lookups.items()})


def request_figures(*, now: dt.datetime, working_days, current_app: str | None = None) -> RequestFigures:
    """New, unassigned and waiting requests, and requests per week over the last twelve weeks: one query."""
    lookups = {
        "new": {"status__exact": Status.NEW},
        "unassigned": {"status__in": OPEN_STATUSES, "assigned_to__isnull": True},
        "waiting": {"status__exact": Status.NEW, "created_at__lt": one_working_day_before(now, working_days)},
    }
    starts = week_starts(now, REQUEST_WEEKS)
    bounds = [local_midnight(day) for day in [*starts, starts[-1] + dt.timedelta(weeks=1)]]
    weekly = {
        f"week_{index}": Count("pk", filter=Q(created_at__gte=bounds[index], created_at__lt=bounds[index + 1]))
        for index in range(len(starts))
    }
    counts = ConsultationRequest.objects.aggregate(
        **{name: Count("pk", filter=Q(**lookup)) for name, lookup in lookups.items()}, **weekly
    )

    def figure(name: str, label: str, needs_action: bool = False) -> Figure:
        url = changelist_url(ConsultationRequest, lookups[name], current_app)
        return Figure(counts[name], label, url, needs_action)

    weeks = [
        Week(starts=day, count=counts[f"week_{index}"], is_current=index == len(starts) - 1)
        for index, day in enumerate(starts)
    ]
    return RequestFigures(
        figures=[
            figure("new", "new"),
            figure("unassigned", "not assigned to anyone"),
            figure("waiting", "new for over a working day", needs_action=True),
        ],
        weeks=weeks,
        chart=bar_chart([(date_format(week.starts, "M j"), week.count) for week in weeks]),
    )


def article_figures(*, now: dt.datetime, current_app: str | None = None) -> ArticleFigures:
    """Articles due for review soon or overdue (as admin's review filter counts them) and articles
    scheduled to publish: two queries."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    due_soon = Q(next_review_due__gte=today, next_review_due__lte=today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS))
    overdue = Q(next_review_due__lt=today)
    scheduled = {"status__exact": ArticleStatus.PUBLISHED, "published_at__gt": now}
    counts = Article.objects.aggregate(
        due_soon=Count("pk", filter=due_soon),
        overdue=Count("pk", filter=overdue),
        scheduled=Count("pk", filter=Q(**scheduled)),
    )
    next_up = Article.objects.filter(**scheduled).order_by("published_at").only("pk", "title", "published_at")
    clinic_zone = timezone.get_default_timezone()
    changelist = changelist_url(Article, current_app=current_app)
    return ArticleFigures(
        figures=[
            Figure(
                counts["due_soon"],
                f"due for review in the next {REVIEW_DUE_SOON_DAYS} days",
                changelist + "?review=soon",
            ),
            Figure(counts["overdue"], "overdue for review", changelist + "?review=overdue", needs_action=True),
        ],
        scheduled=[
            ScheduledArticle(
                title=article.title,
                publishes_at=timezone.localtime(article.published_at, clinic_zone),
                url=reverse("admin:articles_article_change", args=[article.pk], current_app=current_app),
            )
            for article in next_up[:SCHEDULED_SHOWN]
        ],
        scheduled_count=counts["scheduled"],
        scheduled_url=changelist_url(Article, scheduled, current_app),
    )


def latest_issue_progress(*, current_app: str | None = None) -> IssueProgress | None:
    """The newsletter issue sent most recently (or still sending), else the newest draft: two queries."""
    issue = (
        Issue.objects.order_by(F("send_started_at").desc(nulls_last=True), "-created_at")
        .only("pk", "subject", "status")
        .first()
    )
    if issue is None:
        return None
    counts = issue.progress()
    return IssueProgress(
        subject=issue.subject,
        status=issue.get_status_display(),
        sent=counts["sent"],
        failed=counts["failed"],
        remaining=counts["pending"] + counts["sending"],
        url=reverse("admin:newsletter_issue_change", args=[issue.pk], current_app=current_app),
    )
