#!/usr/bin/env bash
# Quick start 2: set up and run the whole test suite (Swift Testing; reference values from
# Rcapture, SparseMSE and R glm). `.ci/run` runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --build-tests
swift test --skip-build
