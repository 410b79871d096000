#!/usr/bin/env bash
# Source checks the test command runs before building: the Swift files are formatted by
# .swift-format (the toolchain's `swift format`), the bundled tables are generated from their CSV
# files, and unsafe code (pointers into BLAS/LAPACK, unchecked buffers) lives only in the
# linear-algebra module (DESIGN.md), and the CLI stays thin.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict -r Package.swift Sources Tests Examples/Package.swift Examples/Sources \
  Benchmarks/Package.swift Benchmarks/Benchmarks
echo "Swift sources formatted as .swift-format says (fix: swift format format -i -r <paths>)"
python3 scripts/make_bundled_tables.py --check
# Any use of unsafe pointers or the `unsafe` keyword outside Sources/DarkNumberLinearAlgebra.
offenders=$(grep -rnE '\bunsafe\b|Unsafe[A-Z][A-Za-z]*|withUnsafe|unsafeBitCast|unsafeFlags' \
  --include='*.swift' Sources Package.swift | grep -v '^Sources/DarkNumberLinearAlgebra/' | grep -vE '^[^:]+:[0-9]+:\s*///' || true)
if [[ -n "$offenders" ]]; then
  echo "unsafe code outside Sources/DarkNumberLinearAlgebra:" >&2
  echo "$offenders" >&2
  exit 1
fi
echo "unsafe code only in Sources/DarkNumberLinearAlgebra"
# The CLI parses, calls the library once and prints a DarkNumberReports rendering (issue 20): its
# size is a guard against statistics or rendering creeping back in.
cli_lines=$(find Sources/darknumber -name '*.swift' -exec cat {} + | wc -l)
if (( cli_lines > 2500 )); then
  echo "Sources/darknumber has $cli_lines lines (at most 2,500): move analyses to the library and renderings to DarkNumberReports" >&2
  exit 1
fi
echo "Sources/darknumber: $cli_lines lines (at most 2,500)"
