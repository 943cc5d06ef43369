"""The clinic's own facts: contact details now; the team, prices and locations as they come."""

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Clinic details"

    def ready(self):
        from web.page_cache import watch

        watch(self.get_model("ClinicDetails"), self.get_model("Clinician"))  # footers, bylines, team pages
