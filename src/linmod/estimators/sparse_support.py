"""What the estimators support on a scipy.sparse ``X``: the parameters a sparse fit
honours (any other must keep its default), scikit-learn's ``input_tags.sparse``, and
``predict`` by a sparse product.

Kept apart from :mod:`linmod.estimators.sparse_fit` (the fits themselves, with the
coordinate-descent and CV machinery they import) so that ``LinearRegression`` needs none
of that to say what it accepts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.sparse_input import check_sparse_finite, is_sparse
from linmod.exceptions import InputError

__all__ = ["HONOURED", "SparseInputMixin", "refuse_unhonoured", "unhonoured"]

Float = NDArray[np.float64]


class SparseInputMixin:
    """scikit-learn's ``input_tags.sparse`` and ``predict`` for a sparse ``X``."""

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.input_tags.sparse = unhonoured(self) is None  # options the sparse fit lacks
        return tags

    def predict(self, X: Any) -> Float:
        """Predict with the fitted coefficients (``X`` dense or scipy.sparse).

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        if not is_sparse(X):
            return np.asarray(super().predict(X))  # type: ignore[misc]
        check_is_fitted(self)
        x = validate_data(self, X, reset=False, accept_sparse="csr", dtype=np.float64,
                          ensure_all_finite=False)  # fmt: skip
        csc = x.tocsc()
        names = [f"x{j}" for j in range(x.shape[1])]
        check_sparse_finite(csc.data, csc.indices, csc.indptr, names)
        fitted: Any = self
        coef = np.nan_to_num(np.asarray(fitted.coef_, dtype=np.float64), nan=0.0)
        return np.asarray(x @ coef + fitted.intercept_)


#: The parameters the sparse fits honour; any other one must keep its default.
HONOURED = frozenset(
    {"alpha", "alphas", "l1_ratio", "fit_intercept", "standardize", "positive", "tol",
     "max_iter", "solver", "cv", "gcv", "store_cv_results", "eps", "progress",
     "weights_type", "random_state", "copy_X", "n_jobs"}
)  # fmt: skip


def unhonoured(estimator: Any) -> str | None:
    """The first parameter (``"name=value"``) set away from its default that the sparse fit
    does not honour, or None."""
    import inspect

    defaults = {
        name: p.default
        for name, p in inspect.signature(type(estimator).__init__).parameters.items()
        if p.default is not inspect.Parameter.empty
    }
    enet = hasattr(estimator, "l1_ratio") or hasattr(estimator, "_l1_ratio")
    if not enet and getattr(estimator, "positive", False):  # bounded ridge, NNLS: dense only
        return "positive=True"
    for name, value in estimator.get_params(deep=False).items():
        if name in HONOURED or name not in defaults:
            continue
        if name == "precompute" and isinstance(value, bool):
            continue  # as scikit-learn: a sparse X is fitted on its columns whatever it says
        if name == "precompute" and not isinstance(value, str):
            return "precompute=<a Gram matrix>"
        default = defaults[name]
        same = value is default or (
            isinstance(value, (bool, int, float, str, type(None)))
            and isinstance(default, (bool, int, float, str, type(None)))
            and value == default
        )
        if not same:
            return f"{name}={value!r}"
    return None


def refuse_unhonoured(estimator: Any) -> None:
    """Refuse a parameter set away from its default that the sparse fit does not honour.

    Raises
    ------
    InputError
        Naming the parameter (a fit that ignored it would be silently wrong).
    """
    setting = unhonoured(estimator)
    if setting is not None:
        raise InputError(
            f"{setting} is not available with a sparse X in {type(estimator).__name__} yet; "
            "leave it at its default or pass X.toarray()"
        )
