"""Independent oracle for DarkNumber's log-linear models with covariates and STRUCTURAL ZEROS: lists
that did not operate for some covariate levels (Zwane, van der Pal-de Bruin & van der Heijden 2004,
"The multiple-record systems estimator when registrations refer to different but overlapping
populations", Statistics in Medicine 23:2267-2281).

From the synthetic trafficking table (four lists PO, KM, IN, OT; covariates year, gender,
exploitation) it derives, for each coverage pattern, a data set in which every record on a list that
did not operate for the record's covariate levels is deleted, and writes the data and the coverage
table (covariate columns with a level or `*` for any level, one 0/1 column per list; a list operated
for a combination of levels iff every matching row has 1 for it) to
Tests/DarkNumberTests/Fixtures/coverage/.

For every case the full table of histories 1..2^K-1 by covariate combinations (zeros included) is
built; the cells with a 1 on a non-operating list are structural zeros and are REMOVED. The design
(treatment contrasts, first sorted level the reference, R's model.matrix names, terms ordered by
number of factors and then by factor positions: lists first, covariates in the order given; the
first covariate's contrast varies fastest inside a term) is built here without patsy. Columns that
lie in the span of the previously kept columns on the remaining cells are dropped sequentially (R's
glm aliasing, coefficient NA); columns with a zero sufficient statistic (parameter at -inf) are
reported under `infinite` and removed with the cells they cover. statsmodels' Poisson GLM fits the
rest. For every combination c with at least two operating lists it records the fitted unobserved
cell mu_0c = exp(x_0c' beta), and totals N_S = n_S + sum mu_0c with SE sqrt(sum mu_0c + g'Vg),
g = sum mu_0c x_0c, V = statsmodels' cov_params. Combinations are numbered in mixed radix with the
first covariate varying fastest; levels sort as strings.

Self-checks: the fitted values equal those of statsmodels' GLM on the full (rank-deficient, pinv)
design restricted to the same cells; the MLE exists (Fienberg-Rinaldo linear program, scipy HiGHS);
every reported mu_0c is estimable (x_0c in the row space of the full design on the kept cells); no
NaN in the output; the main-effects fit that ignores the coverage gives different per-level totals.

Writes Tests/DarkNumberTests/Fixtures/coverage/*.csv and
Tests/DarkNumberTests/Fixtures/statsmodels-coverage.json. Run from the repository root:
    pip install statsmodels==0.15.0 pandas==3.1.1 scipy==1.17.1 && python3 Notebooks/reference/make_coverage_fixtures.py
"""
import itertools
import json
import os
import re
import warnings

import numpy as np
import pandas as pd
import patsy
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.optimize import linprog

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = os.path.join(ROOT, "Sources", "DarkNumber", "Datasets", "CSV", "covariates", "synthetic-trafficking.csv")
FIXTURES = os.path.join(ROOT, "Tests", "DarkNumberTests", "Fixtures")
OUT_DIR = os.path.join(FIXTURES, "coverage")
LISTS = ["PO", "KM", "IN", "OT"]
ALIAS_TOL = 1e-9

PATTERNS = {
    # name: (coverage covariate columns, rows as (levels..., PO, KM, IN, OT))
    "late-start": (["year"], [("2010", 1, 0, 1, 1), ("2011", 1, 0, 1, 1)]),
    "one-level": (["exploitation"], [("other", 1, 1, 0, 1), ("sexual", 1, 1, 0, 1)]),
    "two-incomplete": (["year", "exploitation"], [
        ("2010", "*", 1, 0, 1, 1), ("2011", "*", 1, 0, 1, 1),
        ("*", "other", 1, 1, 0, 1), ("*", "sexual", 1, 1, 0, 1)]),
    "one-list-stratum": (["year", "exploitation"], [
        ("2010", "sexual", 0, 0, 0, 1), ("*", "other", 1, 1, 0, 1), ("*", "sexual", 1, 1, 0, 1)]),
}

ALL = ["year", "gender", "exploitation"]
CASES = [
    # (pattern, covariates, model terms in DarkNumber's syntax)
    ("late-start", ALL, []),
    ("late-start", ALL, ["PO:KM", "KM:year"]),
    ("late-start", ALL, ["PO:OT", "KM:gender", "IN:exploitation", "PO:year"]),
    ("one-level", ALL, []),
    ("one-level", ALL, ["IN:exploitation", "PO:IN"]),
    ("one-level", ALL, ["KM:OT", "IN:gender", "OT:exploitation", "gender:exploitation"]),
    ("two-incomplete", ALL, []),
    ("two-incomplete", ALL, ["KM:year", "IN:exploitation"]),
    ("two-incomplete", ALL, ["PO:KM", "PO:IN", "KM:year", "IN:exploitation", "OT:gender", "year:exploitation"]),
    ("one-list-stratum", ALL, []),
    ("one-list-stratum", ALL, ["PO:exploitation"]),
    ("two-incomplete", ["year", "exploitation"], ["KM:year", "IN:exploitation"]),
]


