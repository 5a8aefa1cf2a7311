"""Robust and quantile regression refuse a rank-deficient design by naming the dependency
and the term to drop (QA: the message named no term), as ``OLSResults.dependencies``
does for least squares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError

FITS = {
    "rlm": (lambda f, d: linmod.rlm(f, data=d), "robust regression"),
    "quantreg": (lambda f, d: linmod.quantreg(f, data=d), "quantile regression"),
}


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    n = 40
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x3": rng.normal(size=n)})
    frame["x2"] = 2.0 * frame.x1  # by construction: x2 = 2·x1
    frame["g"] = np.repeat(["a", "b", "c", "d"], 10)
    frame["h"] = frame.g.map({"a": "u", "b": "v", "c": "w", "d": "z"})  # g renamed
    frame["y"] = 1.0 + frame.x1 - frame.x3 + rng.standard_t(3, size=n)
    return frame


@pytest.mark.parametrize("fit", FITS)
def test_the_dependency_and_the_term_to_drop_are_named(data, fit):
    call, what = FITS[fit]
    message = (
        r"rank deficient .*: x2 = 2·x1; " + what + r" needs linearly independent columns: "
        r"drop one of the terms of each dependency \(e\.g\. x2\)"
    )
    with pytest.raises(InputError, match=message):
        call("y ~ x1 + x3 + x2", data)


@pytest.mark.parametrize("fit", FITS)
def test_aliased_factor_levels_name_the_factor(data, fit):
    call, _ = FITS[fit]
    # R's lm on this design: NA for h's levels v, w, z (each equals one of g's)
    with pytest.raises(InputError) as refused:
        call("y ~ x1 + C(g) + C(h)", data)
    text = str(refused.value)
    for level, same in (("v", "b"), ("w", "c"), ("z", "d")):
        assert f"C(h)[T.{level}] = C(g)[T.{same}]" in text
    assert text.endswith("(e.g. C(h))")


def test_a_dependency_on_several_columns_is_written_out(data):
    data = data.assign(x4=1.0 + data.x1 - 0.5 * data.x3)  # x4 = Intercept + x1 - 0.5·x3
    with pytest.raises(InputError, match=r"x4 = Intercept \+ x1 - 0\.5·x3; "):
        linmod.quantreg("y ~ x1 + x3 + x4", data=data)


@pytest.mark.parametrize(
    "estimator", [linmod.HuberRegressor(), linmod.QuantileRegressor()], ids=type
)
def test_estimators_name_the_frame_columns(data, estimator):
    with pytest.raises(InputError, match=r"x2 = 2·x1; .*\(e\.g\. x2\)"):
        estimator.fit(data[["x1", "x3", "x2"]], data.y)
    with pytest.raises(InputError, match=r"x2 = 2·x0; .*\(e\.g\. x2\)"):  # arrays: x0, x1, ...
        estimator.fit(data[["x1", "x3", "x2"]].to_numpy(), data.y.to_numpy())


@pytest.mark.parametrize("loss", ["lad", "huber"])
def test_the_cli_names_the_dependency(data, loss, tmp_path, capsys):
    data.to_csv(tmp_path / "d.csv", index=False)
    assert main(["fit", str(tmp_path / "d.csv"), "-f", "y ~ x1 + x2", "--loss", loss]) == 1
    assert "x2 = 2·x1" in capsys.readouterr().err
