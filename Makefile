# Two entry points for a fresh clone: `make demo` and `make test`.
# Each builds its own virtual environment in .venv from this repository's files.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

.PHONY: install install-test demo test bench-speed
# A user's install is a plain one; the developer's (install-test) is editable, so tests see each change.
install: $(BIN)/python
	$(BIN)/pip install -q .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test,peers,postgres,spark]'

demo: install
	$(BIN)/rfl demo

test: install-test
	$(BIN)/python -m pytest

bench-speed: install-test
	$(BIN)/python -m pytest benchmarks/speed --benchmark-only
