"""The weights of a saved model: their meaning and what prediction needs from them.

A model file of a weighted fit has a ``"weights"`` object::

    "weights": {"type": "precision" | "frequency" | "sampling",
                "column": "w" | null, "zero_weight_rows": 3,
                "cov_params": [[...]]}          # sampling weights only

``type`` fixes the predict-time behaviour of the loaded model as of the fit
(:mod:`linmod.inference.weighted`): precision weights give prediction intervals with
``σ²/w`` for new rows' ``weights=`` (1 by default, with R's warning); frequency weights
predict one new row (``σ²``); sampling weights keep their robust (HC1) covariance in
``cov_params`` for the coefficient table and confidence intervals, and refuse prediction
intervals.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.weights import WEIGHT_TYPES
from linmod.exceptions import InputError
from linmod.inference.weighted import MEANINGS

if TYPE_CHECKING:
    from linmod.model_file import SavedModel

__all__ = [
    "check_weights_document",
    "coefficient_covariance",
    "describe_saved_weights",
    "new_row_variance",
    "weights_document",
]

Float = NDArray[np.float64]


def weights_document(res: Any) -> dict[str, Any] | None:
    """The ``"weights"`` object of ``res``'s model file (None for an unweighted fit)."""
    info = getattr(res, "declared_weights", None)  # also a streamed fit's
    if info is None:
        return None
    document: dict[str, Any] = {
        "type": info.kind,
        "column": info.column,
        "zero_weight_rows": int(info.n_zero),
    }
    if info.kind == "sampling":
        cov = res.cov_params().to_numpy()
        document["cov_params"] = [[None if np.isnan(v) else float(v) for v in r] for r in cov]
    return document


def check_weights_document(file: Path, value: Any, n_terms: int) -> dict[str, Any] | None:
    """Check the ``"weights"`` object of a model file (absent: an unweighted fit)."""
    if value is None:
        return None

    def fail(what: str) -> InputError:
        return InputError(f"{file} is not a valid linmod model file: field 'weights' {what}")

    if not isinstance(value, dict):
        raise fail("is not an object")
    kind = value.get("type")
    if kind not in WEIGHT_TYPES:
        raise fail(f"has type {kind!r}; expected one of {', '.join(WEIGHT_TYPES)}")
    column = value.get("column")
    if column is not None and not isinstance(column, str):
        raise fail("has a 'column' that is not a string or null")
    zeros = value.get("zero_weight_rows", 0)
    if isinstance(zeros, bool) or not isinstance(zeros, int) or zeros < 0:
        raise fail("has a 'zero_weight_rows' that is not a count")
    checked: dict[str, Any] = {"type": kind, "column": column, "zero_weight_rows": zeros}
    if kind == "sampling":
        rows = value.get("cov_params")
        if not isinstance(rows, list) or len(rows) != n_terms:
            raise fail(f"needs 'cov_params', a {n_terms} x {n_terms} matrix")
        try:
            cov = np.array(
                [[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float
            )
        except (TypeError, ValueError):
            raise fail("has a 'cov_params' with entries that are not numbers") from None
        if cov.shape != (n_terms, n_terms):
            raise fail(f"needs 'cov_params', a {n_terms} x {n_terms} matrix")
        checked["cov_params"] = cov
    return checked


def coefficient_covariance(model: SavedModel) -> Float:
    """The covariance of the saved coefficients (robust HC1 for sampling weights)."""
    assert model.cov_unscaled is not None
    if model.weights is not None and model.weights["type"] == "sampling":
        cov: Float = model.weights["cov_params"]
        return cov
    return model.cov_unscaled * model.sigma**2


def new_row_variance(model: SavedModel, weights: Any, n_rows: int) -> Float:
    """The variance of a new observation, ``σ²/w``, as the fitted model's weights mean."""
    from linmod.inference.weighted import prediction_weights

    kind = None if model.weights is None else model.weights["type"]
    w = prediction_weights(kind, None, weights, n_rows, new_data=True)
    return model.sigma**2 / w


def describe_saved_weights(model: SavedModel) -> list[str]:
    """The summary line about a saved model's weights."""
    if model.weights is None:
        return []
    column = model.weights["column"]
    line = f"Weights: {MEANINGS[model.weights['type']]}"
    line += f" from column {column!r}" if column else ""
    zeros = model.weights["zero_weight_rows"]
    if zeros:
        line += f"; {zeros} zero-weight {'row' if zeros == 1 else 'rows'} dropped from the fit"
    return [line]
