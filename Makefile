# Everything a developer or CI needs: `make run` serves the site, `make test` proves it.
UV ?= uv
export UV_PYTHON_DOWNLOADS ?= never
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
DEV_ENV = DJANGO_DEBUG=1

.PHONY: sync run migrate content superuser test test-sqlite test-pg test-fast check worker

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

## Run the background worker that sends queued emails (production-style settings)
worker: sync
	$(UV) run python manage.py db_worker
