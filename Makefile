# simsec: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: run test check lint typecheck imports bench locales clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP_RUN)

$(STAMP_BENCH): pyproject.toml $(STAMP_DEV)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

## Start simsec (installs into .venv on first use).
run: $(STAMP_RUN)
	$(BIN)/simsec $(ARGS)

## Install the development dependencies and run the test suite.
test: $(STAMP_DEV)
	$(BIN)/python -m pytest -n auto -q $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check simsec tests benchmarks tools
	$(BIN)/ruff format --check simsec tests benchmarks tools

typecheck: $(STAMP_DEV)
	$(BIN)/mypy
	$(BIN)/mypy tools/catalogs.py

imports: $(STAMP_DEV)
	$(BIN)/lint-imports

## Everything CI runs: lint, format, strict types, import contracts, tests.
check: lint typecheck imports test

## Benchmarks: each figure printed next to its target.
bench: $(STAMP_BENCH)
	$(BIN)/python -m benchmarks $(ARGS)

## Extract, merge, compile and check the gettext catalogs (translate new entries between update and compile).
locales: $(STAMP_DEV)
	$(BIN)/python tools/catalogs.py update
	$(BIN)/python tools/catalogs.py compile
	$(BIN)/python tools/catalogs.py check

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
