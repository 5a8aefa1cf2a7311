"""Cross-validated comparison of OLS, Ridge, Lasso and the elastic net on one formula.

The second lesson compares ``LinearRegression``, ``Ridge`` and ``Lasso`` with 5-fold
cross-validation. :func:`cross_validate_models` does that from a formula, honestly: the
folds are :func:`~linmod.estimators.penalty_choice.default_folds` (scikit-learn's
``KFold``, shuffled, seeded), and a penalised model chooses its
penalty *inside* each training fold (``RidgeCV``'s exact leave-one-out, ``LassoCV``'s
inner k-fold) so the held-out fold never influences the choice (nested
cross-validation).  Each model is scored on every held-out fold by R², RMSE and MAE; the
table reports the mean and its standard error across folds.

The fits are those of the estimators without the estimators: OLS is
:func:`~linmod.models.ols.fit_design`, the penalised models are
:class:`~linmod.estimators.cv_search.PenaltySearch` (the code ``RidgeCV`` and
``LassoCV`` fit with, on the same folds, as
:func:`~linmod.estimators.cv_search.kfold_indices` draws ``KFold``'s), so a comparison
imports neither scikit-learn nor its validation (half a second of the report's start-up).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.design import Design
from linmod.data.formula import STATEFUL_TRANSFORM, FormulaSpec, design_from_formula
from linmod.data.frames import to_pandas
from linmod.estimators.cv_search import PenaltySearch, kfold_indices
from linmod.estimators.penalty_choice import check_seed
from linmod.exceptions import InputError
from linmod.metrics import mae, r2, rmse
from linmod.models.ols import fit_design
from linmod.models.row_weights import formula_design_weights
from linmod.progress import Progress
from linmod.solvers.unconverged_folds import UnconvergedTally

__all__ = ["MODELS", "ModelComparison", "compare_on_design", "cross_validate_models"]


def _ols(intercept: bool, seed: int, folds: int) -> Any:
    from linmod.estimators.linear import LinearRegression

    return LinearRegression(fit_intercept=intercept)


def _ridge(intercept: bool, seed: int, folds: int) -> Any:
    from linmod.estimators.penalty_choice import penalty_searcher

    # Only the mean LOO error per penalty: no n x 100 arrays at a million rows.
    return penalty_searcher("ridge", fit_intercept=intercept, cv=None, store_cv_results=False)


def _lasso(intercept: bool, seed: int, folds: int) -> Any:
    from linmod.estimators.penalty_choice import penalty_searcher

    return penalty_searcher("lasso", fit_intercept=intercept, cv=folds, seed=seed)


def _elastic_net(intercept: bool, seed: int, folds: int) -> Any:
    from linmod.estimators.penalty_choice import penalty_searcher

    return penalty_searcher("elastic_net", fit_intercept=intercept, cv=folds, seed=seed)


MODELS: dict[str, Callable[[bool, int, int], Any]] = {
    "ols": _ols,
    "ridge": _ridge,
    "lasso": _lasso,
    "elastic_net": _elastic_net,
}
"""The models :func:`cross_validate_models` knows, by name: a factory of an unfitted
estimator from ``(fit_intercept, seed, folds)``. Penalised models choose the penalty as
every entry point does (:func:`linmod.estimators.penalty_choice.penalty_searcher`):
standardised columns, ``folds`` shuffled folds seeded by ``seed`` (ridge: exact
leave-one-out)."""


@dataclass(frozen=True)
class ModelComparison:
    """Held-out scores of several models on the same folds.

    Attributes
    ----------
    formula : str
    folds : pandas.DataFrame
        One row per (model, fold): ``model``, ``fold``, ``n_test``, ``r2``, ``rmse``,
        ``mae`` and ``alpha`` (the penalty chosen inside that training fold; NaN for OLS).
    alphas : dict of str to float
        The penalty each penalised model chooses on all the data (for the final fit).
    n_folds : int
    seed : int
    n_obs : int
    weighted : bool
        Whether the fits and the held-out scores are weighted.
    searches : dict of str to PenaltySearch
        The penalised models' cross-validations on all the data (that chose
        :attr:`alphas`): ``alpha_``, ``alpha_1se_``, ``alphas_``, ``cv_curve_``,
        ``coef_``, ... as the estimators name them.
    """

    formula: str
    folds: pd.DataFrame
    alphas: dict[str, float]
    n_folds: int
    seed: int
    n_obs: int
    weighted: bool = False
    searches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """Mean and standard error across folds of each score, one row per model.

        Returns
        -------
        pandas.DataFrame
            Index ``model``; columns ``alpha`` (chosen on all the data), ``r2_mean``,
            ``r2_se``, ``rmse_mean``, ``rmse_se``, ``mae_mean``, ``mae_se``.
        """
        grouped = self.folds.groupby("model", sort=False)
        table = pd.DataFrame(index=pd.Index(list(grouped.groups), name="model"))
        table["alpha"] = [self.alphas.get(str(name), np.nan) for name in table.index]
        for score in ("r2", "rmse", "mae"):
            table[f"{score}_mean"] = grouped[score].mean()
            table[f"{score}_se"] = grouped[score].std(ddof=1) / np.sqrt(grouped[score].count())
        return table

    @property
    def best(self) -> str:
        """The model with the lowest mean held-out RMSE."""
        return str(self.to_frame()["rmse_mean"].idxmin())

    def __str__(self) -> str:
        table = self.to_frame()
        lines = [
            f"{self.n_folds}-fold cross-validation (seed {self.seed}, n = {self.n_obs}"
            f"{', weighted fits and scores' if self.weighted else ''}): {self.formula}",
            f"{'model':<12} {'alpha':>10} {'R²':>17} {'RMSE':>21} {'MAE':>21}",
        ]
        for name, row in table.iterrows():
            alpha = "" if np.isnan(row["alpha"]) else f"{row['alpha']:.4g}"
            lines.append(
                f"{name!s:<12} {alpha:>10} "
                f"{row['r2_mean']:>8.4f} ± {row['r2_se']:<6.4f} "
                f"{row['rmse_mean']:>10.5g} ± {row['rmse_se']:<8.3g} "
                f"{row['mae_mean']:>10.5g} ± {row['mae_se']:<8.3g}"
            )
        lines.append(f"Lowest held-out RMSE: {self.best}")
        return "\n".join(lines)


def _fold_matrices(
    formula: str,
    data: pd.DataFrame,
    design: Design,
    x: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    rows: pd.DataFrame | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The training and held-out model matrices of one fold.

    A formula with a stateful transform (``scale``, ``center``, orthogonal ``poly``,
    splines) is rebuilt on the training rows alone and applied, with that state, to the
    held-out rows; the design of all rows would leak the held-out fold into training.
    Other formulas are sliced from the full design (the same numbers, faster).  ``rows``
    are the complete rows of ``data`` that the folds index, when the caller has them.
    """
    if not STATEFUL_TRANSFORM.search(formula):
        return x[train], x[test]
    if rows is None:
        rows = to_pandas(data).loc[design.row_labels]  # the complete rows the folds index
    # The expanded formula, screened once on all the rows (a fold would move the bounds).
    fitted = design_from_formula(design.formula or formula, rows.iloc[train], screen=False)
    assert isinstance(fitted.spec, FormulaSpec)
    held_out, _, _ = fitted.spec.new_rows(rows.iloc[test])
    start = 1 if fitted.intercept else 0
    x_train = np.asarray(fitted.x[:, start:], dtype=np.float64)
    x_test = np.asarray(held_out[:, start:], dtype=np.float64)
    if not np.isfinite(x_test).all():  # predictions are formed without predict()'s checks
        raise InputError(
            f"the formula {formula!r}, fitted on a training fold, gives non-finite values on "
            f"{int((~np.isfinite(x_test).all(axis=1)).sum())} held-out rows; use fewer folds "
            "or a transform defined on every row"
        )
    return x_train, x_test


