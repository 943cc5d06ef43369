import os, sys, time
sys.path.insert(0, ".")
os.environ["DJANGO_SETTINGS_MODULE"] = "clinic_site.settings"
import django
django.setup()
import logging
logging.disable(logging.INFO)
from django.db.backends import utils
from django.db.models.sql import compiler
from django.template.backends.django import Template
from django.test import Client
from articles import views
acc = {"tpl": 0.0, "sqlexec": 0.0, "compile": 0.0, "view": 0.0, "nsql": 0}
def wrap(obj, name, key):
    orig = getattr(obj, name)
    def w(*a, **k):
        t = time.perf_counter()
        try:
            return orig(*a, **k)
        finally:
            acc[key] += time.perf_counter() - t
            if key == "sqlexec":
                acc["nsql"] += 1
    setattr(obj, name, w)
wrap(Template, "render", "tpl"); wrap(utils.CursorWrapper, "_execute", "sqlexec"); wrap(compiler.SQLCompiler, "as_sql", "compile")
wrap(views.ArticleDetailView, "get", "view")
c = Client(HTTP_HOST="127.0.0.1")
for _ in range(30): c.get("/articles/what-to-expect/")
for k in acc: acc[k] = 0
N = 300
t = time.perf_counter()
for _ in range(N):
    c.cookies.clear(); c.get("/articles/what-to-expect/")
print("total", (time.perf_counter() - t) / N * 1000)
for k, v in acc.items(): print(k, v / N * (1000 if k != "nsql" else 1))
