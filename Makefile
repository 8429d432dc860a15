# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)

.PHONY: install run test lint lock serve

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_newsroom
	$(BIN)/python manage.py create_demo_editor
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@# The API's absolute links (url, api_url, Location) follow the port served on,
	@# unless NEWSROOM_SITE_URL says otherwise; production requires it explicitly.
	NEWSROOM_SITE_URL="$${NEWSROOM_SITE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
	@# Concurrency through the HTTP API needs a real SQLite file (WAL, BEGIN IMMEDIATE).
	if [ -z "$$DATABASE_URL" ]; then \
		rm -f .test-concurrency.sqlite3*; \
		SQLITE_TEST_NAME=.test-concurrency.sqlite3 $(BIN)/python -m pytest tests/api/test_concurrent_writers.py; \
	fi

# Re-pin dependencies after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
