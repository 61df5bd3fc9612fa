# hocvuso — two commands on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, run the whole demo (hocvuso demo)
#   make test   the whole test suite (what .ci/run calls)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: run test lab bench lint clean help

help:
	@echo "make run    — cài đặt và chạy demo / install and run the demo"
	@echo "make test   — chạy toàn bộ kiểm thử / run the whole test suite"
	@echo "make lab    — mở JupyterLab với nbgrader / open JupyterLab with nbgrader"
	@echo "make bench  — đo tốc độ / run the benchmarks"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hocvuso cần Python 3.11+ / needs Python 3.11+")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/hocvuso demo

test: $(STAMP)
	bash scripts/ensure-browser.sh
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

lab: $(STAMP)
	$(BIN)/hocvuso lab

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build
