"""R's "essentially perfect fit" (summary.lm): noted in summaries, refused by check()."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError


def _r_criterion(x: np.ndarray, y: np.ndarray) -> bool:
    """summary.lm's test, from statsmodels' fit: resvar < (mean(f)^2 + var(f)) * 1e-30."""
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    f = fit.fittedvalues
    resvar = np.sum(fit.resid**2) / fit.df_resid
    return bool(resvar < (np.mean(f) ** 2 + np.var(f, ddof=1)) * 1e-30)


@pytest.fixture
def leaked() -> pd.DataFrame:
    rng = np.random.default_rng(41)
    x1 = rng.standard_normal(60)
    y = 3.0 + 2.0 * x1 + rng.standard_normal(60)
    return pd.DataFrame({"y": y, "x1": x1, "ycopy": y})


@pytest.mark.parametrize("scale", [1.0, 2.0**600, 2.0**-600])
def test_a_copy_of_the_response_among_the_predictors_is_an_essentially_perfect_fit(leaked, scale):
    frame = leaked * scale
    res = linmod.ols("y ~ x1 + ycopy", data=frame)
    assert res.essentially_perfect
    assert _r_criterion(leaked[["x1", "ycopy"]].to_numpy(), leaked["y"].to_numpy())
    assert "Note: essentially perfect fit" in res.summary()
    assert "essentially perfect fit" in res.summary(format="markdown")
    with pytest.raises(InputError, match=r"essentially perfect .* a copy of it"):
        res.check()


def test_a_noisy_fit_and_an_exact_line_with_a_little_noise_are_not(leaked):
    res = linmod.ols("y ~ x1", data=leaked)
    assert not res.essentially_perfect
    assert not _r_criterion(leaked[["x1"]].to_numpy(), leaked["y"].to_numpy())
    assert "essentially perfect" not in res.summary()
    x = leaked["x1"].to_numpy()
    y = 1.0 + 2.0 * x + 1e-9 * np.sin(np.arange(60.0))  # residual sd ~1e-9: real, if tiny
    assert not linmod.ols(x, y).essentially_perfect
    assert not _r_criterion(x[:, None], y)
    assert linmod.ols(x, 1.0 + 2.0 * x).essentially_perfect  # made exactly from the model


def test_the_cli_notes_it_and_check_refuses(leaked, tmp_path, capsys):
    path = tmp_path / "leak.csv"
    leaked.to_csv(path, index=False)
    assert main(["fit", str(path), "-f", "y ~ x1 + ycopy", "--json"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("essentially perfect fit" in note for note in notes)
    assert main(["check", str(path), "-f", "y ~ x1 + ycopy"]) == 1
    assert "essentially perfect" in capsys.readouterr().err
