"""A streamed fit keeps no rows: row-based methods say so instead of failing obscurely."""

from __future__ import annotations

import pytest

import linmod
from linmod.exceptions import LinmodError


@pytest.mark.parametrize("method", ["check", "influence", "plot_diagnostics"])
def test_row_methods_of_a_streamed_fit_raise_a_clear_error(tmp_path, method):
    data = linmod.datasets.house_prices(n=200)
    path = tmp_path / "houses.parquet"
    data.to_parquet(path)
    res = linmod.ols("price ~ square_feet + age", data=str(path), chunksize=50)
    with pytest.raises(LinmodError, match="second_pass=True"):
        getattr(res, method)()
