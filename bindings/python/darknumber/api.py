"""The engine's commands as Python functions. Every number comes from the engine's JSON.

Each function takes the data (a pandas DataFrame, a CSV path or "example:NAME"), the command's
common settings as named parameters, and any other engine option as `name=value` (underscores
become dashes: `ntop=20` is `--ntop 20`, `intervals=True` is `--intervals`, a DataFrame such as
`coverage=frame` is passed as a CSV file). See docs/cli.md for every option.
"""
from __future__ import annotations

import json
import math
import numbers
import os
import pathlib
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import pandas as pd

from ._engine import Arguments, call, run


@dataclass
class Result:
    """One command's result: `total` (the estimate of N, the posterior median, or the sensitivity
    analysis's base estimate), `model`, `intervals` (a DataFrame: method, level, lower, upper),
    `tables` (every list of records in the document as a DataFrame, by its JSON name, and the CSV
    files asked for with `draws_csv=True` or `replicates_csv=True` as "draws" and "replicates"),
    `warnings`, and the whole JSON `document`."""

    command: str
    total: Optional[float]
    model: Optional[str]
    intervals: pd.DataFrame
    tables: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    document: dict = field(default_factory=dict)

    def interval(self, method: str, level: Optional[float] = None) -> tuple:
        """(lower, upper) of the interval `method` ("profile", "bca", "credible", …), at `level`
        when several levels are given; an upper limit of None means unbounded."""
        rows = self.intervals[self.intervals.method == method]
        if level is not None:
            rows = rows[(rows.level - level).abs() < 1e-9]
        if rows.empty:
            raise KeyError(f"no {method} interval; the result has {sorted(set(self.intervals.method))}")
        row = rows.iloc[0]
        return _number(row.lower), _number(row.upper)

    def breakdown(self, method: str = "lognormal") -> pd.DataFrame:
        """With covariates: one row per covariate level — covariate, level, observed, total,
        standardError, and the `method` interval's lower and upper (upper None: unbounded)."""
        if "breakdown" not in self.document:
            raise KeyError(f"no breakdown: {self.command} was not run with covariates")
        rows = []
        for entry in self.document["breakdown"]:
            limits = next((i for i in entry.get("intervals", []) if i.get("method") == method), {})
            rows.append({"covariate": entry["covariate"], "level": entry["level"], "observed": entry.get("observed"),
                         "total": entry.get("total"), "standardError": entry.get("standardError"),
                         "lower": limits.get("lower"),
                         "upper": None if limits.get("upperUnbounded") else limits.get("upper")})
        return pd.DataFrame(rows, columns=["covariate", "level", "observed", "total", "standardError", "lower", "upper"])

    def __repr__(self) -> str:
        lines = [f"DarkNumber {self.command}: N = {self.total:,.1f}" if self.total is not None
                 else f"DarkNumber {self.command}"]
        if self.model:
            lines.append(f"  model {self.model}")
        for row in self.intervals.itertuples():
            lower, upper = _number(row.lower), _number(row.upper)
            if lower is not None:
                right = f"{upper:,.1f}" if upper is not None else "unbounded"
                lines.append(f"  {row.method:<20} {row.level:.0%}  {lower:,.1f} – {right}")
        for name, table in self.tables.items():
            if name == "intervals":
                continue
            lines.append(f"  tables[{name!r}]: {len(table)} rows")
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        return "\n".join(lines)


def _number(value: Any) -> Any:
    """A limit as the engine gave it (an integer for grid posteriors), or None when missing or
    unbounded."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if isinstance(value, numbers.Integral) else float(value)


def _result(command: str, document: dict, frames: Optional[dict] = None) -> Result:
    total = None
    model = None
    if isinstance(document.get("estimate"), dict):
        total = document["estimate"].get("total")
        if isinstance(document.get("model"), dict):
            model = document["model"].get("specification")
    if isinstance(document.get("selected"), dict):
        total = document["selected"].get("total")
        model = document["selected"].get("terms")
    if isinstance(document.get("posterior"), dict) and total is None:
        total = document["posterior"].get("median")
    rows = []
    for entry in document.get("intervals", []):
        rows.append({"method": entry.get("method"), "level": entry.get("level"),
                     "lower": entry.get("lower"), "upper": entry.get("upper")})
    if command == "sensitivity":
        base = next((row for row in document.get("rows", []) if row.get("group") == "base"), None)
        if base is not None:
            total, model = base.get("total"), base.get("model")
            rows.append({"method": base.get("interval"), "level": document.get("level"),
                         "lower": base.get("lower"), "upper": base.get("upper")})
    intervals = pd.DataFrame(rows, columns=["method", "level", "lower", "upper"])
    tables = {key: pd.DataFrame(value) for key, value in document.items()
              if isinstance(value, list) and value and all(isinstance(item, dict) for item in value)}
    tables.update(frames or {})
    return Result(command=command, total=total, model=model, intervals=intervals, tables=tables,
                  warnings=list(document.get("warnings", [])), document=document)


def _joined(values: Any) -> Optional[str]:
    """A list of names as the engine's comma-separated value."""
    if values is None or isinstance(values, str):
        return values
    return ",".join(map(str, values))


def estimate(data: Any, model: Any = None, intervals: Optional[Sequence[str]] = None,
             level: float = 0.95, covariates: Any = None, per_person: bool = False, **options: Any) -> Result:
    """`darknumber estimate`: a log-linear model's N̂ (main effects by default) with its intervals
    (`intervals`: any of "wald", "lognormal", "profile", "logwald"; default all four).
    With `covariates=["year", "gender"]` the covariate model: estimates per level
    (`breakdown()`), `coverage=` a DataFrame or CSV of which lists operated where,
    `trend="year"`, `population=`, `missing="em"`."""
    return _result("estimate", *run("estimate", data, dict(
        model=model, interval=list(intervals) if intervals else None, level=level,
        covariates=_joined(covariates), **options), per_person))


