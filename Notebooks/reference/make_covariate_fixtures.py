"""Independent oracle for DarkNumber's log-linear models with covariates: statsmodels' Poisson GLM
(patsy formulas, treatment contrasts with the first sorted level as reference) on the full table of
histories by covariate levels, zeros included.

For every case it records the coefficients (renamed to R's model.matrix names, lists first and
covariates in column order: `S1:AgeYoung`), deviance, residual df, the fitted unobserved count of
every level combination (predicted at S1 = … = SK = 0), the total N = n + sum of unobserved and its
standard error sqrt(U + g'Vg) computed here from statsmodels' covariance.

Writes Tests/DarkNumberTests/Fixtures/statsmodels-covariates.json. Run from the repository root:
    pip install statsmodels==0.15.0 pandas==3.1.1 scipy==1.17.1 && python3 Notebooks/reference/make_covariate_fixtures.py
"""
import itertools
import json
import os
import re

import numpy as np
import pandas as pd
import patsy
import scipy
import statsmodels
import statsmodels.api as sm
import statsmodels.formula.api as smf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "Sources", "DarkNumber", "Datasets", "CSV", "covariates")

CASES = [
    # (name, file, covariates, trends {name: degree}, model terms in DarkNumber's syntax)
    ("spina main", "spina.csv", ["eth"], {}, []),
    ("spina eth:S1, S1:S2", "spina.csv", ["eth"], {}, ["S1:S2", "eth:S1"]),
    ("spina eth x each list, S1:S2, S1:S3", "spina.csv", ["eth"], {}, ["S1:S2", "S1:S3", "eth:S1", "eth:S2", "eth:S3"]),
    ("ScotPWID main", "ScotPWID.csv", ["Region", "Gender", "Age"], {}, []),
    ("ScotPWID mixed", "ScotPWID.csv", ["Region", "Gender", "Age"], {},
     ["S1:S2", "S3:S4", "Region:S1", "Age:S2", "Gender:Age"]),
    ("ScotPWID rich", "ScotPWID.csv", ["Region", "Gender", "Age"], {},
     ["S1:S2", "S1:S3", "Region:S1", "Region:S2", "Region:S3", "Region:S4", "Gender:S4", "Age:S1", "Age:Region",
      "Region:Gender:Age"]),
    ("ScotPWID Region only", "ScotPWID.csv", ["Region"], {}, ["Region:S1", "Region:S2", "S1:S2"]),
    ("trend year, quadratic", "trend-example.csv", ["year"], {"year": 2}, ["year:L1", "L1:L2"]),
    ("trend year, linear with sex", "trend-example.csv", ["year", "sex"], {"year": 1}, ["year:L1", "sex:L2", "year:sex"]),
]


def load(file, covariates):
    path = os.path.join(DATA, file) if file != "trend-example.csv" else os.path.join(
        ROOT, "Tests", "DarkNumberTests", "Fixtures", "covariates", file)
    frame = pd.read_csv(path, dtype=str)
    frame["count"] = frame["count"].astype(int)
    # Lists are the 0/1 columns; covariates not asked for are summed over.
    lists = [c for c in frame.columns if c != "count" and set(frame[c].unique()) <= {"0", "1"}]
    for l in lists:
        frame[l] = frame[l].astype(int)
    frame = frame.groupby(lists + covariates, as_index=False)["count"].sum()
    levels = {c: sorted(frame[c].unique()) for c in covariates}
    rows = []
    for combo in itertools.product(*[levels[c] for c in covariates]):
        for h in range(1, 2 ** len(lists)):
            row = {l: (h >> i) & 1 for i, l in enumerate(lists)}
            row.update(dict(zip(covariates, combo)))
            rows.append(row)
    full = pd.DataFrame(rows)
    full = full.merge(frame, on=lists + covariates, how="left").fillna({"count": 0})
    return full, lists, levels


def formula_term(factor, covariates, trends, means):
    if factor in covariates:
        if factor in trends:
            degree = trends[factor]
            return [f"I((x_{factor} - {means[factor]!r})**{d})" for d in range(1, degree + 1)]
        return [f"C({factor})"]
    return [factor]


