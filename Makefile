# Everything a developer or CI needs: `make run` serves the site, `make test` proves it.
UV ?= uv
export UV_PYTHON_DOWNLOADS ?= never
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
DEV_ENV = DJANGO_DEBUG=1
PROD_DB ?= clinic
PROD_PORT ?= 8000
# Production settings on this machine: PostgreSQL and Redis on 127.0.0.1, plain HTTP on loopback.
PROD_SECRET := $(shell test -f .prod-secret-key || python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > .prod-secret-key; cat .prod-secret-key)
prod prod-setup bench: export DJANGO_SECRET_KEY = $(PROD_SECRET)
prod prod-setup bench: export DJANGO_ALLOWED_HOSTS = 127.0.0.1,localhost
prod prod-setup bench: export DATABASE_URL = postgres://postgres@127.0.0.1:5432/$(PROD_DB)
prod prod-setup bench: export REDIS_URL = redis://127.0.0.1:6379/1
prod prod-setup bench: export DJANGO_SECURE_SSL_REDIRECT = 0
prod prod-setup bench: export CLINIC_SITE_URL = http://127.0.0.1:$(PROD_PORT)
prod prod-setup bench: export GUNICORN_BIND = 127.0.0.1:$(PROD_PORT)

.PHONY: sync run migrate content superuser test test-sqlite test-pg test-fast check worker prod prod-setup bench

sync:
	$(UV) sync --locked

migrate: sync
	$(DEV_ENV) $(UV) run python manage.py migrate --no-input

content: migrate
	$(DEV_ENV) $(UV) run python manage.py sync_content

## Install, migrate, load content/ and serve on http://127.0.0.1:8000
run: content
	$(DEV_ENV) $(UV) run python manage.py runserver 127.0.0.1:8000

## Create a staff account for Django admin (asks for a password)
superuser: migrate
	$(DEV_ENV) $(UV) run python manage.py createsuperuser

check: sync
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(DEV_ENV) $(UV) run python manage.py check
	$(DEV_ENV) $(UV) run python manage.py makemigrations --check --dry-run

## The whole suite on SQLite, then on PostgreSQL with Redis (browser tests included)
test: check test-sqlite test-pg

test-sqlite: sync
	$(UV) run pytest

test-pg: sync
	pg_isready -h 127.0.0.1 -p 5432
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(UV) run pytest

test-fast: sync
	$(UV) run pytest -m "not browser"

## Run the background worker that sends queued emails (with the production environment set)
worker: sync
	$(UV) run python manage.py db_worker

## Production configuration on 127.0.0.1: gunicorn + PostgreSQL + Redis, hashed compressed static files
prod: prod-setup
	$(UV) run gunicorn clinic_site.wsgi

prod-setup: sync
	pg_isready -h 127.0.0.1 -p 5432
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$(PROD_DB)'" | grep -q 1 || \
	  psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE $(PROD_DB)"
	$(UV) run python manage.py migrate --no-input -v0
	$(UV) run python manage.py collectstatic --no-input -v0
	$(UV) run python manage.py sync_content

## Measure the production configuration (wrk, chromium, lighthouse); exits non-zero on a missed budget
bench: prod-setup
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(UV) run python bench/run.py
