"""Finding and calling the `darknumber` command-line engine, as cmdstanpy calls CmdStan."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
from typing import Any, Optional, Sequence

import pandas as pd

_binary: Optional[str] = None


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
    _binary = path


def find_binary() -> str:
    """The engine: `set_binary`'s path, else $DARKNUMBER, else the repository's release build
    (`.build/release/darknumber` above this package), else `darknumber` on PATH."""
    candidates = [_binary, os.environ.get("DARKNUMBER")]
    for parent in pathlib.Path(__file__).resolve().parents:
        candidates.append(str(parent / ".build" / "release" / "darknumber"))
    candidates.append(shutil.which("darknumber"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise FileNotFoundError(
        "the darknumber engine was not found: set DARKNUMBER, call darknumber.set_binary(path), "
        "or build it with `swift build -c release --product darknumber` in the repository")


def input_arguments(data: Any, per_person: bool = False) -> tuple[list[str], Optional[str]]:
    """Arguments naming the data: a bundled example (`example="UKdat_5"` is passed as a string
    starting with "example:"), a CSV path, or a pandas DataFrame of 0/1 list columns and a `count`
    column (or one row per person with `per_person=True`), written to a temporary CSV file."""
    if isinstance(data, pd.DataFrame):
        handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False)
        data.to_csv(handle, index=False)
        handle.close()
        return [handle.name] + (["--per-person"] if per_person else []), handle.name
    if isinstance(data, str) and data.startswith("example:"):
        return ["--example", data[len("example:"):]], None
    if isinstance(data, (str, os.PathLike)):
        return [os.fspath(data)] + (["--per-person"] if per_person else []), None
    raise TypeError("data must be a pandas DataFrame, a CSV path, or 'example:NAME'")


def run(command: str, data: Any, arguments: Sequence[str] = (), per_person: bool = False) -> dict:
    """Runs `darknumber COMMAND DATA ARGUMENTS --format json` and returns the parsed document."""
    data_arguments, temporary = input_arguments(data, per_person)
    try:
        # Commands that run long take --no-progress (a pipe is no terminal; this keeps stderr to errors).
        quiet = ["--no-progress"] if command in ("select", "bayes", "validate") else []
        completed = subprocess.run(
            [find_binary(), command, *data_arguments, *arguments, "--format", "json", *quiet],
            capture_output=True, text=True)
    finally:
        if temporary:
            os.unlink(temporary)
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()
        text = message[0] if message else f"darknumber exited with {completed.returncode}"
        for prefix in ("darknumber: error: ", "Error: "):
            if text.startswith(prefix):
                text = text[len(prefix):]
        raise EngineError(text, completed.returncode)
    return json.loads(completed.stdout)
