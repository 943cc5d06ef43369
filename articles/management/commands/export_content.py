"""Write the database's articles back to content/<slug>.md, so staff edits can be versioned."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.loading import export_content
from articles.models import Article


class Command(BaseCommand):
    help = "Export articles from the database to content/<slug>.md files."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these articles (default: all).")
        parser.add_argument("--dir", type=Path, default=None, help="Folder to write (default: content/).")

    def handle(self, *args, slugs=(), dir=None, verbosity=1, **options):
        missing = sorted(set(slugs) - set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True)))
        if missing:
            raise CommandError("No article with slug: " + ", ".join(missing))
        written = export_content(dir or settings.CLINIC_CONTENT_DIR, slugs=list(slugs) or None)
        if verbosity >= 2:
            for path in written:
                self.stdout.write(f"wrote {path}")
        self.stdout.write(self.style.SUCCESS(f"Exported {len(written)} articles."))
