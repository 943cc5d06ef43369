"""The admin site: two-factor (TOTP) required for staff who can see consultation requests.

Staff who only edit articles sign in with a password; anyone who can view consultation requests
(superusers included) also needs a code from an authenticator app (django-otp). Devices are enrolled
with `manage.py enroll_totp USERNAME` (see README).
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm


def needs_two_factor(user) -> bool:
    return settings.CLINIC_REQUIRE_2FA and user.has_perm("consultations.view_consultationrequest")


class ClinicLoginForm(OTPAdminAuthenticationForm):
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the six-digit code from your authenticator app.",
        "invalid_token": "That code is not right, or has expired. Enter the code your app shows now.",
    }

    def _chosen_device(self, user):
        """Staff have one authenticator app, so nobody has to pick it from a list."""
        chosen = super()._chosen_device(user)
        if chosen is None:
            devices = list(devices_for_user(user, confirmed=True))
            chosen = devices[0] if len(devices) == 1 else None
        return chosen

    def clean(self):
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and needs_two_factor(user):
            if not any(devices_for_user(user)):
                raise forms.ValidationError(
                    "Your account needs two-factor authentication, and no authenticator is set up yet. "
                    "Ask an administrator to enrol one (manage.py enroll_totp).",
                    code="no_device",
                )
            self.clean_otp(user)
        return self.cleaned_data


class ClinicAdminSite(admin.AdminSite):
    site_header = "Clinic site administration"
    site_title = "Clinic admin"
    login_form = ClinicLoginForm
    login_template = "admin/clinic_login.html"

    def has_permission(self, request):
        user = request.user
        if not super().has_permission(request):
            return False
        return not needs_two_factor(user) or user.is_verified()