def r_name(patsy_name, order, trends):
    parts = []
    for piece in patsy_name.split(":"):
        m = re.fullmatch(r"C\((\w+)\)\[T\.(.*)\]", piece)
        if m:
            parts.append((order.index(m.group(1)), m.group(1) + m.group(2)))
            continue
        m = re.fullmatch(r"I\(\(x_(\w+) - .*\) ?\*\* ?(\d+)\)", piece)
        if m:
            d = int(m.group(2))
            parts.append((order.index(m.group(1)), m.group(1) if d == 1 else f"{m.group(1)}^{d}"))
            continue
        parts.append((order.index(piece), piece))
    return ":".join(p for _, p in sorted(parts))


def expand(terms, covariates, trends, means):
    """Patsy formula pieces for hierarchical terms (every subset included)."""
    factors_sets = set()
    for term in terms:
        fs = term.split(":")
        for r in range(1, len(fs) + 1):
            for sub in itertools.combinations(fs, r):
                factors_sets.add(tuple(sub))
    pieces = []
    for fs in sorted(factors_sets, key=lambda t: (len(t), t)):
        options = [formula_term(f, covariates, trends, means) for f in fs]
        for combo in itertools.product(*options):
            pieces.append(":".join(combo))
    return pieces


def run(name, file, covariates, trends, terms):
    full, lists, levels = load(file, covariates)
    means = {}
    for c, degree in trends.items():
        full["x_" + c] = full[c].astype(float)
        means[c] = float(np.mean([float(v) for v in levels[c]]))
    main = lists + [p for c in covariates for p in formula_term(c, covariates, trends, means)]
    pieces = main + [p for p in expand(terms, covariates, trends, means) if p not in main]
    formula = "count ~ " + " + ".join(dict.fromkeys(pieces))
    model = smf.glm(formula, data=full, family=sm.families.Poisson())
    result = model.fit(tol=1e-13, maxiter=200)
    order = lists + covariates
    coefficients = {}
    for key, value in result.params.items():
        key_r = "(Intercept)" if key == "Intercept" else r_name(key, order, trends)
        coefficients[key_r] = {"estimate": float(value), "se": float(result.bse[key])}
    combos = list(itertools.product(*[levels[c] for c in covariates]))
    zero = pd.DataFrame([dict(zip(covariates, combo), **{l: 0 for l in lists}) for combo in combos])
    for c in trends:
        zero["x_" + c] = zero[c].astype(float)
    X0 = patsy.build_design_matrices([model.data.model_spec], zero, return_type="dataframe")[0]
    mu0 = np.exp(X0.values @ result.params.values)
    V = result.cov_params().values
    g = (mu0[:, None] * X0.values).sum(axis=0)
    U = float(mu0.sum())
    n = float(full["count"].sum())
    per_level = {}
    for c in covariates:
        for level in levels[c]:
            mask = np.array([combo[covariates.index(c)] == level for combo in combos])
            gl = (mu0[mask, None] * X0.values[mask]).sum(axis=0)
            ul = float(mu0[mask].sum())
            nl = float(full.loc[full[c] == level, "count"].sum())
            per_level[f"{c}={level}"] = {"observed": nl, "total": nl + ul, "se": float(np.sqrt(ul + gl @ V @ gl))}
    return {
        "name": name, "file": file, "covariates": covariates, "trends": trends,
        "model": ", ".join(terms) if terms else "main", "formula": formula,
        "coefficients": coefficients, "deviance": float(result.deviance), "pearson": float(result.pearson_chi2),
        "df": int(result.df_resid),
        "unobserved": [{"levels": list(combo), "fitted": float(m)} for combo, m in zip(combos, mu0)],
        "observed": n, "total": n + U, "se": float(np.sqrt(U + g @ V @ g)), "levels": per_level,
    }


def cormack(total, n0):
    """Rcapture's correction c(N), Stirling's form above N = 100 (as closedpCI.t)."""
    from scipy.special import gammaln
    if total > 100:
        if n0 in (0, 1):
            return -total + 0.5 * np.log(2 * np.pi * total)
        return n0 - total - 0.5 * np.log(n0 / total)
    return (n0 * np.log(n0) if n0 > 0 else 0) + gammaln(total + 1) - total * np.log(total) - gammaln(n0 + 1)


