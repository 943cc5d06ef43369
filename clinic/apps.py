"""The clinic's own details (name, phone, address, hours), editable in admin."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic details"

    def ready(self):
        from .caching import invalidate_pages_when_saved

        invalidate_pages_when_saved(self.get_model("ClinicDetails"))  # every footer shows them
