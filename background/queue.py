"""Queueing background work without ever failing the request that asked for it."""

import logging

logger = logging.getLogger(__name__)


def enqueue_safely(task, *args) -> bool:
    """Queue a task; if the queue is unreachable, log it (ids only) and carry on.

    What the request saved stays saved, and admin shows what still has to be sent.
    """
    try:
        task.enqueue(*args)
    except Exception:
        logger.exception("Could not queue %s%s", task.name, args)
        return False
    return True
