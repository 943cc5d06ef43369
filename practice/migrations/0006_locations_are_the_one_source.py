"""Locations become the one source of the clinic's addresses and opening hours.

Their Markdown (directions, parking, public transport, building access) is stored rendered, as
articles' is. The address, locality and hours leave the clinic's details. Before they go: the first
location (made by 0005 from the details) takes the details' address if staff changed it since,
which they could only do there (locations had no admin page until now). The free-text hours
cannot be read back into opening periods; 0005 gave the location the fresh install's hours, which
staff check in admin (the go-live checklist flags a location without hours).

Going back: the details take the first active location's address, and its hours as text.
"""

from django.db import migrations, models

from articles.markdown import render_markdown

MARKDOWN_FIELDS = ("directions", "parking", "public_transport", "accessibility")


def forwards(apps, schema_editor):
    ClinicDetails = apps.get_model("practice", "ClinicDetails")
    Location = apps.get_model("practice", "Location")
    HistoricalLocation = apps.get_model("practice", "HistoricalLocation")
    details = ClinicDetails.objects.filter(pk=1).first()
    first = Location.objects.filter(slug="clinic").first()
    untouched = first is not None and not HistoricalLocation.objects.filter(id=first.pk).exists()
    if details is not None and untouched:
        first.street_address, first.locality = details.street_address, details.locality
        first.save(update_fields=["street_address", "locality"])
    for location in Location.objects.all():
        for name in MARKDOWN_FIELDS:
            text = getattr(location, name)
            setattr(location, f"{name}_html", render_markdown(text).html if text.strip() else "")
        location.save(update_fields=[f"{name}_html" for name in MARKDOWN_FIELDS])


def backwards(apps, schema_editor):
    from practice.models import group_opening_hours  # a pure function of (weekday, opens, closes)

    ClinicDetails = apps.get_model("practice", "ClinicDetails")
    Location = apps.get_model("practice", "Location")
    details = ClinicDetails.objects.filter(pk=1).first()
    location = Location.objects.filter(is_active=True).order_by("order", "name").first()
    if details is None or location is None:
        return
    details.street_address, details.locality = location.street_address, location.locality
    lines = group_opening_hours(location.opening_hours.all())
    details.hours = "\n".join(f"{line.days}, {line.hours}" for line in lines if line.is_open) or details.hours
    details.save(update_fields=["street_address", "locality", "hours"])


class Migration(migrations.Migration):
    dependencies = [("practice", "0005_first_location_and_cost_sections")]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name, name=f"{name}_html", field=models.TextField(default="", editable=False)
            )
            for model_name in ("location", "historicallocation")
            for name in MARKDOWN_FIELDS
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="clinicdetails", name="hours"),
        migrations.RemoveField(model_name="clinicdetails", name="locality"),
        migrations.RemoveField(model_name="clinicdetails", name="street_address"),
        migrations.AlterField(
            model_name="clinicdetails",
            name="phone",
            field=models.CharField(
                default="(555) 010-0199",
                help_text="Shown in every page's header and on contact pages. Addresses and opening hours are "
                "edited under Locations.",
                max_length=40,
                verbose_name="main phone number",
            ),
        ),
        *(
            operation
            for model_name in ("openinghours", "historicalopeninghours")
            for operation in (
                migrations.AlterField(
                    model_name=model_name, name="opens", field=models.TimeField(help_text="For example 08:00.")
                ),
                migrations.AlterField(
                    model_name=model_name,
                    name="closes",
                    field=models.TimeField(help_text="For example 17:00 for 5 pm."),
                ),
            )
        ),
        migrations.AddConstraint(
            model_name="openinghours",
            constraint=models.CheckConstraint(
                condition=models.Q(("closes__gt", models.F("opens"))),
                name="practice_openinghours_closes_after_opens",
                violation_error_message="The closing time must be later than the opening time.",
            ),
        ),
    ]
