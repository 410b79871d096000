"""A synthetic table in the shape of the Dutch national rapporteur's data (four registers, years
2010-2015, gender, form of exploitation) with a known truth, for the README's covariate example.

Population: 5,800 + 180 (year - 2010) victims a year (37,500 in total); 60% sexual exploitation
(90% women), 25% labour (70% men), 15% other (50% women). Registers, independent given the
covariates: PO police (0.12 sexual, 0.05 labour, 0.06 other, +0.006 a year), KM border police
(0.03 women, 0.05 men), IN labour inspectorate (0.15 labour, 0.01 otherwise), OT shelters and
others (0.08 women, 0.03 men). Nobody is drawn twice; the seed is fixed.

Writes Sources/DarkNumber/Datasets/CSV/covariates/synthetic-trafficking.csv and prints the true
numbers per level. Run from the repository root: python3 Notebooks/reference/make_synthetic_trafficking.py
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
rng = np.random.default_rng(20101015)
rows = {}
truth = {}
for year in range(2010, 2016):
    size = 5800 + 180 * (year - 2010)
    forms = rng.choice(["sexual", "labour", "other"], size=size, p=[0.6, 0.25, 0.15])
    for form in forms:
        female = {"sexual": 0.9, "labour": 0.3, "other": 0.5}[form]
        gender = "F" if rng.random() < female else "M"
        p = [
            {"sexual": 0.12, "labour": 0.05, "other": 0.06}[form] + 0.006 * (year - 2010),
            0.03 if gender == "F" else 0.05,
            0.15 if form == "labour" else 0.01,
            0.08 if gender == "F" else 0.03,
        ]
        history = tuple(int(rng.random() < q) for q in p)
        for key in (("year", str(year)), ("gender", str(gender)), ("exploitation", str(form))):
            truth[key] = truth.get(key, 0) + 1
        if sum(history):
            cell = history + (str(year), gender, form)
            rows[cell] = rows.get(cell, 0) + 1

path = os.path.join(ROOT, "Sources", "DarkNumber", "Datasets", "CSV", "covariates", "synthetic-trafficking.csv")
with open(path, "w") as f:
    f.write("PO,KM,IN,OT,year,gender,exploitation,count\n")
    for cell in sorted(rows):
        f.write(",".join(str(v) for v in cell) + f",{rows[cell]}\n")
print("observed", sum(rows.values()), "of", 6 * 5800 + 180 * 15)
for key in sorted(truth):
    print(key, truth[key])
