#!/usr/bin/env bash
# Builds the DocC documentation of the library modules with warnings treated as errors (the test
# command runs it). The DocC plugin is added to the package graph only here (DARKNUMBER_DOCS).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-.build-docs/site}")"
rm -rf "$out" && mkdir -p "$out"
for target in DarkNumber DarkNumberBayes DarkNumberLinearAlgebra; do
  DARKNUMBER_DOCS=1 swift package --scratch-path .build-docs --allow-writing-to-directory "$out" \
    generate-documentation --target "$target" --warnings-as-errors --output-path "$out/$target"
done
echo "documentation in $out"
