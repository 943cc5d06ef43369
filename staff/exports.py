"""CSV downloads for staff, safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone


def csv_safe(value) -> str:
    """Stop spreadsheet programs from running what a visitor typed as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(name: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate()}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    return response
