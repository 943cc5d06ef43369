# Everything a developer or CI needs: `make run` serves the site, `make test` proves it.
# uv if it runs (a pyenv shim may exist without it), else python3's module: `make sync` pip-installs
# it there, and pip may put the `uv` script in a directory that is not on PATH.
UV ?= $(if $(shell uv --version 2>/dev/null),uv,python3 -m uv)
export UV_PYTHON_DOWNLOADS ?= never
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
REDIS_HOST ?= 127.0.0.1
REDIS_PORT ?= 6379
PG_URL ?= postgres://postgres@$(PG_HOST):$(PG_PORT)/test
REDIS_TEST_URL ?= redis://$(REDIS_HOST):$(REDIS_PORT)/15
# Passed to every pytest run, e.g. `make test PYTEST_ARGS=tests/test_settings.py`.
PYTEST_ARGS ?=
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

# Every target that uses uv depends on sync, so a fresh machine gets uv here.
sync:
	@$(UV) --version >/dev/null 2>&1 || { echo "No uv here: installing it with python3 -m pip."; \
		python3 -m pip install --quiet --disable-pip-version-check uv; }
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

# Shell: succeeds when PostgreSQL and Redis answer, else says which does not and how to run that lane.
# A fresh machine may not have pg_isready yet, so a TCP connect stands in for it.
port_open = python3 -c 'import socket; socket.create_connection(("$(1)", $(2)), 2)' 2>/dev/null
pg_ready = $(if $(shell command -v pg_isready 2>/dev/null),pg_isready -q -h $(PG_HOST) -p $(PG_PORT),$(call port_open,$(PG_HOST),$(PG_PORT)))
services_up = down=; \
	$(pg_ready) || down="no PostgreSQL on $(PG_HOST):$(PG_PORT)"; \
	$(call port_open,$(REDIS_HOST),$(REDIS_PORT)) || down="$${down:+$$down and }no Redis on $(REDIS_HOST):$(REDIS_PORT)"; \
	[ -z "$$down" ] || { echo "PostgreSQL lane NOT run: $$down. Start PostgreSQL and Redis, then run \`make test-pg\`." >&2; false; }

## The whole suite on SQLite, then on PostgreSQL with Redis (browser tests included).
## Without PostgreSQL or Redis it says the second lane was NOT run and passes, except under CI=true.
test: check test-sqlite
	@if ( $(services_up) ); then $(MAKE) --no-print-directory test-pg; \
	else case "$(CI)" in ""|0|false) ;; *) exit 1;; esac; fi

test-sqlite: sync
	$(UV) run pytest $(PYTEST_ARGS)

# Asked for by name, so a missing service is a failure here, CI or not.
test-pg: sync
	@$(services_up)
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(UV) run pytest $(PYTEST_ARGS)

test-fast: sync
	$(UV) run pytest -m "not browser" $(PYTEST_ARGS)

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
