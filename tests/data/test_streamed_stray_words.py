"""Words among a column's numbers in a streamed fit: every chunk's words, in the advice.

A streamed fit met the first word in one chunk and listed that chunk's words only, so a
user who followed its advice (``na_values`` of those words) met the next chunk's word on
the next run.  The refusal now reads the rest of the column first and names every word
(the first few with their rows, a count of all), and the read option in the form the
streamed fit takes: ``read_options={"na_values": [...]}`` (``--na-values`` on the
command line).  Counts and coefficients are checked against pandas and statsmodels.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.cli.main import main

N, CHUNK = 120, 20  # six chunks
WORDS = {25: "?", 50: "unknown", 51: "unknown", 70: "-", 110: "?"}  # rows 26, 51, 71, ...


def worded(first_chunk_word: bool = False) -> pd.DataFrame:
    """``x``: numbers with a word in chunks 2, 3, 4 and 6 (and in the first, if asked)."""
    rng = np.random.default_rng(31)
    x = rng.normal(size=N)
    y = 1.0 + 2.0 * x + rng.normal(size=N)
    shown = x.round(6).astype(object)
    for row, word in {**WORDS, **({3: "missing"} if first_chunk_word else {})}.items():
        shown[row] = word
    return pd.DataFrame({"y": y.round(6), "x": shown})


def word_count(path: Path) -> int:
    """The values of ``x`` that are not numbers, counted by pandas alone."""
    column = pd.read_csv(path, dtype={"x": object})["x"]
    return int((column.notna() & pd.to_numeric(column, errors="coerce").isna()).sum())


def followed(path: Path, words: list[str]) -> np.ndarray:
    """statsmodels on the file read with the advised ``na_values``, complete rows."""
    frame = pd.read_csv(path, na_values=words).dropna()
    return smf.ols("y ~ x", data=frame).fit().params[["Intercept", "x"]].to_numpy()


@pytest.mark.parametrize("first_chunk_word", [False, True])
def test_the_refusal_names_the_words_of_every_chunk(tmp_path: Path, first_chunk_word):
    path = tmp_path / "worded.csv"
    worded(first_chunk_word).to_csv(path, index=False)
    words = sorted({"?", "unknown", "-"} | ({"missing"} if first_chunk_word else set()))
    first = "'missing' at row 4, '\\?' at row 26" if first_chunk_word else "'\\?' at row 26"
    message = (
        rf"worded\.csv row {4 if first_chunk_word else 26}: column 'x' holds text where "
        rf"numbers are expected: {word_count(path)} value\(s\) such as {first}, 'unknown' at "
        r"row 51.*; fix them, or make them missing \(pass read_options="
        + re.escape(repr({"na_values": words}))
        + r"\) and pass missing='drop'"
    )
    with pytest.raises(linmod.InputError, match=message):
        linmod.ols("y ~ x", data=path, chunksize=CHUNK)
    res = linmod.ols(  # the advice, followed
        "y ~ x", data=path, chunksize=CHUNK, read_options={"na_values": words}, missing="drop"
    )
    np.testing.assert_allclose(res.coef.to_numpy(), followed(path, words), rtol=1e-9)


def test_many_distinct_words_are_counted_and_a_few_shown(tmp_path: Path):
    # twelve distinct words: more than the advice lists, so it says "(NaN)" as in memory
    frame = worded()
    for i in range(12):
        frame.loc[5 + 9 * i, "x"] = f"w{i:02d}"
    path = tmp_path / "many.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(linmod.InputError) as streamed:
        linmod.ols("y ~ x", data=path, chunksize=CHUNK)
    text = str(streamed.value)
    assert f": {word_count(path)} value(s) such as 'w00' at row 6, 'w01' at row 15, " in text
    assert "'w02' at row 24, …; fix them, or make them missing (NaN)" in text


def test_the_command_line_names_every_word_as_na_values(tmp_path: Path, capsys):
    path = tmp_path / "worded.csv"
    worded().to_csv(path, index=False)
    args = ["fit", str(path), "-f", "y ~ x", "--chunksize", str(CHUNK)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "make them missing (read the file with --na-values='-,?,unknown')" in err, err
    assert "read_options" not in err
    assert main([*args, "--na-values=-,?,unknown", "--missing", "drop", "--json"]) == 0
    coefficients = json.loads(capsys.readouterr().out)["coefficients"]
    estimates = [coefficients[name]["coef"] for name in ("Intercept", "x")]
    expected = followed(path, ["-", "?", "unknown"])
    np.testing.assert_allclose(estimates, expected, rtol=1e-9)


def test_an_in_memory_fit_still_names_the_pandas_keyword(tmp_path: Path):
    path = tmp_path / "worded.csv"
    worded().to_csv(path, index=False)
    with pytest.raises(linmod.InputError, match=r"read the file with na_values=\['-', '\?'"):
        linmod.ols("y ~ x", data=pd.read_csv(path))


def test_numbers_with_thousands_separators_name_the_read_options(tmp_path: Path, capsys):
    rng = np.random.default_rng(5)
    x = rng.normal(size=N)
    income = rng.integers(1_000, 90_000, N)
    shown = np.array([f"{v:,}" for v in income], dtype=object)
    shown[7] = "n.a."
    frame = pd.DataFrame({"y": x + 1e-5 * income + rng.normal(size=N), "x": x, "inc": shown})
    path = tmp_path / "income.csv"
    frame.to_csv(path, index=False)
    options = {"thousands": ",", "na_values": ["n.a."]}
    with pytest.raises(linmod.InputError, match=re.escape(f"pass read_options={options!r}")):
        linmod.ols("y ~ x + inc", data=path, chunksize=CHUNK)
    assert main(["fit", str(path), "-f", "y ~ x + inc", "--chunksize", str(CHUNK)]) == 1
    assert "read the file with --thousands , --na-values n.a." in capsys.readouterr().err
    res = linmod.ols(
        "y ~ x + inc", data=path, chunksize=CHUNK, read_options=options, missing="drop"
    )
    read = pd.read_csv(path, thousands=",", na_values=["n.a."]).dropna()
    expected = smf.ols("y ~ x + inc", data=read).fit().params[["Intercept", "x", "inc"]]
    np.testing.assert_allclose(res.coef.to_numpy(), expected.to_numpy(), rtol=1e-9)