# ---------------------------------------------------------------- coverage tables and data sets

def write_coverage(pattern):
    columns, rows = PATTERNS[pattern]
    frame = pd.DataFrame([[str(v) for v in row] for row in rows], columns=columns + LISTS)
    path = os.path.join(OUT_DIR, f"{pattern}-coverage.csv")
    frame.to_csv(path, index=False)
    return path


def read_coverage(path):
    """The coverage table as (covariate columns, [(levels, {list: 0/1})])."""
    frame = pd.read_csv(path, dtype=str)
    columns = [c for c in frame.columns if c not in LISTS]
    rows = [(dict(zip(columns, (r[c] for c in columns))), {l: int(r[l]) for l in LISTS})
            for _, r in frame.iterrows()]
    return columns, rows


def operating(coverage, levels):
    """Lists that operated for the covariate levels {name: level}: a list operated iff every
    matching row (all its non-* values equal) has 1 for it; no matching row: every list."""
    columns, rows = coverage
    result = []
    for l in LISTS:
        ok = True
        for keys, flags in rows:
            if all(v == "*" or levels[c] == v for c, v in keys.items()) and flags[l] == 0:
                ok = False
        if ok:
            result.append(l)
    return result


def derive(pattern):
    """Deletes every record on a list that did not operate for its levels; writes the data set."""
    coverage_path = write_coverage(pattern)
    coverage = read_coverage(coverage_path)
    base = pd.read_csv(BASE, dtype=str)
    keep = []
    for _, row in base.iterrows():
        ops = operating(coverage, {c: row[c] for c in ALL})
        keep.append(all(row[l] == "0" or l in ops for l in LISTS) and int(row["count"]) > 0)
    data = base[np.array(keep)]
    path = os.path.join(OUT_DIR, f"{pattern}-data.csv")
    data.to_csv(path, index=False)
    return path, coverage_path, int(base["count"].astype(int).sum()), int(data["count"].astype(int).sum())


# ---------------------------------------------------------------- table and design

def load_table(data_path, covariates, coverage):
    frame = pd.read_csv(data_path, dtype=str)
    frame["count"] = frame["count"].astype(int)
    assert set(coverage[0]) <= set(covariates), "coverage columns must be covariates of the case"
    counts = {}
    for _, r in frame.iterrows():
        h = sum(int(r[l]) << i for i, l in enumerate(LISTS))
        key = (h, tuple(r[c] for c in covariates))
        counts[key] = counts.get(key, 0) + r["count"]
    levels = {c: sorted(frame[c].unique()) for c in covariates}
    # mixed radix, first covariate fastest
    combos = [tuple(reversed(p)) for p in itertools.product(*[levels[c] for c in reversed(covariates)])]
    ops = [operating(coverage, dict(zip(covariates, combo))) for combo in combos]
    cells = []  # (history, combo index, count, structural)
    for ci, combo in enumerate(combos):
        off = sum(1 << i for i, l in enumerate(LISTS) if l not in ops[ci])
        for h in range(1, 2 ** len(LISTS)):
            y = counts.get((h, combo), 0)
            structural = (h & off) != 0
            assert not (structural and y > 0), "a record on a list that did not operate"
            cells.append((h, ci, y, structural))
    assert sum(counts.values()) == sum(c[2] for c in cells)
    return cells, combos, ops, levels


def closure(terms):
    sets = set()
    for term in terms:
        fs = term.split(":")
        for r in range(1, len(fs) + 1):
            for sub in itertools.combinations(fs, r):
                sets.add(frozenset(sub))
    return sets


