# Each target creates .venv from the lock when it is missing or stale.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench serve clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): uv.lock pyproject.toml | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/vigil demo

test: $(STAMP)
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/python -m pytest -n 2 --dist loadgroup --durations=15

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-logo

bench: $(STAMP)
	$(VENV)/bin/python bench/run_all.py

serve: $(STAMP)
	$(VENV)/bin/vigil serve

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .import_linter_cache vigil-demo.db*
