#!/usr/bin/env python3
"""Side-by-side timing of one log-linear fit on UKdat_5 (main effects; all two-way terms):
DarkNumber (release build, Benchmarks/Sources/fit-timing) against statsmodels' GLM in the same run,
and against R's glm.fit from Tests/DarkNumberTests/Fixtures/r-timings.json (measured on this
machine kind with OPENBLAS_NUM_THREADS=1). Prints a table and the ratios.

Run from the repository root:  python3 Benchmarks/compare.py
"""
import itertools
import json
import os
import pathlib
import subprocess
import time

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

root = pathlib.Path(__file__).resolve().parents[1]
env = dict(os.environ, OPENBLAS_NUM_THREADS="1")

subprocess.run(
    ["swift", "build", "-c", "release", "--package-path", "Benchmarks", "--product", "fit-timing"],
    cwd=root, check=True, env=env, stdout=subprocess.DEVNULL)
binary = root / "Benchmarks/.build/release/fit-timing"
ours = json.loads(subprocess.run([str(binary)], check=True, capture_output=True, text=True, env=env).stdout)

frame = pd.read_csv(root / "Sources/DarkNumber/Datasets/CSV/UKdat_5.csv")
names = [c for c in frame.columns if c != "count"]
k = len(names)
counts = {sum(int(r[names[i]]) << i for i in range(k)): int(r["count"]) for _, r in frame.iterrows()}
histories = range(1, 2**k)
y = np.array([counts.get(h, 0) for h in histories], dtype=float)
main = np.column_stack([np.ones(len(y))] + [[(h >> i) & 1 for h in histories] for i in range(k)]).astype(float)
pairs = [np.array([float(((h >> a) & 1) and ((h >> b) & 1)) for h in histories]) for a, b in itertools.combinations(range(k), 2)]
two_way = np.column_stack([main] + pairs)


def time_statsmodels(x, fits=200):
    rounds = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(fits):
            result = sm.GLM(y, x, family=sm.families.Poisson()).fit()
        rounds.append((time.perf_counter() - start) / fits * 1e6)
    return sorted(rounds)[3], y.sum() + np.exp(result.params[0])


r = json.loads((root / "Tests/DarkNumberTests/Fixtures/r-timings.json").read_text())
r_main_us = r["timings"]["glm_main_UKdat_5"]["timing_glm_fit"]["median_elapsed_s"] / 1000 * 1e6

rows = []
for name, x in [("main", main), ("two_way", two_way)]:
    sm_us, sm_total = time_statsmodels(x)
    rows.append((name, ours[name]["microseconds_per_fit"], ours[name]["total"], sm_us, sm_total))

print(f"statsmodels {statsmodels.__version__}, numpy {np.__version__}; R glm.fit from r-timings.json")
print(f"{'fit (UKdat_5)':<16}{'DarkNumber µs':>15}{'statsmodels µs':>16}{'ratio':>9}{'R glm.fit µs':>14}{'ratio':>9}")
for name, ours_us, ours_total, sm_us, sm_total in rows:
    assert abs(ours_total - sm_total) < 1e-6 * sm_total, (ours_total, sm_total)
    r_text, r_ratio = ("", "")
    if name == "main":
        r_text, r_ratio = f"{r_main_us:.0f}", f"{r_main_us / ours_us:.0f}×"
    print(f"{name:<16}{ours_us:>15.2f}{sm_us:>16.1f}{sm_us / ours_us:>8.0f}×{r_text:>14}{r_ratio:>9}")