def design_columns(covariates, levels, terms):
    """[(name, function(history, combo) -> 0/1)] in R's model.matrix order and naming."""
    factors = LISTS + covariates
    position = {f: i for i, f in enumerate(factors)}
    sets = closure(terms) | {frozenset([f]) for f in factors}
    ordered = sorted((tuple(sorted(s, key=position.get)) for s in sets),
                     key=lambda t: (len(t), [position[f] for f in t]))
    columns = [("(Intercept)", lambda h, combo: 1.0)]
    for term in ordered:
        lists = [f for f in term if f in LISTS]
        covs = [f for f in term if f not in LISTS]
        bits = sum(1 << LISTS.index(l) for l in lists)
        contrasts = [[(c, lv) for lv in levels[c][1:]] for c in covs]
        # first covariate's contrast varies fastest
        for combo_contrast in (tuple(reversed(p)) for p in itertools.product(*reversed(contrasts))):
            name = ":".join(lists + [c + lv for c, lv in combo_contrast])
            idx = [(covariates.index(c), lv) for c, lv in combo_contrast]

            def f(h, combo, bits=bits, idx=idx):
                return float((h & bits) == bits and all(combo[i] == lv for i, lv in idx))
            columns.append((name, f))
    return columns


def alias(X, tol=ALIAS_TOL):
    """Sequential rank check: column j is dropped when its residual after projection on the kept
    columns (orthonormal basis, Gram-Schmidt applied twice) is below tol relative to its norm."""
    kept, basis = [], np.zeros((X.shape[0], 0))
    for j in range(X.shape[1]):
        x = X[:, j]
        norm = np.linalg.norm(x)
        if norm == 0:
            continue
        r = x - basis @ (basis.T @ x)
        r = r - basis @ (basis.T @ r)
        if np.linalg.norm(r) / norm < tol:
            continue
        # confirm with lstsq on the kept columns
        if kept:
            coef = np.linalg.lstsq(X[:, kept], x, rcond=None)[0]
            assert np.linalg.norm(x - X[:, kept] @ coef) / norm >= tol
        kept.append(j)
        basis = np.column_stack([basis, r / np.linalg.norm(r)])
    return kept


def mle_exists(X, y):
    """Fienberg-Rinaldo: the MLE exists iff some m > 0 has X'm = X'y (max s, m >= s, s <= 1)."""
    n, p = X.shape
    c = np.zeros(n + 1)
    c[-1] = -1.0
    A_eq = np.column_stack([X.T, np.zeros(p)])
    A_ub = np.column_stack([-np.eye(n), np.ones(n)])
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=X.T @ y,
                  bounds=[(0, None)] * n + [(None, 1)], method="highs")
    return res.status == 0 and -res.fun > 1e-9, float(-res.fun)


def in_row_space(A, x, tol=1e-8):
    coef = np.linalg.lstsq(A.T, x, rcond=None)[0]
    return np.linalg.norm(A.T @ coef - x) <= tol * max(1.0, np.linalg.norm(x))


