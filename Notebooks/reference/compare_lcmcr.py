"""Side-by-side check of `darknumber bayes --method latent-class` against LCMCR 0.4.14's draws.

For every data set of Tests/DarkNumberBayesTests/Fixtures/lcmcr.json, runs the release CLI with
LCMCR's settings (K = 10, a = b = 0.25, burn-in 10,000, 10,000 draws thinned by 10) and compares
the draws of N with R's by
  (1) a two-sample Kolmogorov-Smirnov test at alpha = 0.001 whose sample sizes are the effective
      sample sizes (split-chain ESS; R's single chain split in halves), and
  (2) the median and the 2.5%/97.5% quantiles within 4 combined Monte Carlo standard errors,
      which include the variance of the mean of our chains' own quantiles (Ned_5 and UKdat_5
      have a sticky second mode that about one chain in five keeps for the whole run), as
      Tests/DarkNumberBayesTests/LatentClassTests.swift does.
It also times each run. Usage, from the repository root after `swift build -c release`:
    python3 Notebooks/reference/compare_lcmcr.py [--chains 4]
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile
import time

import numpy as np
from scipy import stats

FIXTURES = os.path.join("Tests", "DarkNumberBayesTests", "Fixtures")


def split_ess(x):
    """Split-chain effective sample size of one chain (ArviZ ess(method="mean") formula)."""
    x = np.asarray(x, float)
    n = len(x) // 2
    chains = np.stack([x[:n], x[-n:]])
    m = 2
    means = chains.mean(axis=1)
    acov = np.array([[np.dot(c[: n - t] - c.mean(), c[t:] - c.mean()) / n for t in range(n)] for c in chains])
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n + means.var(ddof=1)
    rho = np.zeros(n)
    rho[0] = 1.0
    even, odd = 1.0, 1.0 - (mean_var - acov[:, 1].mean()) / var_plus
    rho[1] = odd
    t = 1
    while t < n - 3 and even + odd > 0:
        even = 1.0 - (mean_var - acov[:, t + 1].mean()) / var_plus
        odd = 1.0 - (mean_var - acov[:, t + 2].mean()) / var_plus
        if even + odd >= 0:
            rho[t + 1], rho[t + 2] = even, odd
        t += 2
    max_t = t - 2
    if even > 0:
        rho[max_t + 1] = even
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = rho[t + 2] = (rho[t - 1] + rho[t]) / 2
        t += 2
    tau = -1 + 2 * rho[: max_t + 1].sum() + rho[max_t + 1 : max_t + 2].sum()
    return m * n / max(tau, 1 / np.log10(m * n))


def quantile_error(sorted_draws, p, ess):
    lo, hi = max(p - 0.01, 0), min(p + 0.01, 1)
    spread = np.quantile(sorted_draws, hi) - np.quantile(sorted_draws, lo)
    return np.sqrt(p * (1 - p) / ess) * spread / (hi - lo)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chains", type=int, default=4)
    parser.add_argument("--binary", default=os.path.join(".build", "release", "darknumber"))
    args = parser.parse_args()
    reference = json.load(open(os.path.join(FIXTURES, "lcmcr.json")))["results"]
    print(f"{'data':17s} {'R median [2.5%, 97.5%]':>30s} {'ours':>30s}  R̂     KS D / crit   s/run")
    for name, ref in reference.items():
        theirs = np.loadtxt(os.path.join(FIXTURES, "lcmcr", f"lcmcr_N_{name}.csv"), delimiter=",", skiprows=1, usecols=1)
        with tempfile.NamedTemporaryFile(suffix=".csv") as draws:
            start = time.perf_counter()
            out = subprocess.run(
                [args.binary, "bayes", "--example", name, "--method", "latent-class", "--chains", str(args.chains),
                 "--seed", "20240601", "--draws-csv", draws.name, "--format", "json"],
                check=True, capture_output=True, text=True).stdout
            elapsed = time.perf_counter() - start
            rows = list(csv.DictReader(open(draws.name)))
            ours = np.array([float(row["N"]) for row in rows])
            chain_ids = np.array([row["chain"] for row in rows])
        result = json.loads(out)
        ess_ours, ess_theirs = result["diagnostics"]["ess"], split_ess(theirs)
        d = stats.ks_2samp(ours, theirs).statistic
        crit = 1.949 * np.sqrt((ess_ours + ess_theirs) / (ess_ours * ess_theirs))
        def error(p):
            per_chain = [np.quantile(ours[chain_ids == c], p) for c in np.unique(chain_ids)]
            between = np.var(per_chain, ddof=1) / len(per_chain) if len(per_chain) > 1 else 0.0
            return np.sqrt(quantile_error(np.sort(ours), p, ess_ours) ** 2 + between
                           + quantile_error(np.sort(theirs), p, ess_theirs) ** 2)

        within = all(abs(np.quantile(ours, p) - np.quantile(theirs, p)) < 4 * error(p) for p in (0.5, 0.025, 0.975))
        q = [np.quantile(theirs, p) for p in (0.5, 0.025, 0.975)]
        o = [np.quantile(ours, p) for p in (0.5, 0.025, 0.975)]
        print(f"{name:17s} {q[0]:9.0f} [{q[1]:8.0f}, {q[2]:8.0f}] {o[0]:9.0f} [{o[1]:8.0f}, {o[2]:8.0f}]  "
              f"{result['diagnostics']['rhat']:.3f}  {d:.3f}/{crit:.3f} {'ok' if d < crit and within else 'DIFFERS'}  {elapsed:5.2f}")


if __name__ == "__main__":
    main()