def select(data: Any, method: str = "stepwise", bootstrap: int = 0, seed: Optional[int] = None,
           max_order: Optional[int] = None, covariates: Any = None, per_person: bool = False,
           **options: Any) -> Result:
    """`darknumber select`: SparseMSE's stepwise (default), bic, aic, aicc, downhill, auto or
    bayesthresh, with a re-selecting bootstrap of `bootstrap` replicates. Other options:
    `pthresh=0.02`, `ntop=20`, `vary_ntop=[1, 5, "all"]`, `threshold=`, `prior=`, and the covariate
    options of `estimate`."""
    return _result("select", *run("select", data, dict(
        method=method, bootstrap=bootstrap, seed=seed, max_order=max_order, covariates=_joined(covariates),
        **options), per_person))


def models(data: Any, per_person: bool = False, **options: Any) -> Result:
    """`darknumber models`: Rcapture's 12 standard models (`tables["models"]`); `intervals=True`
    adds profile intervals, `bias_corrected=True` Rcapture's closedp.bc."""
    return _result("models", *run("models", data, options, per_person))


def search(data: Any, max_order: Optional[int] = None, per_person: bool = False, **options: Any) -> Result:
    """`darknumber search`: every hierarchical model ranked (`tables["models"]`); `top=`,
    `criterion=`."""
    return _result("search", *run("search", data, dict(max_order=max_order, **options), per_person))


def check(data: Any, model: Any = None, per_person: bool = False) -> Result:
    """`darknumber check`: whether the model's MLE exists and is identifiable (`document["code"]`,
    0–3 as check_extended_MLE)."""
    return _result("check", *run("check", data, dict(model=model), per_person))


def describe(data: Any, per_person: bool = False) -> Result:
    """`darknumber describe`: the table at a glance (`tables["lists"]`, `["pairs"]`, `["histories"]`)."""
    return _result("describe", *run("describe", data, {}, per_person))


def bayes(data: Any, method: str = "dga", seed: Optional[int] = None, per_person: bool = False,
          **options: Any) -> Result:
    """`darknumber bayes`: dga, loglinear or latent-class; other options such as `samples=`,
    `max_order=`, `censored=["0001<=684"]`, `draws_csv=PATH`."""
    return _result("bayes", *run("bayes", data, dict(method=method, seed=seed, **options), per_person))


def validate(data: Any, methods: Sequence[str] = ("mt", "stepwise"), per_person: bool = False,
             **options: Any) -> Result:
    """`darknumber validate`: each list held out as a known population (`tables["rows"]`)."""
    return _result("validate", *run("validate", data, dict(method=list(methods), **options), per_person))


def sensitivity(data: Any, method: str = "stepwise", bayes: bool = True, seed: Optional[int] = None,
                per_person: bool = False, **options: Any) -> Result:
    """`darknumber sensitivity`: the estimate with each list omitted, each pair merged, across
    stepwise thresholds and methods, and for the search's best models (`tables["rows"]`; `total`
    is the base analysis). `bayes=False` leaves out dga and the latent classes; `top=`,
    `pthresh=`, `svg=PATH`."""
    return _result("sensitivity", *run("sensitivity", data, dict(
        method=method, no_bayes=not bayes, seed=seed, **options), per_person))


def report(data: Any, output: Any = "darknumber-report.html", covariates: Any = None, per_person: bool = False,
           **options: Any) -> pathlib.Path:
    """`darknumber report`: writes the self-contained HTML report to `output` and returns its path.
    Options: `model=`, `method=`, `bootstrap=` (default 500), `seed=`, `suppress_below=`, `bayes=False`,
    and with `covariates=` the covariate options of `estimate`, `tables=FOLDER`."""
    no_bayes = options.pop("bayes", True) is False
    run("report", data, dict(output=output, covariates=_joined(covariates), no_bayes=no_bayes, **options),
        per_person, json_output=False)
    return pathlib.Path(output)


def simulate(scenario: Any, replicates: int = 100, estimators: Sequence[str] = ("mt", "stepwise"),
             seed: Optional[int] = None, **options: Any) -> Result:
    """`darknumber simulate run`: simulates `replicates` tables from `scenario` (a dict in the
    scenario format of docs/cli.md, or a JSON file's path) and runs the estimators on each
    (`tables["summary"]`: bias, RMSE, coverage; `tables["replicates"]`). Options: `bootstrap=`,
    `shard="1/4"` with `output=PATH` (combine with `simulate_merge`), `threads=`."""
    arguments = Arguments()
    try:
        if isinstance(scenario, dict):
            arguments.values.append(arguments.file(lambda handle: json.dump(scenario, handle), ".json"))
        elif isinstance(scenario, (str, os.PathLike)):
            arguments.values.append(os.fspath(scenario))
        else:
            raise TypeError("scenario must be a dict or the path of a JSON scenario file")
        arguments.options(dict(replicates=replicates, estimators=_joined(estimators), seed=seed, **options))
    except BaseException:
        arguments.close()
        raise
    return _result("simulate", *call(["simulate", "run"], arguments))


def simulate_merge(files: Sequence[Any]) -> Result:
    """`darknumber simulate merge`: the shards' `output` files combined into exactly the unsharded
    study."""
    arguments = Arguments()
    arguments.values += [os.fspath(path) for path in files]
    return _result("simulate", *call(["simulate", "merge"], arguments))
