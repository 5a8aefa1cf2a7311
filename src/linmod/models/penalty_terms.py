"""glmnet's per-feature options by term name for ``linmod.lasso`` and ``linmod.elastic_net``.

With a formula, ``penalty_factor=``, ``lower=`` and ``upper=`` may be a dict keyed by
**term** (``"C(garage)"``: every column of the factor) or by **design column**
(``"C(garage)[T.2]"``); columns not named keep the default (factor 1, no bound).  An
array is taken in design-column order (without the intercept), a number applies to
every column.  A name that is neither a term nor a column is refused with the valid
names listed.  Streamed and Dask data (fitted from R factors) do not support these
options yet: they are refused with a message rather than ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from linmod.data.design import Design
from linmod.exceptions import InputError

__all__ = [
    "CV_UNSUPPORTED",
    "GLMNET_KEYS",
    "glmnet_options",
    "refuse_out_of_core",
    "resolve_term_options",
    "searcher_options",
]

#: The options of this module.
GLMNET_KEYS = ("penalty_factor", "lower", "upper")
#: Options of the single fit that the cross-validated choice does not take.
CV_UNSUPPORTED = ("relax", "gamma")

_DEFAULTS = {"penalty_factor": 1.0, "lower": -np.inf, "upper": np.inf}


def _by_name(key: str, value: Mapping[Any, Any], design: Design) -> np.ndarray:
    start = 1 if design.intercept else 0
    columns = list(design.column_names[start:])
    out = np.full(len(columns), _DEFAULTS[key])
    terms = {t.name: [c - start for c in t.columns if c >= start] for t in design.terms}
    unknown = [str(k) for k in value if str(k) not in terms and str(k) not in columns]
    if unknown:
        valid = [t for t, cols in terms.items() if cols] + [c for c in columns if c not in terms]
        raise InputError(
            f"{key} names {', '.join(repr(u) for u in unknown)}, which "
            f"{'is' if len(unknown) == 1 else 'are'} not a term or column of the model: "
            f"use one of {valid}"
        )
    for name, factor in value.items():
        name = str(name)
        idx = terms[name] if name in terms else [columns.index(name)]
        try:
            out[idx] = float(factor)
        except (TypeError, ValueError):
            raise InputError(f"{key}[{name!r}] must be a number; got {factor!r}") from None
    return out


def resolve_term_options(options: dict[str, Any], design: Design) -> dict[str, Any]:
    """``options`` with dict-valued ``penalty_factor``/``lower``/``upper`` as arrays in
    design-column order (intercept excluded); other values are passed on unchanged and
    checked by the estimator.

    Raises
    ------
    InputError
        For a name that is not a term or column of the design (the message lists them).
    """
    out = dict(options)
    for key in GLMNET_KEYS:
        value = out.get(key)
        if isinstance(value, Mapping):
            out[key] = _by_name(key, value, design)
    return out


def refuse_out_of_core(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` without glmnet's options, refusing them when set (streamed data).

    Raises
    ------
    InputError
        If ``penalty_factor``, ``lower``, ``upper`` or ``relax`` is set.
    """
    given = [k for k in (*GLMNET_KEYS, "relax") if options.get(k) not in (None, False)]
    if given:
        raise InputError(
            f"{', '.join(given)} {'is' if len(given) == 1 else 'are'} not supported for "
            "streamed or Dask data yet; fit a data frame in memory, or drop the option"
        )
    return {k: v for k, v in options.items() if k not in (*GLMNET_KEYS, *CV_UNSUPPORTED)}


def searcher_options(penalty: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options the cross-validated choice of the penalty takes (none for ridge; the
    relaxed fit is applied after the choice)."""
    if penalty == "ridge":
        return {}
    return {k: v for k, v in options.items() if k not in CV_UNSUPPORTED}


def glmnet_options(
    penalty_factor: Any, lower: Any, upper: Any, relax: bool, gamma: float
) -> dict[str, Any]:
    """The keyword arguments of glmnet's options for the estimators."""
    return {
        "penalty_factor": penalty_factor,
        "lower": lower,
        "upper": upper,
        "relax": relax,
        "gamma": gamma,
    }
