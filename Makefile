# Youth Portal: `make run` serves the app with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app youth_portal
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)

.PHONY: run test lint install translations extract browser-deps bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d translations -D messages

extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --no-fuzzy-matching --ignore-obsolete --width 100

run: translations
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

browser-deps: node_modules/.installed
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

test: translations browser-deps
	env -u TEST_DATABASE_URL $(BIN)/pytest
	if [ -n "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy youth_portal

bench: translations
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/consultations.py
	$(BIN)/python bench/update_emails.py

clean:
	rm -rf $(VENV) node_modules instance
	find translations -name '*.mo' -delete
