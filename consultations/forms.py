"""The consultation request form: short, kind, and hard for bots to abuse."""

import hashlib
import secrets
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from phonenumber_field.formfields import PhoneNumberField

from practice.models import Location, format_period
from web.public_forms import PublicFormMixin, honeypot_layout

from .models import (
    CONTACT_TIME_HOURS,
    Concern,
    ConsultationRequest,
    ContactMethod,
    ContactTime,
    HeardAbout,
    SeeingClinician,
    WhoFor,
)

TIMING_SALT = "consultations.form-started"
BAD_TOKEN = "Something went wrong with this form. Please check your answers and send it again."
EXPIRED_TOKEN = (
    "This form was open for a long time, so we could not send it. Please check your answers and send it again."
)
ALREADY_SENT = (
    "We already received this form with different answers. "
    "To send these answers as well, check them and send the form again."
)


PHONE_NEEDED = (ContactMethod.PHONE, ContactMethod.TEXT)
PHONE_REQUIRED = "Enter a phone number so we can call or text you."
EMAIL_REQUIRED = "Enter an email address so we can email you."


def contact_time_choices() -> list[tuple[str, str]]:
    """Offer "any time", and each slot in which some active location is open on some day: no evening slot
    when every location closes by 5 pm. Each slot's label gives the hours the clinic is open in it
    ("Morning (9 am to noon)" for a clinic that opens at 9). Every slot, as labelled in the model,
    while no opening hours are known, so the form always offers times. The stored values never
    change; only what is offered, and how it is described, does."""
    periods = [period for location in Location.load_active() for period in location.periods]
    if not periods:
        return list(ContactTime.choices)
    choices = []
    for value, label in ContactTime.choices:
        if value not in CONTACT_TIME_HOURS:
            choices.append((value, label))  # "any time"
            continue
        start, end = CONTACT_TIME_HOURS[value]
        during = [period for period in periods if period.opens < end and start < period.closes]
        if during:
            opens = max(start, min(period.opens for period in during))
            closes = min(end, max(period.closes for period in during))
            name = label.partition(" (")[0]  # "Morning (8 am to noon)" -> "Morning"
            choices.append((value, f"{name} ({format_period(opens, closes)})"))
    return choices


