"""The staff dashboard on admin's home page: what needs doing today, at a glance."""

from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "dashboard"
