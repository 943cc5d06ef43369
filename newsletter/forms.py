"""The newsletter signup form (the footer's compact copy posts here too)."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms

from clinic.forms import ErrorSummaryMixin

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class SignupForm(ErrorSummaryMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    first_name = forms.CharField(label="First name (optional)", max_length=60, required=False)
    website = forms.CharField(required=False, max_length=200, label="Leave this empty")  # honeypot
    source_page = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.helper = FormHelper()
        self.helper.form_id = "newsletter-form"
        self.helper.form_action = "newsletter:signup"
        self.helper.disable_csrf = True  # see newsletter/views.py: signup needs no cookie
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            "email",
            "first_name",
            Div(Field("website"), css_class="hp-field"),
            "source_page",
            Submit("subscribe", "Subscribe", css_class="button"),
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_first_name(self):
        return CONTROL_CHARACTERS.sub("", self.cleaned_data["first_name"]).strip()

    def clean_source_page(self):
        page = self.cleaned_data["source_page"]
        return page if page.startswith("/") and not CONTROL_CHARACTERS.search(page) else ""
