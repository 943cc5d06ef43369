"""What every public form shares: an error summary that links to each field (GOV.UK pattern),
and input cleaned of control characters before any field sees it."""

import re

from django import forms

# Control characters other than tab and newline never belong in what a person types: C0 and C1
# controls (carriage return too, once CRLF is folded), and the bidirectional overrides that can
# make text read differently on a staff member's screen.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def remove_control_characters(data):
    """A copy of submitted data with control characters removed, before any field sees it."""
    data = data.copy()
    getlist = getattr(data, "getlist", None)
    for key in list(data):
        values = getlist(key) if getlist else [data[key]]
        cleaned = [
            CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n")) if isinstance(value, str) else value
            for value in values
        ]
        if getlist:
            data.setlist(key, cleaned)
        else:
            data[key] = cleaned[0]
    return data


class ErrorSummaryMixin:
    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs; the anchor is the field's first input, or the form itself."""
        summary = [("", str(error)) for error in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            field = self[name]
            anchor = field.auto_id
            if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor += "_0"
            summary.extend((anchor, str(error)) for error in errors)
        return summary
