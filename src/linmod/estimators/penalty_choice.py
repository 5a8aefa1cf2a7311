"""How linmod's higher-level entry points choose a penalty: one default, one place.

Every entry point that chooses a penalty by cross-validation goes through
:func:`penalty_searcher`: ``linmod.lasso``/``ridge``/``elastic_net`` with ``alpha="cv"`` or
``"1se"``, :func:`linmod.model_selection.penalty_path`,
:func:`linmod.model_selection.cross_validate_models` (its inner choice), the analysis
behind the HTML report, and the CLI's ``linmod path``, ``linmod cv`` and ``linmod report``.
The default is glmnet's:

* **standardised columns** (each divided by its 1/n standard deviation; coefficients
  reported on the original scale), so the penalty does not depend on the units;
* **shuffled, seeded folds**: ``k`` folds (5 by default) from :func:`default_folds`,
  ``KFold(k, shuffle=True, random_state=seed)`` with seed 0 by default. Data sorted by a
  group (a panel sorted by firm, a file sorted by date) would otherwise put whole groups in
  one held-out fold, and the choice would depend on the order of the rows.

The same data, ``k`` and seed therefore give the same penalty from every entry point.
Ridge keeps its exact leave-one-out errors when no number of folds is given (no folds, so
nothing to shuffle). The scikit-learn estimators (:class:`linmod.LassoCV` and friends)
keep scikit-learn's contract: ``standardize=False`` and ``cv=5`` meaning *unshuffled*
``KFold(5)``; this module changes what the higher-level entry points pass to them.
"""

from __future__ import annotations

from numbers import Integral
from typing import TYPE_CHECKING, Any

from linmod.exceptions import InputError

if TYPE_CHECKING:
    from sklearn.model_selection import KFold

__all__ = [
    "DEFAULT_FOLDS",
    "DEFAULT_SEED",
    "check_seed",
    "cv_splitter",
    "default_folds",
    "penalty_searcher",
    "standardize_default",
]

#: Number of cross-validation folds when none is given.
DEFAULT_FOLDS = 5
#: Seed of the fold assignment when none is given.
DEFAULT_SEED = 0


def check_seed(seed: Any) -> int:
    """``seed`` as an int, or InputError unless it is an integer ≥ 0."""
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise InputError(f"seed={seed!r} is not valid: give an integer ≥ 0")
    return int(seed)


def default_folds(k: int = DEFAULT_FOLDS, seed: int = DEFAULT_SEED) -> KFold:
    """The folds every entry point cross-validates on: ``k`` shuffled folds, seeded.

    Parameters
    ----------
    k : int, default=5
        Number of folds (at least 2).
    seed : int, default=0
        Seed of the shuffle; the same seed gives the same folds everywhere.

    Returns
    -------
    sklearn.model_selection.KFold
        ``KFold(k, shuffle=True, random_state=seed)``.

    Raises
    ------
    InputError
        ``k`` is not an integer ≥ 2 or ``seed`` not an integer ≥ 0.

    Examples
    --------
    >>> from linmod.model_selection import default_folds
    >>> default_folds(5, seed=1)
    KFold(n_splits=5, random_state=1, shuffle=True)
    """
    if isinstance(k, bool) or not isinstance(k, Integral) or k < 2:
        raise InputError(
            f"cv={k!r} is not valid: give a number of folds (an integer ≥ 2) or a "
            "scikit-learn splitter"
        )
    from sklearn.model_selection import KFold

    return KFold(int(k), shuffle=True, random_state=check_seed(seed))


def cv_splitter(cv: Any, seed: int = DEFAULT_SEED) -> Any:
    """``cv`` as the splitter to use: a number of folds becomes :func:`default_folds`.

    Parameters
    ----------
    cv : None, int, splitter or iterable of (train, test)
        ``None`` means :data:`DEFAULT_FOLDS` folds; an integer that many shuffled, seeded
        folds; anything else (a scikit-learn splitter, an iterable of index pairs) is used
        as given, and ``seed`` is then not used.
    seed : int

    Returns
    -------
    splitter
    """
    if cv is None:
        cv = DEFAULT_FOLDS
    if isinstance(cv, bool | Integral):
        return default_folds(cv, seed)  # type: ignore[arg-type]
    check_seed(seed)
    return cv


def standardize_default(standardize: bool | None, alpha: Any) -> bool:
    """Whether the formula entry points standardise the columns.

    ``None`` (their default) standardises when the penalty is chosen by cross-validation
    (``alpha`` is ``"cv"`` or ``"1se"``), as every other entry point does, and keeps the
    columns as given for a numeric ``alpha`` (scikit-learn's ``Lasso``).
    """
    if standardize is None:
        return isinstance(alpha, str)
    return standardize


def penalty_searcher(
    penalty: str,
    *,
    fit_intercept: bool = True,
    standardize: bool = True,
    cv: Any = DEFAULT_FOLDS,
    seed: int = DEFAULT_SEED,
    l1_ratio: Any = 0.5,
    **options: Any,
) -> Any:
    """The unfitted cross-validated estimator that chooses the penalty.

    Parameters
    ----------
    penalty : {"ridge", "lasso", "elastic_net"}
    fit_intercept : bool
    standardize : bool, default=True
        Penalise the coefficients of the standardised columns (glmnet's default).
    cv : None, int or splitter, default=5
        Through :func:`cv_splitter`; for ridge ``None`` keeps exact leave-one-out.
    seed : int, default=0
        Seed of the fold assignment when ``cv`` is a number of folds.
    l1_ratio : float or sequence of float
        For the elastic net.
    **options
        Passed on to ``LassoCV`` / ``ElasticNetCV`` (``tol``, ``max_iter``, ``positive``,
        ``alphas``, ``progress``, ...); ignored by ridge except ``alphas`` and
        ``store_cv_results``.

    Returns
    -------
    RidgeCV, LassoCV or ElasticNetCV
    """
    from linmod.estimators.penalized_cv import ElasticNetCV, LassoCV, RidgeCV

    if penalty == "ridge":
        splitter = None if cv is None else cv_splitter(cv, seed)
        extra = {k: options[k] for k in ("alphas", "store_cv_results") if k in options}
        return RidgeCV(fit_intercept=fit_intercept, standardize=standardize, cv=splitter, **extra)
    splitter = cv_splitter(cv, seed)
    if penalty == "lasso":
        return LassoCV(fit_intercept=fit_intercept, standardize=standardize, cv=splitter, **options)
    if penalty == "elastic_net":
        return ElasticNetCV(
            l1_ratio=l1_ratio, fit_intercept=fit_intercept, standardize=standardize,
            cv=splitter, **options,
        )  # fmt: skip
    raise InputError(
        f"penalty={penalty!r} is not valid: choose from ['lasso', 'ridge', 'elastic_net']"
    )
