"""Background tasks: queueing without failing the request, and recovering tasks a killed worker left."""

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background tasks"
