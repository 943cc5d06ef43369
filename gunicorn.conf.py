"""gunicorn settings for production (`make prod`, or `gunicorn clinic_site.wsgi` in this folder).

Each worker is a separate process sharing nothing but PostgreSQL and Redis, so several app
servers can run behind one load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads keep connections alive (sync workers close each one), so a slow phone on a keep-alive
# connection never holds a whole process, and a burst does not queue behind reconnects.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load Django once and fork: a recycled worker is back in milliseconds, not seconds.
preload_app = True
# Recycling workers every N requests is off: each recycle stalls a busy server for a moment, and
# `make bench` shows steady memory. Set GUNICORN_MAX_REQUESTS to turn it on.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Our own access log (clinic.access) has a request id and no query strings; gunicorn's would.
accesslog = None
errorlog = "-"
# Only trust X-Forwarded-* from these addresses (the load balancer or proxy).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "clinic-site"
