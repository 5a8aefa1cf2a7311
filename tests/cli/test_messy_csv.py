"""First contact with a real, messy CSV (issue 13): identifiers, dates as text, numbers
written "43,609", free text and case-variant levels, and the read options that fix them."""

from __future__ import annotations

import json
import re
import string
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.data.file_reading import read_options, read_table
from linmod.exceptions import InputError

from ..conftest import DATA_DIR

N = 50_000


def _messy(path: Path, n: int = N, seed: int = 0) -> pd.DataFrame:
    """Write a messy CSV and return the clean numbers behind it."""
    rng = np.random.default_rng(seed)
    income = rng.integers(10_000, 200_000, n)
    region = rng.choice(["North", "north", " north", "South"], n)
    price = 50.0 + 0.002 * income + rng.normal(0.0, 5.0, n)
    letters = np.array(list(string.ascii_lowercase + " "))
    days = pd.date_range("2019-01-01", periods=1500).strftime("%Y-%m-%d").to_numpy()
    text = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "customer": [f"C{v:07d}" for v in rng.permutation(n)],
            "date": rng.choice(days, n),
            "income": [f"{v:,}" for v in income],
            "note": ["".join(rng.choice(letters, 12)) for _ in range(n)],
            "region": region,
            "price": np.round(price, 6),
        }
    )
    text.to_csv(path, index=False)
    return pd.DataFrame({"income": income.astype(float), "price": text["price"], "region": region})


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> tuple[str, pd.DataFrame]:
    path = tmp_path_factory.mktemp("messy") / "messy.csv"
    clean = _messy(path)
    return str(path), clean


def _ols(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones(len(y)), x])
    return np.linalg.lstsq(design, y, rcond=None)[0]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("price ~ income", r"'income' holds numbers written with thousands.*--thousands ,"),
        ("price ~ date", r"'date' holds dates as text \(1500 distinct"),
        ("price ~ note", r"'note' looks like an identifier \(50000 distinct values in 50000"),
        ("price ~ customer", r"'customer' looks like an identifier"),
        ("price ~ id", r"'id' looks like a row identifier \(the integers 1\.\.50000"),
    ],
)
def test_refusals_are_fast_and_name_the_column(messy, capsys, formula, expected):
    path, _ = messy
    start = time.perf_counter()
    code = main(["fit", path, "-f", formula, "--missing", "drop"])
    elapsed = time.perf_counter() - start
    assert code == 1
    assert elapsed < 5.0  # was 65-73 s, and 24 GB for "43,609"
    err = capsys.readouterr().err
    assert re.search(expected, err), err