def sign_start_time() -> str:
    """The hidden token: when the form was shown, and a one-time number so one form makes one request."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(16)}, salt=TIMING_SALT)


def read_start_time(token: str) -> tuple[float, str]:
    """(time shown, one-time number) from a token; raises SignatureExpired, BadSignature or ValueError."""
    payload = signing.loads(token, salt=TIMING_SALT, max_age=settings.CLINIC_FORM_MAX_AGE_SECONDS)
    if not isinstance(payload, dict):
        raise ValueError("not a form token")
    started, nonce = payload.get("t"), payload.get("n")
    if isinstance(started, bool) or not isinstance(started, int | float) or not isinstance(nonce, str) or not nonce:
        raise ValueError("not a form token")
    return float(started), nonce


class ConsultationRequestForm(PublicFormMixin, forms.ModelForm):
    # Phone and email: each is required only by the contact method that needs it (clean_phone, clean_email).
    phone = PhoneNumberField(
        region="US",
        max_length=40,
        required=False,
        label="Phone number",
        help_text="We need this if you choose a call or a text. A US number, or an international number "
        "starting with +.",
        error_messages={"invalid": "Enter a phone number we can call, like (202) 555-0123."},
    )
    concerns = forms.MultipleChoiceField(
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What would you like help with?",
        help_text="Choose all that apply.",
        error_messages={"required": "Choose at least one thing you would like help with."},
    )
    is_adult = forms.BooleanField(
        label="I am 18 or older",
        error_messages={"required": "Confirm that you are 18 or older. We can only see adults."},
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to let us contact you. We cannot reply otherwise."},
    )
    # Not required here: clean() refuses a missing token with the same calm message as a bad one.
    started = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    class Meta:
        model = ConsultationRequest
        # In the page's order: clean_phone and clean_email read the contact method, cleaned before them.
        fields = [
            "who_for", "name", "contact_method", "phone", "email", "contact_time", "concerns",
            "seeing_clinician", "heard_about", "message", "is_adult",
        ]  # fmt: skip
        labels = {
            "who_for": "Who is the consultation for?",
            "name": "Your name",
            "email": "Email address",
            "contact_method": "How should we contact you?",
            "contact_time": "When is a good time?",
            "seeing_clinician": "Are you seeing a doctor or therapist for this now?",
            "heard_about": "How did you hear about us? (optional)",
            "message": "Anything else you would like us to know? (optional)",
        }
        help_texts = {
            "email": "We need this if you choose email. If you give it, we also email you a confirmation.",
            "message": "Please keep it short and do not include detailed medical history. "
            "We will talk through your health privately when we contact you.",
        }
        error_messages = {
            "who_for": {"required": "Choose who the consultation is for."},
            "name": {"required": "Enter your name."},
            "email": {"invalid": "Enter an email address like name@example.com."},
            "contact_method": {"required": "Choose how we should contact you."},
            "contact_time": {
                "required": "Choose when is a good time to contact you.",
                "invalid_choice": "Choose one of the times shown.",
            },
            "seeing_clinician": {"required": "Tell us whether you are seeing a doctor or therapist for this."},
        }
        widgets = {
            "who_for": forms.RadioSelect,
            "contact_method": forms.RadioSelect,
            "contact_time": forms.RadioSelect,
            "seeing_clinician": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nonce_digest = None  # set by clean(); saved, so a second post of this form saves nothing new
        self.fields["name"].widget.attrs.update(autocomplete="name", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        # Nothing chosen for them (GOV.UK: never pre-select a radio), not even the model's default.
        self.fields["who_for"].choices, self.fields["who_for"].initial = WhoFor.choices, None
        self.initial.pop("who_for", None)
        self.fields["who_for"].help_text = format_html(
            "If it is for someone you care about, we will need to speak with them themselves, and the "
            "choice to go ahead is theirs. You can still send this form with your own contact details. "
            'Our <a href="{}">guide for family and friends</a> explains how you can help.',
            reverse("articles:detail", args=["for-family-and-friends"]),
        )
        self.fields["contact_method"].choices = ContactMethod.choices
        self.fields["contact_time"].choices = contact_time_choices()
        self.fields["seeing_clinician"].choices = SeeingClinician.choices
        self.fields["heard_about"].choices = [("", "Choose one")] + list(HeardAbout.choices)
        self.fields["consent"].label = format_html(
            "I agree that the clinic may contact me about this request, as described in the "
            '<a href="{}">privacy notice</a>',
            reverse("pages:privacy"),
        )
        self.initial.setdefault("started", sign_start_time())
        self.sent_very_fast = False  # set by clean(): saved with the request, for staff to see
        self.mark_optional_contact_detail()
        self.helper = self.build_helper()

    def mark_optional_contact_detail(self) -> None:
        """Once a contact method is chosen, the detail it does not need says "(optional)"."""
        method = self.data.get(self.add_prefix("contact_method")) if self.is_bound else None
        if method in PHONE_NEEDED:
            self.fields["email"].label = "Email address (optional)"
        elif method == ContactMethod.EMAIL:
            self.fields["phone"].label = "Phone number (optional)"

    @staticmethod
    def build_helper() -> FormHelper:
        helper = FormHelper()
        helper.form_id = "consultation-form"
        helper.form_action = "consultations:request"  # not the page's address: that may carry a #fragment
        helper.attrs = {"novalidate": ""}  # our messages, not the browser's, so they match the summary
        helper.layout = Layout(
            "who_for",
            Fieldset("About you", "name"),
            Fieldset("Contacting you", "contact_method", "phone", "email", "contact_time"),
            Fieldset("How we can help", "concerns", "seeing_clinician", "heard_about", "message"),
            Fieldset("Before you send", "is_adult", "consent"),
            honeypot_layout(),
            "started",
            Submit("submit", "Send request", css_class="button"),
            HTML('<p class="form-note">We reply within one working day. This form is not for emergencies.</p>'),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        token = self.data.get(self.add_prefix("started"), "")
        try:
            started, nonce = read_start_time(str(token))
        except signing.SignatureExpired:
            self.refresh_token()
            raise forms.ValidationError(EXPIRED_TOKEN) from None
        except (signing.BadSignature, ValueError):
            self.refresh_token()
            raise forms.ValidationError(BAD_TOKEN) from None
        # Browser autofill sends a form in a second: never refuse a valid request for its speed. Flag it
        # for staff instead; the honeypot and the rate limit are the defences against bots.
        self.sent_very_fast = time.time() - started < settings.CLINIC_FORM_MIN_SECONDS
        # Only a digest is kept: the stored value cannot be turned back into a token that works.
        self.nonce_digest = hashlib.sha256(nonce.encode()).hexdigest()
        return cleaned

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone and self.cleaned_data.get("contact_method") in PHONE_NEEDED:
            raise forms.ValidationError(PHONE_REQUIRED, code="required")
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"]
        if not email and self.cleaned_data.get("contact_method") == ContactMethod.EMAIL:
            raise forms.ValidationError(EMAIL_REQUIRED, code="required")
        return email

    def refresh_token(self) -> None:
        """A fresh token in the re-rendered form, so sending again works; what was typed stays."""
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = sign_start_time()

    def same_answers_as(self, consultation: ConsultationRequest) -> bool:
        """Whether this valid form says what an already saved request says (a double click, a resend)."""
        return all(getattr(self.instance, name) == getattr(consultation, name) for name in self._meta.fields)

    def ask_to_send_again(self) -> None:
        """This form's token already made a request with other answers: keep these, and ask to send again."""
        self.refresh_token()
        self.add_error(None, ALREADY_SENT)

    def save(self, commit=True):
        self.instance.consented_at = timezone.now()
        self.instance.form_nonce_digest = self.nonce_digest
        self.instance.sent_very_fast = self.sent_very_fast
        return super().save(commit=commit)
