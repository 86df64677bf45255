# The two commands of the README: `make demo` and `make test`.  Everything they need
# is installed here, into .venv, from this repository and the package index.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PLUGINS := $(sort $(wildcard plugins/*/pyproject.toml))
PLUGIN_DIRS := $(patsubst %/pyproject.toml,%,$(PLUGINS))
EDITABLES := -e . $(foreach dir,$(PLUGIN_DIRS),-e ./$(dir))
# Test fixtures that are distributions (the example plugin); editable, so edits to their
# sources need no reinstall.  The broken plugins sit one level deeper and are never
# installed here: tests/conftest.py installs them into a throw-away venv.
FIXTURES := $(sort $(wildcard tests/fixtures/*/pyproject.toml))
FIXTURE_EDITABLES := $(foreach file,$(FIXTURES),-e ./$(patsubst %/pyproject.toml,%,$(file)))

.PHONY: demo test venv tox fuzz soak clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.demo-installed: $(VENV)/bin/python pyproject.toml $(PLUGINS)
	$(PY) -m pip install -q $(EDITABLES)
	touch $@

$(VENV)/.test-installed: $(VENV)/.demo-installed $(FIXTURES)
	$(PY) -m pip install -q -e '.[test,ws,metrics,bench]' $(FIXTURE_EDITABLES)
	touch $@

venv: $(VENV)/.demo-installed

demo: $(VENV)/.demo-installed
	$(VENV)/bin/aura demo

test: $(VENV)/.test-installed
	$(PY) -m pytest

tox: $(VENV)/.test-installed
	$(PY) -m pip install -q 'tox>=4.11' 'tox-uv>=1.11'
	$(VENV)/bin/tox -p auto

# Reliability (docs/reliability.md), never part of `make test`: fuzz every installed decoder
# for FUZZ_SECONDS each (corpora and crashes in .fuzz/), and the soak run.
FUZZ_SECONDS ?= 600
SOAK_SECONDS ?= 300

fuzz: $(VENV)/.test-installed
	$(PY) fuzz/campaign.py --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

soak: $(VENV)/.test-installed
	$(PY) tools/soak.py --seconds $(SOAK_SECONDS)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
