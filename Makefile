# Apex: `make run` serves the app with demo data; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

# Local development defaults; production sets these in its environment.
export DEBUG ?= 1

.PHONY: run test lint format check backup restore

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# `make run HOST=0.0.0.0` serves to other devices on the network (see README).
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	@echo "Serving Apex on http://$(HOST):$(PORT) (demo login: demo / apex-demo-2026)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite on SQLite with a coverage report of the product code, then
# again on PostgreSQL when TEST_DATABASE_URL is set. Under CI=true the
# PostgreSQL pass is required: unset or unreachable fails the run.
# Tests run in parallel, one worker per core (pytest-xdist; each worker has
# its own test database); `make test PARALLEL=` runs them in one process.
# Groups go to workers in the order pytest-django sorted the tests (xdist's
# default sends the largest groups first): a group with a transactional test
# sent first would flush a worker's database, and the rows the data
# migrations loaded (the advisor's rules, the starter theory), before that
# worker's ordinary tests ran.
PARALLEL ?= -n auto --dist loadgroup --no-loadscope-reorder
# Byte-code is written even where the environment says not to: each worker
# and each pass would otherwise compile the project and rewrite every test
# module's asserts again (collection takes 10 s instead of 5).
unexport PYTHONDONTWRITEBYTECODE
# The Nu HTML checker for apex/tests/test_html_valid.py (Java runs it).
VNU_JAR := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR): tools/vnu/package.json tools/vnu/package-lock.json
	npm install --prefix tools/vnu --no-audit --no-fund --silent
	touch $@
test: $(STAMP) $(VNU_JAR)
	env -u DATABASE_URL $(PY) -m pytest $(PARALLEL) --cov
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(PY) -c 'import os, socket, urllib.parse as up; u = up.urlsplit(os.environ["TEST_DATABASE_URL"]); socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), timeout=10).close()' 2>/dev/null \
			|| { echo "PostgreSQL at $$TEST_DATABASE_URL is not reachable: the PostgreSQL run cannot be skipped." >&2; exit 1; }; \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(PY) -m pytest $(PARALLEL); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required." >&2; exit 1; \
	fi

# ruff, then mypy with django-stubs (configured in pyproject.toml; it loads
# apex.settings, so DEBUG must be on or SECRET_KEY set).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP)
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Backups (see README): `make backup` writes backups/apex-<UTC time>.dump on
# PostgreSQL or .sqlite3 on SQLite (OUTPUT=file to choose); `make restore
# BACKUP=file` replaces the database with that backup after asking (NOINPUT=1:
# without asking, e.g. from a script).
backup: $(STAMP)
	$(PY) manage.py backup_db $(if $(OUTPUT),--output "$(OUTPUT)")

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/apex-<time>.dump" >&2; exit 1; }
	$(PY) manage.py restore_db "$(BACKUP)" $(if $(NOINPUT),--noinput)
