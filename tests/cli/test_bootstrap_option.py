"""``linmod fit ... --bootstrap N``: the flags the check() remedies point to."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.advice import to_cli
from linmod.cli.main import main

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fit_prints_the_bootstrap_table_after_the_summary(capsys):
    code, out, _ = _run(
        capsys,
        "fit",
        MTCARS,
        "-f",
        "mpg ~ wt + hp",
        "--bootstrap",
        "199",
        "--seed",
        "4",
        "--bootstrap-method",
        "residual",
    )
    assert code == 0
    summary, _, bootstrap = out.partition("Bootstrap: residual")
    assert "Residual standard error" in summary
    assert "199 replicates, seed 4" in bootstrap
    frame = pd.read_csv(MTCARS)
    expected = linmod.ols("mpg ~ wt + hp", data=frame).bootstrap(199, method="residual", seed=4)
    lower = expected.conf_int("bca")["lower"]["wt"]
    assert f"{lower:.4f}"[:6] in bootstrap


def test_fit_json_carries_the_bootstrap_table(capsys):
    code, out, _ = _run(
        capsys, "fit", MTCARS, "-f", "mpg ~ wt", "--bootstrap", "99", "--seed", "1", "--json"
    )
    assert code == 0
    boot = json.loads(out)["bootstrap"]
    assert boot["method"] == "pairs"
    assert boot["replicates"] == 99
    assert boot["seed"] == 1
    expected = linmod.ols("mpg ~ wt", data=pd.read_csv(MTCARS)).bootstrap(99, seed=1)
    rows = {row["term"]: row for row in boot["table"]}
    np.testing.assert_allclose(
        rows["wt"]["bca_lower"], expected.conf_int()["lower"]["wt"], rtol=1e-12
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--seed", "3"], "--bootstrap-method and --seed set up the bootstrap: add --bootstrap N"),
        (["--bootstrap", "1"], "--bootstrap 1: give at least 2 replicates"),
        (["--bootstrap", "10", "--chunksize", "10"], "--bootstrap refits the model on resampled"),
    ],
)
def test_bad_bootstrap_flags_are_refused(capsys, argv, message):
    code, _, err = _run(capsys, "fit", MTCARS, "-f", "mpg ~ wt", *argv)
    assert code == 1
    assert message in err


def test_bootstrap_remedies_become_flags():
    assert to_cli("or wild-bootstrap intervals: res.bootstrap(method='wild')") == (
        "or wild-bootstrap intervals: linmod fit ... --bootstrap 1999 --bootstrap-method wild"
    )
    assert to_cli("use bootstrap intervals, which do not: res.bootstrap()") == (
        "use bootstrap intervals, which do not: linmod fit ... --bootstrap 1999"
    )


def test_check_on_the_command_line_names_the_bootstrap_flag(capsys):
    code, out, _ = _run(capsys, "check", MTCARS, "-f", "mpg ~ wt + hp")
    assert code == 0
    assert "linmod fit ... --bootstrap 1999" in out
    assert "res.bootstrap" not in out
