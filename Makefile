# Two commands on a fresh machine:
#   make run   install everything, migrate SQLite, load demo data, serve :8000
#              with the task worker (email, reminders) beside the server
#   make test  install everything (Chromium too), run checks and the test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?= -n 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install browser pdf-libs checks test-sqlite test-postgres lint format clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed pdf-libs

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py db_worker & trap "kill $$! 2>/dev/null" EXIT; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM)."; \
	    echo "Install it with: sudo apt-get install chromium"; \
	    echo "(or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

# Certificates are rendered with WeasyPrint, which needs Pango and the DejaVu
# fonts the certificate template names (Debian packages).
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
pdf-libs:
	@if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
	    || [ ! -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Pango and the DejaVu fonts for certificate PDFs..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; \
	  else \
	    echo "Certificate PDFs need Pango and the DejaVu fonts."; \
	    echo "Install them with: sudo apt-get install $(PDF_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

checks: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL= $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.production \
	  DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  DJANGO_ALLOWED_HOSTS=training.example.org \
	  OPEN_BADGES_ISSUER_KEY=$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n') \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
	  $(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: install browser
	DATABASE_URL= CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest $(PYTEST_ARGS)

test-postgres: install browser
	@test -n "$(DATABASE_URL)" || { echo "Set DATABASE_URL to a PostgreSQL URL."; exit 1; }
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest $(PYTEST_ARGS)

# The suite on SQLite, then again on PostgreSQL when DATABASE_URL is set.
# SKIP_SQLITE=1 runs only the PostgreSQL pass (CI has just run SQLite).
test: checks
	@if [ "$(SKIP_SQLITE)" != "1" ]; then $(MAKE) --no-print-directory test-sqlite; fi
	@if [ -n "$(DATABASE_URL)" ]; then $(MAKE) --no-print-directory test-postgres; fi

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
