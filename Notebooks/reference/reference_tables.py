"""Shared by the oracle scripts: the bundled tables as histories and counts, and the closure of a
hierarchical model's generators. Written from the definitions, with no DarkNumber code."""
import itertools
import pathlib

import pandas as pd

root = pathlib.Path(__file__).resolve().parents[2]
tables = root / "Sources/DarkNumber/Datasets/CSV"


def read_table(name):
    """(list names, {history bitmask: count}) of the bundled table `name`; bit i is list i."""
    frame = pd.read_csv(tables / f"{name}.csv")
    names = [c for c in frame.columns if c != "count"]
    counts = {}
    for _, row in frame.iterrows():
        h = sum(int(row[names[i]]) << i for i in range(len(names)))
        counts[h] = counts.get(h, 0) + int(row["count"])
    return names, counts


def closure(generators):
    """Every interaction implied by the generators (tuples of 0-based list positions), in R's order."""
    terms = set()
    for g in generators:
        for r in range(2, len(g) + 1):
            terms.update(itertools.combinations(sorted(g), r))
    return sorted(terms, key=lambda t: (len(t), t))
