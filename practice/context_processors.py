"""Puts the clinic's details in every template's context."""

from django.utils.functional import SimpleLazyObject

from .models import ClinicDetails


def clinic(request):
    return {"clinic": SimpleLazyObject(ClinicDetails.load)}
