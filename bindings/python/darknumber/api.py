"""The engine's commands as Python functions. Every number comes from the engine's JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import pandas as pd

from ._engine import run


@dataclass
class Result:
    """One command's result: `total` (the estimate of N, or the posterior median), `model`,
    `intervals` (a DataFrame: method, level, lower, upper), `tables` (every list of records in the
    document as a DataFrame, by its JSON name), `warnings`, and the whole JSON `document`."""

    command: str
    total: Optional[float]
    model: Optional[str]
    intervals: pd.DataFrame
    tables: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    document: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        lines = [f"DarkNumber {self.command}: N = {self.total:,.1f}" if self.total is not None
                 else f"DarkNumber {self.command}"]
        if self.model:
            lines.append(f"  model {self.model}")
        for row in self.intervals.itertuples():
            if row.lower == row.lower and row.upper == row.upper:
                lines.append(f"  {row.method:<20} {row.level:.0%}  {row.lower:,.1f} – {row.upper:,.1f}")
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        return "\n".join(lines)


def _result(command: str, document: dict) -> Result:
    total = None
    model = None
    if "estimate" in document and isinstance(document["estimate"], dict):
        total = document["estimate"].get("total")
        model = (document.get("model") or {}).get("terms") if isinstance(document.get("model"), dict) else None
    if "selected" in document:
        total = document["selected"].get("total")
        model = document["selected"].get("terms")
    if "posterior" in document and total is None:
        total = document["posterior"].get("median")
    rows = []
    for entry in document.get("intervals", []):
        rows.append({"method": entry.get("method", entry.get("kind", "credible")), "level": entry.get("level"),
                     "lower": entry.get("lower"), "upper": entry.get("upper")})
    intervals = pd.DataFrame(rows, columns=["method", "level", "lower", "upper"])
    tables = {key: pd.DataFrame(value) for key, value in document.items()
              if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)}
    return Result(command=command, total=total, model=model, intervals=intervals, tables=tables,
                  warnings=list(document.get("warnings", [])), document=document)


def _model_argument(model: Any) -> list:
    """`[12,13]`, `LA:NG, PF`, or an R-style formula `~ LA*NG + PF` (products become all their
    interactions, as R's `*`)."""
    if model is None:
        return []
    text = str(model).strip()
    if text.startswith("~"):
        terms = []
        for part in text[1:].split("+"):
            factors = [f.strip() for f in part.replace(":", "*").split("*") if f.strip()]
            if len(factors) > 1:
                terms.append(":".join(factors))
            elif factors:
                terms.append(factors[0])
        text = ", ".join(terms)
    return ["--model", text]


def estimate(data: Any, model: Any = None, intervals: Sequence[str] = ("logwald", "profile"),
             level: float = 0.95, per_person: bool = False) -> Result:
    """`darknumber estimate`: a log-linear model's N̂ with its intervals (main effects by default)."""
    arguments = _model_argument(model) + ["--interval", *intervals, "--level", str(level)]
    return _result("estimate", run("estimate", data, arguments, per_person))


def select(data: Any, method: str = "stepwise", bootstrap: int = 0, seed: Optional[int] = None,
           max_order: Optional[int] = None, per_person: bool = False, **options: Any) -> Result:
    """`darknumber select`: SparseMSE's stepwise (default), bic, aic, aicc, downhill, auto or
    bayesthresh, with a re-selecting bootstrap of `bootstrap` replicates. Other options are passed
    as `--name value` (underscores become dashes): `ntop=20`, `vary_ntop="1,5,all"`, `pthresh=0.02`."""
    arguments = ["--method", method, "--bootstrap", str(bootstrap)]
    if seed is not None:
        arguments += ["--seed", str(seed)]
    if max_order is not None:
        arguments += ["--max-order", str(max_order)]
    for name, value in options.items():
        arguments += [f"--{name.replace('_', '-')}", str(value)]
    return _result("select", run("select", data, arguments, per_person))


def models(data: Any, per_person: bool = False) -> Result:
    """`darknumber models`: Rcapture's 12 standard models (`tables["models"]`)."""
    return _result("models", run("models", data, [], per_person))


def search(data: Any, max_order: Optional[int] = None, per_person: bool = False) -> Result:
    """`darknumber search`: every hierarchical model ranked (`tables["models"]`)."""
    arguments = ["--max-order", str(max_order)] if max_order is not None else []
    return _result("search", run("search", data, arguments, per_person))


def check(data: Any, model: Any = None, per_person: bool = False) -> Result:
    """`darknumber check`: whether the model's MLE exists and is identifiable (`document["code"]`,
    0–3 as check_extended_MLE)."""
    return _result("check", run("check", data, _model_argument(model), per_person))


def describe(data: Any, per_person: bool = False) -> Result:
    """`darknumber describe`: the table at a glance (`tables["lists"]`, `["pairs"]`, `["histories"]`)."""
    return _result("describe", run("describe", data, [], per_person))


def bayes(data: Any, method: str = "dga", seed: Optional[int] = None, per_person: bool = False,
          **options: Any) -> Result:
    """`darknumber bayes`: dga, loglinear or latent-class; options as `--name value`."""
    arguments = ["--method", method] + (["--seed", str(seed)] if seed is not None else [])
    for name, value in options.items():
        arguments += [f"--{name.replace('_', '-')}", str(value)]
    return _result("bayes", run("bayes", data, arguments, per_person))


def validate(data: Any, methods: Sequence[str] = ("mt", "stepwise"), per_person: bool = False) -> Result:
    """`darknumber validate`: each list held out as a known population."""
    return _result("validate", run("validate", data, ["--method", *methods], per_person))
