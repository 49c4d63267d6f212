#!/usr/bin/env bash
# Set up and run the main job offline: load every list from the local mirror
# (../shared/data here; any folder of official list files elsewhere), then show what is loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
MIRROR=${1:-../shared/data}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
. .venv/bin/activate
# Wheels only: pip refuses to build any dependency from source. The one exception,
# unidic-lite, ships only an sdist; it is pure data (cutlet's dictionary) and its setup.py
# compiles nothing. Our own package's matching core is compiled by mypyc when a C compiler
# is there, pure Python otherwise (same flags as scripts/test.sh, which says more).
WHEELS_ONLY=(--only-binary :all: --no-binary unidic-lite)
python -m pip install -q --disable-pip-version-check "${WHEELS_ONLY[@]}" -e .
export ENTITYSCREEN_HOME=${ENTITYSCREEN_HOME:-$PWD/.es-home}
entityscreen lists update --mirror "$MIRROR"
entityscreen lists
