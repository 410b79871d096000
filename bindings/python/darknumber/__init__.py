"""DarkNumber from Python: the engine's commands as functions returning dataclasses with pandas
DataFrames (the cmdstanpy way: the compiled engine does the work, this package calls it).

    import darknumber as dn
    fit = dn.select("example:UKdat_5", bootstrap=1000)
    fit.total, fit.intervals

Data: a pandas DataFrame of 0/1 list columns and a `count` column (or one row per person with
`per_person=True`), a CSV path, or "example:NAME" for a bundled table.
"""
from ._engine import EngineError, build, find_binary, set_binary, version
from .api import (Result, bayes, check, describe, estimate, models, report, search, select, sensitivity,
                  simulate, simulate_merge, validate)

__all__ = [
    "EngineError", "Result", "bayes", "build", "check", "describe", "estimate", "find_binary", "models",
    "report", "search", "select", "sensitivity", "set_binary", "simulate", "simulate_merge", "validate",
    "version",
]
