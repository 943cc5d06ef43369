"""The newsletter signup form (the footer's compact copy posts here too)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms

from web.public_forms import ErrorSummaryMixin, remove_control_characters


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
        if self.is_bound:
            self.data = remove_control_characters(self.data)
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
            HTML(
                '<p class="form-text">By subscribing you agree to receive the newsletter by email. '
                "You can unsubscribe in one click at any time.</p>"
            ),
            Submit("subscribe", "Subscribe", css_class="button"),
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def clean_source_page(self):
        page = self.cleaned_data["source_page"]
        return page if page.startswith("/") else ""  # a path on this site, or nothing
