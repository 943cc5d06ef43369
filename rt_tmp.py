import os, sys, time, statistics
sys.path.insert(0, ".")
os.environ["DJANGO_SETTINGS_MODULE"] = "clinic_site.settings"
import django
django.setup()
import logging
logging.disable(logging.INFO)
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from practice.context_processors import clinic
c = Client(HTTP_HOST="127.0.0.1")
for _ in range(30): c.get("/articles/what-to-expect/")
rf = RequestFactory(HTTP_HOST="127.0.0.1")
req = rf.get("/articles/what-to-expect/")
def t(fn, n=300):
    for _ in range(20): fn()
    s = time.perf_counter()
    for _ in range(n): fn()
    return (time.perf_counter() - s) / n * 1000
print("request", t(lambda: (c.cookies.clear(), c.get("/articles/what-to-expect/"))))
print("footer", t(lambda: render_to_string("includes/footer.html", request=req)))
print("header", t(lambda: render_to_string("includes/header.html", request=req)))
print("crisis", t(lambda: render_to_string("includes/crisis_bar.html", request=req)))
from practice.models import Location
print("load_active", t(lambda: Location.load_active()) if hasattr(Location, "load_active") else None)
