"""What every public form shares: an error summary that links to each field (GOV.UK pattern)."""

from django import forms


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
