# Everything runs inside .venv, created here with the pinned requirements.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: test serve build validate sync bench screenshots clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## make test: the whole test suite (browser tests need /usr/bin/chromium; .ci/run installs it)
test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make serve: build the site from the catalogues and serve it at http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/villagecat serve

## make build: build the site into site/
build: $(STAMP)
	$(BIN)/villagecat build

validate: $(STAMP)
	$(BIN)/villagecat validate

sync: $(STAMP)
	$(BIN)/villagecat sync

## make bench [SIZE=items]: every step timed on a synthetic catalogue (default national, 500000 items), written to bench/report.md
SIZE ?= 500000
bench: $(STAMP)
	$(BIN)/python -m villagecat.bench --items $(SIZE) --out bench/report.md

## make screenshots: home, a region, a list and an item at 390 and 1280 px → maintainers/screenshots/
screenshots: $(STAMP)
	$(BIN)/python -m villagecat.site.screenshots --out maintainers/screenshots

clean:
	rm -rf site dist .build  # .build: where older versions generated pages
