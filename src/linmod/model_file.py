"""Saved models: a documented, versioned, human-readable JSON format (never pickle).

``res.save("model.json")`` / ``linmod.load("model.json")`` keep what prediction and
inference need: the formula (or the feature names), the categorical levels, coefficients,
``(X'X)^-1``, σ and the degrees of freedom.  Fitted estimators save the same way
(``estimator.save("model.json")``): ``LinearRegression`` writes its OLS results (so
intervals work after loading), the penalised and gradient-descent estimators write their
coefficients, intercept and parameters (``"kind": "estimator"``; no covariance, so no
intervals).  Loading parses JSON and re-parses the formula with formulaic after checking
that every factor of its right-hand side uses only the model's columns, numbers,
arithmetic and a fixed list of functions (:mod:`linmod.data.safe_formula`); nothing else
in the file is ever evaluated, so neither loading an untrusted file nor predicting with it
can run code, and the work the formula implies is bounded before anything is expanded.
A wrong or corrupted file gives a :class:`~linmod.exceptions.InputError` that says what
is wrong and names the field (:mod:`linmod.model_document`).

Format (``"format": "linmod-model"``, ``"version": 1``)::

    {"format": "linmod-model", "version": 1, "kind": "ols",
     "linmod_version": "0.1.0",
     "spec": {"type": "formula", "formula": "...", "variables": [...],
              "levels": {"column": [level, ...]},
              "categories": {"factor": [category, ...]}}
           | {"type": "arrays", "features": [...], "intercept": true},
     "terms": ["Intercept", ...], "coef": [... null for aliased],
     "cov_unscaled": [[...]], "null_basis": [[...]] (p rows of p - rank numbers),
     "sigma": float, "df_resid": int, "n_obs": int,
     "r_squared": float, "adj_r_squared": float, "response": "..."}

    {"format": "linmod-model", "version": 1, "kind": "estimator",
     "estimator": "Lasso", "params": {...}, "linmod_version": "0.1.0",
     "spec": {"type": "arrays", "features": [...], "intercept": true},
     "terms": ["Intercept", ...], "coef": [...], "response": "y"}
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from formulaic.errors import FormulaicError
from numpy.typing import NDArray
from scipy import stats

from linmod._registry import implementation
from linmod._stack import user_stacklevel
from linmod.data.arrays import ArraySpec
from linmod.data.formula import STATEFUL_TRANSFORM, FormulaSpec
from linmod.data.frames import to_pandas
from linmod.data.safe_formula import check_formula_is_safe
from linmod.exceptions import InputError, LinmodWarning
from linmod.files import write_atomically
from linmod.inference.estimability import null_basis, warn_unchecked
from linmod.inference.prediction_variance import check_new_row_variance
from linmod.inference.saved_prediction import saved_prediction_table
from linmod.model_document import check_document, read_document
from linmod.models.saved_weights import (
    check_weights_document,
    coefficient_covariance,
    new_row_variance,
    weights_document,
)
from linmod.saved_formula import check_no_text, file_categories, formula_spec, saved_categories

__all__ = ["FORMAT", "VERSION", "SavedModel", "load", "save", "save_estimator"]

FORMAT = "linmod-model"
VERSION = 1


def _number(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def _matrix(values: NDArray[np.float64]) -> list[list[float | None]]:
    return [[_number(v) for v in row] for row in values]


def save(res: Any, path: str | Path) -> None:
    """Write a fitted :class:`~linmod.OLSResults` to ``path`` as JSON (atomically).

    Raises
    ------
    InputError
        If the formula uses a stateful transform (its training state is not saved).

    Warns
    -----
    LinmodWarning
        For a robust fit: the file keeps the classical covariance (prediction intervals
        need ``σ²`` and ``(X'X)^-1``), not the robust one nor the clusters.
    """
    if not hasattr(res.solution, "cov_unscaled"):  # quantile or robust regression
        _save_coefficients(res, path)
        return
    info = res.declared_weights
    sampling = info is not None and info.kind == "sampling"
    if res.cov_type != "nonrobust" and not sampling:  # sampling weights keep theirs
        shown = res.clusters.describe() if res.clusters is not None else f"{res.cov_type}-robust"
        warnings.warn(
            f"the model file keeps the classical covariance: loaded, its table shows classical "
            f"standard errors, not these {shown} ones (the file keeps no rows or clusters); "
            "keep res.to_frame() for the robust table",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
    saved_spec = _saved_spec(res.design)
    from linmod._version import __version__

    document = {
        "format": FORMAT,
        "version": VERSION,
        "kind": "ols",
        "linmod_version": __version__,
        "spec": saved_spec,
        "response": res.design.response_name,
        "terms": list(res.design.column_names),
        "coef": [_number(v) for v in res.solution.coef],
        "cov_unscaled": _matrix(res.solution.cov_unscaled),
        "null_basis": _matrix(null_basis(res.solution.dependencies, len(res.design.column_names))),
        "sigma": _number(res.sigma),
        "df_resid": int(res.df_resid),
        "n_obs": int(res.n_obs),
        "r_squared": _number(res.r_squared),
        "adj_r_squared": _number(res.adj_r_squared),
    }
    weights = weights_document(res)
    if weights is not None:  # the meaning of the weights and the predict-time behaviour
        document["weights"] = weights
    _write(document, path)


def _saved_spec(design: Any) -> dict[str, Any]:
    """The ``spec`` of a model file: what rebuilds the design from new data."""
    spec = design.spec
    if isinstance(spec, FormulaSpec):
        formula = design.formula
        if STATEFUL_TRANSFORM.search(formula or ""):
            raise InputError(
                f"formula {formula!r} uses a transform whose state comes from the training "
                "data (center, scale, poly without raw=True, splines), which a model file "
                "cannot carry; compute that column yourself or use poly(x, k, raw=True)"
            )
        # What load() will accept, checked now: no model file that cannot be read back.
        check_formula_is_safe(
            str(formula),
            [str(v) for v in spec.variables],
            columns=len(design.column_names),
            levels={k: list(v) for k, v in spec.levels.items()},
            categories=saved_categories(spec.model_spec),
        )
        saved_spec: dict[str, Any] = {
            "type": "formula",
            "formula": formula,
            "variables": list(spec.variables),
            "levels": {k: sorted(v, key=str) for k, v in spec.levels.items()},
            "categories": saved_categories(spec.model_spec),
        }
    elif isinstance(spec, ArraySpec):
        saved_spec = {
            "type": "arrays",
            "features": list(spec.feature_names),
            "intercept": bool(spec.intercept),
        }
    else:  # pragma: no cover - every design has one of the two specs
        raise InputError(f"cannot save a model whose design spec is {type(spec).__name__}")
    return saved_spec


def _save_coefficients(res: Any, path: str | Path) -> None:
    """Write a quantile or robust regression (coefficients and how they were fitted)."""
    from linmod._version import __version__

    if hasattr(res, "q"):
        estimator, params = "quantreg", {"q": _number(res.q), "se": res.se}
    else:
        estimator = "rlm"
        params = {
            "norm": res.norm,
            "tuning": [_number(v) for v in res.tuning],
            "scale": res.scale_method,
        }
    document = {
        "format": FORMAT,
        "version": VERSION,
        "kind": "estimator",
        "estimator": estimator,
        "params": params,
        "linmod_version": __version__,
        "spec": _saved_spec(res.design),
        "response": res.design.response_name,
        "terms": list(res.design.column_names),
        "coef": [_number(v) for v in res.solution.coef],
    }
    _write(document, path)


def _write(document: dict[str, Any], path: str | Path) -> None:
    write_atomically(path, json.dumps(document, indent=2, allow_nan=False) + "\n")


def _json_param(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | np.floating):
        return _number(float(value))
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, list | tuple | np.ndarray):
        return [_json_param(v) for v in value]
    return repr(value)  # e.g. a splitter object: kept as a description only


def save_estimator(estimator: Any, path: str | Path) -> None:
    """Write a fitted linmod estimator to ``path`` as JSON (atomically).

    ``LinearRegression`` saves its OLS results (with the covariance, so intervals work
    after :func:`load`); ``Ridge``, ``Lasso``, ``ElasticNet``, their CV versions and
    ``GDRegressor`` save coefficients, intercept and parameters.

    Raises
    ------
    InputError
        If the estimator is not fitted.
    """
    results = getattr(estimator, "results_", None)
    if results is not None:  # OLS with its covariance; quantile/robust with how they were fitted
        save(results, path)
        return
    if not hasattr(estimator, "coef_"):
        raise InputError(f"{type(estimator).__name__} is not fitted: call fit(X, y) before save()")
    coef = np.asarray(estimator.coef_, dtype=float).ravel()
    names = getattr(estimator, "feature_names_in_", None)
    features = [str(v) for v in names] if names is not None else [f"x{j}" for j in range(coef.size)]
    intercept = bool(getattr(estimator, "fit_intercept", True))
    terms = (["Intercept"] if intercept else []) + features
    values = ([float(estimator.intercept_)] if intercept else []) + coef.tolist()
    from linmod._version import __version__

    document = {
        "format": FORMAT,
        "version": VERSION,
        "kind": "estimator",
        "estimator": type(estimator).__name__,
        "params": {k: _json_param(v) for k, v in estimator.get_params(deep=False).items()},
        "linmod_version": __version__,
        "spec": {"type": "arrays", "features": features, "intercept": intercept},
        "response": "y",
        "terms": terms,
        "coef": [_number(v) for v in values],
    }
    _write(document, path)


@dataclass(frozen=True)
class SavedModel:
    """A model read from a file: prediction (with intervals) and its coefficient table."""

    terms: tuple[str, ...]
    coef: NDArray[np.float64]
    cov_unscaled: NDArray[np.float64] | None
    sigma: float
    df_resid: int
    n_obs: int
    r_squared: float
    response: str
    spec: dict[str, Any]
    kind: str = "ols"
    estimator: str | None = None
    params: dict[str, Any] | None = None
    null_basis: NDArray[np.float64] | None = None
    weights: dict[str, Any] | None = None

    @property
    def coefficients(self) -> pd.Series:
        """Coefficients indexed by term (NaN where aliased)."""
        return pd.Series(self.coef, index=pd.Index(self.terms, name="term"), name="coef")

    @property
    def adj_r_squared(self) -> float:
        """Adjusted R² from the saved R², n and residual degrees of freedom (as R)."""
        if self.kind != "ols" or self.df_resid <= 0:
            return math.nan
        n = self.n_obs - (1 if self.terms[:1] == ("Intercept",) else 0)
        return 1.0 - (1.0 - self.r_squared) * n / self.df_resid

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """The coefficient table from the saved numbers, as :meth:`OLSResults.to_frame`.

        Columns ``coef``, ``std_err``, ``t_value``, ``p_value``, ``lower``, ``upper``
        (NaN where aliased); an estimator file (no covariance) has only ``coef``.
        """
        if not 0.0 < level < 1.0:
            raise InputError(f"level={level!r} must lie strictly between 0 and 1, e.g. 0.95")
        table = pd.DataFrame({"coef": self.coef}, index=pd.Index(self.terms, name="term"))
        if self.cov_unscaled is None:
            return table
        if self.weights is not None and self.weights["type"] == "sampling":
            se = np.sqrt(np.diag(coefficient_covariance(self)))  # robust (HC1)
        else:
            se = self.sigma * np.sqrt(np.diag(self.cov_unscaled))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = self.coef / se
        half = stats.t.isf((1.0 - level) / 2.0, self.df_resid) * se
        table["std_err"], table["t_value"] = se, t
        table["p_value"] = 2.0 * stats.t.sf(np.abs(t), self.df_resid)
        table["lower"], table["upper"] = self.coef - half, self.coef + half
        return table

    def summary(self) -> str:
        """The coefficient table and fit statistics the file holds (R's ``summary.lm``).

        Estimates, standard errors, t and p-values, σ, R² and n come from the saved
        numbers; there are no residuals in a model file, so no residual quantiles.
        """
        text: str = implementation("render_saved_summary")(self)
        return text

    def __str__(self) -> str:
        return self.summary()

    def _design(self, new: Any) -> tuple[NDArray[np.float64], NDArray[np.bool_], pd.Index]:
        if self.spec["type"] == "arrays":
            spec = ArraySpec(tuple(self.spec["features"]), bool(self.spec["intercept"]), True)
            return spec.new_rows(new)
        frame = to_pandas(new)
        check_no_text(frame, self.spec)
        try:
            x, incomplete, index = formula_spec(self.spec).new_rows(frame)
        except InputError:
            raise
        except (FormulaicError, ArithmeticError, AttributeError, TypeError, ValueError) as error:
            raise InputError(
                f"the model's formula {self.spec['formula']!r} cannot be evaluated on the new "
                f"data: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            ) from None
        if x.shape[1] != len(self.terms):
            raise InputError(
                f"the new data does not produce the model's {len(self.terms)} columns "
                f"({list(self.terms)[:10]}); got {x.shape[1]}"
            )
        return x, incomplete, index

    def predict(
        self,
        new: Any,
        interval: str | None = None,
        level: float = 0.95,
        pred_var: Any = None,
        weights: Any = None,
    ) -> pd.DataFrame:
        """Predict for new data, as :meth:`linmod.OLSResults.predict` (``weights=``: the
        new rows' precision weights, for a model fitted with precision weights).

        Rows outside the estimable space of a rank-deficient fit are NaN with a warning,
        decided from the null-space basis the file holds (files written before linmod saved
        it warn that a rank-deficient model's rows cannot be checked).
        """
        _check_arguments(interval, level)
        check_new_row_variance(pred_var, weights, interval)
        x, incomplete, index = self._design(new)
        if interval is not None and self.cov_unscaled is None:
            raise InputError(
                f"this {self.estimator} model file has no covariance matrix, so it gives no "
                "intervals: use interval=None, or save an OLS fit (linmod.ols or "
                "LinearRegression) for confidence and prediction intervals"
            )
        if self.null_basis is None and self.kind == "ols" and not np.isfinite(self.coef).all():
            warn_unchecked()
        weighted = None
        if (
            interval == "prediction"
            and pred_var is None
            and (self.weights is not None or weights is not None)
        ):
            weighted = new_row_variance(self, weights, x.shape[0])
        return saved_prediction_table(
            self,
            x,
            incomplete,
            index,
            interval,
            level,
            pred_var,
            cov=None if interval is None else coefficient_covariance(self),
            new_variance=weighted,
        )


def _check_arguments(interval: str | None, level: float) -> None:
    if interval not in (None, "confidence", "prediction"):
        raise InputError(
            f"interval={interval!r} is not known; use None, 'confidence' or 'prediction'"
        )
    if not 0.0 < level < 1.0:
        raise InputError(f"level={level!r} must lie strictly between 0 and 1, e.g. 0.95")


def _fail(path: Path, what: str) -> InputError:
    return InputError(f"{path} is not a valid linmod model file: {what}")


def load(path: str | Path) -> SavedModel:
    """Read a model file written by :func:`save` (no code in the file is ever run).

    Every field is checked (:mod:`linmod.model_document`) and the formula is checked
    and bounded (:func:`~linmod.data.safe_formula.check_formula_is_safe`, which first
    makes sure it needs no more columns than the file has coefficients) before anything
    is expanded or evaluated.

    Raises
    ------
    InputError
        If the file is missing, not JSON, of another format or version, or corrupted
        (naming the field).
    """
    file = Path(path)
    if not file.exists():
        raise InputError(f"{file}: no such file")
    document = read_document(file)
    if document.get("format") != FORMAT:
        raise _fail(file, f"'format' is not {FORMAT!r}")
    if document.get("version") != VERSION:
        raise _fail(file, f"version {document.get('version')!r} is not {VERSION} (this linmod)")
    kind = document.get("kind", "ols")
    if kind not in ("ols", "estimator"):
        raise _fail(file, f"'kind' {document.get('kind')!r} is not 'ols' or 'estimator'")
    fields = check_document(file, document)
    spec = fields["spec"]
    terms = tuple(fields["terms"])
    coef = np.array(fields["coef"], dtype=float)
    if spec["type"] == "formula":
        check_formula_is_safe(
            spec["formula"],
            spec["variables"],
            columns=len(terms),
            levels=spec["levels"],
            categories=file_categories(spec),
        )
    if kind == "estimator":
        return SavedModel(
            terms=terms, coef=coef, cov_unscaled=None, sigma=math.nan, df_resid=0,
            n_obs=0, r_squared=math.nan, response=fields["response"], spec=spec,
            kind="estimator", estimator=fields["estimator"], params=dict(fields["params"]),
        )  # fmt: skip
    return SavedModel(
        terms=terms,
        coef=coef,
        cov_unscaled=np.array(fields["cov"], dtype=float).reshape(len(terms), len(terms)),
        sigma=fields["sigma"],
        df_resid=fields["df_resid"],
        n_obs=fields["n_obs"],
        r_squared=fields["r_squared"],
        response=fields["response"],
        spec=spec,
        null_basis=fields.get("null_basis"),
        weights=check_weights_document(file, document.get("weights"), len(terms)),
    )
