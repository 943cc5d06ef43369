"""The consultation request form: short, kind, and hard for bots to abuse."""

import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from phonenumber_field.formfields import PhoneNumberField

from clinic.forms import ErrorSummaryMixin, remove_control_characters

from .models import Concern, ConsultationRequest, ContactMethod, ContactTime, HeardAbout, SeeingClinician

TIMING_SALT = "consultations.form-started"
def sign_start_time() -> str:
    return signing.dumps(time.time(), salt=TIMING_SALT)


class ConsultationRequestForm(ErrorSummaryMixin, forms.ModelForm):
    phone = PhoneNumberField(
        region="US",
        max_length=40,
        label="Phone number",
        help_text="A US number, or an international number starting with +.",
        error_messages={"invalid": "Enter a phone number we can call, like (555) 010-0199."},
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
    # A field people never see (hidden by CSS); simple bots fill in every field they find.
    website = forms.CharField(required=False, max_length=200, label="Leave this empty")
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    class Meta:
        model = ConsultationRequest
        fields = [
            "name", "email", "phone", "contact_method", "contact_time", "concerns",
            "seeing_clinician", "heard_about", "message", "is_adult",
        ]  # fmt: skip
        labels = {
            "name": "Your name",
            "email": "Email address",
            "contact_method": "How should we contact you?",
            "contact_time": "When is a good time?",
            "seeing_clinician": "Are you seeing a doctor or therapist for this now?",
            "heard_about": "How did you hear about us? (optional)",
            "message": "Anything else you would like us to know? (optional)",
        }
        help_texts = {
            "message": "Please keep it short and do not include detailed medical history. "
            "We will talk through your health privately when we call.",
        }
        error_messages = {
            "name": {"required": "Enter your name."},
            "email": {"required": "Enter your email address.", "invalid": "Enter an email address like name@example.com."},
            "contact_method": {"required": "Choose how we should contact you."},
            "contact_time": {"required": "Choose when is a good time to contact you."},
            "seeing_clinician": {"required": "Tell us whether you are seeing a doctor or therapist for this."},
        }
        widgets = {
            "contact_method": forms.RadioSelect,
            "contact_time": forms.RadioSelect,
            "seeing_clinician": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = remove_control_characters(self.data)
        self.is_bot = False
        self.fields["name"].widget.attrs.update(autocomplete="name", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["contact_method"].choices = ContactMethod.choices
        self.fields["contact_time"].choices = ContactTime.choices
        self.fields["seeing_clinician"].choices = SeeingClinician.choices
        self.fields["heard_about"].choices = [("", "Choose one")] + list(HeardAbout.choices)
        self.fields["consent"].label = format_html(
            "I agree that the clinic may contact me about this request, as described in the "
            '<a href="{}">privacy notice</a>',
            reverse("pages:privacy"),
        )
        self.initial.setdefault("started", sign_start_time())
        self.helper = self.build_helper()

    @staticmethod
    def build_helper() -> FormHelper:
        helper = FormHelper()
        helper.form_id = "consultation-form"
        helper.form_action = "consultations:request"  # not the page's address: that may carry a #fragment
        helper.attrs = {"novalidate": ""}  # our messages, not the browser's, so they match the summary
        helper.layout = Layout(
            Fieldset("About you", "name", "email", "phone"),
            Fieldset("Contacting you", "contact_method", "contact_time"),
            Fieldset("How we can help", "concerns", "seeing_clinician", "heard_about", "message"),
            Fieldset("Before you send", "is_adult", "consent"),
            Div(Field("website"), css_class="hp-field"),
            "started",
            Submit("submit", "Send request", css_class="button"),
            HTML('<p class="form-note">We reply within one working day. This form is not for emergencies.</p>'),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.is_bot = True
        started = self.data.get(self.add_prefix("started"), "")
        try:
            elapsed = time.time() - float(signing.loads(str(started), salt=TIMING_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self.data = self.data.copy()  # a fresh token, so sending again works
            self.data[self.add_prefix("started")] = sign_start_time()
            raise forms.ValidationError(
                "Something went wrong with this form. Please check your answers and send it again."
            ) from None
        if elapsed < settings.CLINIC_FORM_MIN_SECONDS:
            raise forms.ValidationError("Please check your answers, then send the form again.")
        return cleaned

    def save(self, commit=True):
        self.instance.consented_at = timezone.now()
        return super().save(commit=commit)
