"""The same model with sum-to-zero contrasts: the map between the two parametrisations.

A formula fit codes factors with treatment contrasts (a reference level).  Type III tests
of main effects under interactions only make sense with sum-to-zero contrasts (R's
``options(contrasts = c("contr.sum", "contr.poly"))``).  Both codings span the same
column space, so ``X_treatment = X_sum @ M`` for a matrix ``M`` that depends on the
coding alone, not on the data: it is found here from a synthetic grid of every level
combination (numeric variables drawn at random), and the sum-coded coefficients of the
fit are ``M @ b`` with covariance ``M V M'``, without the original rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.design import Design
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import STATEFUL_TRANSFORM, term_name
from linmod.exceptions import InputError

__all__ = ["SumCoding", "categorical_factors", "sum_coding", "treatment_coded_factors"]

Float = NDArray[np.float64]
_MAX_GRID = 4096
#: formulaic's contrasts whose columns sum to zero over the levels (R's contr.sum,
#: contr.helmert, contr.poly): Type III tests are meaningful with them as they are.
_SUM_TO_ZERO = ("SumContrasts", "HelmertContrasts", "PolyContrasts")


@dataclass(frozen=True)
class SumCoding:
    """The sum-coded parametrisation of a fit.

    Attributes
    ----------
    matrix : ndarray of shape (p_sum, p)
        ``M``: sum-coded coefficients are ``M @ b`` for the fit's coefficients ``b``.
    names : tuple of str
        Names of the sum-coded columns.
    terms : dict of str to tuple of int
        The original term name -> its columns in the sum coding.
    factors : tuple of str
        The factors that were re-coded.
    """

    matrix: Float
    names: tuple[str, ...]
    terms: dict[str, tuple[int, ...]]
    factors: tuple[str, ...]


def _model_spec(design: Design) -> object | None:
    return getattr(design.spec, "model_spec", None)


def categorical_factors(design: Design) -> tuple[str, ...]:
    """The categorical factors of a formula design (empty for arrays)."""
    spec = _model_spec(design)
    if spec is None:
        return ()
    state = getattr(spec, "encoder_state", {})
    return tuple(
        expr for expr, (kind, _) in state.items() if getattr(kind, "value", "") == "categorical"
    )


def treatment_coded_factors(design: Design) -> tuple[str, ...]:
    """The categorical factors whose contrasts do not sum to zero (treatment, the default)."""
    spec = _model_spec(design)
    state = getattr(spec, "encoder_state", {}) if spec is not None else {}
    coded = []
    for expr in categorical_factors(design):
        contrasts = getattr(state[expr][1].get("contrasts"), "contrasts", None)
        if type(contrasts).__name__ not in _SUM_TO_ZERO:
            coded.append(expr)
    return tuple(coded)


def _factor_text(factor: object, categorical: set[str]) -> str:
    expr = str(getattr(factor, "expr", factor))
    method = getattr(getattr(factor, "eval_method", None), "value", "")
    text = term_name(expr) if method == "lookup" else expr
    return f"C({text}, contr.sum)" if expr in categorical else text


def _grid(design: Design, rows: int, seed: int = 0) -> pd.DataFrame:
    spec = design.spec
    variables: tuple[str, ...] = getattr(spec, "variables", ())
    levels: dict[str, set[object]] = getattr(spec, "levels", {})
    rng = np.random.default_rng(seed)
    categorical = [v for v in variables if v in levels]
    values = [sorted(levels[v], key=str) for v in categorical]
    combos = int(np.prod([len(v) for v in values])) if values else 1
    if combos <= _MAX_GRID:
        cells = list(itertools.product(*values)) if values else [()]
        repeats = max(3, -(-rows // max(combos, 1)))
        cells = cells * repeats
    else:
        cells = [tuple(v[rng.integers(len(v))] for v in values) for _ in range(_MAX_GRID)]
    frame = (
        pd.DataFrame(cells, columns=categorical)
        if categorical
        else pd.DataFrame(index=range(len(cells)))
    )
    for v in variables:
        if v not in levels:
            frame[v] = rng.uniform(0.5, 1.5, size=len(frame))
    return frame


def sum_coding(design: Design) -> SumCoding:
    """The map from the fit's (treatment-coded) coefficients to sum-coded ones.

    Parameters
    ----------
    design : Design
        A formula design with at least one categorical factor.

    Returns
    -------
    SumCoding

    Raises
    ------
    InputError
        When the formula cannot be re-coded without the original data (stateful transforms
        such as ``center()`` or orthogonal ``poly()``), or the two codings do not span the
        same columns.
    """
    spec = _model_spec(design)
    categorical = set(treatment_coded_factors(design))
    if spec is None or not categorical:
        raise InputError("sum contrasts apply to formula fits with categorical factors")
    advice = "fit the model with sum contrasts yourself, writing C(x, contr.sum) for each factor"
    if design.formula and STATEFUL_TRANSFORM.search(design.formula):
        raise InputError(
            "Type III tests under interactions need sum contrasts, and this formula's "
            "stateful transforms (center, scale, poly, splines) cannot be re-coded without "
            f"the original data; {advice}"
        )
    terms = list(spec.terms)  # type: ignore[attr-defined]
    pieces = []
    for term in terms:
        factors = [_factor_text(f, categorical) for f in term.factors]
        pieces.append(":".join(factors))
    if not design.intercept and "1" not in pieces:
        pieces.insert(0, "0")
    treatment_names = design.column_names
    frame = _grid(design, rows=4 * len(treatment_names))
    from formulaic import model_matrix  # 0.4 s to import: only here
    from formulaic.errors import FormulaicError

    try:
        treatment, _, _ = design.spec.new_rows(frame)
        with np.errstate(all="ignore"):
            coded = model_matrix(" + ".join(pieces), frame, context=FORMULA_CONTEXT)
    except (FormulaicError, InputError, ArithmeticError, TypeError, ValueError) as error:
        raise InputError(
            f"Type III tests under interactions need sum contrasts, and re-coding this "
            f"formula failed ({type(error).__name__}: {str(error).splitlines()[0]}); {advice}"
        ) from None
    summed = np.asarray(coded, dtype=float)
    mapping, *_ = np.linalg.lstsq(summed, treatment, rcond=None)
    misfit = np.max(np.abs(summed @ mapping - treatment)) if treatment.size else 0.0
    full_rank = np.linalg.matrix_rank(summed) == summed.shape[1] == treatment.shape[1]
    tolerance = 1e-8 * max(1.0, float(np.abs(treatment).max()))
    if not (np.isfinite(summed).all() and full_rank and misfit <= tolerance):
        raise InputError(
            "Type III tests under interactions need sum contrasts, and this formula's "
            f"sum-coded columns do not span the same model as its treatment coding; {advice}"
        )
    new_terms = list(coded.model_spec.term_indices.values())
    if [len(t) for t in new_terms] != [len(t.columns) for t in design.terms]:
        raise InputError(f"re-coding the formula with sum contrasts changed its terms; {advice}")
    by_term = {
        old.name: tuple(int(i) for i in indices)
        for old, indices in zip(design.terms, new_terms, strict=True)
    }
    return SumCoding(
        matrix=mapping,
        names=tuple(str(c) for c in coded.columns),
        terms=by_term,
        factors=tuple(sorted(categorical)),
    )
