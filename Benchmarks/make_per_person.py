"""Writes a one-row-per-person CSV (id and K 0/1 list columns, independent lists with
capture probabilities from 0.05 to 0.3, nobody on no list) for the scale benchmarks.

Usage: python3 Benchmarks/make_per_person.py ROWS LISTS PATH
"""
import numpy as np, sys
rows, lists, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(1)
p = np.linspace(0.05, 0.3, lists)
with open(path, "w") as f:
    f.write("id," + ",".join(f"L{i+1}" for i in range(lists)) + "\n")
    done = 0
    while done < rows:
        n = min(1_000_000, rows - done)
        x = (rng.random((n * 2, lists)) < p).astype(np.int8)
        x = x[x.sum(axis=1) > 0][:n]
        ids = np.arange(done, done + len(x))
        lines = "\n".join(f"{i}," + ",".join(map(str, r)) for i, r in zip(ids, x.tolist()))
        f.write(lines + "\n")
        done += len(x)
