"""Jarque-Bera, White, Breusch-Pagan and LOWESS against statsmodels; scipy's Shapiro-Wilk.

statsmodels is an independent implementation (test-only dependency); the R data sets are
those of tests/data.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.nonparametric.smoothers_lowess import lowess as sm_lowess
from statsmodels.stats.diagnostic import het_breuschpagan, het_white
from statsmodels.stats.stattools import jarque_bera as sm_jarque_bera

import linmod
from linmod import diagnostics as dg

from ..conftest import load_dataset

FITS = {
    "mtcars": ("mtcars", "mpg ~ wt + hp + C(cyl)", {}),
    "swiss": (
        "swiss",
        "Fertility ~ Agriculture + Examination + Education + Catholic + `Infant.Mortality`",
        {},
    ),
    "stackloss": ("stackloss", "`stack.loss` ~ `Air.Flow` + `Water.Temp` + `Acid.Conc.`", {}),
    "lifecycle": ("LifeCycleSavings", "sr ~ pop15 + pop75 + dpi + ddpi", {}),
    "airquality": ("airquality", "Ozone ~ `Solar.R` + Wind + Temp", {"missing": "drop"}),
    "trees": ("trees", "Volume ~ Girth + Height", {}),
    "duncan": ("Duncan", "prestige ~ income + education + C(type)", {}),
}
RTOL = 1e-8


@pytest.fixture(scope="module", params=sorted(FITS))
def fit(request):
    dataset, formula, kwargs = FITS[request.param]
    return linmod.ols(formula, data=load_dataset(dataset), **kwargs)


def test_jarque_bera(fit):
    jb, p, skew, kurt = sm_jarque_bera(fit.residuals.to_numpy())
    result = dg.jarque_bera(fit)
    assert_allclose(result.statistic, jb, rtol=RTOL)
    assert_allclose(result.p_value, p, rtol=RTOL)
    assert_allclose(result["skewness"], skew, rtol=RTOL)
    assert_allclose(result["excess_kurtosis"], kurt - 3.0, rtol=RTOL)
    assert result.df == (2.0,)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.SingularMatrixWarning")
def test_white(fit):
    # Dummy columns square to themselves: the auxiliary design is rank deficient for the
    # factor models, which statsmodels warns about; the rank then sets the df.
    lm, lm_p, f, f_p = het_white(fit.residuals.to_numpy(), fit.design.x)
    result = dg.white(fit)
    assert_allclose(result.statistic, lm, rtol=RTOL)
    assert_allclose(result.p_value, lm_p, rtol=RTOL)
    assert_allclose(result["f_statistic"], f, rtol=RTOL)
    assert_allclose(result["f_p_value"], f_p, rtol=RTOL)


def test_white_in_blocks_equals_one_block(fit):
    whole = dg.white(fit)
    blocked = dg.white(fit, block_rows=7)
    assert_allclose(blocked.statistic, whole.statistic, rtol=1e-12)
    assert blocked.df == whole.df


def test_breusch_pagan_against_statsmodels(fit):
    lm, lm_p, _, _ = het_breuschpagan(fit.residuals.to_numpy(), fit.design.x, robust=True)
    result = dg.breusch_pagan(fit)
    assert_allclose(result.statistic, lm, rtol=RTOL)
    assert_allclose(result.p_value, lm_p, rtol=RTOL)


def test_shapiro_wilk_agrees_with_scipy(fit):
    # scipy runs the same algorithm with some single-precision steps: 1e-6 is its accuracy.
    w, p = stats.shapiro(fit.residuals.to_numpy())
    result = dg.shapiro_wilk(fit)
    assert_allclose(result.statistic, w, rtol=1e-6)
    assert_allclose(result.p_value, p, rtol=1e-6)


def test_lowess_against_statsmodels(fit):
    x, y = fit.fitted.to_numpy(), fit.residuals.to_numpy()
    expected = sm_lowess(y, x, frac=2.0 / 3.0, it=3, delta=0.0)
    xs, smooth = dg.lowess(x, y)
    assert_allclose(xs, expected[:, 0], rtol=0)
    scale = np.abs(y).max()
    assert_allclose(smooth, expected[:, 1], rtol=1e-6, atol=1e-7 * scale)
