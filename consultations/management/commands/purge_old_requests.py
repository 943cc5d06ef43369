"""Delete consultation requests that were closed more than --days ago (default: CLINIC_RETENTION_DAYS).

Only finished requests go (closed, or not a candidate); their change history goes with them, since
it holds copies of what the visitor wrote. Run it daily, e.g. from cron.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from consultations.models import ConsultationRequest


class Command(BaseCommand):
    help = "Delete closed consultation requests older than the retention period, with their history."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep requests closed within this many days.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.CLINIC_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        with transaction.atomic():
            old = ConsultationRequest.objects.finished_before(cutoff)
            ids = list(old.values_list("pk", flat=True))
            if not dry_run:
                old.delete()
                ConsultationRequest.history.filter(id__in=ids).delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(ids)} request(s) closed before {cutoff:%Y-%m-%d}."))
