import pytest


@pytest.fixture(autouse=True)
def _form_settings(settings):
    settings.CLINIC_FORM_MIN_SECONDS = 0  # tests post at once; test_views covers the minimum
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def queued(monkeypatch) -> list:
    """Ids of the requests whose emails were queued, in order.

    The email task sends only what is still unsent, so a second queued task would send nothing:
    the outbox alone cannot show that a request's emails were queued once.
    """
    import consultations.services

    ids, enqueue = [], consultations.services.enqueue_safely

    def recording(task, *args):
        ids.append(args[0])  # list.append is atomic: safe from the live server's request threads
        return enqueue(task, *args)

    monkeypatch.setattr(consultations.services, "enqueue_safely", recording)
    return ids
