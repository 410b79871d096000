"""Finding, building and calling the `darknumber` command-line engine, as cmdstanpy calls CmdStan."""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Optional, Sequence

import pandas as pd

_binary: Optional[str] = None

# Options whose values the engine reads as one comma-separated list; other list values repeat the
# option (`--trend year --trend age`, `--interval logwald profile`).
COMMA_SEPARATED = {"covariates", "estimators", "vary-ntop", "candidates"}

# Commands that take --progress/--no-progress (a pipe is no terminal; this keeps stderr to errors).
QUIET = {"estimate", "select", "search", "bayes", "validate", "sensitivity", "report", "simulate"}


class EngineError(RuntimeError):
    """The engine refused the input or the arguments: `message` is its one sentence, `status` its
    exit code (64: bad arguments, 65: bad data or no estimate)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def set_binary(path: str) -> None:
    """Use the engine at `path` from now on."""
    global _binary
    _binary = os.fspath(path)


def _repository() -> Optional[pathlib.Path]:
    """The DarkNumber repository this package sits in (a folder above it with Package.swift)."""
    for parent in pathlib.Path(__file__).resolve().parents:
        if (parent / "Package.swift").is_file() and (parent / "Sources" / "darknumber").is_dir():
            return parent
    return None


def find_binary() -> str:
    """The engine: `set_binary`'s path, else $DARKNUMBER (either must be an executable file), else
    the repository's release build (`.build/release/darknumber` in the working directory or a folder
    above it, or above this package), else `darknumber` on PATH."""
    for name, configured in (("set_binary", _binary), ("DARKNUMBER", os.environ.get("DARKNUMBER"))):
        if configured:
            if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
                raise FileNotFoundError(f"{name} names {configured}, which is not an executable file")
            return configured
    candidates = []
    for start in (pathlib.Path.cwd(), pathlib.Path(__file__).resolve()):
        for parent in (start, *start.parents):
            candidates.append(str(parent / ".build" / "release" / "darknumber"))
    candidates.append(shutil.which("darknumber"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(
        "the darknumber engine was not found: set DARKNUMBER, call darknumber.set_binary(path), "
        "or build it with darknumber.build(repository)")


def build(repository: Any = None) -> str:
    """Builds the engine (`swift build -c release --product darknumber`) in `repository` (default:
    the repository this package was installed from, else the working directory), uses it from now
    on, and returns its path. Needs the Swift toolchain and the system libraries of README's quick
    start (`bash scripts/setup.sh` installs them)."""
    root = pathlib.Path(repository) if repository is not None else (_repository() or pathlib.Path.cwd())
    if not (root / "Package.swift").is_file():
        raise FileNotFoundError(f"{root} is not the DarkNumber repository (no Package.swift)")
    completed = subprocess.run(["swift", "build", "-c", "release", "--product", "darknumber"],
                               cwd=root, capture_output=True, text=True)
    if completed.returncode != 0:
        raise EngineError(f"swift build failed: {completed.stderr.strip() or completed.stdout.strip()}",
                          completed.returncode)
    path = root / ".build" / "release" / "darknumber"
    set_binary(str(path))
    return str(path)


class Arguments:
    """An engine command line under construction; data frames and scenarios given as Python objects
    become temporary files, removed by `close`."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.temporaries: list[str] = []
        # What each temporary file holds, for the engine's messages ("the data frame `data`").
        self.labels: dict[str, str] = {}
        # CSV files the engine writes on request (`draws_csv=True`), by table name ("draws").
        self.outputs: dict[str, str] = {}

    def file(self, write, suffix: str) -> str:
        handle = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False)
        try:
            write(handle)
        finally:
            handle.close()
            self.temporaries.append(handle.name)
        return handle.name

    def frame(self, frame: pd.DataFrame, name: str) -> str:
        """A temporary CSV of `frame` (the argument `name`); boolean columns become 0/1."""
        frame = frame.copy()
        for column in frame.columns:
            if frame[column].dtype == bool:
                frame[column] = frame[column].astype(int)
        path = self.file(lambda handle: frame.to_csv(handle, index=False), ".csv")
        self.labels[path] = f"the data frame `{name}` (as CSV: line 1 is its header, line k + 2 the row at position k)"
        return path

    def data(self, data: Any, per_person: bool) -> None:
        """The input: "example:NAME" for a bundled table, a CSV path, or a pandas DataFrame of 0/1
        list columns and a `count` column (or one row per person with `per_person=True`)."""
        if isinstance(data, pd.DataFrame):
            self.values.append(self.frame(data, "data"))
        elif isinstance(data, str) and data.startswith("example:"):
            self.values += ["--example", data[len("example:"):]]
            return
        elif isinstance(data, (str, os.PathLike)):
            self.values.append(os.fspath(data))
        else:
            raise TypeError("data must be a pandas DataFrame, a CSV path, or 'example:NAME'")
        if per_person:
            self.values.append("--per-person")

    def options(self, options: dict) -> None:
        """`name=value` as `--name value` (underscores become dashes): True is a flag, False and
        None leave the option out, a DataFrame is passed as a CSV file, a list repeats the option
        (or is joined with commas where the engine wants that). A file option ending in `_csv`
        given as True (`draws_csv=True`) goes to a temporary file read back as a table ("draws")."""
        for name, value in options.items():
            if value is None or value is False:
                continue
            flag = "--" + name.replace("_", "-")
            if value is True and name.endswith("_csv"):
                path = self.file(lambda handle: None, ".csv")
                self.outputs[name[: -len("_csv")]] = path
                self.values += [flag, path]
            elif value is True:
                self.values.append(flag)
            elif name == "model":
                self.values += model_arguments(value)
            elif isinstance(value, pd.DataFrame):
                self.values += [flag, self.frame(value, name)]
            elif isinstance(value, (list, tuple)):
                if flag[2:] in COMMA_SEPARATED:
                    self.values += [flag, ",".join(map(str, value))]
                else:
                    for item in value:
                        self.values += [flag, str(item)]
            else:
                self.values += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]

    def close(self) -> None:
        for path in self.temporaries:
            os.unlink(path)
        self.temporaries = []


