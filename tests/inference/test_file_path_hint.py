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


def test_ols_without_a_formula_says_what_is_missing(tmp_path):
    # ols(data='file.csv') was a raw TypeError about 'formula_or_x'
    path = tmp_path / "d.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 3.0, 2.0, 5.0]}).to_csv(path, index=False)
    with pytest.raises(linmod.InputError, match=r"ols\(\) needs a formula, e.g\. linmod\.ols\("):
        linmod.ols(data=str(path))
    res = linmod.ols("y ~ .", data=pd.read_csv(path))  # the call the message names
    np.testing.assert_allclose(res.coef.to_numpy(), [0.0, 1.1], atol=1e-12)  # by hand
