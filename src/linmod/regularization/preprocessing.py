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

:class:`FoldGrams` gives the training problems of a cross-validation on the Gram
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
    "FoldGrams",
    "Scaling",
    "center_scale",
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


class FoldGrams:
    """Full-data and training-fold Gram problems of a k-fold split, from one pass over X.

    The test sets must partition the rows (see :func:`partitions`).  Each test block's
    cross-products are computed once, about the full-data means; their sums give the full
    problem, and :meth:`train` forms a training problem as the full sums minus one block,
    re-centred at the training means by a rank-one correction (and scaled by the training
    standard deviations), one fold at a time.
    """

    def __init__(
        self,
        x: Float,
        y: Float,
        test_sets: Sequence[Index],
        fit_intercept: bool,
        standardize: bool,
    ) -> None:
        n, p = x.shape
        self._n = n
        self._fit_intercept = fit_intercept
        self._standardize = standardize
        self._x_mean = x.mean(axis=0) if fit_intercept else np.zeros(p)
        self._y_mean = float(y.mean()) if fit_intercept else 0.0
        self._sizes = [len(test) for test in test_sets]
        self._blocks = []
        gram, xty, ysq = np.zeros((p, p)), np.zeros(p), 0.0
        xsum, ysum = np.zeros(p), 0.0
        for test in test_sets:
            xb = x[test] - self._x_mean
            vb = y[test] - self._y_mean
            block = (xb.T @ xb, xb.T @ vb, float(vb @ vb), xb.sum(axis=0), float(vb.sum()))
            self._blocks.append(block)
            gram += block[0]
            xty += block[1]
            ysq += block[2]
            xsum += block[3]
            ysum += block[4]
        self._totals = (gram, xty, ysq, xsum, ysum)
        self.full = _finish_gram(
            n, gram.copy(), xty.copy(), ysq, self._x_mean, self._y_mean, standardize
        )

    def train(self, k: int) -> EnetProblem:
        """The problem on every row outside test set ``k``."""
        gram, xty, ysq, xsum, ysum = self._totals
        g_k, c_k, s_k, xs_k, ys_k = self._blocks[k]
        n_tr = self._n - self._sizes[k]
        g_tr = gram - g_k
        c_tr = xty - c_k
        ysq_tr = ysq - s_k
        x_off, y_off = self._x_mean, self._y_mean
        if self._fit_intercept:
            delta = (xsum - xs_k) / n_tr
            eta = (ysum - ys_k) / n_tr
            g_tr -= n_tr * np.outer(delta, delta)
            c_tr -= n_tr * delta * eta
            ysq_tr -= n_tr * eta * eta
            x_off, y_off = x_off + delta, y_off + eta
        g_tr = 0.5 * (g_tr + g_tr.T)
        return _finish_gram(n_tr, g_tr, c_tr, max(ysq_tr, 0.0), x_off, y_off, self._standardize)
