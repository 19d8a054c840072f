# Two commands for a new user:  make run  (install + launch)  and  make test  (install + whole test suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt

.PHONY: run test lint install install-dev clean

run: $(VENV)/.installed
	$(BIN)/homl-tui

test: $(VENV)/.installed-dev
	$(BIN)/ruff check homl_tui tests benchmarks
	$(BIN)/python -m pytest -q -n 2 -p no:cacheprovider
	$(BIN)/homl-tui lint
	$(BIN)/homl-tui check --solutions

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check homl_tui tests benchmarks
	$(BIN)/homl-tui lint

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) -e '.[dev,embeddings]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info
