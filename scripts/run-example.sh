#!/usr/bin/env bash
# Quick start 1: set up, build the release CLI and estimate the Dutch trafficking table
# (Netherlands 2010–2015, six lists; Silverman 2020). Extra arguments go to `darknumber estimate`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product darknumber
.build/release/darknumber estimate --example Ned "$@"
