"""Robust covariances to the float64 limit: HC0-HC3 and HAC against exact rationals.

Issue 12, item 5: HC0-HC3 on NIST Longley were 2e-8 off the exact values, because the
sandwich multiplied an explicit ``(X'X)^-1``.  It is now formed from the QR factors.  The
reference is exact: every float64 is a rational, and :mod:`.exact_sandwich` computes the
fit, the leverages and the sandwich of the float64 Longley data in
:class:`fractions.Fraction` without a single rounding.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import linmod

from ..conftest import NIST_DIR
from ..models.nist import read_nist
from .exact_sandwich import exact_hc_variances

_KINDS = ("HC0", "HC1", "HC2", "HC3", "HAC")
_LAGS = 2


def correct_digits(computed: np.ndarray, exact: list[Fraction]) -> float:
    """Smallest number of correct significant digits over the entries (exact comparison)."""
    worst = max(abs(Fraction(float(c)) - e) / abs(e) for c, e in zip(computed, exact, strict=True))
    return float("inf") if worst == 0 else -float(np.log10(float(worst)))


def longley_digits() -> dict[str, float]:
    """Correct digits of linmod's robust variances on NIST Longley, per kind."""
    x, y = read_nist(NIST_DIR / "Longley.dat").design()
    exact = exact_hc_variances(np.column_stack([np.ones(len(y)), x]), y, hac_lags=_LAGS)
    fit = linmod.ols(x, y)
    digits = {}
    for kind in _KINDS:
        robust = fit.robust(kind, lags=_LAGS if kind == "HAC" else None)
        digits[kind] = correct_digits(np.diag(robust.cov_params().to_numpy()), exact[kind])
    return digits


@pytest.fixture(scope="module")
def digits() -> dict[str, float]:
    return longley_digits()


@pytest.mark.parametrize("kind", _KINDS[:4])
def test_longley_hc_variances_reach_twelve_digits_of_the_exact_values(digits, kind):
    # the explicit (X'X)^-1 sandwich reached 7.4 (HC0), 7.5 (HC3) digits
    print(f"Longley {kind}: {digits[kind]:.2f} correct digits")
    assert digits[kind] >= 12.0


def test_longley_hac_variances_reach_cond_times_eps(digits):
    # Longley's scaled condition number is 4.2e4: cond * eps = 9e-12, i.e. 11 digits; HAC
    # weights of mixed sign cancel a little more than the HC sums of squares (the explicit
    # (X'X)^-1 sandwich reached 7.1 digits)
    print(f"Longley HAC({_LAGS}): {digits['HAC']:.2f} correct digits")
    assert digits["HAC"] >= 11.5


def test_robust_standard_errors_agree_with_statsmodels_on_ordinary_data():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(60, 3))
    y = x @ [1.0, -2.0, 0.5] + rng.normal(size=60) * (1 + np.abs(x[:, 0]))
    fit = linmod.ols(x, y)
    ref = sm.OLS(y, sm.add_constant(x)).fit()
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        np.testing.assert_allclose(
            fit.robust(kind).std_err.to_numpy(), ref.get_robustcov_results(kind).bse, rtol=1e-12
        )
    hac = ref.get_robustcov_results("HAC", maxlags=3, use_correction=False)
    np.testing.assert_allclose(fit.robust("HAC", lags=3).std_err.to_numpy(), hac.bse, rtol=1e-12)


def test_bad_kind_and_lags_are_refused():
    fit = linmod.ols(np.arange(10.0)[:, None], np.arange(10.0) ** 1.5)
    with pytest.raises(linmod.exceptions.InputError, match="HC7"):
        fit.robust("HC7")
    with pytest.raises(linmod.exceptions.InputError, match="lags"):
        fit.robust("HAC", lags=10)
    with pytest.raises(linmod.exceptions.InputError, match="lags"):
        fit.robust("HC1", lags=2)
