"""Bootstrap confidence intervals from replicates, as R's ``boot.ci`` computes them.

* **Percentile** (``type = "perc"``): the ``alpha`` and ``1 - alpha`` quantiles of the
  replicates, read off the order statistics with ``boot``'s ``norm.inter``: the
  ``(R + 1) alpha``-th order statistic when that is a whole number, otherwise an
  interpolation between its two neighbours on the normal quantile scale.
* **BCa** (``type = "bca"``, Efron & Tibshirani 1993, ch. 14): the percentile interval at
  adjusted levels ``Phi(z0 + (z0 + z_a) / (1 - a (z0 + z_a)))``, with the bias
  correction ``z0 = Phi^-1(#{t* < t} / R)`` and the acceleration
  ``a = sum(L^3) / (6 sum(L^2)^1.5)`` from the jackknife influence values
  ``L_i = (n - 1)(mean(t_(.)) - t_(i))`` (``boot.ci(..., L = empinf(b, type = "jack"))``).
* **Studentized** (``type = "stud"``): ``t - se * q`` with ``q`` the quantiles of the
  bootstrap t statistics ``(t* - t) / se*``.

Only finite replicates count, as in ``boot.ci``. Levels follow ``boot.ci``'s arithmetic
(``(1 + c(-conf, conf)) / 2``) so that the same replicates give the same endpoints to the
last bit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "acceleration",
    "bca_interval",
    "bias_correction",
    "norm_inter",
    "percentile_interval",
    "studentized_interval",
    "tail_levels",
]

Float = NDArray[np.float64]


def tail_levels(level: float) -> Float:
    """``(1 + c(-level, level)) / 2``, the two tail probabilities as ``boot.ci`` forms them."""
    return (1.0 + np.array([-level, level])) / 2.0


def norm_inter(values: Float, alphas: Float) -> tuple[Float, bool]:
    """``boot:::norm.inter``: quantiles of ``values`` at ``alphas`` by normal interpolation.

    Returns
    -------
    quantiles : ndarray
        One per alpha (NaN when no value is finite or an alpha is NaN).
    extreme : bool
        Whether an extreme order statistic (the smallest or largest replicate) was used
        as an endpoint: too few replicates for the level (``boot`` warns).
    """
    t = np.sort(values[np.isfinite(values)])
    count = t.shape[0]
    alphas = np.asarray(alphas, dtype=float)
    out = np.full(alphas.shape, np.nan)
    if count == 0:
        return out, False
    extreme = False
    for i, alpha in enumerate(alphas):
        if not np.isfinite(alpha):
            continue
        rank = (count + 1) * alpha
        extreme |= not (1 < rank < count)
        k = int(np.trunc(rank))
        if k == rank and 1 <= k <= count:
            out[i] = t[k - 1]
        elif k <= 0:
            out[i] = t[0]
        elif k >= count:
            out[i] = t[-1]
        else:
            z = special.ndtri(alpha)
            z_k = special.ndtri(k / (count + 1))
            z_k1 = special.ndtri((k + 1) / (count + 1))
            out[i] = t[k - 1] + (z - z_k) / (z_k1 - z_k) * (t[k] - t[k - 1])
    return out, extreme


def percentile_interval(replicates: Float, level: float) -> tuple[Float, bool]:
    """The percentile interval ``(lower, upper)`` and whether an extreme replicate was used."""
    return norm_inter(replicates, tail_levels(level))


def bias_correction(replicates: Float, estimate: float) -> float:
    """``z0 = Phi^-1(share of finite replicates below the estimate)`` (inf when 0 or 1)."""
    finite = replicates[np.isfinite(replicates)]
    if finite.shape[0] == 0 or not np.isfinite(estimate):
        return float("nan")
    return float(special.ndtri(np.count_nonzero(finite < estimate) / finite.shape[0]))


def acceleration(jackknife: Float) -> float:
    """``a = sum(L^3) / (6 sum(L^2)^1.5)`` with ``L = mean(t_(.)) - t_(i)`` (finite ones).

    The factor ``n - 1`` of the influence values cancels. NaN when every leave-one-out
    value is the same.
    """
    values = jackknife[np.isfinite(jackknife)]
    if values.shape[0] < 2:
        return float("nan")
    influence = values.mean() - values
    spread = float(np.sum(influence**2))
    if spread == 0.0:
        return float("nan")
    return float(np.sum(influence**3) / (6.0 * spread**1.5))


def bca_interval(
    replicates: Float, estimate: float, jackknife: Float, level: float
) -> tuple[Float, bool]:
    """The BCa interval ``(lower, upper)`` and whether an extreme replicate was used.

    NaN endpoints when the bias correction is infinite (every finite replicate on one
    side of the estimate) or the acceleration is undefined; ``boot.ci`` stops there.
    """
    z0 = bias_correction(replicates, estimate)
    a = acceleration(jackknife)
    if not (np.isfinite(z0) and np.isfinite(a)):
        return np.full(2, np.nan), False
    z = special.ndtri(tail_levels(level))
    adjusted = special.ndtr(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
    return norm_inter(replicates, adjusted)


def studentized_interval(
    t_statistics: Float, estimate: float, std_err: float, level: float
) -> tuple[Float, bool]:
    """``boot.ci(type = "stud")``: ``estimate - std_err * q`` with ``q`` the quantiles of
    the bootstrap t statistics at ``(1 + level) / 2`` and ``(1 - level) / 2``."""
    quantiles, extreme = norm_inter(t_statistics, tail_levels(level)[::-1])
    return estimate - std_err * quantiles, extreme
