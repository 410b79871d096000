#!/usr/bin/env bash
# LCMCR's C++ sampler and ours on Kosovo, timed side by side in one run, alternating rounds so a
# change in the machine's speed hits both: LCMCR 0.4.14 `lcmCR(K = 10, a = b = 0.25)` +
# `lcmCR_PostSampl(burnin = 10000, samples = 10000, thinning = 10)` (110,000 sweeps), and
# `fit-timing --bayes lcmcr` (one chain, same sweeps). Each round prints both medians of three
# runs and their ratio; the last line gives the median ratio over the rounds.
#
# Needs R with LCMCR, which is not on CRAN's Debian mirror: install R and GSL from Debian
# (`apt-get install r-base-core r-base-dev libgsl-dev`), then LCMCR 0.4.14 from its source
# (`R CMD INSTALL -l DIR LCMCR`), and point LCMCR_LIB at DIR if it is not R's default library.
# Usage: bash Benchmarks/lcmcr_side_by_side.sh [rounds]   (from the repository root; default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
export OPENBLAS_NUM_THREADS=1
lib="${LCMCR_LIB:-}"
if ! command -v Rscript >/dev/null || ! Rscript -e "suppressMessages(library(LCMCR, lib.loc = c('$lib', .libPaths())[nzchar(c('$lib', .libPaths()))]))" >/dev/null 2>&1; then
  echo "lcmcr_side_by_side.sh: needs Rscript with the LCMCR package (see the comment at the top)." >&2
  exit 1
fi
swift build -c release --package-path Benchmarks --product fit-timing >/dev/null
ours=Benchmarks/.build/release/fit-timing
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The same 15 capture patterns as Sources/DarkNumber/Datasets/CSV/kosovo_aggregate.csv, as the
# frequency table LCMCR takes with `tabular = TRUE`.
cat >"$work/lcmcr.R" <<EOF
paths <- c("$lib", .libPaths())
suppressMessages(library(LCMCR, lib.loc = paths[nzchar(paths)]))
table <- read.csv("Sources/DarkNumber/Datasets/CSV/kosovo_aggregate.csv")
names(table)[names(table) == "count"] <- "Freq"
for (list in setdiff(names(table), "Freq")) table[[list]] <- factor(table[[list]], levels = c(0, 1))
times <- numeric(0)
for (run in 1:3) {
  start <- proc.time()[["elapsed"]]
  sampler <- lcmCR(captures = table, tabular = TRUE, K = 10, a_alpha = 0.25, b_alpha = 0.25,
                   seed = 20240601, verbose = FALSE)
  draws <- lcmCR_PostSampl(sampler, burnin = 10000, samples = 10000, thinning = 10, output = FALSE)
  times <- c(times, proc.time()[["elapsed"]] - start)
}
cat(sprintf("%.4f %d\n", median(times), as.integer(median(draws))))
EOF
echo "| round | LCMCR C++ (median of 3) | LCMCR posterior median | ours (median of 3) | ratio |"
echo "|---:|---:|---:|---:|---:|"
ratios=()
for round in $(seq "$rounds"); do
  read -r theirs median < <(Rscript "$work/lcmcr.R")
  mine=$("$ours" --bayes lcmcr 3 | python3 -c "import json, sys; print(json.load(sys.stdin)['lcmcr_kosovo_one_chain_median_seconds'])")
  ratio=$(python3 -c "print(f'{$theirs / $mine:.2f}')")
  ratios+=("$ratio")
  printf "| %d | %.3f s | %s | %.3f s | %s× |\n" "$round" "$theirs" "$median" "$mine" "$ratio"
done
python3 -c "import statistics, sys; print(f'median ratio over {len(sys.argv) - 1} rounds: {statistics.median(map(float, sys.argv[1:])):.2f}×')" "${ratios[@]}"