def _fit_fold(
    name: str,
    intercept: bool,
    seed: int,
    folds: int,
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, float, float]:
    """Coefficients, intercept and chosen penalty (NaN for OLS) of one training fold.

    Unweighted OLS is ``LinearRegression``'s engine (:func:`~linmod.models.ols.fit_design`,
    the same solver and the same zeros for aliased columns) without the estimator's second
    validation of a matrix that is already a finite float64 design (weighted OLS is the
    estimator fitted with ``sample_weight``); a penalised model is :func:`_search`.
    """
    if name == "ols" and weights is None:
        fit = fit_design(design_from_arrays(x, y, fit_intercept=intercept))
        coef = np.nan_to_num(fit.solution.coef, nan=0.0)
        return (coef[1:], float(coef[0]), np.nan) if intercept else (coef, 0.0, np.nan)
    if name == "ols":
        estimator = MODELS[name](intercept, seed, folds).fit(x, y, sample_weight=weights)
        return estimator.coef_, float(estimator.intercept_), np.nan
    search = _search(name, intercept, seed, folds).fit(x, y, sample_weight=weights)
    return search.coef_, float(search.intercept_), float(search.alpha_)


def _search(name: str, intercept: bool, seed: int, folds: int) -> PenaltySearch:
    """The penalised model ``name`` as :data:`MODELS` makes it, without the estimator."""
    return PenaltySearch(
        name, fit_intercept=intercept, folds=None if name == "ridge" else folds, seed=seed
    )


