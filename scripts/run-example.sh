#!/usr/bin/env bash
# Quick start 1: set up, build the release CLI and run the recommended analysis of the Dutch
# trafficking table (Netherlands 2010–2015, six lists; Silverman 2020): the data at a glance,
# stepwise selection with 1,000 re-selecting bootstrap replicates (BCa interval), goodness of fit,
# the answer in words, and the full HTML report in darknumber-report.html. Extra arguments go to
# `darknumber analyze` (e.g. --output FILE, --threads N, --seed S).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product darknumber
.build/release/darknumber analyze --example Ned "$@"
