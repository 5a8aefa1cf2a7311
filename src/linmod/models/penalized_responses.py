"""One response per formula fit: ``linmod.ridge``/``lasso``/``elastic_net`` refuse several.

The functional penalised fits return one :class:`~linmod.models.regularized_fit.
RegularizedFit` (named coefficients, R², a summary) for one response.  Several responses
(a 2-D ``y``, ``"mpg + qsec ~ wt"`` or ``"cbind(mpg, qsec) ~ wt"``) are fitted by the
scikit-learn estimators (``linmod.Ridge().fit(X, Y)`` and so on, see
:mod:`linmod.estimators.multi_target`), or by one call per response: the message says so
rather than failing on a shape later.  The left-hand side is read with formulaic's own
parser (no second formula parser here).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from linmod.estimators.multi_target import target_shape
from linmod.exceptions import InputError

__all__ = ["refuse_multi_response"]

_ESTIMATORS = {"ridge": "Ridge", "lasso": "Lasso", "elastic_net": "ElasticNet"}


def _responses(formula: str) -> list[str]:
    """The terms of a formula's left-hand side ([] when it has none or does not parse)."""
    if "~" not in formula:
        return []
    lhs = formula.split("~", 1)[0].strip()
    if not lhs:
        return []
    from formulaic import Formula

    try:
        return [str(term) for term in Formula(f"{lhs} ~ 1").lhs]
    except Exception:  # the fit itself reports a formula that does not parse
        return []


def refuse_multi_response(name: str, formula_or_x: Any, y: Any = None, alpha: Any = 1.0) -> None:
    """Raise :class:`InputError` when a penalised formula fit is given several responses.

    Parameters
    ----------
    name : {"ridge", "lasso", "elastic_net"}
        The function called.
    formula_or_x : str or array-like
        The formula, or the feature matrix.
    y : array-like, optional
        The response(s) given with a feature matrix (or a design's ``y``).
    alpha : optional
        The penalty given: an array (one per response, ``Ridge``'s) is refused too.
    """
    estimator = _ESTIMATORS.get(name, "Ridge")
    use = (
        f"use linmod.{estimator}(alpha=...).fit(X, Y), which fits every column of a 2-D Y "
        f"(coef_ of shape (k, p)), or call linmod.{name} once per response"
    )
    if isinstance(formula_or_x, str):
        terms = _responses(formula_or_x)
        several = len(terms) > 1 or (len(terms) == 1 and terms[0].startswith("cbind("))
        if several:
            listing = ", ".join(repr(t) for t in terms)
            example = "" if len(terms) == 1 else f" (e.g. '{terms[0]} ~ ...')"
            raise InputError(
                f"linmod.{name} fits one response, but the formula {formula_or_x!r} has "
                f"several ({listing}): {use}{example}"
            )
    if not isinstance(alpha, str) and np.ndim(alpha) > 0:
        raise InputError(
            f"linmod.{name} takes one penalty (a number, 'cv' or '1se'), got alpha={alpha!r}; "
            f"one penalty per response is linmod.{estimator}(alpha=[...]).fit(X, Y)"
        )
    shape = () if y is None else target_shape(y)
    if len(shape) == 2 and shape[1] == 0:
        raise InputError(f"y has no column: linmod.{name} needs one response (a 1-D y)")
    if len(shape) == 2 and shape[1] != 1:
        raise InputError(f"linmod.{name} fits one response, but y has {shape[1]} columns: {use}")
