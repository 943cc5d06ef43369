"""Delete signups never confirmed, once their confirmation link is long dead.

A pending subscriber goes when their latest signup (consented_at) is older than the link's life
(CLINIC_NEWSLETTER_CONFIRM_DAYS) plus MARGIN. Confirmed readers stay, and so does every
unsubscribed address: that record is what keeps us from emailing someone who opted out.
Deliveries go with a deleted subscriber (only confirmed readers get them). Run it daily, e.g. from cron.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from newsletter.models import Subscriber

# After the link expires, wait a further week: the email may have been sent a little after the
# signup (a busy or restarted task queue), and someone pressing a just-expired link should still
# be told "expired, sign up again", never be deleted mid-way.
MARGIN = dt.timedelta(days=7)


class Command(BaseCommand):
    help = "Delete pending newsletter subscribers whose confirmation link expired more than a week ago."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        cutoff = timezone.now() - dt.timedelta(days=settings.CLINIC_NEWSLETTER_CONFIRM_DAYS) - MARGIN
        stale = Subscriber.objects.unconfirmed_before(cutoff)
        if dry_run:
            count = stale.count()
        else:
            with transaction.atomic():
                _, deleted = stale.delete()  # with their deliveries, if any
            count = deleted.get(Subscriber._meta.label, 0)
        if verbosity:
            verb = "Would delete" if dry_run else "Deleted"
            message = (
                f"{verb} {count} pending subscriber(s) who signed up before {cutoff:%Y-%m-%d} and never confirmed."
            )
            self.stdout.write(self.style.SUCCESS(message))
