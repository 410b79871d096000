#!/usr/bin/env bash
# The Python front end (bindings/python): pip-installed into the notebooks' virtual environment
# (numpy and pandas pinned there), then its pytest tests against the release CLI.
#
#   DARKNUMBER=/abs/path/to/darknumber bash scripts/test-python.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$PWD/.venv-notebooks/bin/python}"
if [ ! -x "$PYTHON" ]; then
  echo "test-python: $PYTHON is missing; scripts/run-notebooks.sh creates it" >&2
  exit 64
fi
"$PYTHON" -m pip install -q pytest==8.3.4
"$PYTHON" -m pip install -q --no-deps ./bindings/python
# Run from the tests' folder so that the installed package, not the source tree, is imported.
(cd bindings/python/tests && DARKNUMBER="${DARKNUMBER:?set DARKNUMBER to the release CLI}" "$PYTHON" -m pytest -q -p no:cacheprovider .)
