"""The clinic's own facts: contact details now; the team, prices and locations as they come."""

from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Clinic details"

    def ready(self):
        from web.page_cache import watch

        watch(  # footers, bylines, team pages, the costs page, the visit pages
            self.get_model("ClinicDetails"),
            self.get_model("Clinician"),
            self.get_model("PriceItem"),
            self.get_model("CostSection"),
            self.get_model("Location"),
            self.get_model("OpeningHours"),
        )
