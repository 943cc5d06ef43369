"""A short reference for every request (existing ones get one too), who a request is for, the
"sent very fast" flag, and email or phone optional (the chosen way of contact needs only its own)."""

import secrets

import phonenumber_field.modelfields
from django.db import migrations, models

import consultations.models

# As consultations.models.new_reference at the time of writing: migrations keep their own copy.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def give_references(apps, schema_editor):
    ConsultationRequest = apps.get_model("consultations", "ConsultationRequest")
    HistoricalConsultationRequest = apps.get_model("consultations", "HistoricalConsultationRequest")
    used = set()
    for consultation in ConsultationRequest.objects.filter(reference__isnull=True).only("pk"):
        reference = None
        while reference is None or reference in used:
            reference = "KC-" + "".join(secrets.choice(ALPHABET) for _ in range(4))
        used.add(reference)
        ConsultationRequest.objects.filter(pk=consultation.pk).update(reference=reference)
        HistoricalConsultationRequest.objects.filter(id=consultation.pk).update(reference=reference)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0002_consultationrequest_form_nonce_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultationrequest",
            name="reference",
            field=models.CharField(editable=False, max_length=10, null=True),
        ),
        migrations.AddField(
            model_name="historicalconsultationrequest",
            name="reference",
            field=models.CharField(editable=False, max_length=10, null=True),
        ),
        migrations.RunPython(give_references, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="consultationrequest",
            name="reference",
            field=models.CharField(
                default=consultations.models.new_reference,
                editable=False,
                help_text="The short reference the visitor was given, e.g. KC-7Q4M.",
                max_length=10,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalconsultationrequest",
            name="reference",
            field=models.CharField(
                db_index=True,
                default=consultations.models.new_reference,
                editable=False,
                help_text="The short reference the visitor was given, e.g. KC-7Q4M.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="sent_very_fast",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Sent sooner after the form opened than a person usually types (browser autofill does this, and so do some bots). Saved all the same: check it before acting on it.",
            ),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="who_for",
            field=models.CharField(
                choices=[("self", "Me"), ("someone_else", "Someone I care about")],
                default="self",
                max_length=20,
                verbose_name="who it is for",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsultationrequest",
            name="sent_very_fast",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Sent sooner after the form opened than a person usually types (browser autofill does this, and so do some bots). Saved all the same: check it before acting on it.",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsultationrequest",
            name="who_for",
            field=models.CharField(
                choices=[("self", "Me"), ("someone_else", "Someone I care about")],
                default="self",
                max_length=20,
                verbose_name="who it is for",
            ),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name="consultationrequest",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=40, region=None),
        ),
        migrations.AlterField(
            model_name="historicalconsultationrequest",
            name="email",
            field=models.EmailField(blank=True, max_length=254),
        ),
        migrations.AlterField(
            model_name="historicalconsultationrequest",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(blank=True, max_length=40, region=None),
        ),
    ]
