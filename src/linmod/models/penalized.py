"""``linmod.ridge``, ``linmod.lasso`` and ``linmod.elastic_net``: regularised fits from a
formula (or arrays) with named coefficients.

``linmod.lasso("price ~ square_feet + bedrooms + C(garage)", data=df, alpha=1000,
standardize=True)`` builds the design exactly as :func:`linmod.ols` does, fits the
intercept unpenalised, and returns a :class:`RegularizedFit`: coefficients named by
term, the lessons' "selected / dropped" listing, R², prediction from new data frames,
and a printable summary.  ``alpha="cv"`` chooses the penalty by cross-validation
(minimum CV error) and ``alpha="1se"`` by the one-standard-error rule, on standardised
columns and shuffled seeded folds (:mod:`linmod.estimators.penalty_choice`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.chunk_weights import StreamWeights
from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_dask_collection, is_frame, to_pandas
from linmod.data.weighted_design import formula_without_weights
from linmod.estimators.penalized import ElasticNet, Lasso, Ridge
from linmod.estimators.penalty_choice import penalty_searcher, standardize_default
from linmod.exceptions import InputError
from linmod.models.ols import refuse_levels_in_memory
from linmod.models.penalized_responses import refuse_multi_response
from linmod.models.penalized_terms import (
    check_extensions,
    group_searcher,
    term_groups,
    uses_criterion,
)
from linmod.models.penalty_terms import (
    glmnet_options,
    refuse_out_of_core,
    resolve_term_options,
    searcher_options,
)
from linmod.models.regularized_fit import RegularizedFit
from linmod.models.row_weights import design_weights

__all__ = ["RegularizedFit", "elastic_net", "lasso", "ridge"]

_RULES = ("cv", "1se")


def _design(
    formula_or_x: Any, y: Any, data: Any, fit_intercept: bool, missing: str, name: str
) -> Design:
    if isinstance(formula_or_x, str):
        if y is not None:
            raise InputError("with a formula, pass the data as data=..., not as y")
        if data is None:
            raise InputError(f"a formula needs data=: {name}('y ~ x', data=df)")
        return design_from_formula(formula_or_x, data, missing=missing)
    if y is None:
        raise InputError(f"{name}(X, y) needs y; or pass a formula with data=")
    if data is not None:
        raise InputError(f"data= is for formulas; with arrays call {name}(X, y)")
    return design_from_arrays(formula_or_x, y, fit_intercept=fit_intercept, missing=missing)


def _fit(
    penalty: str,
    formula_or_x: Any,
    y: Any,
    data: Any,
    alpha: float | str,
    l1_ratio: float,
    fit_intercept: bool,
    standardize: bool | None,
    missing: str,
    cv: Any,
    seed: int,
    options: dict[str, Any],
    name: str,
    weights: Any = None,
    weights_type: str = "precision",
) -> RegularizedFit:
    refuse_multi_response(name, formula_or_x, y, alpha)
    standardize = standardize_default(standardize, alpha)
    if isinstance(formula_or_x, str) and isinstance(weights, str) and is_frame(data):
        frame = to_pandas(data)
        if weights in frame.columns:  # '.' leaves the weights column out
            formula_or_x = formula_without_weights(formula_or_x, frame, weights)
    design = _design(formula_or_x, y, data, fit_intercept, missing, name)
    refuse_multi_response(name, None, design.y)
    design, w = design_weights(weights, weights_type, formula_or_x, data, design, missing)
    options = resolve_term_options(options, design)  # penalty_factor etc. by term name
    start = 1 if design.intercept else 0
    names = list(design.column_names[start:])
    frame = pd.DataFrame(design.x[:, start:], columns=names)
    if options.pop("group_terms", False):  # each formula term one group (group Lasso)
        options["feature_groups"] = term_groups(design)
    searcher: Any = None
    if isinstance(alpha, str) and not uses_criterion(penalty, alpha):
        if alpha not in _RULES:
            raise InputError(
                f"alpha={alpha!r} is not valid: give a number in [0, inf), 'cv' (minimum CV "
                "error) or '1se' (one-standard-error rule)"
                + (", 'aic' or 'bic' (LassoLarsIC's criteria)" if penalty == "lasso" else "")
            )
        search = group_searcher if "feature_groups" in options else penalty_searcher
        searcher = search(
            penalty, fit_intercept=design.intercept, standardize=standardize, cv=cv,
            seed=seed, l1_ratio=l1_ratio, **searcher_options(penalty, options),
        )  # fmt: skip
        searcher.fit(frame, design.y, sample_weight=w)
        chosen = searcher.alpha_ if alpha == "cv" else searcher.alpha_1se_
    else:
        chosen = alpha
    mixing = {"l1_ratio": l1_ratio} if penalty == "elastic_net" else {}
    base = {"ridge": Ridge, "lasso": Lasso}.get(penalty, ElasticNet)(
        alpha=chosen, fit_intercept=design.intercept, standardize=standardize, **mixing,
        **options,
    )  # fmt: skip
    base.fit(frame, design.y, sample_weight=w)
    values = np.concatenate([[base.intercept_], base.coef_]) if design.intercept else base.coef_
    coef = pd.Series(values, index=list(design.column_names), name="coef")
    return RegularizedFit(
        penalty=penalty,
        alpha=float(getattr(base, "alpha_", base.alpha)),
        l1_ratio={"ridge": 0.0, "lasso": 1.0}.get(penalty, float(l1_ratio)),
        coef=coef,
        design=design,
        estimator=base,
        rule=str(alpha) if isinstance(alpha, str) else "fixed",
        cv=searcher,
        standardize=bool(standardize),
        weights=w,
        weights_type=None if w is None else weights_type,
    )


def _out_of_core(formula_or_x: Any, data: Any) -> bool:
    return isinstance(formula_or_x, str) and (is_chunked_source(data) or is_dask_collection(data))


def _fit_out_of_core(
    penalty: str,
    formula: str,
    data: Any,
    alpha: float | str,
    l1_ratio: float,
    standardize: bool | None,
    missing: str,
    cv: Any,
    seed: int,
    options: dict[str, Any],
) -> RegularizedFit:
    """Fit streamed or Dask data from R factors (:mod:`linmod.models.penalized_folded`)."""
    from linmod.models.penalized_folded import fit_out_of_core

    refuse_multi_response(penalty, formula, None, alpha)
    standardize = standardize_default(standardize, alpha)
    fit = fit_out_of_core(
        penalty, formula, data, alpha=alpha, l1_ratio=l1_ratio, standardize=standardize,
        missing=missing, cv=cv, seed=seed, **options,
    )  # fmt: skip
    return RegularizedFit(
        penalty=penalty,
        alpha=fit.alpha,
        l1_ratio={"ridge": 0.0, "lasso": 1.0}.get(penalty, float(l1_ratio)),
        coef=fit.coef,
        design=fit.design,
        estimator=None,
        rule=alpha if isinstance(alpha, str) else "fixed",
        cv=fit.cv,
        standardize=bool(standardize),
        out_of_core=fit,
        weights_type=None if fit.weights is None else fit.weights.kind,
    )


def ridge(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    alpha: float | Literal["cv", "1se"] = 1.0,
    fit_intercept: bool = True,
    standardize: bool | None = None,
    missing: Literal["raise", "drop"] = "raise",
    solver: str = "auto",
    cv: Any = None,
    seed: int = 0,
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
    weights: Any = None,
    weights_type: str = "precision",
) -> RegularizedFit:
    """Ridge regression from a formula or arrays: ``‖y − b − Xβ‖² + α‖β‖²``.

    Parameters
    ----------
    formula_or_x : str or array-like or DataFrame
        A formula such as ``"price ~ square_feet + C(garage)"`` (with ``data=``), or a
        feature matrix (with ``y``).
    y : array-like, optional
        The response when ``formula_or_x`` is a feature matrix.
    data : DataFrame, optional
    alpha : float or {"cv", "1se"}, default=1.0
        The penalty, or how to choose it by cross-validation (``cv``).
    fit_intercept : bool
        With arrays: add an unpenalised intercept (with a formula write ``0 +`` instead).
    standardize : bool or None, default=None
        Penalise the coefficients of standardised columns (reported on the original
        scale). None: True when ``alpha`` is ``"cv"``/``"1se"`` (glmnet's default, as every
        entry point that chooses a penalty; see
        :mod:`linmod.estimators.penalty_choice`), False for a number (scikit-learn's).
        To refit at a chosen penalty, pass ``standardize=True``.
    missing : {"raise", "drop"}
    solver : {"auto", "cholesky", "svd"}
    cv : None, int or splitter
        For ``alpha="cv"``/``"1se"``: ``None`` is efficient leave-one-out; ``k`` is ``k``
        shuffled folds seeded by ``seed``; a scikit-learn splitter is used as given.
    seed : int, default=0
        Seed of the fold assignment (same seed, same folds as ``penalty_path``, the CLI
        and the report).
    chunksize, levels
        For streamed data, as for :func:`linmod.ols`.
    weights : str or array-like, optional
        A column of ``data`` or one weight per row: minimise ``Σ w_i (y_i − b − x_iᵀβ)² +
        α‖β‖²`` (scikit-learn's ``Ridge(sample_weight=)``) with weighted means and, with
        ``standardize``, weighted standard deviations (glmnet's). Rows of weight 0 are left
        out of the fit; ``alpha="cv"`` weights each fold's held-out error.
    weights_type : {"precision", "frequency", "sampling"}, default="precision"
        The weights' declared meaning (:mod:`linmod.data.weights`): the same coefficients
        for all three (a penalised fit has no standard errors), frequency weights must be
        whole numbers, and the summary says which meaning was used.

    Returns
    -------
    RegularizedFit

    Examples
    --------
    >>> import linmod
    >>> fit = linmod.ridge("price ~ square_feet + bedrooms", data=linmod.datasets.house_prices(),
    ...                    alpha=10.0)
    >>> list(fit.coef.index)
    ['Intercept', 'square_feet', 'bedrooms']

    ``data`` may also be a file, a list of files, an iterator of frames or a Dask
    DataFrame: the fit then folds the data into R factors in one pass, as
    :func:`linmod.ols` does (see :mod:`linmod.models.penalized_folded`; ``cv`` is then
    a number of folds, 5 when None).
    """
    if _out_of_core(formula_or_x, data):
        streamed = StreamWeights.of(weights, weights_type)  # a column, read with each chunk
        return _fit_out_of_core(
            "ridge", formula_or_x, data, alpha, 0.0, standardize, missing,
            5 if cv is None else cv, seed,
            {"chunksize": chunksize, "levels": levels, "weights": streamed},
        )  # fmt: skip
    refuse_levels_in_memory(levels)
    return _fit(
        "ridge", formula_or_x, y, data, alpha, 0.0, fit_intercept, standardize, missing, cv,
        seed, {"solver": solver}, "ridge", weights, weights_type,
    )  # fmt: skip


def lasso(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    alpha: float | Literal["cv", "1se", "aic", "bic"] = 1.0,
    fit_intercept: bool = True,
    standardize: bool | None = None,
    positive: bool = False,
    missing: Literal["raise", "drop"] = "raise",
    tol: float = 1e-4,
    max_iter: int = 1000,
    cv: Any = 5,
    seed: int = 0,
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
    weights: Any = None,
    weights_type: str = "precision",
    group_terms: bool = False,
    noise_variance: float | None = None,
    penalty_factor: Any = None,
    lower: Any = None,
    upper: Any = None,
    relax: bool = False,
    gamma: float = 0.0,
) -> RegularizedFit:
    """The Lasso from a formula or arrays: ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁``.

    Parameters
    ----------
    formula_or_x, y, data, fit_intercept, standardize, missing
        As for :func:`ridge`.
    alpha : float or {"cv", "1se", "aic", "bic"}, default=1.0
        The penalty, or how to choose it: by k-fold cross-validation (``cv`` folds), or
        at the knot of the exact Lasso path with the smallest AIC or BIC (scikit-learn's
        ``LassoLarsIC``; :mod:`linmod.estimators.lasso_ic`).
    positive : bool
        Constrain the coefficients to be non-negative.
    tol, max_iter
        Coordinate-descent stopping rule (duality gap below ``tol·‖y − ȳ‖²``).
    cv : int or splitter, default=5
        ``k`` shuffled folds seeded by ``seed`` (:func:`linmod.model_selection.default_folds`,
        the folds of ``penalty_path``, ``linmod path`` and the report), or any
        scikit-learn splitter as given.
    seed : int, default=0
    chunksize, levels
        For streamed data, as for :func:`linmod.ols`.
    weights : str or array-like, optional
        A column of ``data`` or one weight per row: minimise ``(1/2W) Σ w_i (y_i − b −
        x_iᵀβ)² + α‖β‖₁`` with ``W = Σ w_i`` (scikit-learn's ``sample_weight`` and glmnet's
        ``weights=``), weighted means and, with ``standardize``, weighted standard
        deviations. Rows of weight 0 are left out of the fit.
    weights_type : {"precision", "frequency", "sampling"}, default="precision"
        As for :func:`ridge`.
    group_terms : bool, default=False
        Select each formula term as a whole (the group Lasso, penalty
        ``α·Σ_g √|g|·‖β_g‖₂`` over the terms): the columns of ``C(x)``, ``poly(x, 3)`` or
        an interaction with a factor enter and leave together
        (:mod:`linmod.models.penalized_terms`). ``alpha`` is then a number, ``"cv"`` or
        ``"1se"`` (:class:`~linmod.estimators.group_cv.GroupPenaltyCV`).
    noise_variance : float, optional
        For ``alpha="aic"``/``"bic"``: the noise variance σ² of the criterion (by default
        estimated from the least-squares fit, which needs more rows than columns).
    penalty_factor, lower, upper : dict, array-like or float, optional
        glmnet's ``penalty.factor``, ``lower.limits``, ``upper.limits``
        (:class:`linmod.Lasso`): a dict keyed by term (every column of a factor) or design
        column, or one value per design column (:mod:`linmod.models.penalty_terms`).
    relax, gamma
        glmnet's relaxed lasso (:class:`linmod.Lasso`); with ``alpha="cv"`` or ``"1se"``
        the penalty is chosen for the penalised fit, then relaxed.

    Returns
    -------
    RegularizedFit
        ``selected``, ``dropped`` and ``selection()`` list the terms kept and removed.

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> fit = linmod.lasso("price ~ square_feet + bedrooms + bathrooms + age + garage",
    ...                    data=data, alpha=15000, standardize=True)
    >>> fit.dropped
    ['bedrooms', 'bathrooms', 'age']
    """
    options = {"positive": positive, "tol": tol, "max_iter": max_iter}
    check_extensions("lasso", alpha, group_terms, noise_variance, _out_of_core(formula_or_x, data))
    options |= glmnet_options(penalty_factor, lower, upper, relax, gamma)
    if _out_of_core(formula_or_x, data):
        options = refuse_out_of_core(options)
        streamed = StreamWeights.of(weights, weights_type)  # a column, read with each chunk
        return _fit_out_of_core(
            "lasso", formula_or_x, data, alpha, 1.0, standardize, missing, cv, seed,
            {**options, "chunksize": chunksize, "levels": levels, "weights": streamed},
        )  # fmt: skip
    refuse_levels_in_memory(levels)
    options["group_terms"] = group_terms
    if noise_variance is not None:
        options["noise_variance"] = noise_variance
    return _fit(
        "lasso", formula_or_x, y, data, alpha, 1.0, fit_intercept, standardize, missing, cv,
        seed, options, "lasso", weights, weights_type,
    )  # fmt: skip


def elastic_net(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    alpha: float | Literal["cv", "1se"] = 1.0,
    l1_ratio: float = 0.5,
    fit_intercept: bool = True,
    standardize: bool | None = None,
    positive: bool = False,
    missing: Literal["raise", "drop"] = "raise",
    tol: float = 1e-4,
    max_iter: int = 1000,
    cv: Any = 5,
    seed: int = 0,
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
    weights: Any = None,
    weights_type: str = "precision",
    group_terms: bool = False,
    penalty_factor: Any = None,
    lower: Any = None,
    upper: Any = None,
    relax: bool = False,
    gamma: float = 0.0,
) -> RegularizedFit:
    """The elastic net from a formula or arrays.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²``; see
    :func:`lasso` for the parameters (``weights=`` weight the squared errors as there,
    ``(1/2W) Σ w_i r_i²``; ``group_terms=True`` replaces ``‖β‖₁`` by the group norm
    ``Σ_g √|g|·‖β_g‖₂`` over the formula's terms).
    ``(1/2W) Σ w_i r_i²``; ``penalty_factor`` multiplies both parts of the penalty).

    Returns
    -------
    RegularizedFit
    """
    options = {"positive": positive, "tol": tol, "max_iter": max_iter}
    check_extensions("elastic_net", alpha, group_terms, None, _out_of_core(formula_or_x, data))
    options |= glmnet_options(penalty_factor, lower, upper, relax, gamma)
    if _out_of_core(formula_or_x, data):
        options = refuse_out_of_core(options)
        streamed = StreamWeights.of(weights, weights_type)  # a column, read with each chunk
        return _fit_out_of_core(
            "elastic_net", formula_or_x, data, alpha, l1_ratio, standardize, missing, cv,
            seed, {**options, "chunksize": chunksize, "levels": levels, "weights": streamed},
        )  # fmt: skip
    refuse_levels_in_memory(levels)
    options["group_terms"] = group_terms
    return _fit(
        "elastic_net", formula_or_x, y, data, alpha, l1_ratio, fit_intercept, standardize,
        missing, cv, seed, options, "elastic_net", weights, weights_type,
    )  # fmt: skip
