"""Empty and mostly empty columns: leave the column out, not the rows (QA 10).

A trailing comma on every line adds an empty ``Unnamed: 3`` column; a ``notes`` column is
filled in 1 row of 200.  The error recommended ``--missing drop``, which then failed or
kept 1 row.  Now ``y ~ .`` leaves an empty column out with a warning; a named one, or a
mostly empty one, is reported with its missing share and the ``- col`` to write, and that
fix, pasted into the formula, fits (checked against statsmodels).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError, LinmodWarning

N = 200


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x1, x2 = rng.normal(size=N), rng.normal(size=N)
    return pd.DataFrame({"y": 1 + 2 * x1 - x2 + rng.normal(0, 0.5, N), "x1": x1, "x2": x2})


@pytest.fixture
def trailing_comma(tmp_path, base) -> str:
    path = tmp_path / "trailcomma.csv"
    lines = base.to_csv(index=False).splitlines()
    path.write_text("".join(line + ",\n" for line in lines))
    return str(path)


@pytest.fixture
def notes(base) -> pd.DataFrame:
    return base.assign(notes=[None] * 57 + ["check"] + [None] * (N - 58))


def _reference(base: pd.DataFrame):
    return smf.ols("y ~ x1 + x2", data=base).fit()


def _removal(message: str) -> str:
    match = re.search(r"or add '(- .*?)' to it", message)
    assert match is not None, message
    return match.group(1)


def test_dot_leaves_an_empty_column_out(trailing_comma, base):
    frame = pd.read_csv(trailing_comma)
    assert frame.columns.tolist() == ["y", "x1", "x2", "Unnamed: 3"]
    message = r"^column 'Unnamed: 3' is empty \(no value in its 200 rows\): '\.' leaves it out$"
    with pytest.warns(LinmodWarning, match=message):
        res = linmod.ols("y ~ .", data=frame)
    assert res.design.formula == "y ~ (x1 + x2)"
    reference = _reference(base)
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_the_command_line_leaves_the_empty_column_out(trailing_comma, capsys):
    assert main(["fit", trailing_comma, "-f", "y ~ .", "--json"]) == 0
    err = capsys.readouterr().err
    assert "column 'Unnamed: 3' is empty" in err
    assert "--missing drop" not in err
    assert main(["fit", trailing_comma, "--target", "y", "--json"]) == 0
    assert "column 'Unnamed: 3' is empty" in capsys.readouterr().err


def test_a_named_empty_column_is_removed_not_the_rows(trailing_comma, base):
    frame = pd.read_csv(trailing_comma)
    formula = "y ~ x1 + x2 + `Unnamed: 3`"
    with pytest.raises(InputError) as caught:
        linmod.ols(formula, data=frame)
    message = str(caught.value)
    assert message.startswith("column 'Unnamed: 3' is empty (no value in its 200 rows); ")
    assert "would keep none of the 200" in message
    assert "missing='drop'" not in message
    with pytest.raises(InputError, match=r"have no values at all; remove it from the formula"):
        linmod.ols(formula, data=frame, missing="drop")
    res = linmod.ols(f"{formula} {_removal(message)}", data=frame)  # as the message says
    reference = _reference(base)
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_a_mostly_empty_column_is_named_with_its_share(notes, base):
    with pytest.raises(InputError) as caught:
        linmod.ols("y ~ .", data=notes)
    message = str(caught.value)
    assert message == (
        "column 'notes' is missing in 199 of its 200 rows (99.5%); remove it from the "
        "formula (or add '- notes' to it): dropping the incomplete rows would keep only 1 "
        "of 200"
    )
    res = linmod.ols(f"y ~ . {_removal(message)}", data=notes)
    reference = _reference(base)
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)
    dropping = pytest.warns(LinmodWarning, match=r"'notes' is missing in 199 of its 200.*only 1")
    with dropping, pytest.raises(InputError, match="1 rows but 3 parameters"):
        linmod.ols("y ~ .", data=notes, missing="drop")


def test_other_missing_values_are_still_dropped_after(notes, base):
    data = notes.copy()
    data.loc[[3, 9], "x1"] = np.nan
    with pytest.raises(InputError) as caught:
        linmod.ols("y ~ .", data=data)
    message = str(caught.value)
    assert "column 'x1' has 2 missing values in rows 4, 10" in message
    assert message.endswith("then pass missing='drop' to drop the rows still incomplete")
    res = linmod.ols(f"y ~ . {_removal(message)}", data=data, missing="drop")
    reference = smf.ols("y ~ x1 + x2", data=base.drop(index=[3, 9])).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_a_mostly_missing_response_is_not_suggested_for_removal(base):
    data = base.copy()
    data.loc[: N * 3 // 4, "y"] = np.nan
    with pytest.raises(InputError) as caught:
        linmod.ols("y ~ x1 + x2", data=data)
    message = str(caught.value)
    assert message.startswith("column 'y' has 151 missing values in rows 1, 2, 3, 4, 5")
    assert message.endswith("pass missing='drop' to drop incomplete rows")


def test_the_command_line_says_which_column_to_remove(notes, tmp_path, capsys):
    path = tmp_path / "notes.csv"
    notes.to_csv(path, index=False)
    assert main(["fit", str(path), "-f", "y ~ ."]) == 1
    err = capsys.readouterr().err
    assert "column 'notes' is missing in 199 of its 200 rows (99.5%)" in err
    assert "or add '- notes' to it" in err
    assert "--missing drop" not in err
    assert main(["fit", str(path), "-f", "y ~ . - notes", "--json"]) == 0
    capsys.readouterr()


def test_a_column_empty_in_the_first_chunk_only_is_kept(base, tmp_path):
    """A streamed fit sees the first chunk when it expands '.': no column is called empty."""
    rng = np.random.default_rng(1)
    data = base.assign(z=rng.normal(size=N))
    data.loc[:49, "z"] = np.nan
    path = tmp_path / "late.csv"
    data.to_csv(path, index=False)
    res = linmod.ols("y ~ .", data=str(path), chunksize=50, missing="drop")
    assert res.design.formula == "y ~ (x1 + x2 + z)"
    reference = smf.ols("y ~ x1 + x2 + z", data=data.dropna()).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-9, atol=1e-12)
