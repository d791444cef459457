# cloudops.jobs — the two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: venv demo test sanity units integration lint bench clean

venv: $(STAMP)

$(STAMP): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	touch $(STAMP)

## Run the main job: the retry_failed_jobs playbook against the local cloud emulator.
demo: venv
	scripts/demo.sh

## Every test: sanity (all tests, Python 3.8-3.13), unit and integration.
test: venv
	scripts/ansible_test.sh sanity
	scripts/ansible_test.sh units
	scripts/ansible_test.sh integration

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
	rm -rf $(VENV) tests/output
