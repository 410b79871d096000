"""Plots the table printed by Benchmarks/scale.sh (read from standard input) as
Benchmarks/scale.svg: time and peak memory against rows (aggregation) and against lists (fit).

Usage: bash Benchmarks/scale.sh | tee scale.md; python3 Benchmarks/plot_scale.py < scale.md
"""
import re
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

rows, lists = [], []
for line in sys.stdin:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 3 or not re.match(r"\d+:\d+\.\d+", cells[1]):
        continue
    minutes, seconds = cells[1].split(":")
    wall = 60 * int(minutes) + float(seconds)
    memory = float(cells[2].split()[0])
    if m := re.match(r"aggregate (\d+) rows", cells[0]):
        rows.append((int(m.group(1)) / 1e6, wall, memory))
    elif m := re.match(r"1M rows × (\d+) lists", cells[0]):
        lists.append((int(m.group(1)), wall, memory))

fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
blue, orange = "#0072B2", "#D55E00"
for ax, data, label in ((axes[0], rows, "rows (millions), 5 lists"), (axes[1], lists, "lists (1M rows, main effects + all two-way)")):
    x = [d[0] for d in data]
    ax.plot(x, [d[1] for d in data], "o-", color=blue, label="wall time (s)")
    ax.set_xlabel(label)
    ax.set_ylabel("wall time (s)", color=blue)
    twin = ax.twinx()
    twin.plot(x, [d[2] for d in data], "s--", color=orange, label="peak memory (MB)")
    twin.set_ylabel("peak memory (MB)", color=orange)
    twin.set_ylim(0, max(d[2] for d in data) * 1.2)
    ax.set_ylim(0, max(d[1] for d in data) * 1.2)
axes[0].set_title("Streaming aggregation")
axes[1].set_title("Log-linear fit over 2^K − 1 cells")
fig.tight_layout()
fig.savefig("Benchmarks/scale.svg")
print("wrote Benchmarks/scale.svg")
