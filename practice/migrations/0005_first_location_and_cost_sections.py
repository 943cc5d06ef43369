"""A fresh install's location (from the clinic's details, with the hours they described) and the
costs page's sections, in our own words, for staff to adjust."""

import datetime as dt

from django.db import migrations

HOURS = [(day, dt.time(8), dt.time(17)) for day in range(5)] + [(5, dt.time(9), dt.time(13))]
SECTIONS = [
    (
        "insurance",
        "Insurance",
        "Most health insurance plans do not pay for ketamine infusions for depression. This use of ketamine "
        "is off-label, which means the FDA has not approved it for depression.\n\n"
        "Spravato (esketamine nasal spray) is approved by the FDA for depression that has not improved with "
        "other treatment. Many plans cover it, often after your doctor asks them first (prior authorization).\n\n"
        "Some plans pay for parts of your care, such as visits with a psychiatrist. Call your insurer before "
        "you start and ask what they will pay for.",
    ),
    (
        "hsa-and-fsa",
        "HSA and FSA",
        "You may be able to pay from a health savings account (HSA) or a flexible spending account (FSA). "
        "Check with your plan or the company that runs your account.",
    ),
    (
        "superbills",
        "Superbills",
        "If you pay us yourself, we can give you a superbill. This is a detailed receipt you can send to your "
        "insurer to ask for money back as an out-of-network claim. We cannot promise that your insurer will pay.",
    ),
    (
        "payment-plans",
        "Payment plans",
        "Ask us about paying for a treatment series in parts. We explain any plan in writing before you agree.",
    ),
    (
        "cancellations",
        "Cancellations",
        "If you need to cancel or move a session, please tell us at least 24 hours before. Then we can offer "
        "the time to someone else. If something comes up at the last minute, call us and we will talk it through.",
    ),
]


def forwards(apps, schema_editor):
    ClinicDetails = apps.get_model("practice", "ClinicDetails")
    Location = apps.get_model("practice", "Location")
    OpeningHours = apps.get_model("practice", "OpeningHours")
    CostSection = apps.get_model("practice", "CostSection")
    if not Location.objects.exists():
        details = ClinicDetails.objects.filter(pk=1).first()
        location = Location.objects.create(
            name="Our clinic",
            slug="clinic",
            street_address=details.street_address if details else "100 Main Street, Suite 200",
            locality=details.locality if details else "Springfield, IL 62701",
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=day, opens=opens, closes=closes) for day, opens, closes in HOURS
        )
    # A migration's models have no save() to render Markdown: these bodies are plain paragraphs.
    for order, (slug, title, body) in enumerate(SECTIONS):
        html = "".join(f"<p>{paragraph}</p>" for paragraph in body.split("\n\n"))
        CostSection.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "body_html": html, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("practice", "0004_prices_sections_locations")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
