"""``Ridge`` as a scikit-learn estimator: ``‖y − b − Xβ‖² + α‖β‖²``, the intercept never
penalised (see :mod:`linmod.estimators.penalized` for the family and ``standardize``).
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray
from sklearn.base import MultiOutputMixin
from sklearn.utils._param_validation import Interval, StrOptions

from linmod.estimators.intercept_type import typed_intercept
from linmod.estimators.multi_target import (
    fit_ridge_targets,
    is_multi_target,
)
from linmod.estimators.regularized_base import RegularizedRegressor
from linmod.estimators.sparse_fit import sparse_fit
from linmod.estimators.sparse_support import SparseInputMixin
from linmod.solvers.bounded_ridge import SKLEARN_RIDGE_SOLVERS, solve_ridge_options
from linmod.solvers.penalized_magnitude import ldexp as _ldexp
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import center_scale
from linmod.solvers.weighted_problem import ridge_weights, weighted_center_scale

__all__ = ["Ridge"]

Float = NDArray[np.float64]


class Ridge(MultiOutputMixin, SparseInputMixin, RegularizedRegressor):
    """Ridge regression: least squares with an L2 penalty ``α‖β‖²``.

    Minimises ``‖y − b − Xβ‖² + α‖β‖²`` (scikit-learn's ``Ridge``); the intercept ``b``
    is not penalised.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty, ≥ 0 (0 is least squares; the minimum-norm solution if singular); an
        array gives each column of a 2-D ``y`` its own (scikit-learn's).
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    standardize : bool, default=False
        Penalise the coefficients of the standardised features; ``coef_`` is still on
        the original scale.
    solver : {"auto", "cholesky", "svd", "lsqr", "sparse_cg", "lbfgs", "sag", "saga"}, \
default="auto"
        ``"cholesky"`` factors ``XᵀX + αI`` (or ``XXᵀ + αI`` when p > n) and refines
        once; ``"svd"`` uses one SVD; ``"auto"`` is Cholesky for α > 0.  A scipy.sparse
        ``X`` is never densified (``solver`` does not apply): up to 2000 features the
        exact solution from the p × p Gram matrix of the implicitly centred design
        (relative error about ``eps·(σ₁² + α)/(σ_p² + α)``), beyond LSQR with
        ``atol = btol = 1e-14`` (about ``1e-14·cond``); ``sparse_solver_`` says which
        (:mod:`linmod.solvers.sparse_ridge`).
        once; ``"svd"`` uses one SVD; ``"auto"`` is Cholesky for α > 0 (a bounded
        solver with ``positive=True``).  scikit-learn's iterative ``"lsqr"`` and
        ``"sparse_cg"`` run scipy's LSQR and conjugate gradients to ``tol``; ``"lbfgs"``
        is for ``positive=True`` only; ``"sag"``/``"saga"`` are computed exactly by
        ``"cholesky"`` (:mod:`linmod.solvers.bounded_ridge`).

    tol : float, default=1e-4
        Stopping tolerance of ``"lsqr"``, ``"sparse_cg"`` and of ``positive=True`` on
        more than 200 features (the direct solvers have nothing to stop).
    positive : bool, default=False
        Constrain the coefficients to be non-negative (the intercept stays free): the
        augmented system ``[X; √α I]β ≈ [y; 0]`` solved with bounds.
    max_iter : int or None, default=None
        Iteration cap of the iterative solvers (None: scipy's default).
    copy_X : bool, default=True
        Accepted for scikit-learn's API: ``X`` is never modified in place either way.
    random_state : None, int or RandomState, default=None
        Accepted for scikit-learn's API (used there by ``"sag"``/``"saga"``, which are
        computed exactly here).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    n_iter_ : ndarray of shape (1,) or None
        Iterations of ``"lsqr"``; None for the other solvers (as in scikit-learn).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np, linmod
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> model = linmod.Ridge(alpha=5.0).fit(X, [2.0, 4.0, 5.0, 8.0])
    >>> round(float(model.coef_[0]), 4), round(model.intercept_, 4)
    (0.95, 2.375)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "alpha": [Interval(Real, 0, None, closed="left"), "array-like"],
        "fit_intercept": ["boolean"],
        "standardize": ["boolean"],
        "solver": [StrOptions(set(SKLEARN_RIDGE_SOLVERS))],
        "tol": [Interval(Real, 0, None, closed="left")],
        "positive": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left"), None],
        "copy_X": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        fit_intercept: bool = True,
        standardize: bool = False,
        solver: str = "auto",
        tol: float = 1e-4,
        positive: bool = False,
        max_iter: int | None = None,
        copy_X: bool = True,
        random_state: Any = None,
    ) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.solver = solver
        self.tol = tol
        self.positive = positive
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.random_state = random_state

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Ridge:
        """Fit the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Minimise ``Σ w_i (y_i − b − x_iᵀβ)² + α‖β‖²`` (scikit-learn's convention, the
            weights not rescaled), with weighted means and standard deviations; rows of
            weight 0 are dropped (:mod:`linmod.solvers.weighted_problem`).

        Returns
        -------
        self
        """
        if sparse_fit(self, X, y, sample_weight):  # a sparse X: estimators/sparse_fit.py
            return self
        if is_multi_target(y) or np.ndim(self.alpha) > 0:
            return fit_ridge_targets(self, X, y, sample_weight)
        x, yv, w = self._weighted_data(X, y, sample_weight)
        x, yv, magnitude = rescale(x, yv, self.standardize, self._feature_names())
        w, w_exp = ridge_weights(w)  # exact powers of two: Σ w r² stays in range
        if w is None:
            xc, yc, scaling = center_scale(x, yv, self.fit_intercept, self.standardize)
        else:
            xc, yc, scaling = weighted_center_scale(x, yv, w, self.fit_intercept, self.standardize)
        alpha = _ldexp(float(self.alpha), magnitude.l2_exp - w_exp)
        n_iter = None
        if np.isinf(alpha):  # a penalty beyond float64 on the rescaled data
            coef_std = np.zeros(x.shape[1])
        else:
            coef_std, n_iter = solve_ridge_options(
                xc, yc, alpha, solver=self.solver, positive=self.positive,
                tol=float(self.tol), max_iter=self.max_iter,
            )  # fmt: skip
        coef, intercept = magnitude.coefficients(*scaling.to_original(coef_std))
        self.coef_ = coef
        self.intercept_ = typed_intercept(intercept, self.fit_intercept)
        self.n_iter_ = None if n_iter is None else np.array([n_iter], dtype=np.int32)
        return self
