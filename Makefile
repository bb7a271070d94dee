# Two commands do everything: `make demo` and `make test`. Each bootstraps .venv
# from the pinned requirement files first, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQS_HASH := $(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQS_HASH)
SOURCES := src/aws_sagemaker_inferenceexperiment sandbox tests scripts
export AWS_DEFAULT_REGION ?= us-east-1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: test lint typecheck validate generated unit contract-test package venv clean

test: lint typecheck validate generated unit contract-test package
	@echo "make test: every check passed"

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

lint: $(STAMP)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(STAMP)
	$(BIN)/mypy --strict src/aws_sagemaker_inferenceexperiment

validate: $(STAMP)
	$(BIN)/cfn validate

generated: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check-generated.sh

unit: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=90

contract-test: $(STAMP)
	$(BIN)/python -m sandbox contract-test

package: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/package.sh

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .coverage *.zip
