# Two commands do all set-up on a fresh machine with only Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck check bench worker beat clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Hirebar needs Python 3.11+") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_local_admin
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

check: lint typecheck test

# The snapshot bench's imports run in a CPython built with PGO and LTO, as production's image's
# (python:3.11-slim) is, when the machine has one: Debian's python3.11. A pyenv-built python3
# has neither, and runs the import's Python ~15 % slower; the bench then runs the imports in
# .venv's interpreter too and shows both (docs/benchmarks.md). `make bench BENCH_PYTHON=` runs
# them in .venv's alone. The venv is made without pip (Debian keeps ensurepip in a package of
# its own) and filled by .venv's pip.
BENCH_PYTHON ?= $(shell /usr/bin/python3.11 -c 'import venv' 2>/dev/null && echo /usr/bin/python3.11)
BENCH_VENV := $(VENV)/bench

$(BENCH_VENV)/.installed: pyproject.toml $(STAMP)
	test -x $(BENCH_VENV)/bin/python || $(BENCH_PYTHON) -m venv --without-pip $(BENCH_VENV)
	$(PY) -m pip --python $(BENCH_VENV)/bin/python install --quiet -e .
	touch $@

ifneq ($(BENCH_PYTHON),)
bench: $(STAMP) $(BENCH_VENV)/.installed
	BENCH_IMPORT_PYTHON=$(CURDIR)/$(BENCH_VENV)/bin/python $(PY) -m bench
else
bench: $(STAMP)
	$(PY) -m bench
endif

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
