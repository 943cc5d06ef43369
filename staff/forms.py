"""The form that confirms a new authenticator app with the code it shows."""

from django import forms
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .enrolment import normalise_code

WRONG_CODE = (
    "That code is not right. Type the 6 digits the app shows now for this account "
    "(a new code appears every 30 seconds)."
)
THROTTLED = "Too many wrong codes in a row. Wait a minute, then type the code the app shows now."


class EnrolmentForm(forms.Form):
    otp_token = forms.CharField(
        label="6-digit code from the app",
        max_length=12,
        error_messages={"required": "Type the 6-digit code from the app."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false", "size": 8}
        ),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        code = normalise_code(self.cleaned_data["otp_token"])
        # Locked while checked, so one code cannot be used twice; the error is raised after the
        # transaction, which must keep the failure django-otp counts (it slows the next try).
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=self.device.pk)
            allowed = device.verify_is_allowed()[0]
            verified = allowed and device.verify_token(code)
        if not allowed:
            raise forms.ValidationError(THROTTLED, code="throttled")
        if not verified:
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        self.device = device
        return code
