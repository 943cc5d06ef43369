"""WSGI entry point (gunicorn clinic_site.wsgi): Django behind the layers in web/wsgi.py."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
django_application = get_wsgi_application()

from web.wsgi import in_front_of_django  # noqa: E402 - needs the settings above

application = in_front_of_django(django_application)
