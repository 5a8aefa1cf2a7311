"""Cluster-robust variances to the float64 limit: CR0/CR1 on NIST Longley against exact
rationals (every float64 is a rational; the fit and the sandwich are computed in
:class:`fractions.Fraction` without a single rounding)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import linmod

from ..conftest import NIST_DIR
from ..models.nist import read_nist
from .exact_sandwich import _inverse
from .test_covariance import correct_digits


def exact_cluster_variances(x: np.ndarray, y: np.ndarray, codes: np.ndarray) -> list[Fraction]:
    """Diagonal of ``(X'X)^-1 [sum_g (X_g'e_g)(X_g'e_g)'] (X'X)^-1``, exactly (CR0)."""
    n, k = x.shape
    xf = [[Fraction(float(v)) for v in row] for row in x]
    yf = [Fraction(float(v)) for v in y]
    xtx = [[sum(xf[i][a] * xf[i][b] for i in range(n)) for b in range(k)] for a in range(k)]
    bread = _inverse(xtx)
    xty = [sum(xf[i][a] * yf[i] for i in range(n)) for a in range(k)]
    beta = [sum(bread[a][b] * xty[b] for b in range(k)) for a in range(k)]
    resid = [yf[i] - sum(xf[i][a] * beta[a] for a in range(k)) for i in range(n)]
    xb = [[sum(xf[i][b] * bread[b][a] for b in range(k)) for a in range(k)] for i in range(n)]
    groups = sorted(set(codes.tolist()))
    return [
        sum(
            sum((resid[i] * xb[i][a] for i in range(n) if codes[i] == g), Fraction(0)) ** 2
            for g in groups
        )
        for a in range(k)
    ]


@pytest.mark.parametrize(
    "codes",
    [np.arange(16) // 4, np.arange(16) // 8, np.arange(16) % 4, np.arange(16) // 2],
    ids=["4x4 consecutive", "2x8 consecutive", "4x4 interleaved", "8x2 consecutive"],
)
def test_longley_cluster_variances_reach_cond_times_eps(codes):
    x, y = read_nist(NIST_DIR / "Longley.dat").design()
    exact = exact_cluster_variances(np.column_stack([np.ones(len(y)), x]), y, codes)
    fit = linmod.ols(x, y)
    n, k, g = len(y), x.shape[1] + 1, int(codes.max()) + 1
    for kind, factor in (("CR0", Fraction(1)), ("CR1", Fraction(g * (n - 1), (g - 1) * (n - k)))):
        cov = fit.robust("cluster", groups=codes, type=kind).cov_params().to_numpy()
        digits = correct_digits(np.diag(cov), [factor * e for e in exact])
        print(f"Longley {kind}: {digits:.2f} correct digits")
        # cond(X) = 4.2e4 after scaling, cond * eps = 9e-12: about 11 digits (10.9-11.8
        # here; cluster sums of scores that add up to X'e = 0 cancel). The sandwich with an
        # explicit (X'X)^-1 keeps 7.8 digits on the first clustering.
        assert digits >= 10.5
