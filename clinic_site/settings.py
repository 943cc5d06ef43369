"""Settings for the clinic site: one module, driven by environment variables.

DEBUG is off unless DJANGO_DEBUG=1 (which `make run` sets). With DEBUG on, everything falls back to
safe local defaults; with it off, the secret key and allowed hosts must come from the environment.
"""

import logging
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# 1. Django core settings

DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DEBUG is off (set DJANGO_DEBUG=1 for local work)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_FAILURE_VIEW = "pages.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked" under concurrency.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# A form post is a few kilobytes: a larger body (files included) is refused with a 413 before it is
# read, and multipart bodies with a 415 (web/middleware.py RequestGuardMiddleware): no form here
# takes files, and no upload handler is left to spool one to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FILE_UPLOAD_HANDLERS = []

CACHES = {
    "default": (
        {"BACKEND": "web.redis_cache.ReusingRedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

INSTALLED_APPS = [
    "staff.apps.StaffAdminConfig",  # django.contrib.admin with two-factor sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_static",  # one-time recovery codes, given at enrolment
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "phonenumber_field",
    "simple_history",
    # Shared parts, which import no capability app:
    "web",  # HTTP plumbing: page cache, middleware, rate limits, cache client, error pages
    "staff",  # staff sign-in: two-factor admin site, enrolment, CSV downloads
    "practice",  # the clinic's own facts: contact details
    "background",  # queueing background tasks, recovering those a killed worker left
    "accesslog",  # who opened, changed or exported health data
    # Capability apps:
    "articles",
    "consultations",
    "newsletter",
    "pages",
    "search",  # site search
    "discovery",  # sitemap, robots.txt, feed, structured data, link previews
    "precheck",  # the private "is it right for me?" pre-check
    "dashboard",  # admin's home page: requests, reviews, newsletter, go-live checklist
]

LANGUAGE_CODE = "en-us"

# One access line per request: skip what no log format here shows (Python's logging HOWTO,
# "Optimization"), a tenth of the cost of a page served from the page cache. gunicorn's own
# lines show the process id, so that stays.
logging.logThreads = logging.logMultiprocessing = logging.logAsyncioTasks = False
logging._srcfile = None  # no caller lookup: the format has no file, line or function
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Newsletter links carry tokens: every path logged shows <token> instead.
    "filters": {"secret_paths": {"()": "web.middleware.RedactSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["secret_paths"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Our access log replaces the server's, which would include query strings.
    # Scanners send other Host headers all day: the access log's 400 says enough, without a traceback.
    "loggers": {"django.server": {"level": "WARNING"}, "django.security.DisallowedHost": {"level": "CRITICAL"}},
}

# Django 6.1's MAILERS: the console in DEBUG, SMTP (configured from the environment) otherwise.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG and not os.environ.get("EMAIL_HOST")
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
    )
}

# In front of all of these, before Django runs: the page cache, compression and the charset guard
# (web/wsgi.py). A page the page cache stores keeps every header the middleware below added.
MIDDLEWARE = [
    # Outermost, so its timing and request id cover everything below.
    "web.middleware.RequestLogMiddleware",
    # Refuses bodies no page accepts (charset, size, files) before anything reads them.
    "web.middleware.RequestGuardMiddleware",
    # Header-only middleware above whitenoise, so static files and pages get the same headers.
    "web.middleware.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # whitenoise must come straight after SecurityMiddleware, before anything that touches the session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "web.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic_site.urls"

# Every byte comes from this site: no inline script or style, no third party, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload asks browsers to never use plain HTTP for the domain; DJANGO_HSTS_PRELOAD=0 opts out.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
# Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=1 so Django trusts
# X-Forwarded-Proto (only if the proxy always overwrites that header).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER") else None
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # load balancers often check over plain HTTP
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)

# Only staff have sessions. They end after 30 minutes without activity, and with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # and, by default, the cached loader: each template is parsed once per process
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "practice.context_processors.clinic",
            ],
        },
    },
]

TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

WSGI_APPLICATION = "clinic_site.wsgi.application"
X_FRAME_OPTIONS = "DENY"

