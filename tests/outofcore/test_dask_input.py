"""Dask fits of files by suffix (CLI ``--dask``) and unknown columns refused up front."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError
from linmod.outofcore.dask_input import read_table

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster():
    # The CLI connects its own Client to this scheduler (in-process: inproc:// address).
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local:
        yield local


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(5)
    n = 300
    data = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.uniform(1, 9, size=n)})
    data["y"] = 2 - data["x1"] + 0.5 * data["x2"] + rng.normal(size=n)
    return data


def _reference(frame):
    """Least squares by numpy's lstsq (independent of linmod's solvers)."""
    x = np.column_stack([np.ones(len(frame)), frame["x1"], frame["x2"]])
    return np.linalg.lstsq(x, frame["y"].to_numpy(), rcond=None)[0]


def _write(frame, tmp_path, kind):
    if kind == "csv":
        path = tmp_path / "data.csv"
        frame.to_csv(path, index=False)
    elif kind == "tsv":
        path = tmp_path / "data.tsv"
        frame.to_csv(path, sep="\t", index=False)
    elif kind == "parquet":
        path = tmp_path / "data.parquet"
        frame.to_parquet(path)
    else:  # a directory of Parquet files, or a glob of them
        folder = tmp_path / "parts"
        folder.mkdir()
        for i, part in enumerate(np.array_split(np.arange(len(frame)), 3)):
            frame.iloc[part].to_parquet(folder / f"part{i}.parquet")
        path = folder if kind == "directory" else folder / "*.parquet"
    return str(path)


@pytest.mark.parametrize("kind", ["csv", "tsv", "parquet", "directory", "glob"])
def test_cli_dask_reads_every_file_kind(cluster, frame, tmp_path, capsys, kind):
    # A .tsv used to be read as comma-separated: one column "x1\tx2\ty", internal error.
    path = _write(frame, tmp_path, kind)
    target = tmp_path / "fit.json"
    args = ["fit", path, "-f", "y ~ x1 + x2", "--dask", cluster.scheduler_address]
    assert main([*args, "--quiet", "--json", "-o", str(target)]) == 0
    coefficients = json.loads(target.read_text())["coefficients"]
    found = [coefficients[name]["coef"] for name in ("Intercept", "x1", "x2")]
    assert_allclose(found, _reference(frame), rtol=1e-12)


def test_cli_dask_unknown_column_is_one_line(cluster, frame, tmp_path, capsys):
    path, address = _write(frame, tmp_path, "tsv"), cluster.scheduler_address
    code = main(["fit", path, "-f", "y ~ x1 + x_2", "--dask", address])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "formula variable 'x_2' is not a column of the data (columns: x1, x2, y)" in err
    assert "did you mean 'x2'?" in err
    code = main(["fit", path, "--target", "y", "--features", "x1,z", "--dask", address])
    assert code == 1
    assert "column 'z' is not in" in capsys.readouterr().err


def test_unknown_file_types_and_missing_files_are_refused(tmp_path):
    with pytest.raises(InputError, match=r"data\.xlsx: unknown file type '\.xlsx' for a Dask"):
        read_table(tmp_path / "data.xlsx")
    with pytest.raises(InputError, match=r"none\.csv: no such file or directory"):
        read_table(tmp_path / "none.csv")
    with pytest.raises(InputError, match=r"cannot be opened with Dask: .*resolved to no files"):
        read_table(tmp_path / "*.csv")


def _unreadable(_):
    raise AssertionError("a partition was computed")


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("y ~ x3", r"formula variable 'x3' is not a column of the data \(columns: x1, x2, y\)"),
        ("np.log(why) ~ x1", r"formula variable 'why' is not a column of the data"),
        ("y ~ x1 + C(group)", r"formula variable 'group' is not a column"),
    ],
)
def test_unknown_column_is_refused_before_computing(formula, message):
    # The partitions raise if computed: the column check must come first (it used to be
    # formulaic's FactorEvaluationError after reading the first rows).
    meta = pd.DataFrame({"x1": [1.0], "x2": [1.0], "y": [1.0]}).iloc[:0]
    ddf = dd.from_map(_unreadable, [0, 1], meta=meta)
    with pytest.raises(InputError, match=message):
        linmod.ols(formula, data=ddf)
    with pytest.raises(InputError, match=message):
        linmod.lasso(formula, data=ddf, alpha=0.1)


def test_many_columns_are_listed_in_part():
    meta = pd.DataFrame({f"c{j}": [1.0] for j in range(30)}).iloc[:0]
    ddf = dd.from_map(_unreadable, [0], meta=meta)
    with pytest.raises(InputError, match=r"\(columns: c0, .*, c19, … \(30 in all\)\)"):
        linmod.ols("c0 ~ nothing", data=ddf)
