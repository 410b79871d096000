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

For the cases in PROFILE_CASES it also records the multinomial profile-likelihood interval for N
(`profile`: maximiser, lower, upper, level), the method of make_covariate_fixtures.py's `profile`:
for N >= n the n0 = N - n people recorded by no list fall in the unobserved cells of the
combinations, split in proportion to mu_0c; beta maximises the Poisson likelihood of the kept
observed cells plus the grouped unobserved total, sum_i (y_i log mu_i - mu_i) + n0 log m - m with
m = sum_c mu_0c, by EM (E-step y_0c = n0 mu_0c / m, M-step statsmodels' Poisson GLM on the kept
design rows plus the unobserved rows, same kept columns as the fit, GLM tol 1e-14; EM stops when the
deviance changes < 1e-12 relative and log m < 1e-13, warm-started from the previous N). l(N) = -D(N)/2 + c(N), D the
deviance of the observed cells and the grouped unobserved total, c(N) Cormack's correction (Rcapture's
closedpCI.t). The maximiser is the root of dl/dN = log(m/n0) + c'(N) (envelope theorem), the limits
the roots of l(N) = max l - chi2_1(level)/2 on each side (brentq). Self-check for PROFILE_CHECK: at the
maximiser and both limits, beta maximised directly (scipy BFGS, analytic gradient, started from the
fit) gives the same l to 1e-8 relative; for every profiled case the analytic dl/dN matches a central
difference and EM started cold (intercept only) gives the same l to 1e-8 relative. (In these models the
split mu_0c / m does not change with N, so the warm-started EM stops after its second, confirming step;
cold it takes 55-80.)

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
PROFILE_CASES = ["late-start main", "late-start PO:KM, KM:year", "two-incomplete KM:year, IN:exploitation"]
PROFILE_CHECK = "late-start main"

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


# ---------------------------------------------------------------- profile likelihood for N

def cormack(total, n0):
    """Rcapture's correction c(N), Stirling's form above N = 100 (as closedpCI.t); the same function
    as make_covariate_fixtures.py's."""
    from scipy.special import gammaln
    if total > 100:
        if n0 in (0, 1):
            return -total + 0.5 * np.log(2 * np.pi * total)
        return n0 - total - 0.5 * np.log(n0 / total)
    return (n0 * np.log(n0) if n0 > 0 else 0) + gammaln(total + 1) - total * np.log(total) - gammaln(n0 + 1)


def cormack_slope(total, n0):
    """dc/dN of Stirling's form (N > 100, n0 > 1)."""
    assert total > 100 and n0 > 1
    return 0.5 / total - 0.5 / n0


