# cloudops.jobs — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
STAMP  := $(VENV)/.installed
IMPORTER_VENV  := .venv-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.installed
# The ansible-core matrix: the oldest release requires_ansible claims and the newest, each in a pinned venv of its own
# (the main one, 2.19, is .venv). 2.20 and later need Python 3.12+ on the controller: pyenv's, else python3.12 on PATH.
PYTHON_CORE216 ?= python3.11
PYTHON_CORE221 ?= $(or $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3.12)),python3.12)
CORE216_VENV := .venv-core216
CORE221_VENV := .venv-core221
DOCS_VENV    := .venv-docs
# make demo, make emulator and make install: ansible-core only (requirements/demo.txt), under the git-ignored build/.
DEMO_VENV    := build/venv-demo
EMULATOR_DIR := build/emulator
MATRIX_STAMPS := $(CORE216_VENV)/.installed $(CORE221_VENV)/.installed

.PHONY: venv matrix-venvs demo emulator emulator-stop install test sanity units integration gates bench docs clean

venv: $(STAMP)

matrix-venvs: $(MATRIX_STAMPS)

$(CORE216_VENV)/.installed: requirements/core-2.16.txt
	rm -rf $(CORE216_VENV)
	$(PYTHON_CORE216) -m venv $(CORE216_VENV)
	$(CORE216_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/core-2.16.txt
	touch $@

$(CORE221_VENV)/.installed: requirements/core-2.21.txt
	rm -rf $(CORE221_VENV)
	$(PYTHON_CORE221) -m venv $(CORE221_VENV)
	$(CORE221_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/core-2.21.txt
	touch $@

# antsibull-docs, Sphinx and the Ansible theme for the documentation site (make docs).
$(DOCS_VENV)/.installed: requirements/docs.txt
	rm -rf $(DOCS_VENV)
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/docs.txt
	touch $@

$(STAMP): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

# galaxy-importer gets a venv of its own: its pins clash with ansible-lint's.
$(IMPORTER_STAMP): requirements/importer.txt
	$(PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/importer.txt
	touch $(IMPORTER_STAMP)

$(DEMO_VENV)/.installed: requirements/demo.txt
	rm -rf $(DEMO_VENV)
	$(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/demo.txt
	touch $@

## Run the main job against the local cloud emulator: retry_failed_jobs.yml (named jobs), then recover_all_failed.yml (found by filters).
demo: $(DEMO_VENV)/.installed
	VENV=$(DEMO_VENV) scripts/demo.sh

## Start the local cloud emulator on its own (in the background) and print what points playbooks at it:
##   eval "$$(make -s emulator)"   then run any playbook or the README's Quick start; make emulator-stop stops it.
emulator: $(DEMO_VENV)/.installed
	@VENV=$(DEMO_VENV) scripts/emulator.sh start $(EMULATOR_DIR)

emulator-stop:
	@VENV=$(DEMO_VENV) scripts/emulator.sh stop $(EMULATOR_DIR)

## Build the collection tarball from this checkout (build/dist) and install it where ansible-galaxy installs
## collections (COLLECTIONS_PATH=DIR for another path), with the ansible-galaxy of $(DEMO_VENV) (VENV=... for another).
install: $(DEMO_VENV)/.installed
	VENV=$(DEMO_VENV) scripts/install.sh $(COLLECTIONS_PATH)

## Every test, on the ansible-core matrix (2.16, 2.19, 2.21): sanity (2.19, 2.21) beside units and integration (all
## three), the AWX runner and docs-site tests, then the release gates; ends with a table of what ran on which version.
test: venv $(IMPORTER_STAMP) $(MATRIX_STAMPS) $(DOCS_VENV)/.installed
	scripts/test_all.sh

## The documentation site (antsibull-docs + Sphinx): HTML in build/docs/html.
docs: $(DOCS_VENV)/.installed
	scripts/docs_build.sh build/docs

## ansible-lint (production), antsibull-docs, antsibull-changelog, galaxy-importer, ansible-builder, tarball install.
gates: venv $(IMPORTER_STAMP)
	scripts/gates.sh

sanity: venv
	scripts/ansible_test.sh sanity

units: venv
	scripts/ansible_test.sh units

integration: venv
	scripts/ansible_test.sh integration

## Benchmarks (fan-out, per-task overhead, rate-limited throughput, batches, memory); prints PASS/FALL SHORT per target.
bench: venv
	benchmarks/run.sh

clean:
	rm -rf $(VENV) $(IMPORTER_VENV) $(CORE216_VENV) $(CORE221_VENV) $(DOCS_VENV) $(DEMO_VENV) build tests/output
