"""The access log for health data: who opened, changed or exported which records, and when."""

from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "accesslog"
    verbose_name = "Access log"
