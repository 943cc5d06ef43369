"""The newsletter signup form, on the newsletter page and, compact, in every page's footer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

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
        """The footer's copy (templates/newsletter/_footer_form.html). Its ids are its own, so they
        never clash with a form in the page above it."""
        form = cls(auto_id="footer-%s", initial={"source_page": source_page}, compact=True)
        form.fields["email"].widget.attrs["class"] = "form-control"
        return form

    @classmethod
    def posted(cls, data) -> "SignupForm":
        """A signup as sent, from the newsletter page or a footer. Shown again with its errors, a
        footer's signup keeps the footer's one field, so the visitor sees the form they filled in."""
        from_footer = data.get("source_page") != reverse("newsletter:newsletter")
        return cls(data, compact=from_footer)

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
        # A path on this site, or nothing ("//host/" and "/\host/" lead to other sites).
        on_this_site = page.startswith("/") and url_has_allowed_host_and_scheme(page, allowed_hosts=set())
        return page if on_this_site else ""

    @property
    def return_path(self) -> str:
        """The page the visitor was reading when they signed up, for a link back; "" if none.

        Known once the form is validated; the newsletter page itself is not a page to go back to.
        """
        page = getattr(self, "cleaned_data", {}).get("source_page", "")
        return "" if page == reverse("newsletter:newsletter") else page
