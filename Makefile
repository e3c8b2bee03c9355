# One target per verb. Every target bootstraps .venv from the pins first (pyproject.toml + constraints.txt).
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
# The venv's bin/ first: nbgrader runs `alembic` and Jupyter finds the venv's kernel from there.
export PATH := $(BIN):$(PATH)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv system-packages notebooks release book instructor-book linkcheck lint test unit datasets benchmark lock clean

help:
	@echo "make book       build the student edition of the book into _build/html"
	@echo "make test       run the whole test suite (lint, unit and end-to-end tiers)"
	@echo "make unit       the fast tier only: lint, then pytest -m 'not e2e' (seconds; no kernel, book or browser)"
	@echo "make instructor-book  the private instructor edition into _build/instructor/html"
	@echo "make linkcheck  check external links (needs the internet)"
	@echo "make notebooks  regenerate notebooks/ from their plain-text sources"
	@echo "make benchmark  time and measure every lab and master"
	@echo "make lock       regenerate constraints.txt from pyproject.toml with pip-compile"

venv: $(STAMP)

# What the tests need from the system: Debian's chromium (the site in a real browser), bubblewrap (the
# grading sandbox) and a font for screenshots. `make test` installs them with apt-get when run as root;
# otherwise it stops before doing anything, on one line naming the command to run.
SYSTEM_PACKAGES_MISSING = $(strip \
	$(shell command -v chromium >/dev/null 2>&1 || echo chromium) \
	$(shell command -v bwrap >/dev/null 2>&1 || echo bubblewrap) \
	$(shell test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || echo fonts-dejavu-core))
ifneq ($(filter test system-packages,$(MAKECMDGOALS)),)
ifneq ($(SYSTEM_PACKAGES_MISSING),)
ifneq ($(shell id -u),0)
$(error make test needs $(SYSTEM_PACKAGES_MISSING): run 'sudo apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES_MISSING)' first)
endif
endif
endif

system-packages:
	@missing="$(SYSTEM_PACKAGES_MISSING)"; [ -z "$$missing" ] && exit 0; \
	command -v apt-get >/dev/null || { echo "make test needs $$missing: install them with your system's package manager" >&2; exit 1; }; \
	echo "Installing system packages: $$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	@touch $@

# Labs: notebooks/mNN_*/labNN_*.py (jupytext percent) -> .ipynb without outputs.
# Assignments: instructors/assignments/aNN_*.py -> nbgrader -> notebooks/mNN_*/aNN_*/.
notebooks: $(STAMP)
	$(BIN)/python tools/labs.py
	$(BIN)/autograder release --all

release: notebooks

# The execution cache keys on a page's own code: when the helpers or data it reads change, start afresh.
CACHE_INPUTS := $(wildcard book/_figures.py book/_quiz.py book/*/_helpers.py datasets/*.csv datasets/clinical_data/*.py)
_build/.cache-inputs: $(CACHE_INPUTS)
	rm -rf _build/.jupyter_cache
	@mkdir -p _build && touch $@

# _build/html is written afresh (Sphinx never deletes a page dropped from the toc); the parsed pages and
# the execution cache are kept, so a rebuild with nothing changed re-runs no notebook.
book: $(STAMP) _build/.cache-inputs
	rm -rf _build/html
	$(BIN)/jupyter-book build --warningiserror --nitpick --keep-going .
	@echo "The book: file://$(CURDIR)/_build/html/index.html"

# The instructor edition (solutions, rubrics, guide): a separate site in its own folder. Keep it private.
instructor-book: $(STAMP)
	rm -rf _build/instructor
	$(BIN)/jupyter-book build --warningiserror --nitpick --keep-going --path-output _build/instructor \
		--config instructors/book/_config.yml --toc $(CURDIR)/instructors/book/_toc.yml instructors
	mv _build/instructor/_build/html _build/instructor/html
	@echo "The instructor edition (keep it private): file://$(CURDIR)/_build/instructor/html/index.html"

# External links need the internet: not part of `make test`.
linkcheck: $(STAMP)
	$(BIN)/jupyter-book build --keep-going --builder custom --custom-builder linkcheck .
	@echo "Report: _build/linkcheck/output.txt"

# The tests read the built book, and nbval runs every lab and every master (solutions and hidden tests
# must pass): the masters are converted into a scratch course root first. `--no-check` because nbval runs
# the solutions against their tests below, and the release checks themselves have their own tests.
TEST_COURSE := _build/test-course
test: system-packages $(STAMP) lint book instructor-book
	rm -rf $(TEST_COURSE) && mkdir -p $(TEST_COURSE)/notebooks
	$(BIN)/autograder release --all --no-check --course-root $(TEST_COURSE) --notebooks $(TEST_COURSE)/notebooks
	$(BIN)/python -m pytest -n 2 --dist loadscope --durations=25 --nbval-lax --nbval-current-env \
		tests $(wildcard notebooks/m*/lab*.ipynb) $(TEST_COURSE)/source/*/*.ipynb

# Pyflakes and bugbear rules, and types, on the grader (configured in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check autograder tools
	$(BIN)/mypy

unit: lint
	$(BIN)/python -m pytest -q -m "not e2e" tests

# Rebuild every CSV in datasets/ from pinned packages (a throwaway venv) and the cohort generator.
datasets: $(STAMP)
	bash datasets/rebuild.sh

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_notebooks.py --book
	$(BIN)/python benchmarks/bench_datasets.py
	$(BIN)/python benchmarks/bench_grading.py

# The lock: every package the pins in pyproject.toml pull in (test extra included), resolved by pip-tools.
# pip-compile keeps the versions already in constraints.txt unless a pin in pyproject.toml moves.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --strip-extras --extra test --no-build-isolation --no-emit-index-url --no-emit-find-links \
		--output-file constraints.txt pyproject.toml

clean:
	rm -rf _build course
