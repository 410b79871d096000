#!/usr/bin/env bash
# The R front end (bindings/R/darknumber): R from Debian when missing, then `R CMD check` (its
# testthat tests included) against the release CLI; errors and warnings fail, notes do not.
#
#   DARKNUMBER=/abs/path/to/darknumber bash scripts/test-r.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DARKNUMBER:?set DARKNUMBER to the release CLI}"
if ! command -v Rscript >/dev/null || ! Rscript -e 'stopifnot(requireNamespace("jsonlite", quietly = TRUE), requireNamespace("testthat", quietly = TRUE))' >/dev/null 2>&1; then
  echo "test-r: installing R, jsonlite and testthat from Debian"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    r-base-core r-cran-jsonlite r-cran-testthat >/dev/null
fi
work="$(mktemp -d)"
package="$PWD/bindings/R/darknumber"
(
  cd "$work"
  R CMD build "$package" >/dev/null
  DARKNUMBER="$DARKNUMBER" _R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual darknumber_*.tar.gz > check.log 2>&1 || true
  tail -n 3 check.log
  if ! grep -Eq '^Status: (OK|[0-9]+ NOTEs?)$' check.log; then
    cat check.log
    cat darknumber.Rcheck/tests/testthat.Rout.fail 2>/dev/null || true
    echo "test-r: R CMD check reported errors or warnings" >&2
    exit 1
  fi
)
rm -rf "$work"
