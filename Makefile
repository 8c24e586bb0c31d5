# The README's two commands live here too, so CI and people run the same thing.
.PHONY: test build lint bench

test:
	bash .ci/install-deps
	python3 -m pytest -q

build:
	python3 -m pip install -q . && evidencegraph build && evidencegraph site

lint:
	ruff check src tests benchmarks && ruff format --check src tests benchmarks

bench:
	python3 benchmarks/run.py
