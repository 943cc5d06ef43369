"""requeue_stale_tasks: a task left RUNNING by a killed worker is run again; staff see tasks in admin."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import ConsultationRequest
from consultations.tasks import send_request_emails
from newsletter.models import Delivery, DeliveryStatus, Issue
from newsletter.services import start_sending
from tests.factories import make_consultation, make_subscriber

pytestmark = pytest.mark.django_db

TASK_CHANGELIST = reverse("admin:django_tasks_database_dbtaskresult_changelist")


@pytest.fixture(autouse=True)
def _database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def requeue(*args) -> str:
    out = StringIO()
    call_command("requeue_stale_tasks", *args, stdout=out)
    return out.getvalue()


def run_worker_once():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def leave_running(task_id, *, minutes: int, worker_ids=("worker-killed-mid-task",)) -> DBTaskResult:
    """What a worker killed `minutes` ago, in the middle of the task, leaves behind."""
    DBTaskResult.objects.filter(pk=task_id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(minutes=minutes), worker_ids=list(worker_ids)
    )
    return DBTaskResult.objects.get(pk=task_id)


def stuck_request_emails(*, minutes: int, **kwargs):
    consultation = make_consultation(email="visitor-private@example.com")
    result = send_request_emails.enqueue(consultation.pk)
    return consultation, leave_running(result.id, minutes=minutes, **kwargs)


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when done
def test_stale_running_task_is_requeued_and_the_worker_then_sends_the_emails():
    consultation, stuck = stuck_request_emails(minutes=60)
    out = requeue()
    assert "Re-queued 1 stale task(s)" in out
    assert str(stuck.pk) in out and "send_request_emails" in out
    assert "visitor-private@example.com" not in out  # ids and task names only

    stuck.refresh_from_db()
    assert stuck.status == "READY" and stuck.started_at is None
    run_worker_once()

    stuck.refresh_from_db()
    assert stuck.status == "SUCCESSFUL"
    assert stuck.worker_ids[0] == "worker-killed-mid-task" and len(stuck.worker_ids) == 2  # both attempts on record
    assert len(mail.outbox) == 2
    assert not ConsultationRequest.objects.get(pk=consultation.pk).emails_pending


@pytest.mark.django_db(transaction=True)
def test_requeued_newsletter_issue_never_resends_and_does_not_resend_a_claimed_delivery():
    issue = Issue.objects.create(subject="News", body="Hello.")
    already_sent, claimed_when_killed, waiting = (make_subscriber() for _ in range(3))
    start_sending(issue)  # in autocommit, the task is queued at once
    Delivery.objects.filter(subscriber=already_sent).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    Delivery.objects.filter(subscriber=claimed_when_killed).update(status=DeliveryStatus.SENDING)
    leave_running(DBTaskResult.objects.get().pk, minutes=60)

    assert "Re-queued 1 stale task(s)" in requeue()
    run_worker_once()

    assert [message.to for message in mail.outbox] == [[waiting.email]]
    assert Delivery.objects.get(subscriber=claimed_when_killed).status == DeliveryStatus.FAILED
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_recently_started_task_is_left_alone_unless_older_than_says_so():
    _, running = stuck_request_emails(minutes=10)
    assert "Re-queued 0 stale task(s)" in requeue()
    assert DBTaskResult.objects.get(pk=running.pk).status == "RUNNING"

    assert "Re-queued 1 stale task(s)" in requeue("--older-than", "5")
    assert DBTaskResult.objects.get(pk=running.pk).status == "READY"


def test_only_running_tasks_are_touched():
    _, stuck = stuck_request_emails(minutes=60)
    for status in ("READY", "SUCCESSFUL", "FAILED"):
        other = send_request_emails.enqueue(make_consultation().pk)
        DBTaskResult.objects.filter(pk=other.id).update(status=status, started_at=timezone.now() - dt.timedelta(days=1))
    assert "Re-queued 1 stale task(s)" in requeue()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY", "SUCCESSFUL", "FAILED"}


def test_dry_run_changes_nothing():
    _, stuck = stuck_request_emails(minutes=60)
    out = requeue("--dry-run")
    assert "Would re-queue 1 stale task(s)" in out and str(stuck.pk) in out
    after = DBTaskResult.objects.get(pk=stuck.pk)
    assert (after.status, after.started_at, after.worker_ids) == ("RUNNING", stuck.started_at, stuck.worker_ids)


def test_a_second_run_finds_nothing_to_do():
    stuck_request_emails(minutes=60)
    assert "Re-queued 1 stale task(s)" in requeue()
    assert "Re-queued 0 stale task(s)" in requeue()  # cron overlapping itself re-queues nothing twice


def test_task_that_keeps_killing_its_worker_is_marked_failed_not_requeued_again():
    consultation, stuck = stuck_request_emails(minutes=60, worker_ids=["first", "second", "third"])
    out = requeue()
    assert "Re-queued 0 stale task(s)" in out
    assert "Gave up on 1 task(s)" in out and str(stuck.pk) in out
    stuck.refresh_from_db()
    assert stuck.status == "FAILED" and stuck.finished_at
    assert stuck.exception_class_path == "background.stale_tasks.WorkerLost"
    assert ConsultationRequest.objects.get(pk=consultation.pk).emails_pending  # admin still shows them unsent


def test_older_than_must_be_positive():
    with pytest.raises(CommandError, match="at least 1"):
        requeue("--older-than", "0")


def test_admin_lists_tasks_with_status_and_times_and_filters_by_status(staff_client):
    _, stuck = stuck_request_emails(minutes=60)
    finished = send_request_emails.enqueue(make_consultation().pk)
    DBTaskResult.objects.filter(pk=finished.id).update(status="SUCCESSFUL")

    response = staff_client.get(TASK_CHANGELIST)
    for column in ("Task name", "Status", "Enqueued at", "Started at", "Finished at"):
        assertContains(response, column)
    assertContains(response, "send_request_emails", count=2)

    running_only = staff_client.get(TASK_CHANGELIST, {"status__exact": "RUNNING"})
    assertContains(running_only, str(stuck.pk))
    assertNotContains(running_only, str(finished.id))

    detail = staff_client.get(reverse("admin:django_tasks_database_dbtaskresult_change", args=[stuck.pk]))
    assert detail.status_code == 200
    assertNotContains(detail, 'name="_save"')  # staff can look, never edit a task's arguments


def test_request_whose_email_task_is_stuck_shows_emails_not_sent(staff_client):
    stuck_request_emails(minutes=60)
    response = staff_client.get(reverse("admin:consultations_consultationrequest_changelist"))
    assertContains(response, "Emails not sent", count=1)
