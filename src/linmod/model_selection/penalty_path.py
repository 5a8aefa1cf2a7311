"""A penalty path from a formula, with the penalty chosen by cross-validation.

:func:`penalty_path` is the formula-level companion of :func:`linmod.lasso_path`,
:func:`linmod.enet_path` and :func:`linmod.ridge_path`: it builds the design exactly as
:func:`linmod.ols` does, standardises the columns (glmnet's convention, coefficients
reported on the original scale), runs the cross-validated estimator to find ``alpha_min``
(smallest mean CV error) and ``alpha_1se`` (the one-standard-error rule), and computes the
coefficient path on the same grid of penalties, named by term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.design import Design
from linmod.exceptions import InputError
from linmod.linalg.standardize import Standardization
from linmod.model_selection.comparison import MODELS
from linmod.models.row_weights import formula_design_weights
from linmod.solvers.paths import RegularizationPath, enet_path, ridge_path

__all__ = [
    "PATH_MAX_ITER",
    "PATH_TOL",
    "PENALTIES",
    "PenaltyPath",
    "path_from_search",
    "penalty_path",
]

PENALTIES = ("lasso", "ridge", "elastic_net")
#: Duality-gap tolerance of a reported path, relative to ``‖y − ȳ‖²``: tight enough that
#: the printed digits are the optimum's (the estimators' 1e-4 can leave small
#: coefficients a few percent off).
PATH_TOL = 1e-8
PATH_MAX_ITER = 10_000


@dataclass(frozen=True)
class PenaltyPath:
    """Coefficients along a penalty grid and the penalties cross-validation picks.

    Attributes
    ----------
    formula : str
    path : RegularizationPath
        Coefficients (original scale, named by term) at every penalty, largest first.
    cv_curve : pandas.DataFrame
        Mean and standard error of the held-out MSE per penalty (``alpha``,
        ``mean_mse``, ``se_mse``, ``is_min``, ``is_1se``).
    alpha_min : float
        The penalty with the smallest mean CV error.
    alpha_1se : float
        The largest penalty within one standard error of that minimum.
    cv : estimator
        The fitted ``LassoCV`` / ``RidgeCV`` / ``ElasticNetCV`` (a
        :class:`~linmod.estimators.cv_search.PenaltySearch`, with the same attributes,
        in the report's analysis).
    standardized : bool
        Whether the coefficients are those of the standardised columns.
    """

    formula: str
    path: RegularizationPath
    cv_curve: pd.DataFrame
    alpha_min: float
    alpha_1se: float
    cv: Any
    standardized: bool = False

    @property
    def penalty(self) -> str:
        """``"lasso"``, ``"ridge"`` or ``"elastic_net"``."""
        return self.path.penalty

    def coef_at(self, alpha: float) -> pd.Series:
        """The coefficients at the grid penalty nearest ``alpha`` (on a log scale)."""
        index = int(np.argmin(np.abs(np.log(self.path.alphas) - np.log(alpha))))
        values = self.path.coefs[:, index]
        return pd.Series(values, index=list(self.path.feature_names), name=self.path.alphas[index])

    def to_frame(self) -> pd.DataFrame:
        """One row per penalty: ``alpha``, ``n_nonzero``, ``mean_mse``, ``se_mse`` and
        the coefficient of each term."""
        frame = self.path.to_frame().drop(columns="intercept")
        frame.insert(1, "n_nonzero", self.path.n_nonzero)
        curve = self.cv_curve.set_index("alpha")[["mean_mse", "se_mse"]]
        frame.insert(2, "mean_mse", curve["mean_mse"].reindex(frame["alpha"]).to_numpy())
        frame.insert(3, "se_mse", curve["se_mse"].reindex(frame["alpha"]).to_numpy())
        return frame

    def __str__(self) -> str:
        names = list(self.path.feature_names)
        width = max([len(name) for name in names] + [9])
        lines = [
            f"{self.penalty} path ({self.path.alphas.size} penalties, "
            f"{'standardised' if self.standardized else 'original-scale'} coefficients): "
            f"{self.formula}",
            f"alpha_min = {self.alpha_min:.6g}   alpha_1se = {self.alpha_1se:.6g}",
            "",
            f"{'term':<{width}} {'at alpha_min':>14} {'at alpha_1se':>14}",
        ]
        at_min, at_1se = self.coef_at(self.alpha_min), self.coef_at(self.alpha_1se)
        for name in names:
            lines.append(f"{name:<{width}} {at_min[name]:>14.6g} {at_1se[name]:>14.6g}")
        if self.penalty != "ridge":
            dropped = [name for name in names if at_1se[name] == 0.0]
            lines.append("")
            lines.append(f"Dropped at alpha_1se: {', '.join(dropped) if dropped else 'none'}")
        return "\n".join(lines)


def penalty_path(
    formula: str,
    data: pd.DataFrame,
    *,
    penalty: str = "lasso",
    l1_ratio: float = 0.5,
    n_alphas: int = 100,
    folds: int = 5,
    seed: int = 0,
    missing: str = "raise",
    standardized: bool = False,
    tol: float = PATH_TOL,
    max_iter: int = PATH_MAX_ITER,
    progress: bool | None = False,
    weights: Any = None,
    weights_type: str = "precision",
) -> PenaltyPath:
    """Compute a penalty path from a formula and choose the penalty by cross-validation.

    Parameters
    ----------
    formula : str
        As for :func:`linmod.ols`; the intercept (if any) is never penalised.
    data : pandas.DataFrame
    penalty : {"lasso", "ridge", "elastic_net"}
    l1_ratio : float
        Mixing value for ``penalty="elastic_net"``.
    n_alphas : int
        Penalties on the grid (scikit-learn's grid for the Lasso and the elastic net, the
        effective-degrees-of-freedom grid for ridge).
    folds : int
        Cross-validation folds for the Lasso and the elastic net
        (:func:`~linmod.model_selection.default_folds`: shuffled ``KFold``, seeded); ridge
        uses exact leave-one-out. The columns are standardised for the choice. This is
        the one default of every entry point that chooses a penalty
        (:mod:`linmod.estimators.penalty_choice`): ``linmod.lasso(..., alpha="cv",
        cv=folds, seed=seed)``, :func:`~linmod.model_selection.cross_validate_models`,
        ``linmod path``, ``linmod cv`` and the report choose the same penalty on the same
        data.
    seed : int
        Seed of the fold assignment.
    missing : {"raise", "drop"}
    standardized : bool
        Report the coefficients of the standardised columns (change in the response per
        standard deviation of the column), which makes them comparable, instead of the
        original scale.
    tol, max_iter : float, int
        Duality-gap tolerance (relative to ``‖y − ȳ‖²``) and epoch limit of the reported
        path. The default 1e-8 is tighter than the estimators' 1e-4, which can leave small
        coefficients a few percent from the optimum; the cross-validation keeps 1e-4.
    progress : bool or None
        Show progress bars over the cross-validation folds and the path's penalties
        (None: only on a terminal).
    weights : str or array-like, optional
        Observation weights, as for :func:`linmod.ols` (a column of ``data``, left out of
        ``y ~ .``, or one weight per row): the cross-validation and the path fit the
        weighted objective (scikit-learn's and glmnet's), held-out errors are weighted, and
        ``standardized=True`` uses the weighted means and standard deviations.
    weights_type : {"precision", "frequency", "sampling"}
        The declared meaning of the weights (frequency weights must be whole numbers).

    Returns
    -------
    PenaltyPath

    Examples
    --------
    >>> import linmod
    >>> from linmod.model_selection import penalty_path
    >>> result = penalty_path("price ~ square_feet + bedrooms + age",
    ...                       linmod.datasets.house_prices(), n_alphas=30)
    >>> result.alpha_1se >= result.alpha_min
    True
    """
    if penalty not in PENALTIES:
        raise InputError(f"penalty={penalty!r} is not valid: choose from {list(PENALTIES)}")
    design, w = formula_design_weights(formula, data, missing, weights, weights_type)
    values, y, names = _model_matrix(formula, design)
    cv: Any = MODELS[penalty](design.intercept, seed, folds)
    cv.set_params(alphas=n_alphas)
    if penalty != "ridge":
        cv.set_params(progress=progress)
    if penalty == "elastic_net":
        cv.set_params(l1_ratio=l1_ratio)
    cv.fit(pd.DataFrame(values, columns=names), y, sample_weight=w)
    return path_from_search(
        formula, design, w, cv, penalty=penalty, l1_ratio=l1_ratio, standardized=standardized,
        tol=tol, max_iter=max_iter, progress=progress,
    )  # fmt: skip


def _model_matrix(formula: str, design: Design) -> tuple[np.ndarray, np.ndarray, list[str]]:
    start = 1 if design.intercept else 0
    names = list(design.column_names[start:])
    if not names:
        raise InputError(f"the formula {formula!r} has no terms to penalise")
    values = np.asarray(design.x[:, start:], dtype=np.float64)
    return values, np.asarray(design.y, dtype=np.float64), names


def path_from_search(
    formula: str,
    design: Design,
    w: np.ndarray | None,
    cv: Any,
    *,
    penalty: str = "lasso",
    l1_ratio: float = 0.5,
    standardized: bool = False,
    tol: float = PATH_TOL,
    max_iter: int = PATH_MAX_ITER,
    progress: bool | None = False,
) -> PenaltyPath:
    """The path of :func:`penalty_path` on the grid of a fitted cross-validation.

    Parameters
    ----------
    formula : str
    design : Design
        The design of ``formula`` (:func:`linmod.models.row_weights.formula_design_weights`).
    w : ndarray or None
        Its checked weights.
    cv : fitted RidgeCV, LassoCV, ElasticNetCV or PenaltySearch
        Fitted to the design's model matrix (standardised columns) with these weights:
        its ``alphas_``, ``cv_curve_``, ``alpha_`` and ``alpha_1se_`` are used.
    penalty, l1_ratio, standardized, tol, max_iter, progress
        As for :func:`penalty_path`.

    Returns
    -------
    PenaltyPath
    """
    values, y, names = _model_matrix(formula, design)
    if standardized:
        # LassoCV/RidgeCV(standardize=True) divide each column by its (1/n) standard
        # deviation, as Standardization does: the penalties below are the ones validated.
        standardization = Standardization.fit(values, y, center=design.intercept, weights=w)
        values = standardization.transform(values)
    x = pd.DataFrame(values, columns=names)
    grid = np.ravel(cv.alphas_)
    if penalty == "ridge":
        path = ridge_path(
            x, y, alphas=grid, fit_intercept=design.intercept, standardize=not standardized,
            sample_weight=w,
        )  # fmt: skip
    else:
        path = enet_path(
            x, y, l1_ratio=1.0 if penalty == "lasso" else l1_ratio, alphas=grid,
            fit_intercept=design.intercept, standardize=not standardized, tol=tol,
            max_iter=max_iter, progress=progress, sample_weight=w,
        )  # fmt: skip
    curve = cv.cv_curve_
    if "l1_ratio" in curve.columns:
        curve = curve.drop(columns="l1_ratio")
    return PenaltyPath(
        formula=formula,
        path=path,
        cv_curve=curve.reset_index(drop=True),
        alpha_min=float(cv.alpha_),
        alpha_1se=float(cv.alpha_1se_),
        cv=cv,
        standardized=standardized,
    )
