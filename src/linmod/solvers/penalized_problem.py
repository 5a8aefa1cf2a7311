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
* :func:`gram_problem`: ``XᵀX`` and ``Xᵀy`` of the centred, scaled design, from one
  pass for the sums and one symmetric product with the centring folded in, so that no
  centred copy of ``X`` is ever made (:mod:`linmod.linalg.crossprod`).

:func:`require_finite` checks the data from these statistics (a NaN or infinity makes
them non-finite), sparing the path functions a separate pass over ``X``.

:class:`FoldGrams` gives the training problems of a cross-validation on the Gram
layout from *one* pass over the data: the test blocks' products are computed once, their
sum is the full Gram matrix, and each training Gram matrix is the full one minus a block,
re-centred at the training means by a rank-one correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from linmod.data.validation import check_finite
from linmod.exceptions import InputError
from linmod.linalg.crossprod import (
    column_sums_and_products,
    cross_products,
    ill_centred,
    subtract_outer,
)
from linmod.solvers.drift import GramSource, gram_rounding

__all__ = [
    "GRAM_MAX_FEATURES",
    "EnetProblem",
    "FoldGrams",
    "Scaling",
    "center_scale",
    "gram_problem",
    "make_problem",
    "partitions",
    "problem_from_products",
    "require_finite",
    "residual_problem",
    "standardizing_scales",
    "use_gram",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]
#: A block's ``(XᵀX, Xᵀv, vᵀv, Xᵀ1, vᵀ1)``.
_Block = tuple[Float, Float, float, Float, float]

