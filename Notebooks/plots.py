"""Plots the notebooks share: a point-and-interval chart of estimates and a log axis labelled
1, 2, 5 × 10^k. Every number drawn comes from the engine (the `darknumber` package); these only
draw."""
import matplotlib.pyplot as plt
import matplotlib.ticker as ticker
import numpy as np


def missing(value):
    """None (no interval, or unbounded) or NaN (the same, after a trip through pandas)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def log_axis(axis):
    """A log-scale axis labelled 1, 2, 5 × 10^k with thousands separators."""
    axis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axis.set_minor_formatter(ticker.NullFormatter())


def plot_intervals(rows, ax=None, truth=None, truth_label="truth", observed=None, log=True, title=None,
                   xlabel="N̂ (95% interval)"):
    """Horizontal point-and-interval plot. rows: dicts with label, total, lower, upper (None:
    unbounded above; lower None: no interval) and group (colour). The first row is drawn at the top."""
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 0.42 * len(rows) + 1.4))
    groups = list(dict.fromkeys(row.get("group", "") for row in rows))
    colours = {group: plt.cm.tab10(i % 10) for i, group in enumerate(groups)}
    finite = [v for row in rows for v in (row["total"], row["lower"], row["upper"]) if not missing(v)]
    right = max(finite + [truth or 0]) * (1.6 if log else 1.1)
    for y, row in zip(range(len(rows) - 1, -1, -1), rows):
        colour = colours[row.get("group", "")]
        if not missing(row["lower"]):
            upper = right if missing(row["upper"]) else row["upper"]
            ax.hlines(y, row["lower"], upper, color=colour, linewidth=2.5, alpha=0.7)
            if missing(row["upper"]):
                ax.plot(upper, y, marker=">", color=colour)
        ax.plot(row["total"], y, "o", color=colour, markersize=6)
    ax.set_yticks(range(len(rows) - 1, -1, -1), [row["label"] for row in rows])
    if log:
        ax.set_xscale("log")
        log_axis(ax.xaxis)
    else:
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    if truth is not None:
        ax.axvline(truth, color="black", linestyle="--", linewidth=1.2, label=f"{truth_label} {truth:,.0f}")
    if observed is not None:
        ax.axvline(observed, color="grey", linestyle=":", linewidth=1.2, label=f"observed n = {observed:,}")
    handles = [plt.Line2D([], [], color=colours[g], marker="o", linewidth=2.5, label=g) for g in groups if g]
    ax.legend(handles=handles + ax.get_legend_handles_labels()[0], loc="upper left", bbox_to_anchor=(1.01, 1),
              fontsize=8)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.grid(axis="x", alpha=0.3, which="both")
    return ax
