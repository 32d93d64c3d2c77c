# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean

run: $(STAMP)
	$(PY) -m bot run

# The linters first: they take seconds where the tests take minutes, and a finding fails the run.
test: lint
	$(PY) -m pytest -q

# Rules and their reasons are in pyproject.toml ([tool.ruff], [tool.mypy]).
lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/mypy bot

bench: $(STAMP)
	$(PY) bench/core.py

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# Bytecode now, once: where PYTHONDONTWRITEBYTECODE is set, every start would compile bot/ again (~40-55 ms).
	$(PY) -m compileall -q bot
	touch $(STAMP)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache .ruff_cache
