"""The clinic's own details (name, phone, address, hours), editable in admin."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic details"