class Profile:
    """l(N) for the model with structural zeros: EM over the split of n0 = N - n among the unobserved
    cells, statsmodels' Poisson GLM as the M-step on the kept observed rows plus the unobserved rows."""

    def __init__(self, cells, combos, ops, columns, fitted):
        assert not fitted["infinite"], "profile with infinite parameters not implemented"
        assert all(len(o) >= 2 for o in ops), "profile needs an estimate for every combination"
        result = fitted["result"]
        self.Xo = np.asarray(result.model.exog)
        self.yo = np.asarray(result.model.endog, dtype=float)
        x0 = np.array([[f(0, combo) for _, f in columns] for combo in combos])
        self.X0 = x0[:, fitted["kept"]]
        self.X = np.vstack([self.Xo, self.X0])
        self.n = float(sum(c[2] for c in cells))
        assert self.n == self.yo.sum()
        self.fit_params = np.asarray(result.params)
        self.total = self.n + float(np.exp(self.X0 @ self.fit_params).sum())
        self.params = self.fit_params.copy()  # warm start, carried from one N to the next
        self.em_iterations = []
        self.glm_iterations = []
        self.calls = 0
        yo = self.yo
        self.ylogy = float(np.sum(np.where(yo > 0, yo * np.log(np.where(yo > 0, yo, 1)), 0.0)))

    def deviance(self, params, n0):
        """Deviance of the kept observed cells and the grouped unobserved total."""
        mu = np.exp(self.Xo @ params)
        m = float(np.exp(self.X0 @ params).sum())
        yo = self.yo
        d_obs = self.ylogy - np.sum(np.where(yo > 0, yo * np.log(mu), 0.0)) - np.sum(yo - mu)
        d_0 = (n0 * np.log(n0 / m) if n0 > 0 else 0.0) - (n0 - m)
        return 2 * (d_obs + d_0), m

    def em(self, total):
        n0 = total - self.n
        params = self.params
        y = np.concatenate([self.yo, np.zeros(len(self.X0))])
        k = len(self.yo)
        previous, previous_m = None, None
        for iteration in range(1, 100001):
            mu0 = np.exp(self.X0 @ params)
            y[k:] = n0 * mu0 / mu0.sum()
            fit = sm.GLM(y, self.X, family=sm.families.Poisson()).fit(start_params=params, tol=1e-14, maxiter=100)
            self.glm_iterations.append(int(fit.fit_history["iteration"]))
            assert fit.converged and self.glm_iterations[-1] < 100, f"M-step did not converge at N={total}"
            params = np.asarray(fit.params)
            dev, m = self.deviance(params, n0)
            if (previous is not None and abs(dev - previous) < 1e-12 * abs(dev)
                    and abs(np.log(m / previous_m)) < 1e-13):
                break
            previous, previous_m = dev, m
        else:
            raise RuntimeError(f"EM did not converge at N={total}")
        self.em_iterations.append(iteration)
        self.params = params
        self.calls += 1
        return params, dev, m

    def loglik(self, total):
        _, dev, _ = self.em(total)
        return -dev / 2 + cormack(total, total - self.n)

    def slope(self, total):
        """dl/dN = log(m/n0) + c'(N): by the envelope theorem only the explicit n0 terms count."""
        n0 = total - self.n
        _, _, m = self.em(total)
        return np.log(m / n0) + cormack_slope(total, n0)

    def interval(self, se, level=0.95):
        from scipy.optimize import brentq
        from scipy.stats import chi2
        drop = chi2.ppf(level, 1) / 2
        N = self.total
        # maximiser: dl/dN(N_hat) = c'(N_hat) < 0 since m(N_hat) = N_hat - n, so it lies below N_hat
        assert self.slope(N) < 0
        lo = N - 0.1 * se
        while self.slope(lo) <= 0:
            lo = self.n + (lo - self.n) / 2
        best = brentq(self.slope, lo, N, xtol=1e-10 * N, rtol=1e-15)
        top = self.loglik(best)
        cutoff = top - drop
        f = lambda t: self.loglik(t) - cutoff
        step = 3 * se
        lo = max(best - step, self.n + 1e-6 * (best - self.n))
        while f(lo) > 0:
            assert lo > self.n + 1e-5, "no lower limit above n"
            lo = self.n + (lo - self.n) / 2
        lower = brentq(f, lo, best, xtol=1e-9 * N, rtol=1e-15)
        hi = best + step
        while f(hi) > 0:
            step *= 2
            hi = best + step
        upper = brentq(f, best, hi, xtol=1e-9 * N, rtol=1e-15)
        return {"maximiser": float(best), "lower": float(lower), "upper": float(upper), "level": level}, top, cutoff

    def direct(self, total):
        """The same l(N) with beta maximised by BFGS on the grouped likelihood (analytic gradient),
        started from the fit's beta, not EM's."""
        from scipy.optimize import minimize
        n0 = total - self.n
        Xo, X0, yo = self.Xo, self.X0, self.yo
        scale = self.n

        def negative(params):
            eta = Xo @ params
            mu = np.exp(eta)
            mu0 = np.exp(X0 @ params)
            m = mu0.sum()
            value = -(yo @ eta - mu.sum() + n0 * np.log(m) - m)
            gradient = -(Xo.T @ (yo - mu) + X0.T @ (n0 * mu0 / m - mu0))
            return value / scale, gradient / scale

        params = self.fit_params.copy()
        for _ in range(5):  # restarts refresh BFGS's Hessian approximation
            res = minimize(negative, params, jac=True, method="BFGS",
                           options={"gtol": 1e-13, "maxiter": 100000, "xrtol": 0})
            params = res.x
        gradient = float(np.max(np.abs(negative(params)[1] * scale)))
        dev, m = self.deviance(params, n0)
        return -dev / 2 + cormack(total, n0), gradient, params


