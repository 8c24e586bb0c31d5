# The README's commands live here too, so CI and people run the same thing.
.PHONY: test test-fast deps build lint bench

# The fast tier (markers registered in pyproject.toml), and the modules that hold
# it (those that mark tests core): only these are collected.
FAST = core and not (server or browser or virtuoso or slow)
CORE = $(shell grep -l "pytest.mark.core" tests/test_*.py)

# The whole suite, as CI runs it (.ci/run): what the tests need, the lint, every test.
test: deps
	$(MAKE) lint
	python3 -m pytest -q

# The core in under 30 s on the project's 2-core machine, with no server, no browser
# and no Virtuoso (nothing is installed):
# golden outputs, data and audit, shapes, queries, trace, the CLI.
# Plugins the suite does not use (if installed) are not loaded.
test-fast:
	python3 -m pytest -q -p no:hypothesispytest -p no:benchmark -m "$(FAST)" $(CORE)

deps:
	bash .ci/install-deps

build:
	python3 -m pip install -q . && evidencegraph build && evidencegraph site

lint:
	ruff check src tests benchmarks && ruff format --check src tests benchmarks
	PYTHONPATH=src lint-imports

bench:
	python3 benchmarks/run.py
