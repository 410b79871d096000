#!/usr/bin/env python3
"""Independent oracle for goodness of fit: writes Tests/DarkNumberTests/Fixtures/scipy-goodness.json.

1. scipy's chi2.sf(x, df) on a grid of statistics and degrees of freedom (tails from 0.99 down to
   1e-225, and one that underflows to 0), for DarkNumber's χ² upper tail.
2. statsmodels GLM (Poisson, log link) fits of log-linear models on bundled tables, with the
   design built here from 0/1 list indicators: the deviance, Pearson's X² (`pearson_chi2`), the
   residual degrees of freedom, and the two p-values from chi2.sf.

Run from the repository root:  python3 Notebooks/reference/make_goodness_fixtures.py
"""
import datetime
import json

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import chi2

from reference_tables import closure, read_table, root

# (table, model as DarkNumber writes it, interaction generators as 0-based list positions)
CASES = [
    ("Ned", "Mt", []),
    ("UKdat_5", "Mt", []),
    ("UKdat_5", "[12,13,25,34]", [(0, 1), (0, 2), (1, 4), (2, 3)]),
    ("Western", "[23,1,4,5]", [(1, 2)]),
    ("lesbian", "[12,34]", [(0, 1), (2, 3)]),
    ("kosovo_aggregate", "[123,14]", [(0, 1, 2), (0, 3)]),
    ("dga_MY3", "[12,3]", [(0, 1)]),
]

GRID = [(0.5, 1), (3.84, 1), (12.0, 1), (30.0, 3), (1.0, 10), (9.0, 10), (55.0, 56), (448.9, 56),
        (80.0, 2), (1200.0, 40), (0.01, 2), (250.0, 200), (5.0, 5), (2000.0, 31)]


def fit(table, label, generators):
    names, counts = read_table(table)
    k = len(names)
    histories = range(1, 2**k)
    y = np.array([counts.get(h, 0) for h in histories], dtype=float)
    columns = [np.ones(len(y))]
    for i in range(k):
        columns.append(np.array([(h >> i) & 1 for h in histories], dtype=float))
    for term in closure(generators):
        columns.append(np.array([float(all((h >> i) & 1 for i in term)) for h in histories]))
    design = np.column_stack(columns)
    result = sm.GLM(y, design, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
    df = int(result.df_resid)
    return {
        "table": table, "model": label, "deviance": result.deviance, "pearson": result.pearson_chi2,
        "degreesOfFreedom": df, "pValue": chi2.sf(result.deviance, df),
        "pearsonPValue": chi2.sf(result.pearson_chi2, df),
    }


document = {
    "generator": "Notebooks/reference/make_goodness_fixtures.py",
    "date": datetime.date.today().isoformat(),
    "scipy": scipy.__version__, "statsmodels": statsmodels.__version__,
    "tails": [{"x": x, "degreesOfFreedom": df, "survival": chi2.sf(x, df)} for x, df in GRID],
    "fits": [fit(*case) for case in CASES],
}
out = root / "Tests/DarkNumberTests/Fixtures/scipy-goodness.json"
out.write_text(json.dumps(document, indent=2) + "\n")
print(f"wrote {out}")
for entry in document["fits"]:
    print(entry["table"], entry["model"], entry["deviance"], entry["degreesOfFreedom"], entry["pValue"])
