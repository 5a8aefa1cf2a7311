"""Dask fits of a CSV leave out the empty rows a spreadsheet export leaves at its end, as
the in-memory and streamed readers do, wherever the partitions split them."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import LinmodWarning
from linmod.outofcore.dask_input import read_table

dd = pytest.importorskip("dask.dataframe")

RTOL = 1e-10


def _frame(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(8)
    return pd.DataFrame(
        {
            "y": rng.normal(size=n).round(6),
            "x": rng.normal(size=n).round(6),
            "g": rng.choice(["a", "b", "c"], n),
        }
    )


def _message(count: int) -> str:
    return rf"the last {count} row\(s\) are empty \(every cell blank"


def test_a_dask_fit_of_an_export_leaves_the_blank_rows_out(tmp_path):
    frame = _frame()
    path = tmp_path / "export.csv"
    path.write_text(frame.to_csv(index=False) + ",,\n" * 3)
    memory = linmod.ols("y ~ x + C(g)", data=frame)
    for missing in ("raise", "drop"):  # 'raise' refused the blank rows as missing values
        with pytest.warns(LinmodWarning, match=_message(3)):
            fitted = linmod.ols("y ~ x + C(g)", data=str(path), engine="dask", missing=missing)
        assert fitted.design.n_dropped == 0
        assert_allclose(fitted.coef, memory.coef, rtol=RTOL)


@pytest.mark.parametrize("blank", [1, 60])
def test_blank_rows_over_several_partitions_are_all_left_out(tmp_path, monkeypatch, blank):
    # Small blocks: 60 blank rows (240 bytes) fill whole partitions at the end.
    monkeypatch.setattr(dd, "read_csv", functools.partial(dd.read_csv, blocksize=150))
    frame = _frame()
    inside = frame.astype(object)
    inside.loc[5] = np.nan  # an empty row inside the data stays a row
    path = tmp_path / "export.csv"
    path.write_text(inside.to_csv(index=False) + ",,\n" * blank)
    with pytest.warns(LinmodWarning, match=_message(blank)):
        table = read_table(path)
    assert table.npartitions > 2
    found = table.compute().reset_index(drop=True)
    assert len(found) == len(frame)
    assert_allclose(found[["y", "x"]].to_numpy(float), inside[["y", "x"]].to_numpy(float))
    assert found["g"].isna().tolist() == inside["g"].isna().tolist()
    assert found["g"].dropna().tolist() == inside["g"].dropna().tolist()
