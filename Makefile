# Two commands do everything: `make demo` and `make test`. Each bootstraps .venv
# from the pinned requirement files first, so a fresh clone needs nothing else.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQS_HASH := $(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQS_HASH)
SOURCES := src/aws_sagemaker_inferenceexperiment sandbox tests scripts recommended_shadow
export AWS_DEFAULT_REGION ?= us-east-1
export PYTHONDONTWRITEBYTECODE := 1
# The Lambda runtime's Python (.rpdk-config's "runtime"), and the next one, for forward compatibility.
RUNTIME_PYTHON := $(shell sed -n 's/.*"runtime": "python\([0-9.]*\)".*/\1/p' .rpdk-config)
NEXT_RUNTIME_PYTHON := 3.13
PACKAGE_ZIP := build/aws-sagemaker-inferenceexperiment.zip
RENAMED_ZIP := build/acme-sagemaker-inferenceexperiment.zip

.PHONY: bench reliability reliability-quick renamed-project demo demo-cloudcontrol demo-recommender test lint typecheck validate generated examples unit contract-test package package-renamed shipped venv clean

# The main job: rehearse the complete example's whole stack lifecycle on the emulator.
demo: $(STAMP)
	$(BIN)/python -m sandbox rehearse examples/complete.yaml --update examples/complete-v2.yaml --tag cost-center=4242

# The same kind of lifecycle through the Cloud Control API, as the AWS CLI, Terraform or Pulumi drive it.
demo-cloudcontrol: $(STAMP)
	$(BIN)/python -m sandbox cloudcontrol-demo

# From an Inference Recommender job to a promoted shadow test, offline: register a model package, run a job,
# generate the template with `python -m recommended_shadow`, cfn-lint it, rehearse create/promote/delete.
demo-recommender: $(STAMP)
	$(BIN)/python -m sandbox.suites.recommender_demo

test: lint typecheck validate generated examples unit contract-test reliability-quick shipped
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
	$(BIN)/mypy --strict sandbox
	$(BIN)/mypy --strict recommended_shadow

validate: $(STAMP)
	$(BIN)/cfn validate

generated: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/check-generated.sh

examples: $(STAMP)
	$(BIN)/cfn-lint examples/*.yaml
	@echo "examples: cfn-lint found no errors or warnings"

unit: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=90

contract-test: $(STAMP)
	$(BIN)/python -m sandbox contract-test

# Fault soak, crash matrix, invalid input, out-of-band changes, update rollbacks, least privilege, secrets;
# regenerates docs/reliability.md. The quick variant (in make test) runs the same checks
# with fewer iterations and writes build/reliability-quick.md.
reliability: $(STAMP)
	$(BIN)/python -m sandbox reliability

reliability-quick: $(STAMP)
	$(BIN)/python -m sandbox reliability --quick

# A benchmark, not a test: prints figures and regenerates docs/performance.md.
bench: $(STAMP) package
	$(BIN)/python -m sandbox bench

package: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" TYPE_NAME="$(TYPE_NAME)" bash scripts/package.sh

package-renamed: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" TYPE_NAME="Acme::SageMaker::InferenceExperiment" bash scripts/package.sh

# The built zips run as Lambda runs them: under awslambdaric (requirements-lambda-runtime.txt) in a
# throwaway virtualenv of pyenv's runtime Python, through a whole lifecycle against the emulator.
shipped: $(STAMP) package package-renamed
	$(BIN)/python -m sandbox.suites.shipped $(RUNTIME_PYTHON) $(PACKAGE_ZIP) $(RENAMED_ZIP)
	$(BIN)/python -m sandbox.suites.shipped $(NEXT_RUNTIME_PYTHON) $(PACKAGE_ZIP)

# A copy of the project under your own type name, ready for `cfn submit` (see docs/deployment.md).
renamed-project: $(STAMP)
	@test -n "$(TYPE_NAME)" -a -n "$(DEST)" || { echo "usage: make renamed-project TYPE_NAME=Acme::SageMaker::InferenceExperiment DEST=../acme-provider"; exit 2; }
	PATH="$(CURDIR)/$(BIN):$$PATH" bash scripts/renamed-project.sh "$(DEST)" "$(TYPE_NAME)"

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache .coverage *.zip
