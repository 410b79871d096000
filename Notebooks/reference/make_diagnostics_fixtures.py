"""Oracle for DarkNumberBayes' convergence diagnostics: ArviZ's split-R-hat (`rhat(method="split")`)
and effective sample size (`ess(method="mean")`) on synthetic chains.

Writes Tests/DarkNumberBayesTests/Fixtures/arviz-diagnostics.json. Run from the repository root:
    pip install arviz==0.23.4 numpy && python3 Notebooks/reference/make_diagnostics_fixtures.py
"""
import json
import os
import warnings

import numpy as np

warnings.simplefilter("ignore")
import arviz as az  # noqa: E402

rng = np.random.default_rng(20261129)


def ar1(chains, draws, rho, shift=None):
    out = np.empty((chains, draws))
    for c in range(chains):
        x = rng.normal()
        for i in range(draws):
            x = rho * x + np.sqrt(1 - rho * rho) * rng.normal()
            out[c, i] = x + (shift[c] if shift is not None else 0.0)
    return out


cases = {
    "iid 4x500": rng.normal(size=(4, 500)),
    "ar1 0.9 4x1000": ar1(4, 1000, 0.9),
    "ar1 0.5 1x801": ar1(1, 801, 0.5),
    "shifted means 3x400": ar1(3, 400, 0.3, shift=[0.0, 0.5, 2.0]),
    "antithetic 2x300": ar1(2, 300, -0.6),
    "integer draws 2x600": np.round(50 * ar1(2, 600, 0.95)) + 10000,
}
result = {
    "software": {"arviz": az.__version__, "numpy": np.__version__},
    "about": "ArviZ rhat(method='split') and ess(method='mean') of synthetic chains (rows)",
    "cases": [],
}
for name, chains in cases.items():
    result["cases"].append({
        "name": name,
        "chains": chains.tolist(),
        # ArviZ needs two chains for R-hat: NaN becomes null.
        "rhat": None if np.isnan(rhat := float(az.rhat(chains, method="split"))) else rhat,
        "ess": float(az.ess(chains, method="mean")),
    })
path = os.path.join("Tests", "DarkNumberBayesTests", "Fixtures", "arviz-diagnostics.json")
with open(path, "w") as f:
    json.dump(result, f)
print("wrote", path)
for case in result["cases"]:
    print(case["name"], case["rhat"], case["ess"])