#: Above this many features the Gram layout is not used (its p² memory and n·p² cost).
GRAM_MAX_FEATURES = 4096


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
    source : GramSource or None
        The data the Gram layout was formed from (set by :func:`gram_problem`; None for
        products given without their data).
    """

    n: int
    scaling: Scaling
    xty: Float
    y_norm2: float
    norm2: Float
    xt: Float | None = None
    y: Float | None = None
    gram: Float | None = None
    source: GramSource | None = None

    @property
    def p(self) -> int:
        """Number of features."""
        return int(self.xty.shape[0])


def standardizing_scales(sum_sq: Float, n: int, standardize: bool) -> Float:
    """glmnet's column scales ``sqrt(sum of centred squares / n)`` (1 for a constant
    column), or ones when not standardising."""
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
    scale = standardizing_scales(np.einsum("ij,ij->j", xc, xc), n, standardize)
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
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        x_offset = x.mean(axis=0) if fit_intercept else np.zeros(p)
        y_offset = float(y.mean()) if fit_intercept else 0.0
        xt = np.empty((p, n))
        np.subtract(x.T, x_offset[:, None], out=xt)
        norm2 = np.einsum("ij,ij->i", xt, xt)
        scale = standardizing_scales(norm2, n, standardize)
        if standardize:
            xt /= scale[:, None]
            norm2 = np.einsum("ij,ij->i", xt, xt)
        yc = np.ascontiguousarray(y - y_offset, dtype=float)
        xty = xt @ yc
        y_norm2 = float(yc @ yc)
    return EnetProblem(
        n=n,
        scaling=Scaling(x_offset, scale, y_offset),
        xty=xty,
        y_norm2=y_norm2,
        norm2=norm2,
        xt=xt,
        y=yc,
    )


def problem_from_products(
    n: int,
    gram: Float,
    xty: Float,
    y_norm2: float,
    x_offset: Float,
    y_offset: float,
    standardize: bool,
) -> EnetProblem:
    """Build the Gram layout from centred cross-products (scaled here when standardising).

    Parameters
    ----------
    n : int
        Rows.
    gram, xty, y_norm2
        ``Xc'Xc``, ``Xc'yc`` and ``‖yc‖²`` of the centred data (raw without an intercept).
    x_offset, y_offset
        The means removed (zeros without an intercept).
    standardize : bool
        Scale the columns to ``‖xc_j‖² = n``.
    """
    scale = standardizing_scales(np.diag(gram).copy(), n, standardize)
    if standardize:
        gram = gram / np.outer(scale, scale)
        xty = xty / scale
    # Symmetric to the bit (the centring correction can leave 1 ulp between G[a, b] and
    # G[b, a]): the kernels update the gradient by rows of G, the objective's gradient
    # is its symmetric part, and Anderson's decrease assumes the two agree.
    gram = np.triu(gram)
    gram += np.triu(gram, 1).T
    return EnetProblem(
        n=n,
        scaling=Scaling(x_offset, scale, y_offset),
        xty=np.ascontiguousarray(xty),
        y_norm2=y_norm2,
        norm2=np.diag(gram).copy(),
        gram=gram,
    )


def gram_problem(x: Float, y: Float, fit_intercept: bool, standardize: bool) -> EnetProblem:
    """Build the Gram layout (``XᵀX``, ``Xᵀy`` of the centred, scaled data).

    See :func:`linmod.linalg.crossprod.cross_products` for how the centred
    products are formed without a centred copy of ``x``.
    """
    gram, xty, y_norm2, x_offset, y_offset = cross_products(x, y, fit_intercept)
    n = x.shape[0]
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        problem = problem_from_products(n, gram, xty, y_norm2, x_offset, y_offset, standardize)
        x_scale = problem.scaling.x_scale
        bounds = gram_rounding(n, np.diag(gram), x_offset, x_scale, y_norm2, y_offset)
    assert problem.gram is not None
    source = GramSource(
        x, y, fit_intercept, x_offset, y_offset, x_scale, *bounds, problem.gram, problem.xty
    )
    return replace(problem, source=source)


def make_problem(
    x: Float, y: Float, fit_intercept: bool, standardize: bool, gram: bool | None = None
) -> EnetProblem:
    """Build the layout that suits the shape (``gram=None``) or the one asked for."""
    if gram is None:
        gram = use_gram(*x.shape)
    build = gram_problem if gram else residual_problem
    return build(x, y, fit_intercept, standardize)


def require_finite(
    problem: EnetProblem, x: Float, y: Float, names: Sequence[str] | None = None
) -> None:
    """Raise :class:`InputError` unless the problem's statistics are all finite.

    A NaN or infinity anywhere in a column makes its sum and squared norm NaN or
    infinite, so finite statistics certify finite data without another pass over ``x``
    (the builders never warn about non-finite values).  On failure
    :func:`~linmod.data.validation.check_finite` names the column and rows;
    finite data whose squares overflow float64 get a message of their own.

    Parameters
    ----------
    problem : EnetProblem
        Built from ``x`` and ``y`` by :func:`make_problem`.
    x, y : ndarray
        The data it was built from.
    names : sequence of str, optional
        Column names for the message.
    """
    finite_x = np.isfinite(problem.norm2) & np.isfinite(problem.xty)
    if finite_x.all() and np.isfinite(problem.y_norm2):
        return
    check_finite(x, y, names)
    if not np.isfinite(problem.y_norm2):
        raise InputError(
            f"the squares of y overflow float64 (largest |y| {np.max(np.abs(y)):.3g}); "
            "rescale y (e.g. divide it by a power of ten) before fitting"
        )
    j = int(np.flatnonzero(~finite_x)[0])
    label = repr(str(names[j])) if names is not None else str(j)
    raise InputError(
        f"the squares of X's column {label} overflow float64 (largest |value| "
        f"{np.max(np.abs(x[:, j])):.3g}); rescale that column (e.g. divide it by a power of "
        "ten) before fitting"
    )


def partitions(test_sets: Sequence[Index], n: int) -> bool:
    """Whether the test sets are disjoint and cover every row once (as k-fold's do)."""
    counts = np.zeros(n, dtype=np.int64)
    for test in test_sets:
        np.add.at(counts, test, 1)
    return bool((counts == 1).all())


def _rows(index: Index) -> Index | slice:
    """``index`` as a slice when it is a contiguous ascending range (a view, not a copy)."""
    if index.size and index[-1] - index[0] + 1 == index.size and (np.diff(index) == 1).all():
        return slice(int(index[0]), int(index[-1]) + 1)
    return index


#: A training fold's centred sum of squares at most this many units of rounding of the
#: sums it was formed from is a column constant on that fold (see _zero_constant_columns).
_CONSTANT_ROUNDING = 16.0


def _zero_constant_columns(gram: Float, xty: Float, formed_from: Float) -> None:
    """Make the columns constant on a training fold exactly constant (zero products).

    A training fold's centred products are the full data's minus a test block's, then
    centred by a rank-one correction; for a column constant on the training rows (a
    factor level seen only in the test block, once the products are taken about the
    full-data means) that leaves rounding residue, not zero.  Standardising would divide
    by its square root and coordinate descent then chase noise (it never reached
    ``tol``: spurious convergence warnings, 50x the epochs).  A centred sum of squares
    within :data:`_CONSTANT_ROUNDING` rounding units of ``formed_from`` (the
    uncentred sums of squares it came from) is taken as zero, as scikit-learn's
    ``StandardScaler`` treats near-constant features as constant.
    """
    eps = np.finfo(np.float64).eps
    constant = np.flatnonzero(np.diag(gram) <= _CONSTANT_ROUNDING * eps * formed_from)
    if constant.size:
        gram[constant, :] = 0.0
        gram[:, constant] = 0.0
        xty[constant] = 0.0


class FoldGrams:
    """Full-data and training-fold Gram problems of a k-fold split, from one pass over X.

    The test sets must partition the rows (see :func:`partitions`).  Each test block's
    cross-products are computed once (a contiguous block in place, without a copy); their
    sums give the full problem, and :meth:`train` forms a training problem as the full
    sums minus one block, centred at the training means by a rank-one correction (and
    scaled by the training standard deviations), one fold at a time.

    The blocks' products are taken about zero, so the centring is folded in as in
    :func:`~linmod.linalg.crossprod.cross_products`; when a column's mean is too
    large next to its spread for that (``κ`` above
    :data:`~linmod.linalg.crossprod.KAPPA_MAX`), they are taken about the
    full-data means instead, and the folds' corrections are then small shifts.
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
        self._y_mean = float(y.mean()) if fit_intercept else 0.0
        self._sizes = [len(test) for test in test_sets]
        rows = [_rows(np.asarray(test)) for test in test_sets]
        self._x_offset = np.zeros(p)
        self._blocks = self._products(x, y, rows)
        self._totals = self._sum(p)
        if fit_intercept:
            gram, xsum = self._totals[0], self._totals[3]
            mean = xsum / n
            if ill_centred(np.diag(gram), np.diag(gram) - n * mean * mean).size:
                self._x_offset = mean
                self._blocks = self._products(x, y, rows)
                self._totals = self._sum(p)
        self.full = self._problem(None)

    def _products(self, x: Float, y: Float, rows: list[Index | slice]) -> list[_Block]:
        blocks = []
        centre = bool(self._x_offset.any())
        for r in rows:
            xb = x[r] - self._x_offset if centre else np.ascontiguousarray(x[r])
            vb = y[r] - self._y_mean
            sums, xtv = column_sums_and_products(xb, vb)
            blocks.append((xb.T @ xb, xtv, float(vb @ vb), sums, float(vb.sum())))
        return blocks

    def _sum(self, p: int) -> _Block:
        gram, xty, ysq = np.zeros((p, p)), np.zeros(p), 0.0
        xsum, ysum = np.zeros(p), 0.0
        for g_k, c_k, s_k, xs_k, ys_k in self._blocks:
            gram += g_k
            xty += c_k
            ysq += s_k
            xsum += xs_k
            ysum += ys_k
        return gram, xty, ysq, xsum, ysum

    def _problem(self, k: int | None) -> EnetProblem:
        """The problem on every row outside test set ``k`` (all rows for None)."""
        gram, xty, ysq, xsum, ysum = self._totals
        n_tr = self._n
        g_tr, c_tr = gram.copy(), xty.copy()
        if k is not None:
            g_k, c_k, s_k, xs_k, ys_k = self._blocks[k]
            n_tr -= self._sizes[k]
            g_tr -= g_k
            c_tr -= c_k
            ysq, xsum, ysum = ysq - s_k, xsum - xs_k, ysum - ys_k
        x_off, y_off = self._x_offset, self._y_mean
        if self._fit_intercept:
            delta = xsum / n_tr
            eta = ysum / n_tr
            subtract_outer(g_tr, delta, float(n_tr))
            c_tr -= n_tr * delta * eta
            ysq -= n_tr * eta * eta
            x_off, y_off = x_off + delta, y_off + eta
            _zero_constant_columns(g_tr, c_tr, np.diag(gram) + n_tr * delta * delta)
        g_tr = 0.5 * (g_tr + g_tr.T)
        return problem_from_products(
            n_tr, g_tr, c_tr, max(ysq, 0.0), x_off, y_off, self._standardize
        )

    def train(self, k: int) -> EnetProblem:
        """The problem on every row outside test set ``k``."""
        return self._problem(k)
