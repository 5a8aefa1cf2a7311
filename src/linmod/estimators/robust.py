"""``linmod.HuberRegressor``: robust regression (MASS's ``rlm``) as a scikit-learn estimator."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval

from linmod.estimators._in_memory import checked_design, set_coefficients
from linmod.estimators._linear_predict import LinearPredictMixin
from linmod.inference.robust_results import RobustResults
from linmod.models.rlm import fit_robust_design

__all__ = ["HuberRegressor"]


class HuberRegressor(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Huber's M-estimator with MASS-grade inference, as a scikit-learn estimator.

    The fit is :func:`linmod.rlm` with ``norm="huber"``: IRLS from least squares with the
    scale re-estimated (MAD) at each step, to convergence. scikit-learn's
    ``HuberRegressor`` estimates the scale jointly (Owen's concomitant scale) and adds an
    L2 penalty (``alpha=1e-4``), so its numbers differ slightly; the attributes are the
    same: ``coef_``, ``intercept_``, ``scale_``, ``outliers_``.

    Parameters
    ----------
    epsilon : float, default=1.345
        Huber's tuning constant (residuals beyond ``epsilon * scale`` are down-weighted);
        1.345 gives 95% efficiency for normal errors.
    fit_intercept : bool, default=True
    max_iter : int, default=100
    tol : float, default=1e-10
        Relative change of the residuals at which IRLS stops.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    scale_ : float
        The robust scale of the residuals.
    outliers_ : ndarray of bool, shape (n_samples,)
        Samples whose scaled residual exceeds ``epsilon`` (weight below 1).
    results_ : RobustResults
        Standard errors, row weights, summary.
    n_iter_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` had string column names.

    Examples
    --------
    >>> from linmod import HuberRegressor
    >>> X = [[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]
    >>> model = HuberRegressor().fit(X, [1.1, 1.9, 3.0, 4.1, 5.0, 30.0])
    >>> model.outliers_.tolist()
    [False, False, False, False, False, True]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(
        self,
        *,
        epsilon: float = 1.345,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-10,
    ) -> None:
        self.epsilon = epsilon
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> HuberRegressor:
        """Fit the model.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Precision weights (1 / variance) as ``rlm(weights=)``; 0 drops a sample.

        Returns
        -------
        self
        """
        self._validate_params()
        design, weights = checked_design(
            self, X, y, sample_weight, strict=True, what="robust regression"
        )
        self.results_: RobustResults = fit_robust_design(
            design,
            weights,
            norm="huber",
            tuning=float(self.epsilon),
            tol=float(self.tol),
            max_iter=int(self.max_iter),
        )
        coef = self.results_.solution.coef
        set_coefficients(self, coef)
        self.scale_ = self.results_.scale
        self.n_iter_ = self.results_.iterations
        residuals = design.y - design.x @ coef  # every sample, zero weights included
        self.outliers_ = np.abs(residuals) > self.epsilon * self.scale_
        return self
