"""A stray word among numbers ("12a") is named with its value and row on every route (QA):
``ols(X, y)`` with pandas input, the estimators' target, formula fits, and predictions
from a fit or from a saved model (``linmod predict``)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 12
    data = pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.normal(size=n)}, index=[f"r{i}" for i in range(n)]
    )
    data["y"] = 1.0 + data.a - 2.0 * data.b + rng.normal(size=n)
    return data


def _with_word(series: pd.Series, label, word: str = "12a") -> pd.Series:
    text = series.astype(str).astype(object)
    text[label] = word
    return text


def test_ols_arrays_name_a_word_in_a_feature(frame):
    x = frame[["a", "b"]].assign(b=_with_word(frame.b, "r5"))
    message = (
        r"column 'b' holds text where numbers are expected: 1 value\(s\) such as '12a' "
        r"at row r5"
    )
    with pytest.raises(InputError, match=message):
        linmod.ols(x, frame.y)
    with pytest.raises(InputError, match=message):  # the estimator's message, same wording
        linmod.LinearRegression().fit(x, frame.y)
    with pytest.raises(InputError, match=r"'12a' at row 6;"):  # a default index: row numbers
        linmod.ols(x.reset_index(drop=True), frame.y.reset_index(drop=True))
    with pytest.raises(InputError, match=r"column 'x1' .* '12a' at row 6;"):  # an array
        linmod.ols(x.to_numpy(), frame.y.to_numpy())


@pytest.mark.parametrize(
    "fit",
    [
        lambda x, y: linmod.ols(x, y),
        lambda x, y: linmod.ols(x.to_numpy(), y.to_numpy()),
        lambda x, y: linmod.LinearRegression().fit(x, y),
        lambda x, y: linmod.Ridge().fit(x, y),
    ],
)
def test_a_word_in_the_response_is_named(frame, fit):
    y = _with_word(frame.y, "r3")
    message = r"holds text where numbers are expected: 1 value\(s\) such as '12a' at row (r3|4);"
    with pytest.raises(InputError, match=message):
        fit(frame[["a", "b"]], y)


def test_ols_arrays_with_a_text_response_of_words_still_says_so(frame):
    y = pd.Series(np.where(frame.a > 0, "high", "low"), index=frame.index, name="kind")
    message = r"the response 'kind' holds categories, not numbers \(2 values: 'high', 'low'\)"
    with pytest.raises(InputError, match=message):
        linmod.ols(frame[["a", "b"]], y)


def test_formula_fits_name_the_word_and_its_row(frame):
    with pytest.raises(InputError, match=r"column 'b' .* such as '12a' at row r5;"):
        linmod.ols("y ~ a + b", data=frame.assign(b=_with_word(frame.b, "r5")))
    with pytest.raises(InputError, match=r"column 'y' .* such as '12a' at row r3;"):
        linmod.ols("y ~ a + b", data=frame.assign(y=_with_word(frame.y, "r3")))


def test_several_words_are_all_shown_with_their_rows(frame):
    b = _with_word(_with_word(frame.b, "r2", "n/a?"), "r9", "oops")
    message = r"2 value\(s\) such as 'n/a\?' at row r2, 'oops' at row r9; "
    with pytest.raises(InputError, match=message):
        linmod.ols(frame[["a"]].assign(b=b), frame.y)


def test_predictions_name_the_word_and_its_row(frame):
    new = frame[["a", "b"]].head(6).assign(b=lambda f: _with_word(f.b, "r4"))
    message = r"column 'b' .* such as '12a' at row r4; the model used it as a number"
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ a + b", data=frame).predict(new)
    with pytest.raises(InputError, match=message):
        linmod.ols(frame[["a", "b"]], frame.y).predict(new)


def test_linmod_predict_shows_the_stray_value_not_the_first(frame, tmp_path, capsys):
    frame.to_csv(tmp_path / "train.csv", index=False)
    assert main(["fit", str(tmp_path / "train.csv"), "-f", "y ~ a + b", "--save",
                 str(tmp_path / "model.json")]) == 0  # fmt: skip
    new = frame[["a", "b"]].head(8).astype(str)
    new.loc["r5", "b"] = "12a"
    new.loc["r6", "b"] = "oops"
    new.to_csv(tmp_path / "new.csv", index=False)
    capsys.readouterr()
    assert main(["predict", str(tmp_path / "model.json"), str(tmp_path / "new.csv")]) == 1
    error = capsys.readouterr().err
    assert "column 'b' holds text where numbers are expected" in error
    assert "'12a' at row 6, 'oops' at row 7" in error  # 1-based rows of the file's data
    assert repr(new.b.iloc[0]) not in error


def test_a_feature_of_words_is_still_called_categorical(frame):
    city = pd.Series(np.where(frame.a > 0, "x", "y"), index=frame.index)
    city.iloc[0] = "1.5"  # one number among words: a categorical column, not a typo
    with pytest.raises(InputError, match=r"column 'city' holds non-numeric .* C\(city\)"):
        linmod.ols(frame[["a"]].assign(city=city), frame.y)


def test_a_saved_array_model_names_the_word_and_its_row(frame, tmp_path):
    linmod.ols(frame[["a", "b"]], frame.y).save(tmp_path / "arrays.json")
    new = frame[["a", "b"]].head(6).assign(b=lambda f: _with_word(f.b, "r4"))
    with pytest.raises(InputError, match=r"column 'b' .* such as '12a' at row r4; the model"):
        linmod.load(tmp_path / "arrays.json").predict(new)


def test_a_ragged_response_is_still_refused_as_not_numeric():
    with pytest.raises(InputError, match="y must be numeric"):
        linmod.ols([[1.0], [2.0]], [[1.0, 2.0], [3.0]])


def test_a_formula_term_with_repeated_words_names_each_word_once_and_the_read_option(tmp_path):
    # '-' three times and '?' once among 40 numbers: the message listed '-' at rows 3, 9
    # and 17 (never reaching '?') and only said "make them missing (NaN)"; it now names
    # each word once at its first row and the na_values read option that fixes the file.
    rng = np.random.default_rng(4)
    n = 40
    x = rng.normal(size=n)
    data = pd.DataFrame({"y": 1 + 2 * x + rng.normal(size=n), "x": x.round(4).astype(str)})
    data.loc[[2, 8, 16], "x"] = "-"
    data.loc[20, "x"] = "?"
    path = tmp_path / "codes.csv"
    data.to_csv(path, index=False)
    message = (
        r"4 value\(s\) such as '-' at row 3, '\?' at row 21; fix them, or make them missing "
        r"\(read the file with na_values=\['-', '\?'\]\) and pass missing='drop'"
    )
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x", data=pd.read_csv(path))
    read = pd.read_csv(path, na_values=["-", "?"])  # the advice, followed
    res = linmod.ols("y ~ x", data=read, missing="drop")
    sm = pytest.importorskip("statsmodels.formula.api")
    ref = sm.ols("y ~ x", read.dropna()).fit()
    np.testing.assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-10)


def test_linmod_predict_names_the_na_values_flag_that_reads_the_words_as_missing(
    frame, tmp_path, capsys
):
    # The advice was "make them missing (NaN)", which the command line cannot do; it now
    # names --na-values with the words, and following it predicts NaN for those rows.
    frame.to_csv(tmp_path / "train.csv", index=False)
    model = tmp_path / "model.json"
    assert main(["fit", str(tmp_path / "train.csv"), "-f", "y ~ a + b", "--save", str(model)]) == 0
    new = frame[["a", "b"]].head(8).round(6).astype(str).reset_index(drop=True)
    new.loc[[1, 4], "b"] = "-"
    new.loc[6, "b"] = "?"
    new.to_csv(tmp_path / "new.csv", index=False)
    capsys.readouterr()
    assert main(["predict", str(model), str(tmp_path / "new.csv")]) == 1
    error = capsys.readouterr().err
    assert "make them missing (read the file with --na-values='-,?')" in error, error
    assert main(["predict", str(model), str(tmp_path / "new.csv"), "--na-values=-,?"]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    design = np.column_stack([np.ones(len(frame)), frame.a, frame.b])
    coef = np.linalg.lstsq(design, frame.y.to_numpy(), rcond=None)[0]  # independent of linmod
    b = pd.to_numeric(new.b, errors="coerce")
    expected = coef[0] + coef[1] * new.a.astype(float) + coef[2] * b
    np.testing.assert_allclose(printed["fit"], expected, rtol=1e-6)  # NaN where the words were
    assert printed["fit"].isna().tolist() == [i in (1, 4, 6) for i in range(8)]


def test_a_streamed_fit_names_the_read_option_for_its_words(tmp_path):
    """A streamed fit refuses the words with the read option that makes them missing, in
    the form it takes (it said "make them missing (NaN)", which a file cannot be given,
    then "read the file with na_values=[...]", the keyword of pandas.read_csv)."""
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(6)
    n = 120
    x = rng.normal(size=n).round(4).astype(object)
    x[[5, 17]] = "-"
    x[30] = "?"
    y = rng.normal(size=n)
    path = tmp_path / "codes.csv"
    pd.DataFrame({"x": x, "y": y}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"pass read_options=\{'na_values': \['-', '\?'\]\}"):
        linmod.ols("y ~ x", data=str(path), chunksize=50)
    options = {"na_values": ["-", "?"]}
    res = linmod.ols("y ~ x", data=str(path), chunksize=50, missing="drop", read_options=options)
    expected = smf.ols("y ~ x", data=pd.read_csv(path, na_values=["-", "?"]).dropna()).fit()
    np.testing.assert_allclose(res.coef.to_numpy(), expected.params.to_numpy(), rtol=1e-10)
