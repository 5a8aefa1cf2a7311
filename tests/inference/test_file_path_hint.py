"""A fit of a file path is streamed: what needs the rows says how to keep them (QA)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod


def test_check_on_a_file_path_fit_names_the_data_frame_route(tmp_path):
    # "fit the data in memory" did not say how, to a user who had passed data='file.csv'
    rng = np.random.default_rng(7)
    x = rng.normal(size=200)
    frame = pd.DataFrame({"x": x, "y": 1 + 2 * x + rng.normal(size=200)})
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    streamed = linmod.ols("y ~ x", data=str(path))
    with pytest.raises(linmod.LinmodError, match=r"pass a data frame \(e\.g\. data=pd\.read_csv"):
        streamed.check()
    report = linmod.ols("y ~ x", data=pd.read_csv(path)).check()  # the route named works
    sm = pytest.importorskip("statsmodels.stats.diagnostic")
    sm_api = pytest.importorskip("statsmodels.api")
    ref = sm_api.OLS(frame.y, sm_api.add_constant(frame.x)).fit()
    bp = sm.het_breuschpagan(ref.resid, sm_api.add_constant(frame.x))
    table = report.to_frame()
    row = table[table["test"] == "Breusch-Pagan"].iloc[0]
    assert row["statistic"] == pytest.approx(bp[0], rel=1e-8)
