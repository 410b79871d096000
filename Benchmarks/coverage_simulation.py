#!/usr/bin/env python3
"""Coverage-aware against naive multiple-systems estimation when one list starts late (a simulation
with a known truth; the acceptance figure for `darknumber estimate --coverage`).

What it simulates
-----------------
A Dutch-shaped population of trafficking victims over six years, 2010-2015, with three covariates:
year, gender (F/M) and exploitation (sexual/labour/other), and four lists:

    PO  police               capture probability by exploitation: sexual 0.25, labour 0.08, other 0.12
    IN  labour inspectorate  by exploitation:                     sexual 0.05, labour 0.25, other 0.10
    OT  other organisations  by gender:                           F 0.18, M 0.10
    KM  border police        by gender:                           F 0.10, M 0.25
        (Koninklijke Marechaussee) -- it STARTS IN 2012: it did not operate in 2010 and 2011.

The truth: 1,000, 1,100, 1,200, 1,300, 1,400 and 1,500 victims in 2010..2015 (7,500 in all); those
year sizes are fixed. In every replicate each year's victims are split over gender x exploitation by
a multinomial draw with the same probabilities every year (F-sexual 0.50, F-labour 0.08, F-other 0.10,
M-sexual 0.07, M-labour 0.17, M-other 0.08 -- gender and exploitation are associated, year is
independent of both). Every victim is then captured by each list independently given (gender,
exploitation) with the probabilities above; KM's captures in 2010-2011 are set to 0. The observed
histories (nobody on no list) are aggregated to a CSV with PO, IN, OT, KM, year, gender,
exploitation and count.

The model "PO:exploitation, IN:exploitation, OT:gender, KM:gender, gender:exploitation" (plus every
covariate's main effect, which DarkNumber always adds) is therefore the CORRECT model for the
generating mechanism: lists are independent given the covariates, each list's capture probability
depends only on the covariate it is crossed with, and the population's covariate distribution is
year x (gender x exploitation). Each replicate's table is fitted with that same model twice:

  (a) coverage-aware: `--coverage` with a file saying KM did not operate in 2010 and 2011 (the cells
      with KM = 1 in those years are structural zeros; KM's parameters come from 2012-2015 only);
  (b) naive: no coverage file, so KM's non-operation in 2010-2011 is read as "nobody there was caught
      by KM".

The naive fit is biased because the model has no KM x year term: it pools KM's capture probability
over all six years, so in 2010-2011 it believes KM could have caught (on average) about 11% of the
victims and missed them, i.e. it thinks the observed victims of those years are a LARGER share of the
population than they are, and underestimates 2010 and 2011; in 2012-2015 the pooled KM probability is
too low, which overestimates those years slightly. (Adding KM:year to the naive model would push
KM:year2010/2011 to -infinity and reproduce the aware fit; we deliberately fit the same, correct
model both ways. Under coverage a KM:year term is only partly estimable, so it is not used.)

The naive TOTAL, on the other hand, is exactly the aware total (to ~1e-11) in this design: with no
list x year term and year independent of gender and exploitation, summing the aware model's fitted
table over year gives a table in the naive model's family (KM's capture odds diluted by the share of
victims in 2012-2015, the same in every gender x exploitation cell), and the likelihood factors into
that year-collapsed part and a year-given-history part, so both fits give the same year-collapsed
unobserved cells. The naive error is in how the total is split over the years. `--drift D` breaks
the identity: labour exploitation's weight grows by D a year (a year x exploitation association, so
"year:exploitation" joins the truth and both models); the naive total then differs slightly from
the aware total (about -0.2% at D = 0.3), and the per-year picture is the same.

For every year and for the total it records each method's N-hat, the 95% log-normal interval
(method "lognormal" in the JSON breakdown[].intervals; for the total, intervals[]), whether the
interval covers the true size, and the relative bias (N-hat - truth) / truth. It prints a Markdown
table (year, truth, aware mean N-hat, relative bias, coverage, naive mean N-hat, relative bias,
coverage) and the run time.

How to run (numpy only; no network). Build the CLI first:
    cd /work/main && swift build -c release --product darknumber
    python3 Benchmarks/coverage_simulation.py                    # 200 replicates, seed 20260
    python3 Benchmarks/coverage_simulation.py --replicates 50 --seed 7 --output /tmp/sim.json
    python3 Benchmarks/coverage_simulation.py --drift 0.3
It takes about 10 s for 200 replicates (400 fits of a 576-cell table) on two cores.
Options: --drift D (see above; default 0), --replicates R (default 200), --seed S (replicate r draws from numpy's
default_rng(SeedSequence([S, r]))), --darknumber PATH (default ../.build/release/darknumber relative
to this script's folder), --jobs J (parallel darknumber processes, default 2), --output JSON (every
replicate's numbers).
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

YEARS = [2010, 2011, 2012, 2013, 2014, 2015]
TRUTH = {2010: 1000, 2011: 1100, 2012: 1200, 2013: 1300, 2014: 1400, 2015: 1500}
GENDERS = ["F", "M"]
EXPLOITATIONS = ["sexual", "labour", "other"]
# P(gender, exploitation) within a year, same every year
COMPOSITION = {
    ("F", "sexual"): 0.50, ("F", "labour"): 0.08, ("F", "other"): 0.10,
    ("M", "sexual"): 0.07, ("M", "labour"): 0.17, ("M", "other"): 0.08,
}
LISTS = ["PO", "IN", "OT", "KM"]
P_PO = {"sexual": 0.25, "labour": 0.08, "other": 0.12}
P_IN = {"sexual": 0.05, "labour": 0.25, "other": 0.10}
P_OT = {"F": 0.18, "M": 0.10}
P_KM = {"F": 0.10, "M": 0.25}
KM_START = 2012
MODEL = "PO:exploitation, IN:exploitation, OT:gender, KM:gender, gender:exploitation"
COVARIATES = "year,gender,exploitation"
LEVEL = 0.95


def capture_probabilities(gender, exploitation):
    return np.array([P_PO[exploitation], P_IN[exploitation], P_OT[gender], P_KM[gender]])


def composition(year, drift):
    """P(gender, exploitation) in a year: COMPOSITION, with labour exploitation's weight multiplied
    by 1 + drift * (year - 2010) (renormalised) -- a year x exploitation association."""
    cells = list(COMPOSITION)
    weights = np.array([COMPOSITION[c] * (1 + drift * (year - YEARS[0]) if c[1] == "labour" else 1)
                        for c in cells])
    return cells, weights / weights.sum()


def model(drift):
    return MODEL + (", year:exploitation" if drift else "")


def simulate_table(rng, drift=0.0):
    """One replicate: {(history tuple, year, gender, exploitation): count} over observed histories."""
    weights = 1 << np.arange(len(LISTS))[::-1]  # history as a K-bit number, PO the high bit
    table = {}
    for year in YEARS:
        cells, shares = composition(year, drift)
        sizes = rng.multinomial(TRUTH[year], shares)
        for (gender, exploitation), n in zip(cells, sizes):
            if n == 0:
                continue
            captured = rng.random((n, len(LISTS))) < capture_probabilities(gender, exploitation)
            if year < KM_START:
                captured[:, LISTS.index("KM")] = False
            codes = captured.astype(np.int64) @ weights
            counts = np.bincount(codes, minlength=1 << len(LISTS))
            for code in range(1, 1 << len(LISTS)):
                if counts[code]:
                    history = tuple((code >> (len(LISTS) - 1 - i)) & 1 for i in range(len(LISTS)))
                    table[(history, year, gender, exploitation)] = int(counts[code])
    return table


def write_table(table, path):
    with open(path, "w") as f:
        f.write(",".join(LISTS) + ",year,gender,exploitation,count\n")
        for (history, year, gender, exploitation), count in sorted(table.items()):
            f.write(",".join(map(str, history)) + f",{year},{gender},{exploitation},{count}\n")


def write_coverage(path):
    with open(path, "w") as f:
        f.write("year," + ",".join(LISTS) + "\n")
        for year in YEARS:
            if year < KM_START:
                f.write(f"{year}," + ",".join("0" if name == "KM" else "1" for name in LISTS) + "\n")


def lognormal(intervals):
    for interval in intervals:
        if interval["method"] == "lognormal":
            upper = float("inf") if interval.get("upperUnbounded") else interval["upper"]
            return interval["lower"], upper
    raise ValueError("no lognormal interval in the output")


def fit(darknumber, data, coverage, drift):
    command = [darknumber, "estimate", data, "--covariates", COVARIATES, "--model", model(drift),
               "--by", "year", "--interval", "lognormal", "--format", "json"]
    if coverage is not None:
        command += ["--coverage", coverage]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {run.returncode}: {run.stderr.strip()}")
    document = json.loads(run.stdout)
    result = {"warnings": document.get("warnings", []), "structuralZeros": document.get("structuralZeros")}
    lower, upper = lognormal(document["intervals"])
    result["total"] = {"estimate": document["estimate"]["total"], "lower": lower, "upper": upper,
                       "observed": document["data"]["observed"]}
    result["years"] = {}
    for row in document["breakdown"]:
        if row["covariate"] != "year":
            continue
        lower, upper = lognormal(row["intervals"])
        result["years"][int(row["level"])] = {
            "estimate": row["total"], "lower": lower, "upper": upper, "observed": row["observed"],
            "standardError": row["standardError"], "estimateExists": row["estimateExists"]}
    return result


def replicate(r, seed, darknumber, workdir, coverage, drift):
    rng = np.random.default_rng(np.random.SeedSequence([seed, r]))
    table = simulate_table(rng, drift)
    data = os.path.join(workdir, f"replicate-{r}.csv")
    write_table(table, data)
    aware = fit(darknumber, data, coverage, drift)
    naive = fit(darknumber, data, None, drift)
    os.remove(data)
    return {"replicate": r, "aware": aware, "naive": naive}


def summarise(results):
    rows = []
    for key, truth in [*((y, TRUTH[y]) for y in YEARS), ("total", sum(TRUTH.values()))]:
        row = {"year": key, "truth": truth}
        for method in ("aware", "naive"):
            cells = [res[method]["total"] if key == "total" else res[method]["years"][key] for res in results]
            estimates = np.array([c["estimate"] for c in cells])
            covered = np.array([c["lower"] <= truth <= c["upper"] for c in cells])
            row[method] = {
                "meanEstimate": float(estimates.mean()),
                "relativeBias": float(estimates.mean() / truth - 1),
                "empiricalSD": float(estimates.std(ddof=1)) if len(estimates) > 1 else 0.0,
                "coverage": float(covered.mean()),
                "meanObserved": float(np.mean([c["observed"] for c in cells])),
            }
        rows.append(row)
    return rows


def markdown(rows, replicates):
    lines = [
        f"| year | truth | mean observed | aware mean N̂ | aware rel. bias | aware 95% log-normal coverage "
        f"| naive mean N̂ | naive rel. bias | naive coverage |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        a, n = row["aware"], row["naive"]
        lines.append(
            f"| {row['year']} | {row['truth']:,} | {a['meanObserved']:,.1f} "
            f"| {a['meanEstimate']:,.1f} | {a['relativeBias']:+.1%} | {a['coverage']:.1%} "
            f"| {n['meanEstimate']:,.1f} | {n['relativeBias']:+.1%} | {n['coverage']:.1%} |")
    return "\n".join(lines) + f"\n\n({replicates} replicates; coverage = share of replicates whose interval covers the truth.)"


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20260)
    parser.add_argument("--darknumber", default=str(here.parent / ".build" / "release" / "darknumber"))
    parser.add_argument("--jobs", type=int, default=2, help="parallel darknumber processes")
    parser.add_argument("--drift", type=float, default=0.0,
                        help="labour exploitation's weight grows by this share a year (0: none; "
                             "adds year:exploitation to the truth and the model)")
    parser.add_argument("--output", help="write every replicate's numbers and the summary to this JSON file")
    args = parser.parse_args()
    if not os.access(args.darknumber, os.X_OK):
        sys.exit(f"{args.darknumber} is not an executable; build it: swift build -c release --product darknumber")

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="coverage-simulation-") as workdir:
        coverage = os.path.join(workdir, "coverage.csv")
        write_coverage(coverage)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(replicate, r, args.seed, args.darknumber, workdir, coverage, args.drift)
                       for r in range(args.replicates)]
            results = [f.result() for f in futures]
    elapsed = time.perf_counter() - start

    rows = summarise(results)
    print(f"Truth per year: {', '.join(f'{y}: {TRUTH[y]:,}' for y in YEARS)}; KM operates from {KM_START}.")
    if args.drift:
        print(f"Composition drift: labour exploitation's weight x (1 + {args.drift:g} x (year - 2010)).")
    print(f"Model (both fits): \"{model(args.drift)}\" + main effects of year, gender, exploitation.\n")
    print(markdown(rows, args.replicates))
    warned = {m: sum(1 for res in results if res[m]["warnings"]) for m in ("aware", "naive")}
    print(f"\nFits with warnings: aware {warned['aware']}, naive {warned['naive']}.")
    print(f"Run time: {elapsed:.1f} s for {args.replicates} replicates x 2 fits ({args.jobs} parallel jobs).")
    if args.output:
        with open(args.output, "w") as f:
            json.dump({"truth": {str(k): v for k, v in TRUTH.items()}, "model": model(args.drift),
                       "drift": args.drift, "seed": args.seed,
                       "replicates": args.replicates, "runTimeSeconds": elapsed,
                       "summary": rows, "results": results}, f, indent=1, default=str)


if __name__ == "__main__":
    main()
