"""Train and test R² along a grid of penalties (the lessons' exercise 4).

``train_test_r2(X_train, y_train, X_test, y_test, alphas=[0.001, …, 1000])`` fits the
whole grid at once (one SVD for ridge, a warm-started path for the Lasso and the elastic
net) and scores each fit on both sets with scikit-learn's ``r2_score`` definition.
:func:`linmod.plots.regularization.plot_train_test_r2` draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.validation import as_arrays, check_alphas
from linmod.exceptions import InputError
from linmod.solvers.paths import RegularizationPath, enet_path, ridge_path

__all__ = ["LESSON_ALPHAS", "R2Curve", "train_test_r2"]

Float = NDArray[np.float64]

#: The penalties of the lessons' exercise 4.
LESSON_ALPHAS = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)


def _r2(y: Float, fitted: Float) -> Float:
    """R² of each column of ``fitted`` against ``y`` (``1 − SS_res/SS_tot``)."""
    ss_res = np.sum((y[:, None] - fitted) ** 2, axis=0)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if ss_tot == 0.0:
        return np.where(ss_res == 0.0, 1.0, 0.0)
    return np.asarray(1.0 - ss_res / ss_tot)


@dataclass(frozen=True)
class R2Curve:
    """Train and test R² at each penalty.

    Attributes
    ----------
    alphas : ndarray of shape (k,)
        Penalties, smallest first.
    train_r2, test_r2 : ndarray of shape (k,)
    penalty : {"ridge", "lasso", "elastic_net"}
    l1_ratio : float
    path : RegularizationPath
        The fitted coefficients.
    """

    alphas: Float
    train_r2: Float
    test_r2: Float
    penalty: str
    l1_ratio: float
    path: RegularizationPath

    @property
    def best_index(self) -> int:
        """Index of the highest test R² (the largest penalty among ties)."""
        best = np.max(self.test_r2)
        ties = np.flatnonzero(self.test_r2 == best)
        return int(ties[-1])

    @property
    def best_alpha(self) -> float:
        """The penalty with the highest test R²."""
        return float(self.alphas[self.best_index])

    def to_frame(self) -> pd.DataFrame:
        """``alpha, train_r2, test_r2, is_best``, smallest penalty first."""
        return pd.DataFrame(
            {
                "alpha": self.alphas,
                "train_r2": self.train_r2,
                "test_r2": self.test_r2,
                "is_best": np.arange(self.alphas.size) == self.best_index,
            }
        )


def train_test_r2(
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    alphas: Any = LESSON_ALPHAS,
    penalty: str = "ridge",
    l1_ratio: float = 0.5,
    fit_intercept: bool = True,
    standardize: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> R2Curve:
    """Fit every penalty on the training set and score it on both sets.

    Parameters
    ----------
    X_train, y_train : array-like
        Training data.
    X_test, y_test : array-like
        Held-out data with the same features.
    alphas : array-like, default: the lessons' ``[0.001, 0.01, …, 1000]``
    penalty : {"ridge", "lasso", "elastic_net"}
    l1_ratio : float
        For ``penalty="elastic_net"``.
    fit_intercept, standardize, tol, max_iter
        As for :func:`linmod.enet_path`.

    Returns
    -------
    R2Curve

    Examples
    --------
    >>> import linmod
    >>> from sklearn.model_selection import train_test_split
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    >>> curve = linmod.regularization.train_test_r2(Xtr, ytr, Xte, yte, standardize=True)
    >>> curve.to_frame().shape
    (7, 4)
    """
    grid = check_alphas(alphas)
    if penalty not in ("ridge", "lasso", "elastic_net"):
        raise InputError(f"penalty={penalty!r} is not valid: use 'ridge', 'lasso' or 'elastic_net'")
    x_tr, y_tr, _ = as_arrays(X_train, y_train)
    x_te, y_te, _ = as_arrays(X_test, y_test)
    if x_te.shape[1] != x_tr.shape[1]:
        raise InputError(f"X_test has {x_te.shape[1]} features but X_train has {x_tr.shape[1]}")
    if penalty == "ridge":
        path = ridge_path(
            X_train, y_train, alphas=grid, fit_intercept=fit_intercept, standardize=standardize
        )
        ratio = 0.0
    else:
        ratio = 1.0 if penalty == "lasso" else float(l1_ratio)
        path = enet_path(
            X_train, y_train, l1_ratio=ratio, alphas=grid, fit_intercept=fit_intercept,
            standardize=standardize, tol=tol, max_iter=max_iter,
        )  # fmt: skip
    order = np.argsort(path.alphas, kind="stable")
    coefs, intercepts = path.coefs[:, order], path.intercepts[order]
    return R2Curve(
        alphas=path.alphas[order],
        train_r2=_r2(y_tr, x_tr @ coefs + intercepts),
        test_r2=_r2(y_te, x_te @ coefs + intercepts),
        penalty=penalty,
        l1_ratio=ratio,
        path=path,
    )
