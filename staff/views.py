"""The two-factor enrolment page, under the admin's URLs; its rules are in staff/enrolment.py.

The recovery codes are the answer to the POST that confirms the app, not a page to come back to:
they are shown once and never stored anywhere they could be shown from again (django-otp keeps
them only to check them). A reload finds the account enrolled and goes to the admin's home.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from . import enrolment
from .forms import EnrolmentForm

TOO_LATE = "Setting up two-factor sign-in took too long. Sign in again to start over."
CANCELLED = "You are signed out. Two-factor sign-in is not set up yet: sign in again when you are ready."


@method_decorator([never_cache, csrf_protect, sensitive_post_parameters("otp_token")], name="dispatch")
class EnrolView(View):
    """Set up an authenticator app: open only to the session that just signed in without one."""

    admin_site = None

    def dispatch(self, request, *args, **kwargs):
        site = self.admin_site
        self.login_url = reverse("admin:login", current_app=site.name)
        self.index_url = reverse("admin:index", current_app=site.name)
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return HttpResponseRedirect(self.login_url)
        if not site.awaits_enrolment(request):  # enrolled already, or two-factor is off
            return HttpResponseRedirect(self.index_url)
        if not enrolment.is_open(request):
            logout(request)
            messages.info(request, TOO_LATE)
            return HttpResponseRedirect(self.login_url)
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get(self, request):
        device = enrolment.pending_device(request, create=True)
        return self.show_form(request, EnrolmentForm(device=device))

    def post(self, request):
        if "cancel" in request.POST:  # e.g. on a shared computer: nobody else may finish this enrolment
            enrolment.cancel(request)
            messages.info(request, CANCELLED)
            return HttpResponseRedirect(self.login_url)
        device = enrolment.pending_device(request, create=False)
        if device is None:  # the secret expired while the page was open: a new one is made
            messages.info(request, "That QR code has expired. Scan this new one instead.")
            return HttpResponseRedirect(request.path)
        form = EnrolmentForm(request.POST, device=device)
        if not form.is_valid():
            return self.show_form(request, form)
        codes = enrolment.confirm(request, form.device)
        if codes is None:  # another session enrolled this account first
            return HttpResponseRedirect(self.index_url)
        context = {"title": "Two-factor sign-in is set up", "codes": codes, "index_url": self.index_url}
        return self.render(request, "staff/recovery_codes.html", context)

    def show_form(self, request, form):
        device = form.device
        context = {
            "title": "Set up two-factor sign-in",
            "form": form,
            "qr": enrolment.qr_code(device.config_url),
            "secret": enrolment.secret_for_typing(device),
            "account_name": enrolment.account_name(device),
            "minutes": enrolment.ENROLMENT_MINUTES,
        }
        return self.render(request, "staff/enrol.html", context)

    def render(self, request, template, context):
        # No sidebar: the session reaches no other admin page until enrolment is done.
        context = {**self.admin_site.each_context(request), "is_nav_sidebar_enabled": False, **context}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)
