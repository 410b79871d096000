#!/usr/bin/env python3
"""Independent oracle for `darknumber validate --method mt`: writes
Tests/DarkNumberTests/Fixtures/statsmodels-validation.json.

For each bundled table and each list j, the people on j form a table over the other lists whose
all-zero cell (people only on j) is known (Binette & Steorts 2022). The independence model is
fitted to that table with statsmodels' Poisson GLM (design built here from 0/1 indicators,
tolerance 1e-13), and the estimate of the held-out cell is exp(β̂₀), with SparseMSE's interval
exp(β̂₀ ± z·SE(β̂₀)) for it.

Run from the repository root:  python3 Notebooks/reference/make_validation_fixtures.py
"""
import datetime
import json
import math

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import norm

from reference_tables import read_table, root
TABLES = ["UKdat_5", "Ned_5", "kosovo_aggregate", "Western", "NewOrl_5", "dga_MY5"]
LEVEL = 0.95


def held_out(table):
    names, counts = read_table(table)
    k = len(names)
    rows = []
    for j in range(k):
        others = [i for i in range(k) if i != j]
        known = counts.get(1 << j, 0)
        sub = {}
        for h, c in counts.items():
            if h >> j & 1 and h != 1 << j:
                g = sum(((h >> i) & 1) << position for position, i in enumerate(others))
                sub[g] = sub.get(g, 0) + c
        m = len(others)
        histories = range(1, 2**m)
        y = np.array([sub.get(g, 0) for g in histories], dtype=float)
        design = np.column_stack(
            [np.ones(len(y))] + [np.array([(g >> i) & 1 for g in histories], dtype=float) for i in range(m)])
        result = sm.GLM(y, design, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
        b0, se = result.params[0], result.bse[0]
        z = norm.ppf(0.5 + LEVEL / 2)
        registered = int(sum(c for h, c in counts.items() if h >> j & 1))
        if not (np.isfinite(se) and se < 30):
            # The unobserved cell runs off to infinity: no estimate (DarkNumber: a typed error).
            rows.append({"list": names[j], "registered": registered, "known": known, "exists": False})
            continue
        rows.append({
            "list": names[j], "registered": registered, "known": known, "exists": True,
            "estimate": math.exp(b0),
            "logWald": [math.exp(b0 - z * se), math.exp(b0 + z * se)],
        })
    return rows


document = {
    "generator": "Notebooks/reference/make_validation_fixtures.py",
    "date": datetime.date.today().isoformat(),
    "scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "level": LEVEL,
    "tables": {table: held_out(table) for table in TABLES},
}
out = root / "Tests/DarkNumberTests/Fixtures/statsmodels-validation.json"
out.write_text(json.dumps(document, indent=2) + "\n")
print(f"wrote {out}")
for table, rows in document["tables"].items():
    for row in rows:
        if row["exists"]:
            print(table, row["list"], row["known"], round(row["estimate"], 1), [round(x, 1) for x in row["logWald"]])
        else:
            print(table, row["list"], row["known"], "no estimate")
