"""Queue again background tasks left RUNNING by a worker that was killed (see background/stale_tasks.py).

A task RUNNING for longer than --older-than minutes (default 15, far above the longest task) is put
back in the queue for another worker; one whose worker has died MAX_ATTEMPTS times is marked failed
instead, and shows as failed in admin. Safe to run from cron every few minutes, alongside workers
and alongside itself. Prints task ids and task paths only, never a task's arguments.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from background.stale_tasks import MAX_ATTEMPTS, STALE_AFTER, requeue_stale_tasks

DEFAULT_MINUTES = int(STALE_AFTER.total_seconds() // 60)


class Command(BaseCommand):
    help = "Queue again background tasks that have been RUNNING too long because their worker died."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=DEFAULT_MINUTES,
            metavar="MINUTES",
            help=f"Treat tasks running for more than this many minutes as abandoned (default: {DEFAULT_MINUTES}).",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be re-queued; change nothing.")

    def handle(self, *args, older_than, dry_run=False, verbosity=1, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 (minutes).")
        found = requeue_stale_tasks(older_than=dt.timedelta(minutes=older_than), dry_run=dry_run)
        if verbosity < 1:
            return
        verb = "Would re-queue" if dry_run else "Re-queued"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(found.requeued)} stale task(s) (running over {older_than} minutes).")
        )
        self.write_tasks(found.requeued)
        if found.given_up:
            verb = "Would give up on" if dry_run else "Gave up on"
            self.stdout.write(
                self.style.WARNING(
                    f"{verb} {len(found.given_up)} task(s) whose worker stopped {MAX_ATTEMPTS} times: marked failed."
                )
            )
            self.write_tasks(found.given_up)

    def write_tasks(self, tasks):
        for task_id, task_path in tasks:
            self.stdout.write(f"  {task_id}  {task_path}")
