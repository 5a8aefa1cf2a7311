"""Centring and standardising the data, and the sufficient statistics solvers work on.

The intercept is never penalised: it is removed by centring ``X`` and ``y`` (exactly what
an unpenalised intercept does) and recovered afterwards as ``ȳ − x̄ᵀβ``.  With
``standardize=True`` the columns are also divided by their standard deviation (population
form, ``1/n``, as glmnet; root mean square when there is no intercept), the penalty
applies to the standardised coefficients, and :meth:`Scaling.to_original` reports them
on the original scale.  Constant columns keep scale 1 (their coefficient is 0).

Two layouts feed the coordinate-descent kernels:

* :func:`residual_problem`: the centred, scaled design stored *transposed* (``(p, n)``,
  C-contiguous: each column of X contiguous), built in one pass over ``X``;
* :func:`gram_problem`: ``XᵀX`` and ``Xᵀy`` of the centred, scaled design, accumulated
  over blocks of rows so that no centred copy of ``X`` is ever made (one pass to get the
  means, one for the products).

:func:`fold_problems` gives the training problems of a cross-validation on the Gram
layout from *one* pass over the data: the test blocks' products are computed once, their
sum is the full Gram matrix, and each training Gram matrix is the full one minus a block,
re-centred at the training means by a rank-one correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "GRAM_MAX_FEATURES",
    "EnetProblem",
    "Scaling",
    "center_scale",
    "fold_problems",
    "gram_problem",
    "make_problem",
    "partitions",
    "residual_problem",
    "use_gram",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]

#: Above this many features the Gram layout is not used (its p² memory and n·p² cost).
GRAM_MAX_FEATURES = 4096
#: Rows per block when accumulating cross-products (a few MB of doubles).
_BLOCK_ELEMENTS = 1 << 19


@dataclass(frozen=True)
class Scaling:
    """How the data were centred and scaled, to map coefficients back.

    Attributes
    ----------
    x_offset : ndarray of shape (p,)
        Column means (zeros without an intercept).
    x_scale : ndarray of shape (p,)
        Column scales (ones unless standardising).
    y_offset : float
        Mean of ``y`` (0 without an intercept).
    """

    x_offset: Float
    x_scale: Float
    y_offset: float

    def to_original(self, coef_std: Float) -> tuple[Float, Float]:
        """Coefficients on the original scale and the intercept(s).

        Parameters
        ----------
        coef_std : ndarray of shape (p,) or (p, k)
            Coefficients of the centred, scaled problem.

        Returns
        -------
        coef : ndarray like ``coef_std``
        intercept : ndarray of shape () or (k,)
        """
        scale = self.x_scale if coef_std.ndim == 1 else self.x_scale[:, None]
        coef = coef_std / scale
        intercept = self.y_offset - self.x_offset @ coef
        return coef, np.asarray(intercept, dtype=float)


@dataclass(frozen=True)
class EnetProblem:
    """A centred, scaled least-squares problem in one of the two kernel layouts.

    Attributes
    ----------
    n : int
        Number of samples.
    scaling : Scaling
    xty : ndarray of shape (p,)
        ``Xᵀy`` of the centred, scaled data.
    y_norm2 : float
        ``‖y − ȳ‖²``.
    norm2 : ndarray of shape (p,)
        Squared column norms.
    xt : ndarray of shape (p, n) or None
        Transposed design (residual layout).
    y : ndarray of shape (n,) or None
        Centred response (residual layout).
    gram : ndarray of shape (p, p) or None
        ``XᵀX`` (Gram layout).
    """

    n: int
    scaling: Scaling
    xty: Float
    y_norm2: float
    norm2: Float
    xt: Float | None = None
    y: Float | None = None
    gram: Float | None = None

    @property
    def p(self) -> int:
        """Number of features."""
        return int(self.xty.shape[0])


def _scales(sum_sq: Float, n: int, standardize: bool) -> Float:
    if not standardize:
        return np.ones_like(sum_sq)
    scale = np.sqrt(np.maximum(sum_sq, 0.0) / max(n, 1))
    scale[scale == 0.0] = 1.0
    return scale


def use_gram(n: int, p: int) -> bool:
    """Whether the Gram layout pays: more samples than features, and not too many."""
    return n >= p and p <= GRAM_MAX_FEATURES


def center_scale(
    x: Float, y: Float, fit_intercept: bool, standardize: bool
) -> tuple[Float, Float, Scaling]:
    """Return a centred, scaled copy of ``x`` (C order), the centred ``y`` and the scaling."""
    n, p = x.shape
    x_offset = x.mean(axis=0) if fit_intercept else np.zeros(p)
    y_offset = float(y.mean()) if fit_intercept else 0.0
    xc = x - x_offset if fit_intercept else x.copy()
    scale = _scales(np.einsum("ij,ij->j", xc, xc), n, standardize)
    if standardize:
        xc /= scale
    return xc, y - y_offset, Scaling(x_offset, scale, y_offset)


def residual_problem(x: Float, y: Float, fit_intercept: bool, standardize: bool) -> EnetProblem:
    """Build the residual layout: the centred, scaled design transposed.

    Parameters
    ----------
    x : ndarray of shape (n, p)
    y : ndarray of shape (n,)
    fit_intercept, standardize : bool
    """
    n, p = x.shape
    x_offset = x.mean(axis=0) if fit_intercept else np.zeros(p)
    y_offset = float(y.mean()) if fit_intercept else 0.0
    xt = np.empty((p, n))
    np.subtract(x.T, x_offset[:, None], out=xt)
    norm2 = np.einsum("ij,ij->i", xt, xt)
    scale = _scales(norm2, n, standardize)
    if standardize:
        xt /= scale[:, None]
        norm2 = np.einsum("ij,ij->i", xt, xt)
    yc = np.ascontiguousarray(y - y_offset, dtype=float)
    return EnetProblem(
        n=n,
        scaling=Scaling(x_offset, scale, y_offset),
        xty=xt @ yc,
        y_norm2=float(yc @ yc),
        norm2=norm2,
        xt=xt,
        y=yc,
    )


def _cross_products(
    x: Float, y: Float, x_offset: Float, y_offset: float
) -> tuple[Float, Float, float]:
    """``Σ uuᵀ``, ``Σ uv`` and ``Σ v²`` for ``u = x − x_offset``, ``v = y − y_offset``."""
    n, p = x.shape
    if not x_offset.any() and y_offset == 0.0:
        gram = x.T @ x
        return gram, x.T @ y, float(y @ y)
    gram = np.zeros((p, p))
    xty = np.zeros(p)
    v = y - y_offset
    rows = max(1, _BLOCK_ELEMENTS // max(p, 1))
    for start in range(0, n, rows):
        block = x[start : start + rows] - x_offset
        gram += block.T @ block
        xty += block.T @ v[start : start + rows]
    return gram, xty, float(v @ v)


def _finish_gram(
    n: int,
    gram: Float,
    xty: Float,
    y_norm2: float,
    x_offset: Float,
    y_offset: float,
    standardize: bool,
) -> EnetProblem:
    scale = _scales(np.diag(gram).copy(), n, standardize)
    if standardize:
        gram = gram / np.outer(scale, scale)
        xty = xty / scale
    gram = np.ascontiguousarray(gram)
    return EnetProblem(
        n=n,
        scaling=Scaling(x_offset, scale, y_offset),
        xty=np.ascontiguousarray(xty),
        y_norm2=y_norm2,
        norm2=np.diag(gram).copy(),
        gram=gram,
    )


def gram_problem(x: Float, y: Float, fit_intercept: bool, standardize: bool) -> EnetProblem:
    """Build the Gram layout (``XᵀX``, ``Xᵀy`` of the centred, scaled data)."""
    n, p = x.shape
    x_offset = x.mean(axis=0) if fit_intercept else np.zeros(p)
    y_offset = float(y.mean()) if fit_intercept else 0.0
    gram, xty, y_norm2 = _cross_products(x, y, x_offset, y_offset)
    return _finish_gram(n, gram, xty, y_norm2, x_offset, y_offset, standardize)


def make_problem(
    x: Float, y: Float, fit_intercept: bool, standardize: bool, gram: bool | None = None
) -> EnetProblem:
    """Build the layout that suits the shape (``gram=None``) or the one asked for."""
    if gram is None:
        gram = use_gram(*x.shape)
    build = gram_problem if gram else residual_problem
    return build(x, y, fit_intercept, standardize)


def partitions(test_sets: Sequence[Index], n: int) -> bool:
    """Whether the test sets are disjoint and cover every row once (as k-fold's do)."""
    counts = np.zeros(n, dtype=np.int64)
    for test in test_sets:
        np.add.at(counts, test, 1)
    return bool((counts == 1).all())


def fold_problems(
    x: Float,
    y: Float,
    test_sets: Sequence[Index],
    fit_intercept: bool,
    standardize: bool,
) -> tuple[EnetProblem, list[EnetProblem]]:
    """Full-data and training-fold Gram problems from one pass over ``x``.

    The test sets must partition the rows (see :func:`partitions`).

    Returns
    -------
    full : EnetProblem
        The problem on all rows.
    train : list of EnetProblem
        One per test set: the problem on the complementary rows, centred at their own
        means (and scaled by their own standard deviations).
    """
    n, p = x.shape
    x_mean = x.mean(axis=0) if fit_intercept else np.zeros(p)
    y_mean = float(y.mean()) if fit_intercept else 0.0
    blocks = []
    for test in test_sets:
        xb = x[test] - x_mean
        vb = y[test] - y_mean
        blocks.append((xb.T @ xb, xb.T @ vb, float(vb @ vb), xb.sum(axis=0), float(vb.sum())))
    gram = sum(b[0] for b in blocks)
    xty = sum(b[1] for b in blocks)
    ysq = float(sum(b[2] for b in blocks))
    xsum = sum(b[3] for b in blocks)
    ysum = float(sum(b[4] for b in blocks))
    full = _finish_gram(n, np.array(gram), np.array(xty), ysq, x_mean, y_mean, standardize)
    train = []
    for test, (g_k, c_k, s_k, xs_k, ys_k) in zip(test_sets, blocks, strict=True):
        n_tr = n - len(test)
        g_tr = gram - g_k
        c_tr = xty - c_k
        ysq_tr = ysq - s_k
        if fit_intercept:
            delta = (xsum - xs_k) / n_tr
            eta = (ysum - ys_k) / n_tr
            g_tr = g_tr - n_tr * np.outer(delta, delta)
            c_tr = c_tr - n_tr * delta * eta
            ysq_tr = ysq_tr - n_tr * eta * eta
            x_off, y_off = x_mean + delta, y_mean + eta
        else:
            x_off, y_off = x_mean, y_mean
        g_tr = 0.5 * (g_tr + g_tr.T)
        train.append(_finish_gram(n_tr, g_tr, c_tr, max(ysq_tr, 0.0), x_off, y_off, standardize))
    return full, train
