"""WSGI entry point (gunicorn clinic_site.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django_application = get_wsgi_application()

from web.middleware import guard_charset  # noqa: E402 - needs the settings above

application = guard_charset(django_application)
