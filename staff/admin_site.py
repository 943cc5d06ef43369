"""The admin site: every staff account signs in with a password and an authenticator code (TOTP).

In production (settings.CLINIC_REQUIRE_2FA, on unless DEBUG) nobody on the staff reaches the admin
without a code from an authenticator app or a one-time recovery code (django-otp), whatever their
permissions: Django lets change permission view records too, so a rule by permission is easy to get
wrong. Local development turns it off.

A staff member without a device signs in with their password alone and is taken straight to
/admin/two-factor/enrol/ (staff/views.py), where they set up their own app and receive recovery
codes; that session reaches nothing else in admin until a code confirms the app. The rules that
keep a stolen password from enrolling a stranger's phone are in staff/enrolment.py. An
administrator can still enrol or reset a phone with `manage.py enroll_totp` (see README).

Technical apps (sign-in attempts, devices, background tasks) are listed only for superusers.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY

from . import enrolment

SIGN_IN_FAILED = (
    "The username, password or code is not right. "
    "If you have lost both your authenticator app and your recovery codes, ask an administrator."
)
# Apps only a superuser needs, hidden from other staff even if granted their permissions.
TECHNICAL_APPS = {"axes", "django_tasks_database", "otp_static", "otp_totp"}


def needs_two_factor(user) -> bool:
    """Every staff account, superusers and editors alike, in production; nobody in local development."""
    return settings.CLINIC_REQUIRE_2FA and user.is_staff


class ClinicLoginForm(AdminAuthenticationForm):
    """Django's admin login, asking for the authenticator code with the password when two-factor is on.

    For an account with a device, every failure gets the same message, so the page never tells
    anyone that a password was right, and a wrong or missing code counts as a failed sign-in for
    django-axes, as a wrong password does (authenticate() reports those). An account without a
    device signs in with its password alone, unverified: ClinicAdminSite.login sends it to enrol.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.CLINIC_REQUIRE_2FA:
            self.fields["otp_token"] = forms.CharField(
                label="Code from your authenticator app, or a recovery code",
                required=False,  # a missing code is a failed sign-in like any other, with the same message
                widget=forms.TextInput(
                    # no inputmode="numeric": recovery codes have letters
                    attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
                ),
            )
            self.error_messages = {**self.error_messages, "invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def clean(self):
        super().clean()
        user = self.get_user()
        if user is not None and needs_two_factor(user) and enrolment.has_device(user):
            # On login, django-otp records this device in the session: the session is verified.
            user.otp_device = enrolment.verify_code(user, self.cleaned_data["otp_token"])
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

    def get_urls(self):
        from .views import EnrolView  # the views reverse this site's URLs

        enrol = EnrolView.as_view(admin_site=self)
        return [path("two-factor/enrol/", enrol, name="two_factor_enrol"), *super().get_urls()]

    def awaits_enrolment(self, request) -> bool:
        """Signed in with a password, no device yet: the session may only enrol."""
        user = request.user
        return (
            user.is_authenticated
            and needs_two_factor(user)
            and DEVICE_ID_SESSION_KEY not in request.session
            and not enrolment.has_device(user)
        )

    @method_decorator(never_cache)
    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        enrol_url = reverse("admin:two_factor_enrol", current_app=self.name)
        if request.method == "GET" and self.awaits_enrolment(request):
            if enrolment.is_open(request):
                return HttpResponseRedirect(enrol_url)  # e.g. /admin/ opened again mid-enrolment
            logout(request)  # enrolment ran out: start again from the password
        response = super().login(request, extra_context)
        if request.method == "POST" and response.status_code == 302 and self.awaits_enrolment(request):
            enrolment.start(request)
            return HttpResponseRedirect(enrol_url)
        return response

    def get_app_list(self, request, app_label=None):
        """Every app for superusers; without the technical ones for other staff (index and sidebar)."""
        app_list = super().get_app_list(request, app_label)
        if request.user.is_superuser:
            return app_list
        return [app for app in app_list if app["app_label"] not in TECHNICAL_APPS]
