# Two commands do everything (see README.md):
#   make demo   set up, then run the instructor pipeline on the bundled sample class
#   make test   set up (and the browser and JupyterHub for their tests), then run every test (fast
#               and slow), ruff, the notebooks' freshness check, and both benchmarks in their
#               quick mode (they print figures and assert nothing timed)
# Both install into .venv first (Python >= 3.10 with venv; packages from PyPI).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# nbgrader runs `alembic` and `jupyter` from PATH: the venv's must come first.
export PATH := $(abspath $(BIN)):$(PATH)
# MNIST: where nbgrader_config.py says (c.BackpropCourse.mnist_dir, ../shared/mnist by default).

.PHONY: setup sandbox browser hub demo test test-fast lint benchmark benchmark-grading lab clean

setup: $(VENV)/.installed sandbox

$(VENV)/.installed: pyproject.toml student/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./student -e '.[dev]'
	touch $@

# The grader's sandbox (bubblewrap, apt-get as root); without it a weaker one is used.
sandbox:
	bash scripts/install_sandbox.sh

# Debian's Chromium (apt-get, as root) and Playwright's driver for tests/test_browser.py.
browser: $(VENV)/.browser

$(VENV)/.browser: scripts/install_browser.sh | setup
	bash scripts/install_browser.sh $(VENV)
	touch $@

# JupyterHub, configurable-http-proxy (npm) and Debian's python3-venv for
# tests/test_jupyterhub.py (apt-get and npm -g, as root).
hub: $(VENV)/.hub

$(VENV)/.hub: scripts/install_hub.sh pyproject.toml | setup
	bash scripts/install_hub.sh $(VENV)
	touch $@

demo: setup
	$(BIN)/python -m autograder demo

test: setup browser hub lint
	$(BIN)/python -m autograder build-source --check
	$(BIN)/python -m pytest -m "slow or not slow"
	$(BIN)/python scripts/benchmark.py --quick
	$(BIN)/python scripts/benchmark_grading.py --quick

test-fast: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

# Figures only, never asserted; BENCH_FLAGS=--quick for the short runs `make test` does.
benchmark: setup
	$(BIN)/python scripts/benchmark.py $(BENCH_FLAGS)

benchmark-grading: setup
	$(BIN)/python scripts/benchmark_grading.py $(BENCH_FLAGS)

lab: setup
	$(BIN)/jupyter lab --allow-root --no-browser release/backprop/backprop.ipynb

clean:
	rm -rf release submitted autograded feedback gradebook.db grades.csv pipeline.log report report-200 class-of-200
