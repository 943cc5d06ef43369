"""Self-service two-factor enrolment: a staff member sets up their own authenticator app.

Whoever knows the password of an account that has never had a device could enrol their own phone,
so enrolment is kept narrow:
- it is open only in the session that signed in with the password, for ENROLMENT_MINUTES after;
- the secret shown belongs to that session alone: a pending device made in another session (or
  older than ENROLMENT_MINUTES) is deleted and a new secret made, so a secret seen by one person
  cannot be confirmed later by another;
- each account has at most one unconfirmed device, and wrong codes are throttled by django-otp;
- when a device is confirmed, the staff member is emailed (if they have an address) and one log
  line says so, with the user id only.
"""

import datetime as dt
import logging
from base64 import b32encode
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

ENROLMENT_MINUTES = 15
RECOVERY_CODE_COUNT = 10
STARTED_AT = "staff_enrolment_started_at"  # session: when the password sign-in opened enrolment
DEVICE_ID = "staff_enrolment_device_id"  # session: the pending device this session may confirm


def start(request) -> None:
    """Open enrolment in this session: called right after a password sign-in by a staff member without a device."""
    request.session[STARTED_AT] = timezone.now().timestamp()
    request.session.pop(DEVICE_ID, None)


def is_open(request) -> bool:
    """True while this session may still enrol, i.e. within ENROLMENT_MINUTES of its password sign-in."""
    started_at = request.session.get(STARTED_AT)
    if started_at is None:
        return False
    return timezone.now().timestamp() - started_at < ENROLMENT_MINUTES * 60


def finish(request) -> None:
    """Close enrolment in this session (done, or given up)."""
    request.session.pop(STARTED_AT, None)
    request.session.pop(DEVICE_ID, None)


def cancel(request) -> None:
    """Give up: this session's pending secret is deleted and the session signed out."""
    pending = pending_device(request, create=False)
    if pending is not None:
        pending.delete()
    finish(request)
    logout(request)


def has_device(user) -> bool:
    """A confirmed authenticator or set of recovery codes: such an account signs in with a code."""
    return user_has_device(user, confirmed=True)


def pending_device(request, *, create: bool) -> TOTPDevice | None:
    """This session's unconfirmed authenticator, made now if `create` and there is none.

    Any other unconfirmed device of the user (made in another session, or expired) is deleted.
    """
    user = request.user
    expired_before = timezone.now() - dt.timedelta(minutes=ENROLMENT_MINUTES)
    unconfirmed = TOTPDevice.objects.filter(user=user, confirmed=False)
    device = unconfirmed.filter(pk=request.session.get(DEVICE_ID), created_at__gt=expired_before).first()
    if device is None and create:
        unconfirmed.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        request.session[DEVICE_ID] = device.pk
    if device is not None:
        unconfirmed.exclude(pk=device.pk).delete()
    return device


def confirm(request, device: TOTPDevice) -> list[str] | None:
    """Confirm a device whose code was just verified; returns the new recovery codes.

    Returns None if the account gained a confirmed device meanwhile (another session was
    quicker): then nothing changes here. The session is verified with the new device.
    """
    user = request.user
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one enrolment at a time
        if has_device(user):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
        if user.email:
            from .tasks import send_enrolment_notice

            # robust: a queue that cannot be reached is logged; the enrolment itself stands
            transaction.on_commit(lambda: send_enrolment_notice.enqueue(user.pk), robust=True)
    otp_login(request, device)
    finish(request)
    logger.info("two-factor device enrolled for user id %s", user.pk)
    return codes


def normalise_code(code: str) -> str:
    """What people type: spaces inside a code, capitals in a recovery code."""
    return "".join(code.split()).lower()


def verify_code(user, code: str):
    """The user's confirmed device (authenticator or recovery codes) that accepts `code` now, or None.

    After a wrong code django-otp refuses every code for a while (1 s, 2 s, 4 s, ...); a missing
    code is no guess, so it does not slow the next try. A recovery code is deleted when used.
    """
    code = normalise_code(code)
    if not code:
        return None
    with transaction.atomic():  # devices are locked while checked, so one code cannot sign in twice
        return next((device for device in devices_for_user(user, for_verify=True) if device.verify_token(code)), None)


@dataclass(frozen=True)
class QRCode:
    """A QR code as one SVG path, drawn by the template without any style attribute."""

    size: int  # modules, quiet zone included: the viewBox is 0 0 size size
    path: str


def qr_code(data: str) -> QRCode:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    return QRCode(size=image.width + 2 * image.border, path=image.path.get("d"))


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps ask for it, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def account_name(device: TOTPDevice) -> str:
    """The name the authenticator app shows for this account (as in device.config_url)."""
    issuer = getattr(settings, "OTP_TOTP_ISSUER", None)
    issuer = issuer(device) if callable(issuer) else issuer
    username = device.user.get_username()
    return f"{issuer.replace(':', '')}: {username}" if issuer else username
