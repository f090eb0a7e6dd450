# NCM Portal. `make run` starts the portal on the embedded defaults; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The embedded mode: SQLite under var/, Celery tasks in-process, e-mail as files under var/mail/.
RUN_ENV := DJANGO_DEBUG=1

.PHONY: run test lint format messages worker beat bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "NCM Portal needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var/mail
	test -f .env || printf '# Local settings for this checkout (see README).\nDJANGO_DEBUG=1\n' > .env
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py send_reminders  # no beat here: send what is due now
	@echo "NCM Portal: http://127.0.0.1:8000  (demo accounts in README.md; e-mail lands in var/mail/)"
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) lint
	$(RUN_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the translation catalogues after changing strings, then translate and compile.
messages: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l fr -l ru -l es -l ar -l zh_Hans --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

# With REDIS_URL set: a Celery worker and the beat scheduler, as in docker-compose.yml.
worker: $(STAMP)
	$(BIN)/celery -A ncm_portal worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A ncm_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

# Benchmarks print a table and, last, one JSON line of figures (see bench/).
bench: $(STAMP)
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/reports.py
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/python bench/ingest.py --rows 1000000; \
	else echo "bench/ingest.py compares with psql \\copy: set DATABASE_URL to a PostgreSQL server"; fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .import_linter_cache
