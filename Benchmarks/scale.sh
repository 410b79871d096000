#!/usr/bin/env bash
# Scale benchmarks (issue: simulation and scale), timed with /usr/bin/time -v for wall time and
# peak resident memory, each in one run of the release CLI:
#   1. streaming aggregation of one-row-per-person CSVs of 1M, 3M and 10M rows (5 lists);
#   2. main effects + all two-way terms on 1M people over 5, 10, 15 and 20 lists;
#   3. simulation studies of Mt + stepwise on a 5-list scenario, 100 and 1,000 replicates.
# Usage: bash Benchmarks/scale.sh   (from the repository root; needs python3 with numpy)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product darknumber >/dev/null
bin=.build/release/darknumber
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
measure() {  # label, command…
  local label="$1"; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$work/time"
  local wall memory
  wall=$(grep "Elapsed (wall clock)" "$work/time" | awk '{print $NF}')
  memory=$(grep "Maximum resident set size" "$work/time" | awk '{print $NF}')
  printf "| %s | %s | %.1f MB |\n" "$label" "$wall" "$(echo "$memory / 1024" | bc -l)"
}
echo "| task | wall time (m:ss) | peak memory |"
echo "|---|---:|---:|"
for rows in 1000000 3000000 10000000; do
  python3 Benchmarks/make_per_person.py "$rows" 5 "$work/people.csv"
  measure "aggregate $(printf "%'d" "$rows") rows × 5 lists, Mt" "$bin" estimate "$work/people.csv" --per-person --interval wald
done
for lists in 5 10 15 20; do
  python3 Benchmarks/make_per_person.py 1000000 "$lists" "$work/people.csv"
  measure "1M rows × $lists lists: read + main effects + all two-way ($((1 + lists + lists * (lists - 1) / 2)) parameters, $((2 ** lists - 1)) cells)" "$bin" estimate "$work/people.csv" --per-person --model all:2 --interval wald
done
for replicates in 100 1000; do
  measure "study: Mt + stepwise, $replicates replicates, 5-list scenario (N = 2,000), 2 threads" "$bin" simulate Notebooks/scenarios/sparse-five-lists-scenario.json --replicates "$replicates" --estimators mt,stepwise --seed 1 --threads 2
done
