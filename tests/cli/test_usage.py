"""Option values and combinations: --chunksize must be positive; unused out-of-core options."""

from __future__ import annotations

import json

import pytest

from linmod.cli.main import main

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "0 rows: give a positive number"),
        ("-5", "-5 rows: give a positive number"),
        ("ten", "'ten' is not a whole number"),
    ],
)
def test_a_chunk_size_that_reads_nothing_is_a_usage_error(value, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["fit", MTCARS, "-f", "mpg ~ wt", f"--chunksize={value}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: linmod fit")
    assert f"argument --chunksize: {message}" in err


def test_second_pass_in_memory_warns_that_it_does_nothing(capsys):
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--json"]) == 0
    plain = capsys.readouterr()
    assert plain.err == ""
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--json", "--second-pass"]) == 0
    warned = capsys.readouterr()
    assert json.loads(warned.out) == json.loads(plain.out)  # the same fit
    assert warned.err == (
        "linmod: warning: --second-pass does nothing without --chunksize or --dask: an "
        "in-memory fit already has the robust standard errors, MAE and diagnostics it would "
        "add\n"
    )
    assert json.loads(warned.out)["mae"] is not None  # what a second pass would add


def test_second_pass_of_a_streamed_fit_is_not_warned_about(capsys):
    fit = ["fit", MTCARS, "-f", "mpg ~ wt", "--chunksize", "10", "--json", "--quiet"]
    assert main([*fit, "--second-pass"]) == 0
    assert "warning" not in capsys.readouterr().err