def model_arguments(model: Any) -> list:
    """`[12,13]`, `LA:NG, PF`, or an R-style formula `~ LA*NG + PF`: terms joined by `+`, each a
    list name or names joined by `*` or `:` (in a hierarchical model both mean the interaction
    with all its lower-order terms). Anything else in a formula is refused."""
    if model is None:
        return []
    text = str(model).strip()
    if text.startswith("~"):
        terms = []
        for part in text[1:].split("+"):
            factors = [factor.strip() for factor in part.replace(":", "*").split("*")]
            if not all(re.fullmatch(r"[A-Za-z_.][A-Za-z0-9_.]*", factor) for factor in factors):
                raise ValueError(
                    f"the formula {text!r} has the term {part.strip()!r}; a term is a list name or names joined "
                    "by * or :, terms are joined by + (or give a specification such as \"[12,13]\")")
            terms.append(":".join(factors))
        text = ", ".join(terms)
    return ["--model", text]


def call(command: Sequence[str], arguments: Arguments, json_output: bool = True) -> tuple[Any, dict]:
    """Runs `darknumber COMMAND ARGUMENTS [--format json] [--no-progress]`, removes the temporary
    files, and returns the parsed document (or the standard output when `json_output` is False)
    with the CSV files it wrote on request as DataFrames."""
    words = list(command)
    quiet = ["--no-progress"] if words[0] in QUIET and words[-1] != "merge" else []
    output = ["--format", "json"] if json_output else []
    try:
        completed = subprocess.run([find_binary(), *words, *arguments.values, *output, *quiet],
                                   capture_output=True, text=True)
        frames = {name: pd.read_csv(path) for name, path in arguments.outputs.items()} \
            if completed.returncode == 0 else {}
    finally:
        arguments.close()
    if completed.returncode != 0:
        message = error_message(completed.stderr, completed.returncode)
        for path, label in arguments.labels.items():
            message = message.replace(path, label)
        raise EngineError(message, completed.returncode)
    if not json_output and completed.stderr.strip():
        # What the engine says it did ("wrote report.html"), as it says it on a terminal.
        sys.stderr.write(completed.stderr)
    return (json.loads(completed.stdout) if json_output else completed.stdout), frames


def version() -> str:
    """The engine's version (`darknumber --version`)."""
    completed = subprocess.run([find_binary(), "--version"], capture_output=True, text=True)
    if completed.returncode != 0:
        raise EngineError(error_message(completed.stderr, completed.returncode), completed.returncode)
    return completed.stdout.strip()


def error_message(stderr: str, status: int) -> str:
    """The engine's sentence: its standard error without the "darknumber: error: " prefix and
    without the usage lines that follow an argument error."""
    lines = []
    for line in stderr.strip().splitlines():
        if line.startswith(("Usage:", "Help:", "  See '")):
            break
        for prefix in ("darknumber: error: ", "Error: "):
            if line.startswith(prefix):
                line = line[len(prefix):]
        lines.append(line)
    return "\n".join(lines).strip() or f"darknumber exited with {status}"


def run(command: str, data: Any, options: dict, per_person: bool = False,
        json_output: bool = True) -> tuple[Any, dict]:
    """Runs `darknumber COMMAND DATA OPTIONS --format json`: see `call`."""
    arguments = Arguments()
    try:
        arguments.data(data, per_person)
        arguments.options(options)
    except BaseException:
        arguments.close()
        raise
    return call([command], arguments, json_output)
