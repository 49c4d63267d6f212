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
python -m pip install -q --disable-pip-version-check -e .
export ENTITYSCREEN_HOME=${ENTITYSCREEN_HOME:-$PWD/.es-home}
entityscreen lists update --mirror "$MIRROR"
entityscreen lists
