"""The private pre-check: "could ketamine treatment be right for me?", answered at once, stored nowhere."""

from django.apps import AppConfig


class PrecheckConfig(AppConfig):
    name = "precheck"
