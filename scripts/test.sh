#!/usr/bin/env bash
# Set up (a virtualenv in .venv with the package and its dev tools) and run every check:
# ruff, mypy --strict, the import-layer contracts (lint-imports), then the whole test suite. CI runs exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
# Wheels only: pip refuses to build any dependency from source. The one exception,
# unidic-lite, ships only an sdist; it is pure data (cutlet's dictionary) and its setup.py
# compiles nothing. Our own package is the one thing built here: setup.py compiles its
# matching core with mypyc (C extensions, ~1.35x less CPU a query; docs/dependencies.md),
# which needs a C compiler and the Python headers. Without them the build warns and stays
# pure Python; ENTITYSCREEN_PURE_PYTHON=1 asks for that. Every run rebuilds (an extension
# older than its .py would shadow it; tests/unit/test_compiled.py checks).
WHEELS_ONLY=(--only-binary :all: --no-binary unidic-lite)
python -m pip install -q --disable-pip-version-check "${WHEELS_ONLY[@]}" --upgrade pip
start=$SECONDS
python -m pip install -q --disable-pip-version-check "${WHEELS_ONLY[@]}" -e '.[dev]'
echo "== install and compile: $((SECONDS - start)) s"
echo "== ruff"
ruff check entityscreen tests bench
echo "== mypy"
mypy
echo "== lint-imports"
lint-imports
echo "== pytest"
pytest -q -p no:cacheprovider "$@"
