#!/usr/bin/env bash
# Execute every Notebooks/*.ipynb headless, each in a fresh Python kernel, and fail if any cell fails.
#
#   bash scripts/run-notebooks.sh                       # builds the release CLI into .build/ first
#   DARKNUMBER=/abs/path/to/darknumber bash scripts/run-notebooks.sh   # use an existing binary
#   EXECUTED_DIR=/tmp/executed bash scripts/run-notebooks.sh           # keep the executed copies there
#
# The committed notebooks are never modified: they are executed in memory and the executed copies
# (with outputs and figures) are written to EXECUTED_DIR (default: a new temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."

# The notebooks' Python packages live in a virtual environment of their own (.venv-notebooks),
# never in the system's Python; PYTHON=... uses another interpreter instead.
if [ -z "${PYTHON:-}" ]; then
  if [ ! -x .venv-notebooks/bin/python ]; then
    if ! python3 -m venv .venv-notebooks 2>/dev/null; then
      # Debian's python3 has venv in a package of its own.
      echo "run-notebooks: installing python3-venv"
      rm -rf .venv-notebooks
      apt-get install -y -q python3-venv >/dev/null
      python3 -m venv .venv-notebooks
    fi
  fi
  PYTHON="$PWD/.venv-notebooks/bin/python"
fi

# Python packages, at the pinned versions.
if ! "$PYTHON" - Notebooks/requirements.txt <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

wrong = []
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if "==" not in line:
        continue
    name, pinned = (part.strip() for part in line.split("=="))
    try:
        installed = version(name)
    except PackageNotFoundError:
        installed = None
    if installed != pinned:
        wrong.append(f"{name} {installed or 'missing'} (want {pinned})")
if wrong:
    print("run-notebooks: installing Notebooks/requirements.txt:", ", ".join(wrong))
    sys.exit(1)
EOF
then
  "$PYTHON" -m pip install -q -r Notebooks/requirements.txt
fi

# The notebooks call the engine through this repository's Python package (import darknumber as dn);
# reinstalled every run so that they use the package as it is in the working tree.
"$PYTHON" -m pip install -q --no-deps ./bindings/python

# A python3 kernel spec for nbclient in the interpreter's own prefix, found before any user-wide
# one (JUPYTER_PATH comes first), so that the kernels run the same Python and packages.
prefix="$("$PYTHON" -c 'import sys; print(sys.prefix)')"
if [ ! -f "$prefix/share/jupyter/kernels/python3/kernel.json" ]; then
  echo "run-notebooks: installing the python3 kernel spec in $prefix"
  "$PYTHON" -m ipykernel install --sys-prefix --name python3 >/dev/null
fi
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

# The release CLI.
if [ -z "${DARKNUMBER:-}" ]; then
  source scripts/setup.sh   # system libraries and the Swift toolchain on PATH
  swift build -c release --product darknumber
  export DARKNUMBER="$PWD/.build/release/darknumber"
fi
case "$DARKNUMBER" in
  /*) ;;
  *) echo "run-notebooks: DARKNUMBER must be an absolute path, not '$DARKNUMBER'" >&2; exit 64 ;;
esac
if [ ! -x "$DARKNUMBER" ]; then
  echo "run-notebooks: DARKNUMBER=$DARKNUMBER is not an executable file" >&2
  exit 64
fi
echo "run-notebooks: darknumber $("$DARKNUMBER" --version) at $DARKNUMBER"

EXECUTED_DIR="${EXECUTED_DIR:-$(mktemp -d -t darknumber-notebooks.XXXXXX)}"
mkdir -p "$EXECUTED_DIR"
export EXECUTED_DIR

"$PYTHON" - <<'EOF'
import glob
import os
import re
import sys
import time

import nbclient
import nbformat

notebooks = sorted(glob.glob("Notebooks/*.ipynb"))
if not notebooks:
    sys.exit("run-notebooks: no notebooks in Notebooks/")
output_dir = os.environ["EXECUTED_DIR"]
failed = []
started = time.perf_counter()
for path in notebooks:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": "Notebooks"}}
    )
    start = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except Exception as error:  # CellExecutionError, CellTimeoutError, DeadKernelError, ...
        status = "FAILED"
        failed.append(path)
        message = re.sub(r"\x1b\[[0-9;]*m", "", str(error))  # drop the traceback's colours
        print(f"--- {path} failed:\n{message}\n", file=sys.stderr)
    seconds = time.perf_counter() - start
    executed = os.path.join(output_dir, os.path.basename(path))
    nbformat.write(nb, executed)
    print(f"{status:6s} {path}  {seconds:6.1f} s  -> {executed}", flush=True)
print(f"{len(notebooks) - len(failed)} passed, {len(failed)} failed")
print(f"total {time.perf_counter() - started:.1f} s")
sys.exit(1 if failed else 0)
EOF
