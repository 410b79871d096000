#!/usr/bin/env python3
"""Independent oracle for model selection: BIC selection with existence checks
(MultipleSystemsEstimation's estimate_population_bic), downhill search (downhill_fit) and the
jackknife acceleration of the BIC bootstrap, written from the papers with statsmodels' GLM for the
fits and scipy's HiGHS for the Fienberg-Rinaldo linear program. Nothing here calls DarkNumber.

Writes Tests/DarkNumberTests/Fixtures/statsmodels-selection.json.
Run from the repository root:  python3 Notebooks/reference/make_selection_fixtures.py
"""
import datetime
import itertools
import json
import math
import pathlib

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.optimize import linprog

root = pathlib.Path(__file__).resolve().parents[2]
tables = root / "Sources/DarkNumber/Datasets/CSV"


def load(name):
    frame = pd.read_csv(tables / f"{name}.csv")
    k = frame.shape[1] - 1
    counts = np.zeros(2**k)
    for row in frame.itertuples(index=False):
        h = sum(int(row[i]) << i for i in range(k))
        counts[h] += row[k]
    return k, counts


def column(term, h):
    return 1.0 if (h & term) == term else 0.0


def all_terms(model, k):
    """Intercept 0, main effects, then the model's interactions (bitmasks)."""
    return [0] + [1 << i for i in range(k)] + sorted(model, key=lambda t: (bin(t).count("1"), t))


def reduce(model, k, y):
    """Terms whose marginal is zero are at -inf: drop them and every cell containing them."""
    terms = all_terms(model, k)
    cells = range(1, 2**k)
    marginal = {t: sum(y[h] for h in cells if (h & t) == t) for t in terms}
    boundary = [t for t in terms if t != 0 and marginal[t] == 0]
    kept_cells = [h for h in cells if not any((h & b) == b for b in boundary)]
    kept_terms = [t for t in terms if t not in boundary]
    design = np.array([[column(t, h) for t in kept_terms] for h in kept_cells])
    return terms, boundary, kept_cells, kept_terms, design


def exists(model, k, y):
    """SparseMSE checkident: LP max s s.t. A'x = A'y, x - s >= 0, x >= 0 on the reduced design
    (only interactions are set to -inf), and full column rank."""
    terms = all_terms(model, k)
    cells = range(1, 2**k)
    boundary = [t for t in terms if bin(t).count("1") >= 2 and sum(y[h] for h in cells if (h & t) == t) == 0]
    kept_cells = [h for h in cells if not any((h & b) == b for b in boundary)]
    kept_terms = [t for t in terms if t not in boundary]
    a = np.array([[column(t, h) for t in kept_terms] for h in kept_cells])
    counts = np.array([y[h] for h in kept_cells])
    m = len(kept_cells)
    # variables x_1..x_m, s; minimise -s
    objective = np.zeros(m + 1)
    objective[m] = -1
    equality = np.hstack([a.T, np.zeros((a.shape[1], 1))])
    inequality = np.hstack([-np.eye(m), np.ones((m, 1))])  # s - x_i <= 0
    result = linprog(objective, A_ub=inequality, b_ub=np.zeros(m), A_eq=equality, b_eq=a.T @ counts,
                     bounds=[(0, None)] * m + [(None, None)], method="highs")
    lp_ok = result.status == 0 and -result.fun > 1e-9
    rank_ok = np.linalg.matrix_rank(a) == a.shape[1]
    return lp_ok and rank_ok


def fit(model, k, y):
    """BIC (all parameters, -inf ones included, log n) and N-hat, or None when rank deficient."""
    terms, boundary, kept_cells, kept_terms, design = reduce(model, k, y)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        return None
    counts = np.array([y[h] for h in kept_cells])
    glm = sm.GLM(counts, design, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=300)
    n = y.sum()
    loglik = glm.llf  # includes -log y!; removed cells contribute 0
    return {"bic": len(terms) * math.log(n) - 2 * loglik, "total": n + math.exp(glm.params[0])}


def hierarchical_models(k, max_order):
    """Every hierarchical model with main effects and interactions of 2..max_order lists."""
    candidates = [t for t in range(1, 2**k) if 2 <= bin(t).count("1") <= max_order]
    models = [frozenset()]
    # grow by adding terms whose subsets of size >= 2 are present (breadth over term sets)
    seen = {frozenset()}
    frontier = [frozenset()]
    while frontier:
        nxt = []
        for model in frontier:
            for t in candidates:
                if t in model:
                    continue
                subsets = [t & ~(1 << i) for i in range(k) if t >> i & 1]
                if all(bin(s).count("1") < 2 or s in model for s in subsets):
                    grown = model | {t}
                    if grown not in seen:
                        seen.add(grown)
                        models.append(grown)
                        nxt.append(grown)
        frontier = nxt
    return models


