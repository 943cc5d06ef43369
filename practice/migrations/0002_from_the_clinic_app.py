"""Bring the clinic's details across from the old `clinic` app (split up in November 2026).

On a database that ran the old app, its row is copied to this app's table, staff and groups that
could view or change it keep those permissions here, and the old tables are dropped (the page
cache's version and the fallback rate-limit counts start afresh in the `web` app). On a new
database there is nothing to do.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OLD_TABLES = ("clinic_clinicdetails", "clinic_pageversion", "clinic_ratelimitcount")
FIELDS = ("id", "name", "phone", "street_address", "locality", "hours", "notification_email", "updated_at")


def move_from_clinic_app(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    if "clinic_clinicdetails" not in existing:
        return
    quote = schema_editor.quote_name
    columns = ", ".join(quote(name) for name in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {quote('clinic_clinicdetails')}")
        rows = cursor.fetchall()
    ClinicDetails = apps.get_model("practice", "ClinicDetails")
    ClinicDetails.objects.bulk_create([ClinicDetails(**dict(zip(FIELDS, row, strict=True))) for row in rows])

    app_config = apps.get_app_config("practice")
    models_module = getattr(app_config, "models_module", None)  # a migration's app registry lacks it
    app_config.models_module = True  # create_permissions skips apps without models
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Permission = apps.get_model("auth", "Permission")
    for action in ("add", "change", "delete", "view"):
        codename = f"{action}_clinicdetails"
        old = Permission.objects.filter(content_type__app_label="clinic", codename=codename).first()
        new = Permission.objects.filter(content_type__app_label="practice", codename=codename).first()
        if old is None or new is None:
            continue
        for group in old.group_set.all():
            group.permissions.add(new)
        for user in old.user_set.all():
            user.user_permissions.add(new)

    for table in OLD_TABLES:
        if table in existing:
            schema_editor.execute(f"DROP TABLE {quote(table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_from_clinic_app, migrations.RunPython.noop)]
