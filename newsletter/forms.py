"""The newsletter signup form, on the newsletter page and, compact, in every page's footer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from web.public_forms import PublicFormMixin, honeypot_layout


class SignupForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    first_name = forms.CharField(label="First name (optional)", max_length=60, required=False)
    source_page = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    consent_text = (
        "By subscribing you agree to receive the newsletter by email. "
        "We send a link to confirm first, and you can unsubscribe in one click at any time."
    )

    def __init__(self, *args, compact: bool = False, **kwargs):
        """`compact` leaves out the optional first name, to keep the footer short."""
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.helper = self.build_helper(compact=compact)

    @classmethod
    def for_footer(cls, source_page: str) -> "SignupForm":
        """The footer's copy (templates/newsletter/_footer_form.html). Its ids differ from the
        newsletter page's form, which shows both."""
        form = cls(auto_id="footer-%s", initial={"source_page": source_page}, compact=True)
        form.fields["email"].widget.attrs["class"] = "form-control"
        return form

    def build_helper(self, *, compact: bool) -> FormHelper:
        helper = FormHelper()
        if not compact:
            helper.form_id = "newsletter-form"
        helper.form_action = "newsletter:signup"
        # No CSRF token: the footer is on pages cached for everyone, which carry no per-visitor
        # token and set no cookie (see newsletter/views.py for why signup needs none).
        helper.disable_csrf = True
        helper.attrs = {"novalidate": ""}
        helper.layout = Layout(
            "email",
            *([] if compact else ["first_name"]),
            honeypot_layout(),
            "source_page",
            HTML(
                format_html(
                    '<p class="form-text">{} <a href="{}#newsletter">How we use your email</a></p>',
                    self.consent_text,
                    reverse("pages:privacy"),
                )
            ),
            Submit("subscribe", "Subscribe", css_class="button", css_id=self.auto_id % "subscribe"),
        )
        return helper

    def clean_source_page(self):
        page = self.cleaned_data["source_page"]
        return page if page.startswith("/") else ""  # a path on this site, or nothing
