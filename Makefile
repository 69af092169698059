# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck pytest clean translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/clustermeet demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy matchmaking scheduler benchkit api worker

pytest: install
	$(BIN)/pytest

test: lint typecheck pytest

# Collect the texts to translate, merge them into each language's catalogue, compile:
# the mail domain (babel.cfg) and the web pages' domain (babel-web.cfg).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -o api/translations/messages.pot --no-location .
	$(BIN)/pybabel update -i api/translations/messages.pot -d api/translations --no-location --width 100
	$(BIN)/pybabel compile -d api/translations
	$(BIN)/pybabel extract -F babel-web.cfg -k _ -k _l -k lazy_gettext -k ngettext:1,2 -o api/translations/web.pot .
	$(BIN)/pybabel update -D web -i api/translations/web.pot -d api/translations
	$(BIN)/pybabel compile -D web -d api/translations

clean:
	rm -rf $(VENV) instance out .mypy_cache .ruff_cache .pytest_cache