def profile(name, file, covariates, trends, terms, level=0.95):
    """The profile-likelihood interval for N by a different algorithm than DarkNumber's Newton
    iterations: for each N, EM over the split of N - n among the unobserved cells, with
    statsmodels' GLM as the M-step on the table including the unobserved rows."""
    from scipy.optimize import brentq, minimize_scalar
    from scipy.stats import norm
    full, lists, levels = load(file, covariates)
    main = lists + [f"C({c})" for c in covariates]
    pieces = main + [p for p in expand(terms, covariates, {}, {}) if p not in main]
    formula = "count ~ " + " + ".join(dict.fromkeys(pieces))
    fit0 = smf.glm(formula, data=full, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=200)
    combos = list(itertools.product(*[levels[c] for c in covariates]))
    zero = pd.DataFrame([dict(zip(covariates, combo), **{l: 0 for l in lists}) for combo in combos])
    table = pd.concat([full, zero.assign(count=0.0)], ignore_index=True)
    unobserved_rows = np.arange(len(full), len(table))
    n = float(full["count"].sum())
    state = {"params": fit0.params.values}

    def loglik(total):
        n0 = total - n
        params = state["params"]
        y = table["count"].values.astype(float).copy()
        X = patsy.build_design_matrices([fit0.model.data.model_spec], table, return_type="matrix")[0]
        X = np.asarray(X)
        previous = None
        for _ in range(20000):
            mu0 = np.exp(X[unobserved_rows] @ params)
            y[unobserved_rows] = n0 * mu0 / mu0.sum()
            fit = sm.GLM(y, X, family=sm.families.Poisson()).fit(start_params=params, tol=1e-14, maxiter=100)
            params = fit.params
            mu = np.exp(X @ params)
            obs = mu[: len(full)]
            yo = y[: len(full)]
            m = mu[unobserved_rows].sum()
            dev = 2 * (np.sum(np.where(yo > 0, yo * np.log(np.where(yo > 0, yo, 1) / obs), 0) - (yo - obs))
                       + (n0 * np.log(n0 / m) if n0 > 0 else 0) - (n0 - m))
            if previous is not None and abs(dev - previous) < 1e-12 * (abs(dev) + 1):
                break
            previous = dev
        state["params"] = params
        return -dev / 2 + cormack(total, n0)

    drop = norm.ppf(0.5 + level / 2) ** 2 / 2
    N = fit0.predict(zero).sum() + n
    best = minimize_scalar(lambda t: -loglik(t), bounds=(n + 1e-9, 1.5 * N), method="bounded",
                           options={"xatol": 1e-7 * N})
    cutoff = -best.fun - drop
    lower = brentq(lambda t: loglik(t) - cutoff, n + 1e-9, best.x, xtol=1e-9 * N)
    hi = 3 * N
    while loglik(hi) > cutoff:
        hi *= 2
    upper = brentq(lambda t: loglik(t) - cutoff, best.x, hi, xtol=1e-9 * N)
    return {"maximiser": float(best.x), "lower": float(lower), "upper": float(upper), "level": level}


PROFILE_CASES = [0, 6, 4]


def trend_example():
    """A synthetic table: 3 lists, years 2010-2015 with a quadratic trend, two sexes."""
    rng = np.random.default_rng(61)
    rows = []
    for year in range(2010, 2016):
        for sex in ["F", "M"]:
            size = 400 + 30 * (year - 2012) ** 2 + (100 if sex == "M" else 0)
            p = [0.2 + 0.03 * (year - 2010), 0.3 if sex == "F" else 0.4, 0.25]
            for _ in range(size):
                h = [int(rng.random() < q) for q in p]
                if sum(h):
                    rows.append(h + [str(year), sex])
    frame = pd.DataFrame(rows, columns=["L1", "L2", "L3", "year", "sex"])
    out = frame.groupby(["L1", "L2", "L3", "year", "sex"]).size().reset_index(name="count")
    path = os.path.join(ROOT, "Tests", "DarkNumberTests", "Fixtures", "covariates", "trend-example.csv")
    out.to_csv(path, index=False)


if __name__ == "__main__":
    trend_example()
    document = {
        "source": "Notebooks/reference/make_covariate_fixtures.py",
        "versions": {"statsmodels": statsmodels.__version__, "pandas": pd.__version__,
                     "scipy": scipy.__version__, "numpy": np.__version__, "patsy": patsy.__version__},
        "cases": [run(*case) for case in CASES],
    }
    for index in PROFILE_CASES:
        document["cases"][index]["profile"] = profile(*CASES[index])
        print(CASES[index][0], document["cases"][index]["profile"])
    path = os.path.join(ROOT, "Tests", "DarkNumberTests", "Fixtures", "statsmodels-covariates.json")
    with open(path, "w") as f:
        json.dump(document, f, indent=1)
    for case in document["cases"]:
        print(f"{case['name']:40s} N={case['total']:.3f} SE={case['se']:.3f} dev={case['deviance']:.4f} df={case['df']}")
