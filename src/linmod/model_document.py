"""Read a model file's JSON and check every field before anything uses it.

A model file may come from anywhere, so :func:`read_document` parses it without
trusting Python's JSON reader on hostile input (``Infinity``, ``NaN`` and ``1e999``
are kept as the text they were, integers of more than 400 digits are never converted,
nesting deeper than :data:`MAX_DEPTH` is refused) and :func:`check_document` checks the
type, shape and range of every field the format defines.  Each problem is an
:class:`~linmod.exceptions.InputError` that names the file and the field, e.g.
``coef[2]``; nothing is dropped or converted silently.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from linmod.data.term_names import split_sides
from linmod.exceptions import InputError

__all__ = ["MAX_DEPTH", "check_document", "read_document"]

#: Deepest nesting of arrays and objects a model file may have (it needs 4).
MAX_DEPTH = 16
_MAX_DIGITS = 400


class _Refused:
    """A JSON number kept as text because it is not a finite float64."""

    def __init__(self, text: str, why: str) -> None:
        self.text, self.why = text, why


def _float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused(text, "beyond float64's range")


def _int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > _MAX_DIGITS:
        return _Refused(f"{text[:12]}... ({len(text)} digits)", "beyond float64's range")
    value = int(text)
    return value if value.bit_length() <= 1023 else _Refused(text, "beyond float64's range")


def _fail(file: Path, what: str) -> InputError:
    return InputError(f"{file} is not a valid linmod model file: {what}")


def read_document(file: Path) -> dict[str, Any]:
    """Parse a model file's JSON; refuse non-finite numbers and deep nesting by field.

    Raises
    ------
    InputError
        If the file is not UTF-8 JSON, nests deeper than :data:`MAX_DEPTH`, or holds a
        number that is not a finite float64 (naming its field).
    """
    try:
        document = json.loads(
            file.read_text(encoding="utf-8"),
            parse_float=_float,
            parse_int=_int,
            parse_constant=lambda text: _Refused(
                text, "not a finite number; a model file writes null for a missing one"
            ),
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(file, f"not JSON ({error})") from None
    except RecursionError:
        raise _fail(file, f"nested deeper than {MAX_DEPTH} levels") from None
    except OSError as error:
        raise InputError(f"{file}: cannot be read ({error.strerror or error})") from None
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack:  # without recursion: the depth is what is being checked
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(file, f"nested deeper than {MAX_DEPTH} levels at {path or 'the top'}")
        if isinstance(value, _Refused):
            raise _fail(file, f"field {path!r} is {value.text} ({value.why})")
        if isinstance(value, dict):
            stack.extend(
                (v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items()
            )
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value))
    if not isinstance(document, dict):
        raise _fail(file, "not a JSON object")
    return document


class _Fields:
    """Typed access to the fields of a document, each failure naming its field."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def fail(self, path: str, what: str) -> InputError:
        return _fail(self.file, f"field {path!r} is corrupted: {what}")

    def get(self, obj: dict[str, Any], key: str, path: str) -> Any:
        if key not in obj:
            raise self.fail(path, "missing")
        return obj[key]

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"{_kind(value)} where a string belongs")
        return value

    def strings(self, value: Any, path: str, unique: bool = True) -> list[str]:
        if not isinstance(value, list):
            raise self.fail(path, f"{_kind(value)} where a list of strings belongs")
        items = [self.string(v, f"{path}[{i}]") for i, v in enumerate(value)]
        if unique and len(set(items)) != len(items):
            raise self.fail(path, "a name occurs twice")
        return items

    def number(self, value: Any, path: str, optional: bool = True) -> float:
        if value is None and optional:
            return math.nan
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, f"{_kind(value)} where a number belongs")
        return float(value)

    def numbers(self, value: Any, path: str, size: int) -> list[float]:
        if not isinstance(value, list):
            raise self.fail(path, f"{_kind(value)} where a list of numbers belongs")
        if len(value) != size:
            raise self.fail(path, f"{len(value)} numbers where the {size} terms need {size}")
        return [self.number(v, f"{path}[{i}]") for i, v in enumerate(value)]

    def count(self, value: Any, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
            raise self.fail(path, f"{value!r} where a count (a whole number >= 0) belongs")
        return value

    def levels(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, f"{_kind(value)} where a non-empty list of levels belongs")
        for i, level in enumerate(value):
            if level is None or not isinstance(level, str | int | float):
                raise self.fail(f"{path}[{i}]", f"{_kind(level)} where a level belongs")
        if len({(type(v), v) for v in value}) != len(value):
            raise self.fail(path, "a level occurs twice")
        return value


def _kind(value: Any) -> str:
    return "null" if value is None else f"a JSON {type(value).__name__} ({str(value)[:40]!r})"


def check_document(file: Path, document: dict[str, Any]) -> dict[str, Any]:
    """Check every field of a parsed model file (format, version and kind already checked).

    Returns
    -------
    dict
        The fields as Python values: ``terms`` (list), ``coef`` and ``cov`` (lists),
        ``sigma``, ``r_squared`` (float, NaN for null), ``df_resid``, ``n_obs`` (int),
        ``response`` (str), ``spec`` (the checked spec dict).

    Raises
    ------
    InputError
        Naming the first field that is missing, of the wrong type, size or range.
    """
    f = _Fields(file)
    kind = document.get("kind", "ols")
    terms = f.strings(f.get(document, "terms", "terms"), "terms")
    coef = f.numbers(f.get(document, "coef", "coef"), "coef", len(terms))
    spec = f.get(document, "spec", "spec")
    if not isinstance(spec, dict):
        raise f.fail("spec", f"{_kind(spec)} where an object belongs")
    spec_type = f.get(spec, "type", "spec.type")
    if spec_type == "arrays":
        features = f.strings(f.get(spec, "features", "spec.features"), "spec.features")
        intercept = f.get(spec, "intercept", "spec.intercept")
        if not isinstance(intercept, bool):
            raise f.fail("spec.intercept", f"{_kind(intercept)} where true or false belongs")
        if terms != (["Intercept"] if intercept else []) + features:
            raise f.fail("terms", "they do not match the features and intercept")
    elif spec_type == "formula":
        _check_formula_spec(f, spec)
    else:
        raise f.fail("spec.type", f"{spec_type!r} is not 'formula' or 'arrays'")
    fields: dict[str, Any] = {
        "terms": terms,
        "coef": coef,
        "spec": spec,
        "response": f.string(f.get(document, "response", "response"), "response"),
    }
    if kind == "estimator":
        fields["estimator"] = f.string(f.get(document, "estimator", "estimator"), "estimator")
        params = f.get(document, "params", "params")
        if not isinstance(params, dict):
            raise f.fail("params", f"{_kind(params)} where an object belongs")
        fields["params"] = params
        return fields
    rows = f.get(document, "cov_unscaled", "cov_unscaled")
    if not isinstance(rows, list) or len(rows) != len(terms):
        raise f.fail("cov_unscaled", f"not a {len(terms)} x {len(terms)} matrix")
    fields["cov"] = [f.numbers(row, f"cov_unscaled[{i}]", len(terms)) for i, row in enumerate(rows)]
    if "null_basis" in document:  # absent from files written before linmod 0.1 saved it
        fields["null_basis"] = _null_basis(f, document["null_basis"], len(terms))
    fields["sigma"] = f.number(f.get(document, "sigma", "sigma"), "sigma")
    if fields["sigma"] < 0:
        raise f.fail("sigma", f"{fields['sigma']!r} is negative")
    fields["df_resid"] = f.count(f.get(document, "df_resid", "df_resid"), "df_resid")
    fields["n_obs"] = f.count(f.get(document, "n_obs", "n_obs"), "n_obs")
    fields["r_squared"] = f.number(f.get(document, "r_squared", "r_squared"), "r_squared")
    return fields


def _null_basis(f: _Fields, rows: Any, p: int) -> np.ndarray:
    """The saved orthonormal basis of the design's null space, ``p`` rows of ``d`` numbers."""
    if not isinstance(rows, list) or len(rows) != p or any(not isinstance(r, list) for r in rows):
        raise f.fail("null_basis", f"not a list of {p} rows (one per term)")
    d = len(rows[0]) if rows else 0
    values = [f.numbers(row, f"null_basis[{i}]", d) for i, row in enumerate(rows)]
    basis = np.array(values, dtype=float).reshape(p, d)
    if not np.isfinite(basis).all() or not np.allclose(basis.T @ basis, np.eye(d), atol=1e-8):
        raise f.fail("null_basis", "its columns are not orthonormal")
    return basis


def _check_formula_spec(f: _Fields, spec: dict[str, Any]) -> None:
    formula = f.string(f.get(spec, "formula", "spec.formula"), "spec.formula")
    sides = split_sides(formula)
    if sides is None or not sides[1].strip():
        raise f.fail("spec.formula", f"{formula[:80]!r} is not 'response ~ terms'")
    variables = f.strings(f.get(spec, "variables", "spec.variables"), "spec.variables")
    levels = f.get(spec, "levels", "spec.levels")
    if not isinstance(levels, dict):
        raise f.fail("spec.levels", f"{_kind(levels)} where an object belongs")
    for column, values in levels.items():
        if column not in variables:
            raise f.fail(f"spec.levels.{column}", "not one of spec.variables")
        f.levels(values, f"spec.levels.{column}")
    categories = spec.get("categories", {})
    if not isinstance(categories, dict):
        raise f.fail("spec.categories", f"{_kind(categories)} where an object belongs")
    for factor, values in categories.items():
        f.levels(values, f"spec.categories.{factor}")
