"""Putting back background tasks that a killed worker left RUNNING, so that another worker runs them.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when the
task returns. A worker killed in between (SIGKILL, out of memory, a deploy) leaves the row RUNNING
for ever: no worker picks it up again, and nothing is recorded on the consultation request or issue.

Why the same row is reset, rather than a fresh copy enqueued:

- One conditional UPDATE (`status = RUNNING and started_at < cutoff` -> READY) is the whole
  hand-over. It cannot race a worker that finishes meanwhile (the row is no longer RUNNING, so
  nothing is updated) or a second run of this command (the row is already READY). Rows are also
  selected with `select_for_update(skip_locked=True)`, so on PostgreSQL we never wait on, or touch,
  a row a worker is writing at that moment.
- READY is how django-tasks-db queues work (`DBTaskResult.objects.ready()`); "ready to be executed
  again" is what Django's TaskResultStatus.READY means. The task keeps its id, priority, queue and
  place in line (it has waited longest), and `worker_ids`, which each claim appends to, keeps every
  attempt on record: that is how a task that kills its worker every time is stopped after
  MAX_ATTEMPTS instead of taking the worker down every few minutes.
- If the old worker was slow rather than dead, and finishes before another worker claims the row,
  it marks the row SUCCESSFUL and the re-queued run never happens. A fresh copy would run anyway,
  and would need the task re-imported and two separate writes.

A task can still run twice concurrently only if a live worker spends longer than the threshold on
it and another worker claims it meanwhile, which is why STALE_AFTER is far above the longest task:
consultation emails take seconds (two emails, a 10-second SMTP timeout each). Each task is safe
to run again: `send_request_emails` sends only what has not been sent; `send_confirmation` sends
to pending subscribers only (at worst a second confirmation link); `send_issue` claims each
delivery before sending and marks one claimed by the dead run failed, never resends it, so even
two live runs of a long issue send nobody twice.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Far above the longest task, so a live worker is never mistaken for a dead one.
STALE_AFTER = dt.timedelta(minutes=15)
# A task whose worker died this many times is marked failed instead of being queued again.
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """Recorded on a task whose worker stopped MAX_ATTEMPTS times while running it."""


GAVE_UP_NOTE = (
    f"The worker running this task stopped {MAX_ATTEMPTS} times before the task finished (killed, out of memory "
    "or restarted), so it was not queued again. See the worker's logs. Unsent consultation emails can be "
    "queued again from the consultation requests list ('Retry unsent emails')."
)


@dataclass
class StaleTasks:
    """What was (or, in a dry run, would be) done: (task id, task path) pairs, never arguments."""

    requeued: list[tuple[str, str]] = field(default_factory=list)
    given_up: list[tuple[str, str]] = field(default_factory=list)


def requeue_stale_tasks(*, older_than: dt.timedelta = STALE_AFTER, dry_run: bool = False) -> StaleTasks:
    """Put tasks RUNNING for longer than `older_than` back in the queue; fail those tried too often."""
    now = timezone.now()
    cutoff = now - older_than
    found = StaleTasks()
    with transaction.atomic():
        stale = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("started_at")
            .only("id", "task_path", "worker_ids")
        )
        for result in stale:
            given_up = len(result.worker_ids) >= MAX_ATTEMPTS
            if not dry_run:
                # Conditional: a row that finished or was re-queued since we read it is left alone.
                still_stale = DBTaskResult.objects.filter(
                    pk=result.pk, status=TaskResultStatus.RUNNING, started_at__lt=cutoff
                )
                if given_up:
                    changed = still_stale.update(
                        status=TaskResultStatus.FAILED,
                        finished_at=now,
                        return_value=None,
                        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                        traceback=GAVE_UP_NOTE,
                    )
                else:
                    changed = still_stale.update(status=TaskResultStatus.READY, started_at=None)
                if not changed:
                    continue
                logger.warning(
                    "%s task %s (%s): its worker stopped while running it (attempt %s of %s)",
                    "Gave up on" if given_up else "Re-queued",
                    result.pk,
                    result.task_path,
                    len(result.worker_ids),
                    MAX_ATTEMPTS,
                )
            (found.given_up if given_up else found.requeued).append((str(result.pk), result.task_path))
    return found
