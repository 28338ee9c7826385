# Two commands for a newcomer: `make run` (service with demo data on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_MEMBERS ?= 1000
# `make run` has no SMS gateway nor mail server: SMS (PINs) go to $(DEMO_OUTBOX)/sms.txt, mail to $(DEMO_OUTBOX)/mail/.
DEMO_OUTBOX ?= $(CURDIR)/data/outbox

.PHONY: run test bench lint venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/saldo migrate --no-input
	$(BIN)/saldo seed --members $(DEMO_MEMBERS) --if-empty
	$(BIN)/saldo collectstatic --no-input --verbosity 0
	SALDO_DEMO_OUTBOX=$(DEMO_OUTBOX) $(BIN)/gunicorn saldo.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/saldo bench
	$(BIN)/saldo bench-sms

lint: $(STAMP)
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) data/*.sqlite3*