def patsy_checker(covariates, combos, terms):
    """Cross-check of the hand-built design: patsy's treatment coding of the same hierarchical model
    on the same cells (rank-deficient, statsmodels' pinv) must give the same fitted values and, after
    renaming to R's names, the same set of columns."""
    factors = LISTS + covariates
    sets = closure(terms) | {frozenset([f]) for f in factors}
    pieces = [":".join(f if f in LISTS else f"C({f})" for f in sorted(t, key=factors.index))
              for t in sorted(sets, key=lambda t: (len(t), sorted(factors.index(f) for f in t)))]
    formula = "y ~ " + " + ".join(pieces)

    def r_name(name):
        if name == "Intercept":
            return "(Intercept)"
        parts = []
        for piece in name.split(":"):
            m = re.fullmatch(r"C\((\w+)\)\[T\.(.*)\]", piece)
            parts.append((factors.index(m.group(1)), m.group(1) + m.group(2)) if m else (factors.index(piece), piece))
        return ":".join(p for _, p in sorted(parts))

    def check(rows, y, fitted, names):
        frame = pd.DataFrame([{**{l: (h >> i) & 1 for i, l in enumerate(LISTS)},
                               **dict(zip(covariates, combos[ci]))} for h, ci, _, _ in rows])
        frame["y"] = y
        Y, X = patsy.dmatrices(formula, frame, return_type="dataframe")
        assert sorted(r_name(c) for c in X.columns) == sorted(names), "patsy's columns differ"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            other = sm.GLM(Y, X, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
        gap = float(np.max(np.abs(np.asarray(other.fittedvalues) - fitted) / fitted))
        assert gap < 1e-7, gap
        return gap
    return check


# ---------------------------------------------------------------- fit

def fit(cells, combos, columns, use_structural=True, patsy_check=None):
    rows = [c for c in cells if not (use_structural and c[3])]
    X = np.array([[f(h, combos[ci]) for _, f in columns] for h, ci, _, _ in rows])
    y = np.array([float(c[2]) for c in rows])
    names = [n for n, _ in columns]
    dropped, infinite = [], []
    active_cols = list(range(len(names)))
    active_rows = np.ones(len(rows), dtype=bool)
    while True:
        kept_local = alias(X[np.ix_(active_rows, active_cols)])
        kept = [active_cols[j] for j in kept_local]
        dropped += [names[j] for j in active_cols if j not in kept]
        stats = X[active_rows][:, kept].T @ y[active_rows]
        zero = [j for j, s in zip(kept, stats) if s == 0 and names[j] != "(Intercept)"]
        active_cols = [j for j in kept if j not in zero]
        if not zero:
            break
        infinite += [names[j] for j in zero]
        for j in zero:
            assert np.all(y[X[:, j] != 0] == 0)
            active_rows &= X[:, j] == 0
    Xk = X[np.ix_(active_rows, active_cols)]
    yk = y[active_rows]
    model = sm.GLM(yk, Xk, family=sm.families.Poisson())
    result = model.fit(tol=1e-13, maxiter=200)
    iterations = int(result.fit_history["iteration"])
    converged = bool(result.converged) and iterations < 200
    # self-check: full design (pinv) on the same cells gives the same fitted values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = sm.GLM(yk, X[active_rows], family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
    fit_gap = float(np.max(np.abs(full.fittedvalues - result.fittedvalues) / np.maximum(result.fittedvalues, 1e-300)))
    assert fit_gap < 1e-7, fit_gap
    if patsy_check is not None:
        patsy_gap = patsy_check([rows[i] for i in np.flatnonzero(active_rows)], yk, result.fittedvalues, names)
    else:
        patsy_gap = None
    exists, lp = mle_exists(Xk, yk)
    return {
        "names": names, "kept": active_cols, "dropped": dropped, "infinite": infinite, "result": result,
        "cells": int(active_rows.sum()), "removed": len(cells) - len(rows), "X": X[active_rows],
        "converged": converged, "iterations": iterations, "fit_gap": fit_gap, "exists": exists, "lp": lp,
        "patsy_gap": patsy_gap,
    }


def totals(cells, combos, ops, columns, fitted, covariates, levels):
    names = fitted["names"]
    kept = fitted["kept"]
    beta = fitted["result"].params
    V = fitted["result"].cov_params()
    x0 = np.array([[f(0, combo) for _, f in columns] for combo in combos])
    estimable = [in_row_space(fitted["X"], x0[ci]) for ci in range(len(combos))]
    x0k = x0[:, kept]
    mu0 = np.exp(x0k @ beta)
    ok = np.array([len(o) >= 2 for o in ops])
    observed = np.zeros(len(combos))
    for h, ci, y, _ in cells:
        observed[ci] += y

    def summary(mask):
        n = float(observed[mask].sum())
        if not np.all(ok[mask]):
            return {"observed": n, "total": None, "se": None}
        u = float(mu0[mask].sum())
        g = (mu0[mask, None] * x0k[mask]).sum(axis=0)
        return {"observed": n, "total": n + u, "se": float(np.sqrt(u + g @ V @ g))}

    everything = summary(np.ones(len(combos), dtype=bool))
    per_level = {}
    for k, c in enumerate(covariates):
        for lv in levels[c]:
            per_level[f"{c}={lv}"] = summary(np.array([combo[k] == lv for combo in combos]))
    unobserved = [{"levels": list(combos[ci]), "fitted": float(mu0[ci]), "operating": ops[ci],
                   "estimable": bool(estimable[ci])} for ci in range(len(combos)) if ok[ci]]
    no_estimate = [{"levels": list(combos[ci]), "operating": ops[ci]} for ci in range(len(combos)) if not ok[ci]]
    return everything, per_level, unobserved, no_estimate


def run(pattern, covariates, terms, paths):
    data_path, coverage_path = paths[pattern]
    coverage = read_coverage(coverage_path)
    cells, combos, ops, levels = load_table(data_path, covariates, coverage)
    columns = design_columns(covariates, levels, terms)
    fitted = fit(cells, combos, columns, patsy_check=patsy_checker(covariates, combos, terms))
    result = fitted["result"]
    everything, per_level, unobserved, no_estimate = totals(cells, combos, ops, columns, fitted, covariates, levels)
    model = ", ".join(terms) if terms else "main"
    extra = [" ".join(covariates)] if covariates != ALL else []
    case = {
        "name": " ".join([pattern] + extra + [model]),
        "pattern": pattern,
        "data": os.path.relpath(data_path, FIXTURES),
        "coverage": os.path.relpath(coverage_path, FIXTURES),
        "covariates": covariates,
        "model": model,
        "design": fitted["names"],
        "cells": fitted["cells"],
        "structuralZeros": fitted["removed"],
        "dropped": fitted["dropped"],
        "infinite": fitted["infinite"],
        "coefficients": {fitted["names"][j]: {"estimate": float(b), "se": float(s)}
                         for j, b, s in zip(fitted["kept"], result.params, result.bse)},
        "deviance": float(result.deviance),
        "df": fitted["cells"] - len(fitted["kept"]),
        "unobserved": unobserved,
        "noEstimate": no_estimate,
        "observed": everything["observed"],
        "total": everything["total"],
        "se": everything["se"],
        "levels": per_level,
    }
    assert case["df"] == int(round(result.df_resid))
    if not terms:
        # sanity: the same data with the structural zeros treated as sampling zeros
        naive = fit(cells, combos, columns, use_structural=False)
        n_all, n_levels, _, _ = totals(cells, combos, [LISTS] * len(combos), columns, naive, covariates, levels)
        case["withoutCoverage"] = {"total": n_all["total"], "se": n_all["se"],
                                   "deviance": float(naive["result"].deviance),
                                   "df": naive["cells"] - len(naive["kept"]),
                                   "dropped": naive["dropped"], "infinite": naive["infinite"], "levels": n_levels}
    checks = {"converged": fitted["converged"], "iterations": fitted["iterations"], "fitGap": fitted["fit_gap"],
              "patsyGap": fitted["patsy_gap"],
              "mleExists": fitted["exists"], "lp": fitted["lp"],
              "allEstimable": all(u["estimable"] for u in unobserved)}
    return case, checks


def fmt(x, spec=".3f"):
    return "null" if x is None else format(x, spec)


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    paths = {}
    for pattern in PATTERNS:
        data_path, coverage_path, n_base, n_kept = derive(pattern)
        paths[pattern] = (data_path, coverage_path)
        print(f"{pattern}: {n_kept} of {n_base} records kept -> {os.path.relpath(data_path, ROOT)}, "
              f"{os.path.relpath(coverage_path, ROOT)}")
    cases = []
    for pattern, covariates, terms in CASES:
        case, checks = run(pattern, covariates, terms, paths)
        cases.append(case)
        assert checks["converged"], (case["name"], checks)
        assert checks["mleExists"], (case["name"], checks)
        assert checks["allEstimable"], case["name"]
        assert np.isfinite(case["deviance"])
        line = (f"{case['name']:75s} N={fmt(case['total'])} SE={fmt(case['se'])} dev={case['deviance']:.4f} "
                f"df={case['df']} zeros={case['structuralZeros']} dropped={case['dropped']}")
        if case["infinite"]:
            line += f" infinite={case['infinite']}"
        if case["noEstimate"]:
            line += f" noEstimate={[tuple(e['levels']) for e in case['noEstimate']]}"
        line += f" [iter={checks['iterations']} fitGap={checks['fitGap']:.1e} patsyGap={checks['patsyGap']:.1e} lp={checks['lp']:.3g}]"
        if "withoutCoverage" in case:
            w = case["withoutCoverage"]
            # Under main effects every list is independent of everything else, so collapsing over the
            # incomplete list is valid and the overall total is the same with or without the structural
            # zeros; the per-level totals of the levels the coverage refers to are what is biased.
            gaps = {k: abs(v["total"] - case["levels"][k]["total"]) for k, v in w["levels"].items()
                    if case["levels"][k]["total"] is not None}
            worst = max(gaps, key=gaps.get)
            assert case["total"] is None or gaps[worst] > 1, gaps
            line += (f" | ignoring coverage: N={fmt(w['total'])} dev={w['deviance']:.4f} df={w['df']}, "
                     f"{worst}: {case['levels'][worst]['total']:.1f} vs {w['levels'][worst]['total']:.1f}")
        print(line)
    document = {
        "source": "Notebooks/reference/make_coverage_fixtures.py",
        "versions": {"statsmodels": statsmodels.__version__, "pandas": pd.__version__,
                     "numpy": np.__version__, "scipy": scipy.__version__, "patsy": patsy.__version__},
        "cases": cases,
    }
    path = os.path.join(FIXTURES, "statsmodels-coverage.json")
    with open(path, "w") as f:
        json.dump(document, f, indent=1, allow_nan=False)
    print("wrote", os.path.relpath(path, ROOT))
