# Newsroom: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)

.PHONY: install run test test-fast lint lock serve security audit

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Setup holds a lock (two `make run` at once take turns) and keeps the demo editor's
# password in .demo-editor-password (git-ignored), printed on every run.
run: install
	$(BIN)/python manage.py prepare_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	@# The API's absolute links (url, api_url, Location) follow the port served on,
	@# unless NEWSROOM_SITE_URL says otherwise; production requires it explicitly.
	NEWSROOM_SITE_URL="$${NEWSROOM_SITE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Production settings with placeholder values: the deploy checks must pass as shipped.
DEPLOY_CHECK_ENV := DJANGO_SETTINGS_MODULE=newsroom.settings.production \
	DJANGO_SECRET_KEY=ci-deploy-check-placeholder-not-a-secret-0123456789abcdef \
	DJANGO_ALLOWED_HOSTS=news.example.org NEWSROOM_SITE_URL=https://news.example.org

# Static security analysis: any high-severity finding fails `make test`.
security: install
	$(BIN)/bandit -q -c pyproject.toml -r . --severity-level high

# Known-vulnerability audit of the pinned dependencies. It needs the PyPI advisory service
# (pypi.org/osv.dev), which CI machines here cannot reach, so it is NOT part of `make test`:
# run it where the network allows (a developer machine, before every release).
audit: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1
	$(BIN)/pip-audit --strict --disable-pip --no-deps -r requirements.lock

test: lint security
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py check --fail-level WARNING
	$(DEPLOY_CHECK_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest
	@# Concurrency through the HTTP API needs a real SQLite file (WAL, BEGIN IMMEDIATE).
	if [ -z "$$DATABASE_URL" ]; then \
		rm -f .test-concurrency.sqlite3*; \
		SQLITE_TEST_NAME=.test-concurrency.sqlite3 $(BIN)/python -m pytest tests/api/test_concurrent_writers.py; \
	fi

# While working: everything but the browser and the slow concurrency tests (CI runs all).
test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow"

# Re-pin dependencies after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
