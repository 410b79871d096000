#!/usr/bin/env python3
"""The pooled coverage quoted in README and docs/cli.md: `darknumber validate` with every method on
the bundled tables of people, held-out lists pooled per method (coverage of the 95% intervals and
mean log(estimate / known)).

Run from the repository root after `swift build -c release --product darknumber`:
    python3 Notebooks/reference/validation_coverage.py [path/to/darknumber]
"""
import collections
import json
import subprocess
import sys

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/release/darknumber"
TABLES = ["UKdat_5", "UKdat", "Ned_5", "Ned", "NewOrl_5", "NewOrl", "kosovo_aggregate", "Western"]
METHODS = ["mt", "stepwise", "bic", "aic", "dga", "latent-class"]

pool = collections.defaultdict(lambda: {"lists": 0, "estimated": 0, "judged": 0, "covered": 0, "errors": []})
for table in TABLES:
    run = subprocess.run(
        [binary, "validate", "--example", table, "--method", *METHODS, "--format", "json", "--no-progress"],
        capture_output=True, text=True, check=True)
    for row in json.loads(run.stdout)["rows"]:
        entry = pool[row["method"]]
        entry["lists"] += 1
        if row.get("estimate") is None:
            continue
        entry["estimated"] += 1
        if row.get("covered") is not None:
            entry["judged"] += 1
            entry["covered"] += row["covered"]
        if row.get("logRelativeError") is not None:
            entry["errors"].append(row["logRelativeError"])

print("method        lists  estimated  coverage  mean log(estimate/known)")
for method in METHODS:
    entry = pool[method]
    coverage = entry["covered"] / entry["judged"] if entry["judged"] else float("nan")
    bias = sum(entry["errors"]) / len(entry["errors"]) if entry["errors"] else float("nan")
    print(f"{method:12s} {entry['lists']:6d} {entry['estimated']:10d} {coverage:9.2f} {bias:+10.2f}")