# 2. Django contrib settings

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins before checking
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Messages live in a signed cookie only when there is a message to show, so reading pages never
# touch the session and never set a cookie.
MESSAGE_COOKIE_NAME = "messages"
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Background work (emails). DEBUG runs tasks at once, in the request; production stores them in
# the database for a worker: `python manage.py db_worker` (see README, "Running in production").
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "CLINIC_TASKS_BACKEND",
            "django.tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend",
        )
    }
}

# 3. Third-party settings

# django-axes: five wrong passwords for one account from one address lock that pair out for 30
# minutes. Attempts are stored in the database, so the count holds across processes and servers.
AXES_CLIENT_IP_CALLABLE = "web.client_ip.client_ip"  # the visitor, not the proxy (see CLINIC_TRUSTED_PROXY_COUNT)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_RESET_ON_SUCCESS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# How authenticator apps name a staff account: "Clinic admin: nurse" rather than a bare username.
OTP_TOTP_ISSUER = os.environ.get("CLINIC_OTP_ISSUER", "Clinic admin")

PHONENUMBER_DEFAULT_REGION = "US"

# Rate limits count in the cache (Redis in production, so they hold across processes). If the
# cache is down, they count in the database instead (see web/ratelimit.py).
RATELIMIT_FAIL_OPEN = True  # a key that expired between two calls is not a reason to refuse a patient
RATELIMIT_IP_META_KEY = "web.client_ip.client_ip"
RATELIMIT_USE_CACHE = "default"

WHITENOISE_MAX_AGE = 3600
# Files browsers ask for at the site root (/favicon.ico, /apple-touch-icon.png): scripts/make_icons.py.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# 4. Clinic settings

# Behind a proxy or load balancer, how to find the visitor's address (web/client_ip.py), for the
# sign-in lockout and the form limits. Set one, only if the proxy always sets or appends it:
# CLINIC_CLIENT_IP_HEADER names a header the proxy overwrites (X-Real-IP); CLINIC_TRUSTED_PROXY_COUNT
# is how many proxies append to X-Forwarded-For. With neither, forwarded headers are ignored.
CLINIC_CLIENT_IP_HEADER = os.environ.get("CLINIC_CLIENT_IP_HEADER", "")
CLINIC_TRUSTED_PROXY_COUNT = int(os.environ.get("CLINIC_TRUSTED_PROXY_COUNT", "0"))

# Two-factor sign-in for every staff account (staff/admin_site.py). On unless turned off, which only
# local development (DEBUG) does by default.
CLINIC_REQUIRE_2FA = env_bool("CLINIC_REQUIRE_2FA", not DEBUG)
# Seconds a person needs at least to fill in a form; faster posts are asked to send again. A form
# left open longer than the maximum (a day) is also asked to be sent again, keeping what was typed.
CLINIC_FORM_MIN_SECONDS = float(os.environ.get("CLINIC_FORM_MIN_SECONDS", "3"))
CLINIC_FORM_MAX_AGE_SECONDS = int(os.environ.get("CLINIC_FORM_MAX_AGE_SECONDS", str(24 * 3600)))
# Form posts allowed per client address (django-ratelimit syntax).
CLINIC_FORM_RATE = os.environ.get("CLINIC_FORM_RATE", "10/h")
# Newsletter confirmation links expire after this many days; confirmation emails per address.
CLINIC_NEWSLETTER_CONFIRM_DAYS = int(os.environ.get("CLINIC_NEWSLETTER_CONFIRM_DAYS", "7"))
CLINIC_NEWSLETTER_CONFIRM_RATE = os.environ.get("CLINIC_NEWSLETTER_CONFIRM_RATE", "3/h")
# Closed consultation requests are deleted this many days after closing (purge_old_requests).
CLINIC_RETENTION_DAYS = int(os.environ.get("CLINIC_RETENTION_DAYS", "365"))
# The site's public address: links in emails, canonical links, previews, the sitemap, the feed, JSON-LD.
CLINIC_SITE_URL = os.environ.get("CLINIC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# /healthz/ says which part is down only to this machine, or to a caller sending this token in an
# X-Health-Token header; everyone else gets "ok" or "fail".
CLINIC_HEALTHZ_TOKEN = os.environ.get("CLINIC_HEALTHZ_TOKEN", "")

# Where `sync_content` and `export_content` read and write articles.
CLINIC_CONTENT_DIR = Path(os.environ.get("CLINIC_CONTENT_DIR", BASE_DIR / "content"))
