"""Set up an authenticator app (TOTP) for a staff account, and show the QR code to scan.

Every staff account needs one to sign in to the admin in production (CLINIC_REQUIRE_2FA). Run it
with the staff member present (the QR code is a secret): they scan it with any authenticator app
(Google Authenticator, Microsoft Authenticator, 1Password, ...), then sign in with their username,
password and the six-digit code the app shows, all in the one form.
"""

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Enrol an authenticator app for a staff account and print its QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="Remove the account's existing authenticators.")

    def handle(self, *args, username, replace=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        existing = TOTPDevice.objects.devices_for_user(user)
        if existing.exists() and not replace:
            raise CommandError(f"{username} already has an authenticator; use --replace to start again.")
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        code.print_ascii(out=self.stdout, invert=True)
        self.stdout.write(f"Or enter this address in the app: {device.config_url}")
        self.stdout.write(self.style.SUCCESS(f"Authenticator enrolled for {username}."))
