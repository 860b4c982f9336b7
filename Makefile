# Everyday commands. `make run` and `make test` work on a fresh clone with only Python 3.11.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint format install messages migrations-check reset-passwords bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Cần Python 3.11 ($(PYTHON)) / Python 3.11 is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Run the portal: SQLite, demo content, a django-q2 worker; prints the admin URL and logins.
run: install messages
	bin/run-dev

## Run the whole test suite (SQLite by default, PostgreSQL when DATABASE_URL is set).
test: install messages
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Compile the committed .po files (pure Python: no gettext needed on the machine).
messages: install
	$(PY) manage.py compile_translations

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

reset-passwords: install
	$(PY) manage.py seed_demo --reset-passwords

bench: install
	bench/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .cache
