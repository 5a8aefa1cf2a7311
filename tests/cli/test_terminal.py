"""The command line on a real (pseudo-)terminal: rich tables, exit codes, no cut numbers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod

from ..conftest import DATA_DIR

pty = pytest.importorskip("pty")  # POSIX only

MTCARS = str(DATA_DIR / "mtcars.csv")
FORMULA = "mpg ~ wt + hp + C(cyl)"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_terminal(args: list[str], columns: int = 80, raw: bool = False) -> tuple[int, str]:
    """Run ``linmod ARGS`` with standard output and error on a pseudo-terminal (``raw``:
    keep the carriage returns and escape sequences)."""
    master, slave = os.openpty()
    env = dict(
        os.environ,
        COLUMNS=str(columns),
        LINES="60",
        TERM="xterm-256color",
        PYTHONPATH=str(Path(linmod.__file__).resolve().parents[1]),
    )
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "linmod.cli.main", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal (EIO on Linux)
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    code = process.wait(timeout=120)
    if raw:
        return code, b"".join(chunks).decode("utf-8", "replace")
    return code, _ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "")


def _reference():
    return smf.ols("mpg ~ wt + hp + C(cyl)", data=pd.read_csv(MTCARS)).fit()


@pytest.mark.parametrize("columns", [60, 80, 100, 120])
def test_fit_table_never_cuts_a_number(columns):
    code, out = run_on_terminal(["fit", MTCARS, "-f", FORMULA], columns)
    assert code == 0, out
    assert "…" not in out
    # R's printCoefmat cells (R 4.2 prints exactly these for lm(mpg ~ wt + hp + factor(cyl)))
    for cell in ("35.84600", "2.04102", "-0.02312", "0.01195", "17.563", "0.000144", "0.063613"):
        assert cell in out
    assert f"{_reference().rsquared:.5f}" in out
    if columns >= 100:  # wide enough for the intervals
        assert "97.5 %" in out


@pytest.mark.parametrize("second_pass", [False, True])
def test_streamed_fit_on_a_terminal(second_pass):
    # Exited 1 with "the mean absolute residual needs the individual rows" without
    # --second-pass: the terminal table asked for the MAE the one-pass fit does not have.
    args = ["fit", MTCARS, "-f", FORMULA, "--chunksize", "10", "--quiet"]
    code, out = run_on_terminal(args + (["--second-pass"] if second_pass else []))
    assert code == 0, out
    assert "35.84600" in out
    assert "…" not in out
    mae = float(pd.Series(_reference().resid).abs().mean())
    assert (f"{mae:.5g}" in out) is second_pass


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["check"], "Overall:"),
        (["cv", "--folds", "3", "--quiet"], "Lowest held-out RMSE"),
        (["path", "--n-alphas", "10", "--folds", "3", "--quiet"], "alpha_min"),
        (["compare"], "cholesky"),
    ],
)
def test_other_commands_on_a_terminal(command, expected):
    # 60 columns: too narrow for the check and compare tables, which turn to plain text
    code, out = run_on_terminal([command[0], MTCARS, "-f", FORMULA, *command[1:]], 60)
    assert code == 0, out
    assert expected in out
    assert "…" not in out


@pytest.mark.parametrize(
    ("command", "columns", "last"),
    [
        (["check"], 80, "Overall:"),
        (["check"], 60, "Overall:"),
        (["cv", "--quiet"], 60, "Lowest held-out RMSE"),
        (["cv", "--quiet"], 40, "Lowest held-out RMSE"),
    ],
)
def test_check_and_cv_tables_fit_a_narrow_terminal_and_end_once(command, columns, last):
    """QA item 7: `check` at 80 columns printed the plain report, every row split over two
    lines, and then its overall verdict and remedies a second time; `cv` at 40-60 columns
    printed fragments and its last line twice."""
    code, out = run_on_terminal([command[0], MTCARS, "-f", "mpg ~ wt + hp", *command[1:]], columns)
    assert code == 0, out
    assert out.count(last) == 1
    assert "…" not in out
    assert all(len(line) <= columns for line in out.splitlines())
    if command == ["check"] and columns == 80:  # the table itself, not the plain layout
        assert "━" in out
        assert "Influential" in out
        assert "VIOLATED" not in out  # the plain report's mark


@pytest.mark.parametrize(
    ("args", "columns"),
    [
        (["fit", MTCARS, "-f", "mpg ~ wt + hp", "--bootstrap", "1999", "--seed", "1"], 80),
        (["cv", MTCARS, "-f", "mpg ~ wt + hp + disp + qsec"], 40),
        (["path", MTCARS, "-f", "mpg ~ wt + hp + disp + qsec"], 50),
    ],
)
def test_progress_lines_fit_the_terminal(args, columns):
    """QA item 8: a bar line wider than the terminal wrapped and each redraw left a line."""
    code, out = run_on_terminal(args, columns, raw=True)
    assert code == 0, out
    drawn = [_ANSI.sub("", part) for line in out.split("\n") for part in line.split("\r")]
    bars = [part for part in drawn if "/" in part and "[" in part]
    assert bars  # the progress bar was drawn
    assert all(len(part) < columns for part in bars)
