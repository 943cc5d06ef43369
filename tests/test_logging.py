"""Log lines format without errors under the settings' logging shortcuts, ours and gunicorn's."""

import logging

import pytest
from gunicorn.glogging import Logger


@pytest.mark.parametrize("fmt", [Logger.error_fmt, "%(asctime)s %(levelname)s %(name)s %(message)s"])
def test_every_log_format_in_use_formats_a_record(fmt):
    record = logging.getLogger("clinic.access").makeRecord(
        "clinic.access", logging.INFO, "", 0, "hello %s", ("x",), None
    )
    assert "hello x" in logging.Formatter(fmt).format(record)