def _model_matrix(design: Design) -> tuple[np.ndarray, np.ndarray]:
    start = 1 if design.intercept else 0
    return np.asarray(design.x[:, start:], dtype=np.float64), np.asarray(design.y)


def cross_validate_models(
    formula: str,
    data: pd.DataFrame,
    *,
    models: Sequence[str] = ("ols", "ridge", "lasso"),
    folds: int = 5,
    seed: int = 0,
    missing: str = "raise",
    progress: bool | None = False,
    weights: Any = None,
    weights_type: str = "precision",
) -> ModelComparison:
    """Compare models by k-fold cross-validation on the same shuffled folds.

    Parameters
    ----------
    formula : str
        As for :func:`linmod.ols`, e.g. ``"price ~ square_feet + C(garage)"``.
    data : pandas.DataFrame
    models : sequence of {"ols", "ridge", "lasso", "elastic_net"}
        Penalised models standardise the columns and choose their penalty inside each
        training fold (RidgeCV: exact leave-one-out; LassoCV/ElasticNetCV: ``folds``-fold).
    folds : int, default=5
        Number of folds (:func:`~linmod.model_selection.default_folds`: ``KFold`` with
        ``shuffle=True``), outer and inner.
    seed : int, default=0
        Seeds the fold assignment (and the inner folds).
    missing : {"raise", "drop"}
    progress : bool or None, default=False
        Show a progress bar over the folds; None shows it on a terminal.
    weights : str or array-like, optional
        Observation weights, as for :func:`linmod.ols` (a column of ``data``, left out of
        ``y ~ .``, or one weight per row).  Every model is fitted with them on each
        training fold and scored by the weighted held-out R², RMSE and MAE
        (:mod:`linmod.metrics`); rows of weight zero take no part (they are dropped before
        the folds are drawn).
    weights_type : {"precision", "frequency", "sampling"}
        The declared meaning of the weights (frequency weights must be whole numbers); all
        three weigh the fits and the scores alike.

    Returns
    -------
    ModelComparison

    Examples
    --------
    >>> import linmod
    >>> from linmod.model_selection import cross_validate_models
    >>> cmp = cross_validate_models("price ~ square_feet + bedrooms + age",
    ...                             data=linmod.datasets.house_prices(), folds=5, seed=0)
    >>> list(cmp.to_frame().index)
    ['ols', 'ridge', 'lasso']
    """
    unknown = [name for name in models if name not in MODELS]
    if unknown:
        raise InputError(
            f"models={list(models)!r}: unknown {unknown!r}; choose from {list(MODELS)}"
        )
    if not models or len(set(models)) != len(models):
        raise InputError(
            f"models={list(models)!r}: give each model once, at least one, from {list(MODELS)}"
        )
    if isinstance(folds, bool) or not isinstance(folds, int | np.integer) or folds < 2:
        raise InputError(f"folds={folds!r} is not valid: give an integer ≥ 2")
    design, w = formula_design_weights(formula, data, missing, weights, weights_type)
    return compare_on_design(
        formula, data, design, w, models=models, folds=folds, seed=seed, progress=progress
    )