def test_thousands_option_reads_the_numbers(messy, capsys):
    path, clean = messy
    assert main(["fit", path, "-f", "price ~ income", "--thousands", ",", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _ols(clean["income"].to_numpy(), clean["price"].to_numpy())
    got = [out["coefficients"][name]["coef"] for name in ("Intercept", "income")]
    assert_allclose(got, expected, rtol=1e-9)


def test_streamed_fit_takes_the_read_options(messy, capsys):
    path, clean = messy
    args = ["fit", path, "-f", "price ~ income", "--thousands", ",", "--chunksize", "7000"]
    assert main([*args, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _ols(clean["income"].to_numpy(), clean["price"].to_numpy())
    got = [out["coefficients"][name]["coef"] for name in ("Intercept", "income")]
    assert_allclose(got, expected, rtol=1e-9)
    start = time.perf_counter()
    assert main(["fit", path, "-f", "price ~ income", "--chunksize", "7000"]) == 1
    assert time.perf_counter() - start < 10.0
    assert "--thousands ," in capsys.readouterr().err


def test_python_streamed_read_options(messy):
    path, clean = messy
    res = linmod.ols("price ~ income", data=path, chunksize=9000, read_options={"thousands": ","})
    expected = _ols(clean["income"].to_numpy(), clean["price"].to_numpy())
    assert_allclose(res.coef.to_numpy(), expected, rtol=1e-9)
    with pytest.raises(InputError, match="unknown read option 'quotechar'"):
        linmod.ols("price ~ income", data=path, read_options={"quotechar": "'"})
    with pytest.raises(InputError, match="read_options= applies to files read in chunks"):
        linmod.ols("price ~ income", data=clean, read_options={"thousands": ","})


def test_dot_leaves_out_identifiers_and_dates_and_warns_about_case_variants(messy, capsys):
    path, clean = messy
    assert main(["fit", path, "-f", "price ~ .", "--thousands", ",", "--json"]) == 0
    captured = capsys.readouterr()
    for column in ("id", "customer", "date", "note"):
        assert f"column {column!r}" in captured.err
    assert "'region' has levels that differ only in case" in captured.err
    assert "' north' / 'North' / 'north'" in captured.err
    out = json.loads(captured.out)
    assert out["formula"] == "price ~ (income + region)"
    # R's treatment coding: reference level ' north' (sorted first), three dummies.
    dummies = np.column_stack(
        [clean["income"]]
        + [(clean["region"] == level).astype(float) for level in ("North", "South", "north")]
    )
    expected = _ols(dummies, clean["price"].to_numpy())
    got = [row["coef"] for row in out["coefficients"].values()]
    assert_allclose(got, expected, rtol=1e-8)


def test_design_bound_option(messy, capsys):
    path, _ = messy
    # 50,000 rows x (1 + 1499 date dummies) x 8 bytes = 0.6 GB > 0.1 GB
    assert main(["fit", path, "-f", "price ~ C(date)", "--max-design-gb", "0.1"]) == 1
    err = capsys.readouterr().err
    assert "50000 rows x 1501 columns" in err
    assert "one per level of date" in err
    assert main(["fit", path, "-f", "price ~ C(date)", "--max-design-gb", "-1"]) == 1
    assert "--max-design-gb -1 must be positive" in capsys.readouterr().err


# ------------------------------------------------------------------ read options
def test_empty_cells_and_na_are_missing_by_default_and_na_values_adds_more(tmp_path, capsys):
    path = tmp_path / "na.csv"
    path.write_text("y,x\n1,1\n2,\n3,NA\n4,-\n5,n/a\n6,3\n7,4\n8,6\n")
    frame = read_table(path, {"na_values": ["-", "n/a"]})
    assert frame["x"].isna().tolist() == [False, True, True, True, True, False, False, False]
    assert read_table(path)["x"].tolist()[:3] == ["1", np.nan, np.nan]  # "-" keeps it text
    assert main(["fit", str(path), "-f", "y ~ x", "--missing", "drop", "--json"]) == 1
    assert "'x' holds text where numbers are expected" in capsys.readouterr().err
    args = ["fit", str(path), "-f", "y ~ x", "--missing", "drop", "--json"]
    args += ["--na-values", "NA,-,n/a"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_obs"] == 4
    assert out["n_dropped"] == 4
    expected = _ols(np.array([1.0, 3, 4, 6]), np.array([1.0, 6, 7, 8]))
    got = [row["coef"] for row in out["coefficients"].values()]
    assert_allclose(got, expected, rtol=1e-12)


def test_repeated_na_values_options_add_up(tmp_path, capsys):
    # `--na-values - --na-values n/a` used to keep only the last list, so "-" stayed text
    path = tmp_path / "na.csv"
    path.write_text("y,x\n1,1\n2,-\n3,?\n4,2\n5,4\n6,3\n7,5\n")
    args = ["fit", str(path), "-f", "y ~ x", "--missing", "drop", "--json"]
    assert main([*args, "--na-values", "-", "--na-values", "?"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n_dropped"] == 2
    expected = _ols(np.array([1.0, 2, 4, 3, 5]), np.array([1.0, 4, 5, 6, 7]))
    got = [row["coef"] for row in out["coefficients"].values()]
    assert_allclose(got, expected, rtol=1e-12)


def test_decimal_comma(tmp_path, capsys):
    path = tmp_path / "comma.csv"
    path.write_text('y,x\n"1,5","0,5"\n"2,5","1,25"\n"4,0","2,0"\n"5,5","3,5"\n')
    frame = read_table(path, {"decimal": ","})
    assert frame["x"].tolist() == [0.5, 1.25, 2.0, 3.5]
    assert main(["fit", str(path), "-f", "y ~ x", "--json"]) == 1
    assert "--decimal ," in capsys.readouterr().err
    assert main(["fit", str(path), "-f", "y ~ x", "--decimal", ",", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    expected = _ols(np.array([0.5, 1.25, 2.0, 3.5]), np.array([1.5, 2.5, 4.0, 5.5]))
    assert_allclose([r["coef"] for r in out["coefficients"].values()], expected, rtol=1e-12)


def _semicolons(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """A CSV as R's write.csv2 writes it (semicolons, decimal commas); its numbers."""
    x = np.array([0.5, 1.25, 2.0, 3.5, 4.75])
    y = np.array([1.5, 2.5, 4.0, 5.5, 7.25])
    rows = [f'{i};"{a}";"{b}"'.replace(".", ",") for i, (a, b) in enumerate(zip(y, x, strict=True))]
    path.write_text('"";"y";"x"\n' + "\n".join(rows) + "\n")
    return x, y


def test_a_semicolon_file_is_named_as_such_and_sep_reads_it(tmp_path, capsys):
    path = tmp_path / "csv2.csv"
    x, y = _semicolons(path)
    assert main(["fit", str(path), "-f", "y ~ x"]) == 1
    err = capsys.readouterr().err
    assert 'the header \'"";"y";"x"\' is one column when split at \',\'' in err
    assert "separated by ';': read the file with --sep ';', and --decimal , if its" in err
    with pytest.raises(InputError, match=r"read the file with sep=';', and decimal=','"):
        read_table(path)
    expected = _ols(x, y)
    for extra in ([], ["--chunksize", "2"]):
        argv = ["fit", str(path), "-f", "y ~ x", "--sep", ";", "--decimal", ",", "--json"]
        assert main(argv + extra) == 0
        out = json.loads(capsys.readouterr().out)
        got = [row["coef"] for row in out["coefficients"].values()]
        assert_allclose(got, expected, rtol=1e-12)


def test_sep_from_standard_input_and_tabs(tmp_path, capsys, monkeypatch):
    import io

    path = tmp_path / "csv2.csv"
    x, y = _semicolons(path)
    monkeypatch.setattr("sys.stdin", io.StringIO(path.read_text()))
    assert main(["fit", "-", "-f", "y ~ x"]) == 1
    assert "standard input: the header" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(path.read_text()))
    assert main(["fit", "-", "-f", "y ~ x", "--sep", ";", "--decimal", ",", "--json"]) == 0
    got = [r["coef"] for r in json.loads(capsys.readouterr().out)["coefficients"].values()]
    assert_allclose(got, _ols(x, y), rtol=1e-12)
    tabs = tmp_path / "tabs.csv"  # tabs in a file named .csv
    tabs.write_text("y\tx\n" + "".join(f"{b}\t{a}\n" for a, b in zip(x, y, strict=True)))
    assert main(["fit", str(tabs), "-f", "y ~ x"]) == 1
    assert "separated by a tab: read the file with --sep tab" in capsys.readouterr().err
    for spelled in ("tab", "\\t"):
        assert main(["fit", str(tabs), "-f", "y ~ x", "--sep", spelled, "--json"]) == 0
        got = [r["coef"] for r in json.loads(capsys.readouterr().out)["coefficients"].values()]
        assert_allclose(got, _ols(x, y), rtol=1e-12)


def test_a_one_column_file_without_another_separator_reads_as_one_column(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("y value\n1\n2\n")
    assert read_table(path).columns.tolist() == ["y value"]
    piped = tmp_path / "piped.csv"
    piped.write_text("y|x\n1|2\n2|3\n")
    with pytest.raises(InputError, match=r"separated by '\|': read the file with sep='\|'$"):
        read_table(piped)
    assert read_table(piped, {"sep": "|"}).columns.tolist() == ["y", "x"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"thousands": ",,"}, "thousands=',,' must be one character"),
        ({"decimal": 1}, "decimal=1 must be one character"),
        ({"na_values": [1]}, "must be strings"),
        ({"thousands": ".", "decimal": "."}, "cannot be the same character"),
        ({"thousands": "."}, "cannot be the same character"),  # decimal defaults to "."
        ({"quoting": 3}, "unknown read option 'quoting'"),
        ({"sep": ";;"}, "sep=';;' must be one character"),
        ({"sep": ",", "decimal": ","}, "sep cannot be the thousands or decimal character"),
    ],
)
def test_bad_read_options(tmp_path, options, message):
    path = tmp_path / "a.csv"
    path.write_text("y,x\n1,2\n")
    with pytest.raises(InputError, match=message):
        read_table(path, options)


def test_read_options_context_restores(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('y,x\n1,"1,000"\n2,"2,500"\n')
    with read_options({"thousands": ","}):
        assert read_table(path)["x"].tolist() == [1000, 2500]
    assert read_table(path)["x"].tolist() == ["1,000", "2,500"]


def test_mtcars_path_no_longer_selects_a_car(capsys):
    assert main(["path", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ .", "--json"]) == 0
    captured = capsys.readouterr()
    assert "column 'model' looks like an identifier" in captured.err
    assert "Fiat" not in captured.out


def test_a_word_for_missing_in_a_number_column_gets_the_na_values_flag(tmp_path, capsys):
    rng = np.random.default_rng(8)
    n = 600
    age = rng.integers(1, 81, n).astype(str).astype(object)
    age[rng.random(n) < 0.5] = "unknown"  # half the ages: too many for a stray word
    x = rng.normal(size=n)
    path = tmp_path / "ages.csv"
    pd.DataFrame({"y": x + rng.normal(size=n), "x": x, "age": age}).to_csv(path, index=False)
    assert main(["fit", str(path), "-f", "y ~ x + age"]) == 1
    err = capsys.readouterr().err
    assert "column 'age' holds numbers and 'unknown'" in err
    assert "read the file with --na-values unknown;" in err
    assert (
        main(["fit", str(path), "-f", "y ~ x + age", "--na-values", "unknown", "--missing", "drop"])
        == 0
    )
    assert re.search(r"^age +-?\d", capsys.readouterr().out, re.MULTILINE)  # a number now


def test_the_error_is_the_last_line_after_the_warnings(tmp_path, capsys):
    # The error was printed first and the warnings after it, so on a messy file the line
    # that stopped the fit scrolled away above four long warnings.
    n = 40
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "id": [f"C-{i:04d}" for i in range(n)],  # an identifier: a warning
            "x": rng.normal(size=n),
            "y": rng.normal(size=n),
        }
    )
    frame.loc[[3, 7], "y"] = np.nan  # missing responses: the error
    path = tmp_path / "messy.csv"
    frame.to_csv(path, index=False)
    assert main(["fit", str(path), "-f", "y ~ ."]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[0].startswith("linmod: warning: column 'id' looks like an identifier")
    assert lines[-1].startswith("linmod: error: column 'y' has 2 missing values in rows 4, 8")
    assert len(lines) == 2