def profile_case(case, cells, combos, ops, columns, fitted):
    import time
    start = time.perf_counter()
    pl = Profile(cells, combos, ops, columns, fitted)
    assert abs(pl.total - case["total"]) <= 1e-9 * case["total"]
    interval, top, cutoff = pl.interval(case["se"])
    elapsed = time.perf_counter() - start
    calls, em_its, glm_its = pl.calls, list(pl.em_iterations), list(pl.glm_iterations)
    # the limits are where l crosses the cutoff, the maximiser is not beaten nearby
    for t in (interval["lower"], interval["upper"]):
        assert abs(pl.loglik(t) - cutoff) < 1e-6, (t, pl.loglik(t) - cutoff)
    h = 1e-3 * case["se"]
    assert pl.loglik(interval["maximiser"]) >= max(pl.loglik(interval["maximiser"] - h),
                                                   pl.loglik(interval["maximiser"] + h))
    # the analytic slope against a central difference
    t = interval["upper"]
    d = 1e-2
    numeric = (pl.loglik(t + d) - pl.loglik(t - d)) / (2 * d)
    analytic = pl.slope(t)
    assert abs(numeric - analytic) < 1e-5 * abs(analytic), (numeric, analytic)
    checks = []
    if case["name"] == PROFILE_CHECK:
        for label, t in (("maximiser", interval["maximiser"]), ("lower", interval["lower"]),
                         ("upper", interval["upper"])):
            em = pl.loglik(t)
            em_params = pl.params.copy()
            bfgs, gradient, params = pl.direct(t)
            gap = abs(bfgs - em) / abs(em)
            checks.append(f"  check {label}: l_EM={em:.12f} l_BFGS={bfgs:.12f} relative gap {gap:.1e} "
                          f"(BFGS max|gradient| {gradient:.1e}, max|beta_EM - beta_BFGS| {np.max(np.abs(em_params - params)):.1e})")
            assert gap < 1e-8, (label, em, bfgs)
    # EM started cold (intercept only, not the warm start from the neighbouring N) lands on the same l
    cold_iterations = []
    for t in (interval["maximiser"], interval["lower"], interval["upper"]):
        warm = pl.loglik(t)
        pl.params = np.zeros_like(pl.fit_params)
        pl.params[0] = np.log(pl.yo.mean())
        cold = pl.loglik(t)
        cold_iterations.append(pl.em_iterations[-1])
        assert abs(cold - warm) < 1e-8 * abs(warm), (t, warm, cold)
    print(f"  profile {case['name']}: N={interval['maximiser']:.6f} [{interval['lower']:.6f}, "
          f"{interval['upper']:.6f}] (Wald {case['total']:.3f} +- {1.959963984540054 * case['se']:.3f}); "
          f"{elapsed:.1f}s, {calls} l(N) evaluations, EM iterations {min(em_its)}-"
          f"{max(em_its)}, GLM iterations per M-step {min(glm_its)}-{max(glm_its)}, "
          f"slope check {abs(numeric - analytic) / abs(analytic):.1e}, cold-start EM iterations {cold_iterations}")
    for line in checks:
        print(line)
    return interval


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
        "pearson": float(result.pearson_chi2),
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
    if case["name"] in PROFILE_CASES:
        case["profile"] = profile_case(case, cells, combos, ops, columns, fitted)
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
