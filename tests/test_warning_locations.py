"""Warnings raised deep inside linmod point at the caller's line (found in review)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import linmod


def _locations(call):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return {(w.category.__name__, w.filename) for w in caught}


def test_convergence_and_conditioning_warnings_name_this_file():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 30))
    x[:, 1] = x[:, 0] + 1e-3 * rng.normal(size=200)
    frame = pd.DataFrame(x, columns=[f"x{i}" for i in range(30)])
    frame["y"] = x[:, 0] + rng.normal(size=200)
    formula = "y ~ " + " + ".join(frame.columns[:-1])
    nearly_aliased = frame.assign(x1=frame.x0 * (1 + 1e-9) + rng.normal(size=200) * 1e-9)
    calls = [
        lambda: linmod.lasso(formula, data=frame, alpha=1e-4, max_iter=2),
        lambda: linmod.lasso(formula, data=[frame], alpha=1e-4, max_iter=2),
        lambda: linmod.lasso(formula, data=frame, alpha="cv", max_iter=2),
        lambda: linmod.lasso(formula, data=[frame], alpha="cv", max_iter=2),
        lambda: linmod.LassoCV(max_iter=2).fit(frame.iloc[:, :-1], frame["y"]),
        lambda: linmod.GDRegressor(max_epochs=2).fit(frame.iloc[:, :3], frame["y"]),
        lambda: linmod.ols("y ~ x0 + x1", data=nearly_aliased, solver="normal"),
    ]
    for call in calls:
        found = _locations(call)
        assert found, call
        assert {filename for _, filename in found} == {__file__}, found
