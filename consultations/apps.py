"""Consultation requests: a visitor asks the clinic to contact them; staff follow up."""

from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
