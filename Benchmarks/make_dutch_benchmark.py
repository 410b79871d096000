#!/usr/bin/env python3
"""Writes the Dutch-shaped five-list benchmark with one incomplete list:

    Benchmarks/data/dutch-5lists.csv           aggregated: PO,KM,IN,OT,SH,year,gender,exploitation,count
    Benchmarks/data/dutch-5lists-coverage.csv  SH (shelters) did not operate in 2010 and 2011

The truth (one seeded draw, numpy default_rng(20120)): 36,900 victims of trafficking over 2010-2015
(5,500, 5,800, 6,100, 6,300, 6,500, 6,700 a year), split over gender (F/M) x exploitation
(sexual/labour/other) by a multinomial draw per year, with labour exploitation's share growing over
the years (its weight is multiplied by 1 + 0.15 x (year - 2010)). Five lists, each capturing a victim
with a probability that depends on gender and/or exploitation (list x covariate heterogeneity):

    PO  police                    sexual 0.12, labour 0.05, other 0.07
    KM  border police (KMar)      F 0.025, M 0.07; odds x 2.5 for a victim the police recorded (PO x KM)
    IN  labour inspectorate       sexual 0.01, labour 0.11, other 0.03
    OT  other (NGOs, care, CoMensha reporters)   F 0.065, M 0.035
    SH  shelters                  F 0.07, M 0.015 -- only from 2012: nobody is on SH in 2010-2011

so the generating model is "PO:KM, PO:exploitation, KM:gender, IN:exploitation, OT:gender,
SH:gender, gender:exploitation, year:exploitation" (with covariate main effects), SH a structural
zero in 2010-2011. 8,841 victims (24%) are registered on at least one list (per-year and per-list
numbers are printed). The table lists every observed history x covariate combination with a positive count.

Run from the repository root (numpy only, no network):
    python3 Benchmarks/make_dutch_benchmark.py
Then, e.g. (the timing benchmark):
    .build/release/darknumber select Benchmarks/data/dutch-5lists.csv --covariates year,gender,exploitation \\
        --coverage Benchmarks/data/dutch-5lists-coverage.csv --method bic --candidates lists,covariate-lists \\
        --bootstrap 1000 --threads 2 --format json
"""
import os

import numpy as np

SEED = 20120
YEARS = [2010, 2011, 2012, 2013, 2014, 2015]
TRUTH = {2010: 5500, 2011: 5800, 2012: 6100, 2013: 6300, 2014: 6500, 2015: 6700}
COMPOSITION = {
    ("F", "sexual"): 0.52, ("F", "labour"): 0.07, ("F", "other"): 0.09,
    ("M", "sexual"): 0.06, ("M", "labour"): 0.17, ("M", "other"): 0.09,
}
LABOUR_DRIFT = 0.15
LISTS = ["PO", "KM", "IN", "OT", "SH"]
P_PO = {"sexual": 0.12, "labour": 0.05, "other": 0.07}
P_KM = {"F": 0.025, "M": 0.07}
KM_ODDS_IF_PO = 2.5
P_IN = {"sexual": 0.01, "labour": 0.11, "other": 0.03}
P_OT = {"F": 0.065, "M": 0.035}
P_SH = {"F": 0.07, "M": 0.015}
SH_START = 2012

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data", "dutch-5lists.csv")
COVERAGE = os.path.join(HERE, "data", "dutch-5lists-coverage.csv")


def composition(year):
    cells = list(COMPOSITION)
    w = np.array([COMPOSITION[c] * (1 + LABOUR_DRIFT * (year - YEARS[0]) if c[1] == "labour" else 1)
                  for c in cells])
    return cells, w / w.sum()


def odds_scaled(p, factor):
    odds = p / (1 - p) * factor
    return odds / (1 + odds)


def main():
    rng = np.random.default_rng(SEED)
    table = {}
    true_cells = {}
    weights = 1 << np.arange(len(LISTS))[::-1]
    for year in YEARS:
        cells, shares = composition(year)
        for (gender, exploitation), n in zip(cells, rng.multinomial(TRUTH[year], shares)):
            true_cells[(year, gender, exploitation)] = int(n)
            po = rng.random(n) < P_PO[exploitation]
            km = rng.random(n) < np.where(po, odds_scaled(P_KM[gender], KM_ODDS_IF_PO), P_KM[gender])
            inspectorate = rng.random(n) < P_IN[exploitation]
            ot = rng.random(n) < P_OT[gender]
            sh = rng.random(n) < P_SH[gender]
            if year < SH_START:
                sh[:] = False
            codes = np.column_stack([po, km, inspectorate, ot, sh]).astype(np.int64) @ weights
            counts = np.bincount(codes, minlength=1 << len(LISTS))
            for code in range(1, 1 << len(LISTS)):
                if counts[code]:
                    history = tuple((code >> (len(LISTS) - 1 - i)) & 1 for i in range(len(LISTS)))
                    table[(history, year, gender, exploitation)] = int(counts[code])

    os.makedirs(os.path.dirname(DATA), exist_ok=True)
    with open(DATA, "w") as f:
        f.write(",".join(LISTS) + ",year,gender,exploitation,count\n")
        for (history, year, gender, exploitation), count in sorted(
                table.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][3], kv[0][0])):
            f.write(",".join(map(str, history)) + f",{year},{gender},{exploitation},{count}\n")
    with open(COVERAGE, "w") as f:
        f.write("year," + ",".join(LISTS) + "\n")
        for year in YEARS:
            if year < SH_START:
                f.write(f"{year}," + ",".join("0" if name == "SH" else "1" for name in LISTS) + "\n")

    observed = sum(table.values())
    print(f"wrote {os.path.relpath(DATA)} ({len(table)} rows) and {os.path.relpath(COVERAGE)}")
    print(f"truth {sum(TRUTH.values()):,} victims; registered {observed:,} ({observed / sum(TRUTH.values()):.1%})")
    for year in YEARS:
        seen = sum(c for k, c in table.items() if k[1] == year)
        print(f"  {year}: truth {TRUTH[year]:,}, registered {seen:,}")
    for i, name in enumerate(LISTS):
        print(f"  {name}: {sum(c for k, c in table.items() if k[0][i]):,} records")


if __name__ == "__main__":
    main()
