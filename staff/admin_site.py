"""The admin site: every staff account signs in with a password and an authenticator code (TOTP).

In production (settings.CLINIC_REQUIRE_2FA, on unless DEBUG) nobody on the staff reaches the admin
without a code from an authenticator app (django-otp), whatever their permissions: Django lets
change permission view records too, so a rule by permission is easy to get wrong. Devices are
enrolled with `manage.py enroll_totp USERNAME` (see README). Local development turns it off.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user

SIGN_IN_FAILED = (
    "The username, password or code is not right. "
    "If you have not set up an authenticator app yet, ask an administrator."
)


def needs_two_factor(user) -> bool:
    """Every staff account, superusers and editors alike, in production; nobody in local development."""
    return settings.CLINIC_REQUIRE_2FA and user.is_staff


def verified_device(user, code: str):
    """The user's authenticator that accepts code now, or None.

    After a wrong code django-otp refuses every code for a while (1 s, 2 s, 4 s, ...); a missing
    code is no guess, so it does not slow the next try.
    """
    if not code:
        return None
    with transaction.atomic():  # devices are locked while checked, so one code cannot sign in twice
        return next((device for device in devices_for_user(user, for_verify=True) if device.verify_token(code)), None)


class ClinicLoginForm(AdminAuthenticationForm):
    """Django's admin login, asking for the authenticator code with the password when two-factor is on.

    Every failure then gets the same message, so the page never tells anyone that a password was
    right, and a wrong or missing code counts as a failed sign-in for django-axes, as a wrong
    password does (authenticate() reports those).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.CLINIC_REQUIRE_2FA:
            self.fields["otp_token"] = forms.CharField(
                label="Code from your authenticator app",
                required=False,  # a missing code is a failed sign-in like any other, with the same message
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "required": True}
                ),
            )
            self.error_messages = {**self.error_messages, "invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def clean(self):
        super().clean()
        user = self.get_user()
        if user is not None and needs_two_factor(user):
            # On login, django-otp records this device in the session: the session is verified.
            user.otp_device = verified_device(user, self.cleaned_data["otp_token"])
            if user.otp_device is None:
                credentials = {"username": self.cleaned_data["username"]}
                user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
                raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
        return self.cleaned_data


class ClinicAdminSite(admin.AdminSite):
    site_header = "Clinic site administration"
    site_title = "Clinic admin"
    login_form = ClinicLoginForm
    login_template = "admin/clinic_login.html"

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (not needs_two_factor(user) or user.is_verified())
