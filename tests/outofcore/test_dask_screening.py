"""Column screening of a Dask DataFrame: levels counted over every partition (issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError, LinmodWarning

dd = pytest.importorskip("dask.dataframe")


def _frame(n: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(6)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "y": 1.0 + x + rng.normal(size=n),
            "x": x,
            "account": [f"A{i:06d}" for i in rng.permutation(n)],
            "region": rng.choice(["North", "north", "South"], n),
        }
    )


def test_dask_identifier_is_refused_and_case_variants_warned():
    ddf = dd.from_pandas(_frame(), npartitions=4)
    message = r"'account' looks like an identifier \(2000 distinct values in 2000 rows\)"
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x + account", data=ddf)
    with pytest.warns(LinmodWarning, match=r"'region' has levels .*'North' / 'north'"):
        res = linmod.ols("y ~ x + region", data=ddf)
    assert len(res.coef) == 4
