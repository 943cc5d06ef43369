"""What every public form shares (PublicFormMixin): input cleaned of control characters before any
field sees it, a honeypot field for simple bots, and an error summary that links to each field
(GOV.UK pattern)."""

import re

from crispy_forms.layout import Div, Field
from django import forms

# Control characters other than tab and newline never belong in what a person types: C0 and C1
# controls (carriage return too, once CRLF is folded), and the bidirectional overrides that can
# make text read differently on a staff member's screen.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HONEYPOT = "website"  # a name simple bots want to fill in


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


def honeypot_layout() -> Div:
    """The honeypot in a crispy layout: its wrapper is hidden by CSS (.hp-field), from screen readers too."""
    return Div(Field(HONEYPOT), css_class="hp-field")


class PublicFormMixin:
    """For forms anyone on the internet can post. Put it before forms.Form or forms.ModelForm.

    Lay out the honeypot with honeypot_layout(); a view answers a valid form whose `is_bot` is true
    exactly as it answers a person, and keeps nothing, so a bot learns nothing from the reply.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = remove_control_characters(self.data)
        # Added here rather than declared: Django's form metaclass only gathers fields from Form classes.
        self.fields[HONEYPOT] = forms.CharField(
            required=False,
            max_length=200,
            label="Leave this empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),  # never a stop for keyboards
        )

    @property
    def is_bot(self) -> bool:
        """Whether a valid form came back with the honeypot filled in; only bots see that field.

        An invalid form is not a bot's: it is shown its errors, whoever sent it.
        """
        return self.is_valid() and bool(self.cleaned_data[HONEYPOT])

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
