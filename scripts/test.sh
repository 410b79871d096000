#!/usr/bin/env bash
# Quick start 2: set up and run the whole test suite (Swift Testing; reference values from
# Rcapture, SparseMSE and R glm). `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# The bundled tables match their CSV files; unsafe code only in the linear-algebra module.
bash scripts/check-sources.sh
# Release mode with testing enabled: the samplers and grid posteriors run the reference
# settings (110,000 sweeps per chain, 822-graph averages) ten times faster than in debug.
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release -Xswiftc -enable-testing --skip-build
# The HTML report in headless Chromium, and the notebooks executed headless, with the CLI just
# built (each installs what it needs — chromium, the pinned Python packages — when missing).
export DARKNUMBER="$PWD/.build/release/darknumber"
# The DocC documentation of the three library modules, warnings treated as errors.
bash scripts/build-docs.sh
# Embedding: Examples/ is a package that depends on DarkNumber by path, as a Swift tool would.
swift build --package-path Examples
Examples/.build/debug/select-and-bootstrap Sources/DarkNumber/Datasets/CSV/UKdat_5.csv 200
bash scripts/check-report.sh
bash scripts/run-notebooks.sh
# The Python front end, installed with pip into the notebooks' environment, and its tests.
bash scripts/test-python.sh
# The R front end: R CMD check with its testthat tests (R from Debian when missing).
bash scripts/test-r.sh
