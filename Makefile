# Two commands on a fresh clone: `make report` and `make test`. Everything else is set up here.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := stmh

.DEFAULT_GOAL := help
.PHONY: help install report test lint format lab bench clean-outputs example-data

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (stmh)" >/dev/null
	@if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/nbstripout --install; fi
	@touch $(STAMP)

install: $(STAMP) ## create .venv, install the locked dependencies and register the Jupyter kernel

report: $(STAMP) ## run the whole pipeline on data/raw and write reports/ (HTML and PDF)
	$(BIN)/stmh run $(ARGS)

lint: $(STAMP) ## ruff lint and format check, notebooks free of outputs
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

format: $(STAMP) ## apply ruff formatting and strip notebook outputs
	$(BIN)/ruff format src tests scripts benchmarks
	$(BIN)/ruff check --fix src tests scripts benchmarks
	$(BIN)/nbstripout notebooks/*.ipynb

AXE := tests/browser/node_modules/axe-core/axe.min.js

test: $(STAMP) lint ## lint, then every test (unit, property, end to end; the browser tests where Chromium is installed)
	@if command -v npm >/dev/null && [ ! -f $(AXE) ]; then npm ci --prefix tests/browser --no-audit --no-fund --silent || echo "axe-core niet geïnstalleerd: de toegankelijkheidstest wordt overgeslagen"; fi
	$(BIN)/python -m pytest -q

lab: $(STAMP) ## open JupyterLab on the whole repository, in notebooks/verkenning (new notebooks land there)
	@mkdir -p notebooks/verkenning
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks/verkenning $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP) ## time the pipeline and the clean/rank steps; writes benchmarks/results.json
	$(BIN)/python benchmarks/run_benchmarks.py

example-data: $(STAMP) ## regenerate the bundled fictional submissions in data/raw/
	$(BIN)/python scripts/make_example_data.py

clean-outputs: ## remove data/processed, reports and logs outputs (never data/raw)
	find data/processed reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf logs
