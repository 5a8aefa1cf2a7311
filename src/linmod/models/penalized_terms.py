"""Formula terms as wholes in ``linmod.lasso``/``elastic_net``: ``group_terms=`` and
the information criteria ``alpha="aic" | "bic"``.

``group_terms=True`` makes every term of the formula one group of the group Lasso
(:mod:`linmod.estimators.group_fit`): ``C(x)`` with its dummy columns, ``poly(x, 3)``
with its three, an interaction with a factor with all of its columns, each enter or leave
the model together, so a factor is never half-selected.  A term of one column is an
ordinary Lasso term.  :func:`term_groups` gives the group id (the term's name) of each
penalised column; :func:`term_selection` lists the terms selected and dropped as wholes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from linmod.data.design import Design
from linmod.estimators.group_cv import GroupPenaltyCV
from linmod.exceptions import InputError
from linmod.solvers.lasso_ic import CRITERIA

__all__ = [
    "check_extensions",
    "group_searcher",
    "term_groups",
    "term_lines",
    "term_selection",
    "uses_criterion",
]


def uses_criterion(penalty: str, alpha: Any) -> bool:
    """Whether ``alpha`` asks for an information criterion (the Lasso only)."""
    return penalty == "lasso" and isinstance(alpha, str) and alpha in CRITERIA


def check_extensions(
    penalty: str, alpha: Any, group_terms: bool, noise_variance: Any, out_of_core: bool
) -> None:
    """Refuse the combinations of ``alpha``, ``group_terms`` and ``noise_variance`` that
    have no meaning or no implementation, with the fix.

    Raises
    ------
    InputError
    """
    criterion = uses_criterion(penalty, alpha)
    if not isinstance(group_terms, bool):
        raise InputError(f"group_terms={group_terms!r} is not valid: give True or False")
    if noise_variance is not None and not criterion:
        raise InputError(
            "noise_variance= is used only by alpha='aic' or alpha='bic' (the Lasso's "
            "information criteria); drop it or choose one of those"
        )
    if out_of_core and (criterion or group_terms):
        what = f"alpha={alpha!r}" if criterion else "group_terms=True"
        raise InputError(
            f"{what} needs the rows in memory; read the data into a DataFrame first (or "
            "use alpha='cv' on streamed data)"
        )
    if group_terms and criterion:
        raise InputError(
            f"alpha={alpha!r} is not available with group_terms=True (the group Lasso's "
            "degrees of freedom are not its number of non-zero coefficients); give a "
            "numeric alpha, 'cv' or '1se'"
        )


def group_searcher(
    penalty: str,
    *,
    fit_intercept: bool = True,
    standardize: bool = True,
    cv: Any = 5,
    seed: int = 0,
    l1_ratio: Any = 0.5,
    **options: Any,
) -> GroupPenaltyCV:
    """The unfitted cross-validation of the group Lasso for ``alpha="cv"``/``"1se"``
    (the signature of :func:`~linmod.estimators.penalty_choice.penalty_searcher`;
    ``options`` hold ``feature_groups``, ``tol`` and ``max_iter``)."""
    return GroupPenaltyCV(
        options["feature_groups"],
        l1_ratio=float(l1_ratio) if penalty == "elastic_net" else 1.0,
        fit_intercept=fit_intercept,
        standardize=standardize,
        cv=cv,
        seed=seed,
        tol=float(options.get("tol", 1e-4)),
        max_iter=int(options.get("max_iter", 1000)),
    )


def term_groups(design: Design) -> list[str]:
    """The term that owns each penalised column of ``design`` (the intercept left out)."""
    start = 1 if design.intercept else 0
    owner = [""] * (design.x.shape[1] - start)
    for term in design.terms:
        for column in term.columns:
            if column >= start:
                owner[column - start] = term.name
    for j, name in enumerate(owner):
        if not name:  # a column no term claims: a group of its own
            owner[j] = str(design.column_names[start + j])
    return owner


def term_selection(coef: pd.Series, groups: list[str]) -> tuple[list[str], list[str]]:
    """Terms selected (any column non-zero) and dropped (all zero), in formula order."""
    selected: list[str] = []
    dropped: list[str] = []
    for name in dict.fromkeys(groups):
        values = coef.to_numpy()[[g == name for g in groups]]
        (selected if (values != 0).any() else dropped).append(name)
    return selected, dropped


def term_lines(slopes: pd.Series, groups: Any, estimator: Any) -> list[str]:
    """The summary's lines on the terms selected as wholes and on the criterion."""
    lines: list[str] = []
    criterion = getattr(estimator, "criterion_", None)
    if criterion is not None:
        chosen = int(list(estimator.alphas_).index(estimator.alpha_))
        source = "given" if estimator.noise_variance is not None else "least squares"
        lines += [
            "",
            f"{str(estimator.alpha).upper()} = {criterion[chosen]:.6g} at the chosen knot "
            f"({chosen + 1} of {len(criterion)} knots of the Lasso path); noise variance "
            f"{estimator.noise_variance_:.6g} ({source})",
        ]
    if groups is None:
        return lines
    ids = [str(g) for g in groups]
    selected, dropped = term_selection(slopes, ids)
    sizes = {name: ids.count(name) for name in ids}

    def shown(names: list[str]) -> str:
        parts = [f"{n} ({sizes[n]} columns)" if sizes[n] > 1 else n for n in names]
        return ", ".join(parts) if parts else "none"

    lines += [
        "",
        "Terms selected as wholes (group Lasso): " + shown(selected),
        "Terms dropped as wholes: " + shown(dropped),
    ]
    return lines
