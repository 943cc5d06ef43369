"""Before going live: what is still a fresh install's stand-in, listed on admin's home page until fixed.

go_live_problems() reads the database (four small queries) and returns one Problem per thing to fix,
each naming the admin page that fixes it and the permission needed to use it. The template tag in
templatetags/go_live.py shows them on admin's index.

Placeholder phone numbers (is_placeholder_phone): North American numbers with area code 555 (never
assigned) or in 555-0100 to 555-0199 (the range reserved for fiction, in any area code), as in the
fresh install's "(555) 010-0199". Other numbers on the 555 exchange, such as 555-1212, are real
services, so they are not flagged.
"""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from .models import ClinicDetails, Clinician, Location, OpeningHours, PriceItem

PLACEHOLDER_NAME = ClinicDetails._meta.get_field("name").default  # "Riverside Ketamine Clinic"
PLACEHOLDER_ADDRESS = "100 Main Street, Suite 200"
# Domains reserved for examples (RFC 2606): mail sent there reaches nobody.
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


@dataclass(frozen=True)
class Problem:
    message: str
    url_name: str  # the admin page that fixes it, e.g. "admin:practice_clinician_change"
    args: tuple = ()
    permission: str = ""  # "app_label.codename" needed to use that page
    action: str = "Fix this"  # the link's text


def is_placeholder_phone(phone: str) -> bool:
    """True for a North American number with area code 555, or in the fictional 555-01xx range."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) >= 11 and digits[0] == "1":
        digits = digits[1:]  # the country code, as in "+1 555 010 0199"
    if len(digits) >= 10:  # anything after the tenth digit is an extension
        area, exchange, line = digits[:3], digits[3:6], digits[6:10]
        return area == "555" or (exchange == "555" and line.startswith("01"))
    if len(digits) == 7:  # no area code: "555-0123"
        return digits[:3] == "555" and digits[3:].startswith("01")
    return False


def is_placeholder_email(email: str) -> bool:
    domain = (email or "").rpartition("@")[2].lower()
    return any(domain == example or domain.endswith("." + example) for example in EXAMPLE_DOMAINS)


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _details_problems() -> list[Problem]:
    # Addresses and opening hours belong to locations (_location_problems), not to these details.
    details = ClinicDetails.objects.filter(pk=1).first() or ClinicDetails(pk=1)  # no row yet: the defaults
    stale = []
    if details.name == PLACEHOLDER_NAME:
        stale.append("name")
    if is_placeholder_phone(details.phone):
        stale.append("phone number")
    if is_placeholder_email(details.notification_email):
        stale.append("notification email")
    if not stale:
        return []
    return [
        Problem(
            f"The clinic's {_join(stale)} {'is' if len(stale) == 1 else 'are'} still the fresh install's "
            + ("example." if len(stale) == 1 else "examples."),
            "admin:practice_clinicdetails_changelist",  # which makes the row if there is none yet
            permission="practice.change_clinicdetails",
            action="Edit the clinic's details",
        )
    ]


def _clinician_problems() -> list[Problem]:
    # While active, the placeholder shows on the team page and in articles' bylines, whoever else exists.
    placeholder = Clinician.objects.filter(is_active=True, is_placeholder=True).first()
    if placeholder is None:
        return []
    return [
        Problem(
            f"The placeholder clinician “{placeholder.display_name}” is still on the site. Give it a real "
            "clinician's name and credentials, or hide it once its articles name a real reviewer.",
            "admin:practice_clinician_change",
            (placeholder.pk,),
            "practice.change_clinician",
            "Edit the placeholder clinician",
        )
    ]


def _price_problems() -> list[Problem]:
    if PriceItem.objects.filter(is_active=True).exists():
        return []
    return [
        Problem(
            "The price list is empty: the costs page shows no prices.",
            "admin:practice_priceitem_add",
            permission="practice.add_priceitem",
            action="Add a price",
        )
    ]


def _location_problems() -> list[Problem]:
    has_hours = Exists(OpeningHours.objects.filter(location=OuterRef("pk")))
    problems = []
    locations = Location.objects.filter(is_active=True).only("pk", "name", "street_address", "phone")
    for location in locations.annotate(has_hours=has_hours):
        stale = []
        if getattr(location, "street_address", "") == PLACEHOLDER_ADDRESS:
            stale.append("its address is still the fresh install's example")
        if is_placeholder_phone(getattr(location, "phone", "")):
            stale.append("its phone number is an example")
        if not location.has_hours:
            stale.append("it has no opening hours")
        if stale:
            problems.append(
                Problem(
                    f"Location “{location}”: {_join(stale)}.",
                    "admin:practice_location_change",
                    (location.pk,),
                    "practice.change_location",
                    f"Edit “{location}”",
                )
            )
    return problems


def go_live_problems() -> list[Problem]:
    """What still needs fixing before patients see the site, in the order to fix it."""
    return _details_problems() + _clinician_problems() + _price_problems() + _location_problems()
