"""Exact HC0-HC3 covariances of a float64 design, in rational arithmetic (test reference).

Every float64 is a rational number, so the least-squares fit of float64 data has an exact
answer: ``beta = (X'X)^-1 X'y``, residuals ``e = y - X beta``, leverages
``h_i = x_i' (X'X)^-1 x_i`` and the sandwich ``(X'X)^-1 X' diag(w) X (X'X)^-1`` are all
rational, computed here with :class:`fractions.Fraction` and no rounding at all.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

Matrix = list[list[Fraction]]


def _inverse(a: Matrix) -> Matrix:
    """Gauss-Jordan inverse of a nonsingular rational matrix."""
    k = len(a)
    work = [row[:] + [Fraction(int(i == j)) for j in range(k)] for i, row in enumerate(a)]
    for col in range(k):
        pivot = next(r for r in range(col, k) if work[r][col] != 0)
        work[col], work[pivot] = work[pivot], work[col]
        lead = work[col][col]
        work[col] = [v / lead for v in work[col]]
        for r in range(k):
            if r != col and work[r][col] != 0:
                factor = work[r][col]
                work[r] = [v - factor * w for v, w in zip(work[r], work[col], strict=True)]
    return [row[k:] for row in work]


def exact_hc_variances(
    x: np.ndarray, y: np.ndarray, hac_lags: int = 2
) -> dict[str, list[Fraction]]:
    """Return the exact diagonal of HC0-HC3 and HAC for the float64 data ``x, y``.

    Parameters
    ----------
    x : ndarray of shape (n, k)
        The full design (intercept column included), float64.
    y : ndarray of shape (n,)
    hac_lags : int
        Bartlett-kernel truncation of the HAC (Newey-West) entry, keyed ``"HAC"``.

    Returns
    -------
    dict
        ``{"HC0": [var_0, ..., var_{k-1}], ...}`` as exact fractions.
    """
    n, k = x.shape
    xf = [[Fraction(float(v)) for v in row] for row in x]
    yf = [Fraction(float(v)) for v in y]
    xtx = [[sum(xf[i][a] * xf[i][b] for i in range(n)) for b in range(k)] for a in range(k)]
    bread = _inverse(xtx)
    xty = [sum(xf[i][a] * yf[i] for i in range(n)) for a in range(k)]
    beta = [sum(bread[a][b] * xty[b] for b in range(k)) for a in range(k)]
    resid = [yf[i] - sum(xf[i][a] * beta[a] for a in range(k)) for i in range(n)]
    # rows of X (X'X)^-1, reused for the leverages and the sandwich
    xb = [[sum(xf[i][b] * bread[b][a] for b in range(k)) for a in range(k)] for i in range(n)]
    leverage = [sum(xb[i][a] * xf[i][a] for a in range(k)) for i in range(n)]
    weights = {
        "HC0": [e * e for e in resid],
        "HC1": [e * e * Fraction(n, n - k) for e in resid],
        "HC2": [e * e / (1 - h) for e, h in zip(resid, leverage, strict=True)],
        "HC3": [e * e / (1 - h) ** 2 for e, h in zip(resid, leverage, strict=True)],
    }
    # diag of bread X' W X bread = sum_i w_i (x_i' bread)_a^2
    out = {
        kind: [sum(w[i] * xb[i][a] ** 2 for i in range(n)) for a in range(k)]
        for kind, w in weights.items()
    }
    # Newey-West: sum over |i - j| <= L of (1 - |i - j| / (L + 1)) e_i e_j (x_i' bread)_a (...)_a
    kernel = [Fraction(hac_lags + 1 - lag, hac_lags + 1) for lag in range(hac_lags + 1)]
    out["HAC"] = [
        sum(
            kernel[abs(i - j)] * resid[i] * resid[j] * xb[i][a] * xb[j][a]
            for i in range(n)
            for j in range(max(0, i - hac_lags), min(n, i + hac_lags + 1))
        )
        for a in range(k)
    ]
    return out
