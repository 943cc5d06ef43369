"""An administrator's tool: set up or reset a staff member's authenticator app (TOTP).

Staff normally set up their own app: signing in with a password and no device leads to
/admin/two-factor/enrol/ (staff/views.py), which also gives them recovery codes. This command is for
the exceptions:
- `enroll_totp USERNAME` enrols an app now and prints its QR code (a secret: run it with the staff
  member present, and let them scan it); they then sign in with password and code as usual.
- `--replace` does the same for an account that has one already (a new phone); the account's
  recovery codes stay valid.
- `--remove` deletes the account's authenticators and recovery codes (a lost phone and lost
  codes): at their next sign-in with the password, the staff member sets up a new app themselves.
"""

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Enrol (or reset) an authenticator app for a staff account and print its QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--replace", action="store_true", help="Replace the account's existing authenticator.")
        group.add_argument(
            "--remove",
            action="store_true",
            help="Remove the account's authenticators and recovery codes; they enrol again at next sign-in.",
        )

    def handle(self, *args, username, replace=False, remove=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        devices = TOTPDevice.objects.filter(user=user)
        if remove:
            devices.delete()
            StaticDevice.objects.filter(user=user).delete()
            self.stdout.write(
                self.style.SUCCESS(f"Removed. {username} sets up a new authenticator at their next sign-in.")
            )
            return
        if devices.filter(confirmed=True).exists() and not replace:
            raise CommandError(f"{username} already has an authenticator; use --replace to start again.")
        devices.delete()  # unconfirmed ones too: a half-finished enrolment in admin ends here
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        code = qrcode.QRCode(border=1)
        code.add_data(device.config_url)
        code.print_ascii(out=self.stdout, invert=True)
        self.stdout.write(f"Or enter this address in the app: {device.config_url}")
        self.stdout.write(self.style.SUCCESS(f"Authenticator enrolled for {username}."))
