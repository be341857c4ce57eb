# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# In development the links the demo prints follow PORT, unless PORTAL_BASE_URL says otherwise.
PORTAL := PORTAL_ENV=development PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/portal

.PHONY: run test lint bench soak translations compile-translations setup db clean govuk-frontend audio

run: setup db
	$(PORTAL) run --host $(HOST) --port $(PORT)

test: setup db
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check portal tests benchmarks
	$(BIN)/ruff format --check portal tests benchmarks

bench: setup
	@# The HTTP benchmark drives gunicorn with wrk (Debian's package).
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python -m benchmarks

soak: setup
	$(BIN)/python -m benchmarks.soak $(SOAK_ARGS)

setup: $(STAMP) compile-translations

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,dev,serve]'
	touch $(STAMP)

# Compiled catalogues are build output (.mo files are not committed).
compile-translations: $(STAMP)
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel compile -d translations -D messages >/dev/null; \
	fi

# Flask-Babel's lazy forms, used at import time (forms, error texts), on top of pybabel's defaults.
EXTRACT_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

# Extract every string (templates, Python, forms/*.yaml), update the catalogues and compile them.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -c TRANSLATORS: $(EXTRACT_KEYWORDS) --sort-by-file -o translations/messages.pot .
	@# A locale added to config.LANGUAGES gets its catalogue here (see docs/adr/0020).
	@for locale in $$($(BIN)/python -c "from portal.config import LANGUAGES; print(*LANGUAGES[1:])"); do \
		test -f translations/$$locale/LC_MESSAGES/messages.po || \
		$(BIN)/pybabel init -i translations/messages.pot -d translations -D messages -l $$locale; \
	done
	@# No fuzzy guesses: one borrowed from another string is never shown and often has the wrong
	@# placeholders, which stops compile. Translators start from the new source string.
	$(BIN)/pybabel update -i translations/messages.pot -d translations -D messages --ignore-obsolete --no-fuzzy-matching --width 100
	$(MAKE) compile-translations
	$(PORTAL) translations report

# The youngest children's "Read this to me" sound in every language (docs/adr/0069): run after
# changing their words or translations, then commit static/audio/spoken/. Needs Debian's espeak-ng.
audio: setup
	@command -v espeak-ng >/dev/null && command -v opusenc >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq espeak-ng opus-tools >/dev/null)
	PORTAL_ENV=development PYTHONPATH=$(CURDIR) $(BIN)/python scripts/make_audio.py

# Migrate the SQLite database under instance/ and load the demo data once.
db: $(STAMP)
	mkdir -p instance
	$(PORTAL) db upgrade heads
	$(PORTAL) demo --history

# Refresh the vendored GOV.UK Frontend JavaScript from npm (docs/adr/0067); commit the result.
GOVUK_FRONTEND_VERSION ?= $(shell cat static/vendor/govuk-frontend/VERSION)
govuk-frontend:
	scripts/vendor_govuk_frontend.sh $(GOVUK_FRONTEND_VERSION)

clean:
	rm -rf $(VENV) instance .pytest_cache
