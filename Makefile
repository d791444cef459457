# cloudops.jobs — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
STAMP  := $(VENV)/.installed
IMPORTER_VENV  := .venv-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.installed

.PHONY: venv demo test sanity units integration gates bench clean

venv: $(STAMP)

$(STAMP): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

# galaxy-importer gets a venv of its own: its pins clash with ansible-lint's.
$(IMPORTER_STAMP): requirements/importer.txt
	$(PYTHON) -m venv $(IMPORTER_VENV)
	$(IMPORTER_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/importer.txt
	touch $(IMPORTER_STAMP)

## Run the main job: the retry_failed_jobs playbook against the local cloud emulator.
demo: venv
	scripts/demo.sh

## Every test: sanity (all tests, Python 3.8-3.13) beside unit and integration, then the release gates.
test: venv $(IMPORTER_STAMP)
	scripts/test_all.sh

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
	rm -rf $(VENV) $(IMPORTER_VENV) tests/output
