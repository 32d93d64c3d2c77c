# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Running needs only the bot's own dependencies; testing adds pytest, hypothesis and the linters on top.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed

.PHONY: run test lint bench install clean

run: $(RUN_STAMP)
	$(PY) -m bot run

# The linters first: they take seconds where the tests take minutes, and a finding fails the run.
# One worker per core (pytest-xdist): the suite is CPU-bound and CI has two cores and fifteen minutes.
test: lint
	$(PY) -m pytest -q -n auto

# Rules and their reasons are in pyproject.toml ([tool.ruff], [tool.mypy]).
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/mypy bot

bench: $(DEV_STAMP)
	$(PY) bench/core.py

install: $(DEV_STAMP)

$(VENV)/.venv-ready:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	touch $@

# Bytecode now, once: where PYTHONDONTWRITEBYTECODE is set, every start would compile bot/ again (~40-55 ms).
$(RUN_STAMP): pyproject.toml $(VENV)/.venv-ready
	$(PY) -m pip install -q -e .
	$(PY) -m compileall -q bot
	touch $@

$(DEV_STAMP): pyproject.toml $(VENV)/.venv-ready
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m compileall -q bot
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis .mypy_cache .ruff_cache
