# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Running needs only the bot's own dependencies; testing adds pytest and hypothesis on top.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed

.PHONY: run test bench install clean

run: $(RUN_STAMP)
	$(PY) -m bot run

test: $(DEV_STAMP)
	$(PY) -m pytest -q

bench: $(DEV_STAMP)
	$(PY) bench/core.py

install: $(DEV_STAMP)

$(VENV)/.venv-ready:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	touch $@

$(RUN_STAMP): pyproject.toml $(VENV)/.venv-ready
	$(PY) -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(VENV)/.venv-ready
	$(PY) -m pip install -q -e '.[dev]'
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
