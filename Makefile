# orient: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ORIENT := $(VENV)/bin/orient
STAMP := $(VENV)/.installed-stamp
EXTRAS ?= test,dask,postgres

.DEFAULT_GOAL := help
.PHONY: help install sysdeps report test test-fast lint lab data clean

help: ## list the targets with one line each
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv (if missing) and install orient with its test extras

sysdeps: ## install the Debian packages the PDF and browser checks need (when root and missing)
	@bash scripts/sysdeps.sh

report: install sysdeps ## build the report of every sample company into reports/
	$(ORIENT) batch data/companies -o reports

test: install sysdeps ## run the whole test suite (unit tests, notebooks with nbval, a PostgreSQL on 127.0.0.1)
	@eval "$$(bash scripts/testdb.sh start)"; trap 'bash scripts/testdb.sh stop' EXIT; OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m pytest -n auto --dist loadfile

test-fast: install ## the unit tests only (no kernel, notebook, report or batch run): under two minutes
	$(PY) -m pytest -n auto --dist loadfile -m "not slow"

lint: install ## ruff: lint rules with a complexity limit, and the format check
	$(VENV)/bin/ruff check orient tests benchmarks
	$(VENV)/bin/ruff format --check orient tests benchmarks

lab: install ## JupyterLab on orient/notebooks/ (installs the lab extra the first time)
	@test -x $(VENV)/bin/jupyter-lab || $(PY) -m pip install --quiet -e '.[test,dask,lab]'
	$(VENV)/bin/jupyter lab orient/notebooks/

data: install ## regenerate the sample companies in data/companies (byte-identical)
	$(ORIENT) sample data/companies

clean: ## remove generated reports and caches (keeps .venv)
	rm -rf reports .pytest_cache .ruff_cache
