"""Delete access log entries older than the retention period (six years unless configured).

Six years is HIPAA's retention period for required records (45 CFR 164.316(b)(2)), the usual
reading for audit logs of access to health data. Run it daily, e.g. from cron. The period is
settings.CLINIC_ACCESS_LOG_RETENTION_DAYS when set, and never shorter than six years.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accesslog.models import AccessEntry

SIX_YEARS_DAYS = 6 * 365 + 2  # six calendar years hold at most two leap days


def retention_days() -> int:
    return max(getattr(settings, "CLINIC_ACCESS_LOG_RETENTION_DAYS", SIX_YEARS_DAYS), SIX_YEARS_DAYS)


class Command(BaseCommand):
    help = "Delete access log entries older than the retention period (six years)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - dt.timedelta(days=retention_days())
        old = AccessEntry.objects.older_than(cutoff)
        if dry_run:
            count = old.count()
        else:
            count, _ = old.delete()  # a plain DELETE: entries have no signals and nothing points at them
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {count} access log entries from before {cutoff:%Y-%m-%d}."))