def compare_on_design(
    formula: str,
    data: pd.DataFrame,
    design: Design,
    w: np.ndarray | None,
    *,
    models: Sequence[str] = ("ols", "ridge", "lasso"),
    folds: int = 5,
    seed: int = 0,
    progress: bool | None = False,
) -> ModelComparison:
    """:func:`cross_validate_models` on a design already built from ``formula``.

    Parameters
    ----------
    formula : str
    data : pandas.DataFrame
        The data the design was built from (a formula with a stateful transform is
        rebuilt on each training fold from its complete rows).
    design : Design
        From :func:`linmod.models.row_weights.formula_design_weights`.
    w : ndarray or None
        The checked weights of the design's rows.
    models, folds, seed, progress
        As for :func:`cross_validate_models` (``models`` and ``folds`` already checked).

    Returns
    -------
    ModelComparison
    """
    seed = check_seed(seed)
    x, y = _model_matrix(design)
    labels = design.row_labels
    if w is not None:  # zero-weight rows take no part in any fold
        keep = np.flatnonzero(w > 0)
        x, y, w, labels = np.ascontiguousarray(x[keep]), y[keep], w[keep], labels[keep]
    if x.shape[1] == 0:
        raise InputError(
            f"the formula {formula!r} has no predictors to compare models on; add terms, "
            "e.g. 'y ~ x1 + x2' or 'y ~ .'"
        )
    n = len(y)
    if n < 2 * folds:
        raise InputError(
            f"folds={folds} needs at least {2 * folds} complete rows; the data have {n}: "
            "use fewer folds"
        )
    # Only a formula with a stateful transform is rebuilt per training fold, from these rows.
    stateful_rows = to_pandas(data).loc[labels] if STATEFUL_TRANSFORM.search(formula) else None
    rows: list[dict[str, Any]] = []
    bar = Progress("folds", enabled=progress, total=folds * len(models))
    # One convergence warning per model for its folds+1 penalty searches, not one each.
    tallies = {name: UnconvergedTally() for name in models}
    try:
        for fold, (train, test) in enumerate(kfold_indices(n, folds, seed)):
            x_train, x_test = _fold_matrices(formula, data, design, x, train, test, stateful_rows)
            w_train, w_test = (None, None) if w is None else (w[train], w[test])
            for name in models:
                with tallies[name]:
                    coef, intercept, alpha = _fit_fold(
                        name, design.intercept, seed, folds, x_train, y[train], w_train
                    )
                # x_test is a validated float64 matrix: predict's checks would only repeat.
                predicted = x_test @ coef + intercept
                rows.append(
                    {
                        "model": name,
                        "fold": fold,
                        "n_test": len(test),
                        "r2": r2(y[test], predicted, w_test),
                        "rmse": rmse(y[test], predicted, w_test),
                        "mae": mae(y[test], predicted, w_test),
                        "alpha": alpha,
                    }
                )
                bar.update(1)
    finally:
        bar.close()
    searches = {}
    for name in (m for m in models if m != "ols"):
        with tallies[name]:
            searches[name] = _search(name, design.intercept, seed, folds).fit(x, y, sample_weight=w)
        tallies[name].warn(
            f"{name}'s {folds + 1} penalty searches (one in each training fold, one on all rows)"
        )
    return ModelComparison(
        formula=formula,
        folds=pd.DataFrame(rows),
        alphas={name: float(search.alpha_) for name, search in searches.items()},
        n_folds=folds,
        seed=seed,
        n_obs=n,
        weighted=w is not None,
        searches=searches,
    )
