# Two entry points for a fresh machine: `make synth` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
VENV_CHECKOV ?= .venv-checkov
PY := $(VENV)/bin/python
CDK := node_modules/.bin/cdk
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PYTHONPATH := $(CURDIR)

.PHONY: install synth test integ lint typecheck bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# checkov (tests/compliance/test_checkov.py) pins an old `packaging` that clashes with pytest: its own venv.
$(VENV_CHECKOV)/.installed: requirements-checkov.txt
	python3 -m venv $(VENV_CHECKOV)
	$(VENV_CHECKOV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV_CHECKOV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed $(VENV_CHECKOV)/.installed

## Synthesize every reference stack offline (default environment) with the cdk-nag packs; fails on any finding.
## Then prices each stack's fixed cost (cdk.out/cost-report.md, .json): python -m emr_constructs.cost.report cdk.out
synth: install
	rm -rf cdk.out
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(CDK) synth --quiet
	@echo "Templates:"; ls -1 $(CURDIR)/cdk.out/*.template.json
	@echo "Fixed monthly cost at list prices (emr_constructs/cost/prices.json):"
	@$(PY) -m emr_constructs.cost.report $(CURDIR)/cdk.out
	@echo "Compliance report (cdk-nag via Validations): $(CURDIR)/cdk.out/validation-report.json"

## Run the whole test suite (unit, snapshots, compliance, examples), then lint and type-check.
test: install
	$(PY) -m pytest -n 2 --dist loadgroup -q
	$(VENV)/bin/ruff check emr_constructs stacks tests benchmarks app.py
	$(VENV)/bin/ruff format --check emr_constructs stacks tests benchmarks app.py
	$(VENV)/bin/mypy

## Deploy each integration app (tests/integ) to the account of your AWS credentials, run the word count with emrctl,
## then destroy everything (also on failure). ENV: cdk.json environment to start from; RUNTIMES: a comma-separated
## subset of serverless,ec2,eks. Costs money and takes about an hour; see README "Integration tests".
ENV ?= default
RUNTIMES ?= serverless,ec2,eks
integ: install
	$(PY) -m tests.integ.run --env $(ENV) --runtimes $(RUNTIMES)

bench: install
	$(PY) benchmarks/synth.py

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache dist
