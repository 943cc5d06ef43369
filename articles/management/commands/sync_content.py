"""Load content/<slug>.md files into the database.

Safe to rerun: creates what is missing, updates articles that staff have not edited in admin since
the last sync, and reports (and skips) the ones they have, unless --force. Every file is validated
before anything is written, and all writes happen in one transaction.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.loading import ContentError, sync_content


class Command(BaseCommand):
    help = "Load articles from content/*.md into the database without overwriting staff edits."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Folder of .md files (default: content/).")
        parser.add_argument("--force", action="store_true", help="Overwrite articles edited in admin.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, dir=None, force=False, dry_run=False, verbosity=1, **options):
        directory = dir or settings.CLINIC_CONTENT_DIR
        try:
            report = sync_content(directory, force=force, dry_run=dry_run)
        except ContentError as error:
            raise CommandError(f"{error} (nothing was changed)") from error

        for slug in report.skipped:
            self.stderr.write(
                self.style.WARNING(f"Skipped {slug}: edited in admin since the last sync (use --force to overwrite).")
            )
        if verbosity >= 2:
            for label in ("created", "updated", "unchanged"):
                for slug in getattr(report, label):
                    self.stdout.write(f"{label}: {slug}")
        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{len(report.created)} created, {len(report.updated)} updated, "
                f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped."
            )
        )
