"""The migration that brings the clinic's details across from the old `clinic` app."""

import importlib
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from practice.models import ClinicDetails

migration = importlib.import_module("practice.migrations.0002_from_the_clinic_app")

OLD_TABLE = """CREATE TABLE clinic_clinicdetails (
    id integer PRIMARY KEY, name varchar(120), phone varchar(40), street_address varchar(200),
    locality varchar(120), hours text, notification_email varchar(254), updated_at timestamp)"""


def tables():
    return set(connection.introspection.table_names())


@contextmanager
def details_table_as_at(state_apps):
    """practice_clinicdetails as that migration state had it (later migrations removed columns)."""
    model = state_apps.get_model("practice", "ClinicDetails")
    editor = connection.schema_editor()  # not entered: SQLite refuses that inside the test's transaction
    editor.deferred_sql = []
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE practice_clinicdetails RENAME TO practice_clinicdetails_now")
    editor.create_model(model)
    try:
        yield model
    finally:
        editor.delete_model(model)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE practice_clinicdetails_now RENAME TO practice_clinicdetails")


@pytest.mark.django_db
def test_the_old_row_and_permissions_come_across_and_the_old_tables_go():
    with connection.cursor() as cursor:
        cursor.execute(OLD_TABLE)
        cursor.execute("CREATE TABLE clinic_pageversion (id integer PRIMARY KEY)")
        cursor.execute(
            "INSERT INTO clinic_clinicdetails VALUES (1, 'Lakeside Care', '(555) 123-4567', '1 Lake Road', "
            "'Springfield, IL 62701', 'Mondays, 9 to 5', 'desk@lakeside.example', '2026-11-01 09:00:00')"
        )
    old_type, _ = ContentType.objects.get_or_create(app_label="clinic", model="clinicdetails")
    old_change = Permission.objects.create(content_type=old_type, codename="change_clinicdetails", name="Can change")
    old_view = Permission.objects.create(content_type=old_type, codename="view_clinicdetails", name="Can view")
    desk = Group.objects.create(name="front desk")
    desk.permissions.add(old_change)
    manager = User.objects.create_user("manager", is_staff=True)
    manager.user_permissions.add(old_view)

    # As `migrate` runs it: with the app registry (and the table) of the migration state, not the live ones.
    state_apps = MigrationExecutor(connection).loader.project_state(("practice", "0002_from_the_clinic_app")).apps
    with details_table_as_at(state_apps) as details_then:
        migration.move_from_clinic_app(state_apps, connection.schema_editor())
        details = details_then.objects.get()
    assert (details.name, details.phone, details.street_address, details.notification_email) == (
        "Lakeside Care",
        "(555) 123-4567",
        "1 Lake Road",
        "desk@lakeside.example",
    )
    assert desk.permissions.filter(content_type__app_label="practice", codename="change_clinicdetails").exists()
    assert manager.user_permissions.filter(content_type__app_label="practice", codename="view_clinicdetails").exists()
    assert not {"clinic_clinicdetails", "clinic_pageversion"} & tables()
    assert apps.get_app_config("practice").models_module is not None  # the live registry is left as it was


@pytest.mark.django_db
def test_a_new_database_has_nothing_to_bring_across():
    migration.move_from_clinic_app(apps, connection.schema_editor())
    assert not ClinicDetails.objects.exists()
