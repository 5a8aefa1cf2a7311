"""``linmod.QuantileRegressor``: exact quantile regression as a scikit-learn estimator."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions

from linmod.estimators._in_memory import checked_design, set_coefficients
from linmod.estimators._linear_predict import LinearPredictMixin
from linmod.inference.quantile_covariance import QUANTILE_SE_METHODS
from linmod.inference.quantile_results import QuantRegResults
from linmod.models.quantreg import fit_quantile_design

__all__ = ["QuantileRegressor"]


class QuantileRegressor(LinearPredictMixin, RegressorMixin, BaseEstimator):
    """Linear quantile regression, solved exactly, with quantreg-grade inference.

    Unlike scikit-learn's ``QuantileRegressor`` there is no L1 penalty (its ``alpha``,
    1.0 by default there): this is the unpenalised regression quantile of R's
    ``quantreg::rq``, and ``results_`` holds its standard errors. The linear program is
    solved by an interior-point method with an exact crossover, in O(n p^2) memory-light
    steps, so it scales to millions of rows (scikit-learn's HiGHS formulation does not).

    Parameters
    ----------
    quantile : float, default=0.5
        The quantile level, strictly between 0 and 1 (0.5: least absolute deviations).
    fit_intercept : bool, default=True
        Whether to estimate an intercept.
    se : {"nid", "iid", "ker", "boot"}, default="nid"
        How ``results_`` estimates standard errors (see :func:`linmod.quantreg`).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    results_ : QuantRegResults
        Standard errors, tests, intervals, summary.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Present when ``X`` had string column names.

    Examples
    --------
    >>> from linmod import QuantileRegressor
    >>> X = [[1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> model = QuantileRegressor(quantile=0.5).fit(X, [1.0, 2.0, 3.0, 4.0, 50.0])
    >>> round(model.intercept_, 6), model.coef_.round(6)
    (0.0, array([1.]))
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "quantile": [Interval(Real, 0, 1, closed="neither")],
        "fit_intercept": ["boolean"],
        "se": [StrOptions(set(QUANTILE_SE_METHODS))],
    }

    def __init__(self, *, quantile: float = 0.5, fit_intercept: bool = True, se: str = "nid"):
        self.quantile = quantile
        self.fit_intercept = fit_intercept
        self.se = se

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> QuantileRegressor:
        """Fit the regression quantile.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), optional
            Non-negative weights multiplying each sample's check loss; 0 drops a sample.

        Returns
        -------
        self
        """
        self._validate_params()
        design, weights = checked_design(
            self, X, y, sample_weight, strict=False, what="a regression quantile"
        )
        self.results_: QuantRegResults = fit_quantile_design(
            design, weights, float(self.quantile), se=self.se
        )
        coef = self.results_.solution.coef
        set_coefficients(self, coef)
        return self