def notation(model, k):
    """Generating class in Rcapture notation, e.g. [12,25,3,4]."""
    roots = [t for t in model if not any(o != t and (o & t) == t for o in model)]
    covered = 0
    for t in model:
        covered |= t
    parts = ["".join(str(i + 1) for i in range(k) if t >> i & 1) for t in sorted(roots)]
    parts += [str(i + 1) for i in range(k) if not covered >> i & 1]
    return "[" + ",".join(parts) + "]"


def bic_selection(k, y, max_order, models=None):
    ranked = []
    for model in models if models is not None else hierarchical_models(k, max_order):
        result = fit(model, k, y)
        if result is not None and math.isfinite(result["bic"]):
            ranked.append((result["bic"], model, result))
    ranked.sort(key=lambda r: r[0])
    for bic, model, result in ranked:
        if exists(model, k, y):
            return model, result
    return None, None


def neighbours(model, k, max_order):
    roots = [t for t in model if not any(o != t and (o & t) == t for o in model)]
    inner = [model - {r} for r in roots]
    outer = []
    for t in range(1, 2**k):
        size = bin(t).count("1")
        if size < 2 or size > max_order or t in model:
            continue
        subsets = [t & ~(1 << i) for i in range(k) if t >> i & 1]
        if all(bin(s).count("1") < 2 or s in model for s in subsets):
            outer.append(model | {t})
    return inner + outer


def downhill(k, y, max_order, steps=20):
    current = frozenset()
    start = fit(current, k, y)
    if start is None or not exists(current, k, y):
        return None
    best = start
    considered = {current}
    path = [current]
    for _ in range(steps):
        new = [m for m in neighbours(current, k, max_order) if m not in considered]
        if not new:
            break
        considered.update(new)
        scored = []
        for m in new:
            if not exists(m, k, y):
                continue
            result = fit(m, k, y)
            if result is not None:
                scored.append((result["bic"], m, result))
        if not scored:
            break
        bic, m, result = min(scored, key=lambda r: r[0])
        if bic >= best["bic"]:
            break
        current, best = m, result
        path.append(current)
    return {"path": [notation(m, k) for m in path], "total": best["total"], "bic": best["bic"],
            "considered": len(considered)}


def jackknife_acceleration(k, y, estimate):
    """SparseMSE's acceleration: delete one individual of each observed history, re-estimate,
    weight each residual by its history's count."""
    estimates, weights = [], []
    for h in range(1, 2**k):
        if y[h] <= 0:
            continue
        reduced = y.copy()
        reduced[h] -= 1
        estimates.append(estimate(reduced))
        weights.append(y[h])
    estimates, weights = np.array(estimates), np.array(weights)
    mean = (weights * estimates).sum() / weights.sum()
    d = mean - estimates
    return float((weights * d**3).sum() / (6 * (weights * d**2).sum() ** 1.5))


def bic_jackknife_acceleration(k, y, max_order):
    """The BIC bootstrap re-selects among the models that pass the existence check on the data."""
    candidates = [m for m in hierarchical_models(k, max_order) if exists(m, k, y)]
    return jackknife_acceleration(k, y, lambda counts: bic_selection(k, counts, max_order, candidates)[1]["total"])


def parse(text):
    """[12,13,24] -> frozenset of bitmasks of its terms and their subsets of size >= 2."""
    model = set()
    for part in text.strip("[]").split(","):
        lists = [int(c) - 1 for c in part]
        for size in range(2, len(lists) + 1):
            for subset in itertools.combinations(lists, size):
                model.add(sum(1 << i for i in subset))
    return frozenset(model)


results = {}
for name, max_order in [("UKdat_5", 2), ("kosovo_aggregate", 3), ("Western", 2), ("Ned_5", 2)]:
    k, y = load(name)
    model, result = bic_selection(k, y, max_order)
    entry = {
        "bic": {"maxOrder": max_order, "model": notation(model, k), "total": result["total"],
                "value": result["bic"]},
        "downhill": downhill(k, y, k - 1),
    }
    if name == "UKdat_5":
        fixed = "[12,13,24,25,35,45]"
        entry["fixedJackknifeAcceleration"] = {"model": fixed, "total": fit(parse(fixed), k, y)["total"],
                                               "ahat": jackknife_acceleration(k, y, lambda counts: fit(parse(fixed), k, counts)["total"])}
    if name == "kosovo_aggregate":
        entry["jackknifeAcceleration"] = {"maxOrder": max_order, "ahat": bic_jackknife_acceleration(k, y, max_order)}
    results[name] = entry
    print(name, json.dumps(entry))

document = {
    "software": {"statsmodels": statsmodels.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
    "generated": datetime.date.today().isoformat(),
    "method": "GLM Poisson (tol 1e-13), BIC = (all parameters incl. -inf) log n - 2 loglik; existence: "
              "Fienberg-Rinaldo LP (HiGHS), s* > 1e-9, plus full rank; downhill as MultipleSystemsEstimation "
              "downhill_fit (max order K-1, 20 steps)",
    "results": results,
}
out = root / "Tests/DarkNumberTests/Fixtures/statsmodels-selection.json"
out.write_text(json.dumps(document, indent=1) + "\n")
print("wrote", out)
