#!/usr/bin/env python3
"""The Python front end's overhead over the bare CLI (issue 21: at most 50 ms per call).

Times `darknumber estimate --example UKdat_5 --format json` as a bare subprocess and as
`darknumber.estimate("example:UKdat_5")` (which also parses the JSON into DataFrames), 30 times
each, alternately, and prints the medians and their difference.

    DARKNUMBER=$PWD/.build/release/darknumber PYTHONPATH=bindings/python python3 Benchmarks/bindings_overhead.py
"""
import statistics
import subprocess
import time

import darknumber as dn

binary = dn.find_binary()
bare, wrapped = [], []
for _ in range(30):
    start = time.perf_counter()
    subprocess.run([binary, "estimate", "--example", "UKdat_5", "--level", "0.95", "--format", "json",
                    "--no-progress"], capture_output=True, check=True)
    bare.append(time.perf_counter() - start)
    start = time.perf_counter()
    dn.estimate("example:UKdat_5")
    wrapped.append(time.perf_counter() - start)
b, w = statistics.median(bare) * 1000, statistics.median(wrapped) * 1000
print(f"bare CLI {b:.1f} ms, Python call {w:.1f} ms, overhead {w - b:.1f} ms (target ≤ 50 ms)")
