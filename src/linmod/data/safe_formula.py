"""Is a formula from an untrusted file safe to evaluate?

Formulas are evaluated as Python by formulaic (``np.log(age + 1)``, ``I(x**2)``), so a
model file could smuggle ``I(open('f', 'w').write('x'))`` into the formula it carries.
:func:`check_formula_is_safe` parses every factor of the right-hand side into a Python
syntax tree and accepts only what a regression formula needs: the data's variables,
numbers and strings, arithmetic, and calls of a fixed list of functions (``C``, ``I``,
``poly``, ``ordinal``, ``contr.*`` codings and elementwise ``np.*`` transforms). Anything
else (other names, attribute access, subscripts, lambdas, comprehensions) is refused
before a single factor is evaluated.

The text checked is the text formulaic will run: formulaic first rewrites backtick-quoted
names into identifiers (``sanitize_variable_names``), so the check parses that rewritten
text, and refuses backslashes outright (its quote handling and Python's could disagree).
Expressions that could exhaust time or memory are refused too, by looking at the
formula only: its length is bounded, its terms are expanded only within a bound on the
work (:mod:`linmod.data.formula_bounds`), powers need a small numeric exponent, each
factor's nesting depth and total degree are bounded, numbers (also ``(9**64)**64``) stay
within float64's range, strings are only levels and contrasts of ``C``/``ordinal``/
``contr.*`` (or ``Q``'s column name), text columns take no part in arithmetic, ``poly``
needs ``raw=True`` and a small degree, and a formula may not make more columns than the
model has coefficients.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formulaic import Formula
from formulaic.utils.code import sanitize_variable_names

from linmod.data.formula import formula_error
from linmod.data.formula_bounds import bounded_terms
from linmod.data.term_names import right_side
from linmod.exceptions import InputError

__all__ = ["check_formula_is_safe"]

#: Functions a formula may call by bare name.
_FUNCTIONS = frozenset({"C", "I", "Q", "poly", "ordinal", "log", "exp", "sqrt", "abs"})
#: ``np.<name>`` transforms a formula may call: elementwise and pure.
_NUMPY = frozenset(
    {
        "abs", "absolute", "arccos", "arcsin", "arctan", "arccosh", "arcsinh", "arctanh",
        "cbrt", "ceil", "clip", "cos", "cosh", "exp", "exp2", "expm1", "fabs", "floor",
        "log", "log10", "log1p", "log2", "maximum", "minimum", "power", "reciprocal",
        "rint", "round", "sign", "sin", "sinh", "sqrt", "square", "tan", "tanh", "trunc",
    }
)  # fmt: skip
#: ``contr.<name>`` contrast codings for ``C(x, contr.treatment("b"))`` or ``C(x, contr.sum)``.
_CONTRASTS = frozenset({"treatment", "sum", "helmert", "diff", "poly", "custom"})
#: patsy-style contrast classes, ``C(x, Treatment(8))`` or ``C(x, Sum)``.
_CONTRAST_CLASSES = frozenset({"Treatment", "Sum", "Helmert", "Diff", "Poly"})
#: Largest exponent of ``x ** k`` and largest ``poly`` degree a saved formula may use.
_MAX_EXPONENT = 64
_MAX_DEGREE = 20
_MAX_LENGTH = 10_000
#: Highest total degree of a factor (``(x**8)**8`` has 64) and deepest nesting of its code.
MAX_TOTAL_DEGREE = 64
_MAX_DEPTH = 50
#: Numbers of a formula stay within float64's range: 2**1024.
_MAX_BITS = 1024
_OPERATORS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.USub, ast.UAdd,
)  # fmt: skip


def _callee_is_allowed(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _FUNCTIONS or node.id in _CONTRAST_CLASSES
    if _is_contrast_attribute(node):
        return True
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner, name = node.value.id, node.attr
        return (owner == "np" and name in _NUMPY) or (owner == "contr" and name in _CONTRASTS)
    return False


def _is_contrast_attribute(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "contr"
        and node.attr in _CONTRASTS
    )


def _refusal(what: str, where: str) -> InputError:
    return InputError(
        f"the model file's formula is refused: {what} in {where!r}; a saved formula may use "
        "only the data's columns, numbers, arithmetic and the functions C, I, poly, ordinal, "
        "contr.* (or Treatment, Sum, Helmert, Diff, Poly) and elementwise np.* transforms"
    )


def _small_number(node: ast.expr, limit: float) -> float | None:
    """The value of a plain number up to ``limit`` in size, else None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1 if isinstance(node.op, ast.USub) else 1
        node = node.operand
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and abs(node.value) <= limit
    ):
        return sign * node.value
    return None


@dataclass(frozen=True)
class _Shape:
    """What static analysis knows of an expression's value."""

    degree: float = 0  # polynomial degree in the data's columns
    bits: float | None = 0.0  # numbers only: a bound on log2 of an integer result
    text: bool = False  # may hold text (a text column), which arithmetic would repeat


_NUMERIC = _Shape()


class _Checker:
    """Checks one factor's syntax tree, returning what is known of its value."""

    def __init__(self, variables: frozenset[str], text: frozenset[str], where: str) -> None:
        self.variables, self.text, self.where = variables, text, where

    def refuse(self, what: str) -> InputError:
        return _refusal(what, self.where)

    def bounded(self, shape: _Shape) -> _Shape:
        if shape.degree > MAX_TOTAL_DEGREE:
            raise self.refuse(f"a total degree above {MAX_TOTAL_DEGREE}")
        if shape.bits is not None and shape.bits > _MAX_BITS:
            raise self.refuse("a number beyond float64's range (about 1.8e308)")
        return shape

    def variable(self, name: str) -> _Shape:
        if name not in self.variables:
            raise self.refuse(f"the name {name!r} (not a column of the model)")
        return _Shape(degree=1, bits=None, text=name in self.text)

    def node(self, node: ast.AST) -> _Shape:
        if isinstance(node, ast.Constant):
            return self.bounded(self.constant(node.value))
        if isinstance(node, ast.Name):
            if node.id in _CONTRAST_CLASSES:  # a contrast coding passed uncalled: C(x, Sum)
                return _NUMERIC
            return self.variable(node.id)
        if _is_contrast_attribute(node):
            return _NUMERIC  # C(x, contr.sum)
        if isinstance(node, ast.Call):
            return self.bounded(self.call(node))
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            if not isinstance(node.op, _OPERATORS):
                raise self.refuse(f"the operator {type(node.op).__name__}")
            operands = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.operand]
            shapes = [self.node(operand) for operand in operands]
            if any(shape.text for shape in shapes):
                raise self.refuse("arithmetic on a text column (it would repeat the text)")
            return self.bounded(self.arithmetic(node, shapes))
        raise self.refuse(f"the expression {ast.unparse(node)!r}")

    def constant(self, value: object) -> _Shape:
        if isinstance(value, bool):
            return _NUMERIC
        if isinstance(value, int):
            return _Shape(bits=value.bit_length())
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.refuse("a number beyond float64's range (about 1.8e308)")
            return _NUMERIC  # floats cannot grow without bound: they overflow to inf
        raise self.refuse(
            f"the constant {value!r} outside a level or contrast of C, ordinal or contr.* "
            "(or the column name of Q)"
        )

    def arithmetic(self, node: ast.BinOp | ast.UnaryOp, shapes: list[_Shape]) -> _Shape:
        if isinstance(node, ast.UnaryOp):
            return shapes[0]
        left, right = shapes
        bits = None if left.bits is None or right.bits is None else left.bits + right.bits
        if isinstance(node.op, ast.Pow):
            exponent = _small_number(node.right, _MAX_EXPONENT)
            if exponent is None:
                raise self.refuse(f"a power whose exponent is not a number up to {_MAX_EXPONENT}")
            return self.raised(left, abs(exponent))
        if isinstance(node.op, ast.Mult):
            return _Shape(left.degree + right.degree, bits)
        if isinstance(node.op, ast.Div):  # float results, which cannot grow without bound
            return _Shape(left.degree + right.degree, None if bits is None else 0.0)
        larger = None if bits is None else max(left.bits or 0.0, right.bits or 0.0) + 1
        return _Shape(max(left.degree, right.degree), larger)

    @staticmethod
    def raised(base: _Shape, exponent: float) -> _Shape:
        return _Shape(base.degree * exponent, None if base.bits is None else base.bits * exponent)

    def call(self, node: ast.Call) -> _Shape:
        if not _callee_is_allowed(node.func):
            raise self.refuse(f"a call of {ast.unparse(node.func)!r}")
        name = ast.unparse(node.func)
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if name == "Q":
            if len(arguments) != 1 or not _is_string(arguments[0]):
                raise self.refuse("Q(...) without one column name")
            return self.variable(str(arguments[0].value))  # type: ignore[attr-defined]
        if name in ("C", "ordinal") or name in _CONTRAST_CLASSES or _is_contrast_call(name):
            # A coded column (C, ordinal) first, then levels and contrasts as arguments.
            first = self.node(node.args[0]) if name in ("C", "ordinal") and node.args else _NUMERIC
            for argument in arguments[1:] if name in ("C", "ordinal") else arguments:
                self.setting(argument)
            if name == "C":
                return first
            return _Shape(degree=1, bits=None) if name == "ordinal" else _NUMERIC
        shapes = [self.node(argument) for argument in arguments]
        if any(shape.text for shape in shapes):
            raise self.refuse(f"a text column in {name}(...)")
        if name == "poly":
            degree = self.poly_degree(node)
            return self.raised(shapes[0] if shapes else _NUMERIC, degree)
        if name in ("np.square", "np.power"):
            exponent = 2 if name == "np.square" else self.power_exponent(node)
            return self.raised(shapes[0] if shapes else _NUMERIC, exponent)
        # Elementwise transforms keep or shrink a number's size (or make it a float).
        return _Shape(
            max((s.degree for s in shapes), default=0),
            None
            if any(s.bits is None for s in shapes)
            else max((s.bits or 0.0 for s in shapes), default=0.0),
        )

    def setting(self, node: ast.expr) -> None:
        """A level, a list of levels or a contrast coding given to C, ordinal or contr.*."""
        if _is_string(node):
            return
        if isinstance(node, ast.List | ast.Tuple):
            for element in node.elts:
                if not isinstance(element, ast.Constant):
                    raise self.refuse(f"the list element {ast.unparse(element)!r}")
                if not _is_string(element):
                    self.node(element)
            return
        if self.node(node).text:
            raise self.refuse("a text column as a contrast or level")

    def poly_degree(self, node: ast.Call) -> float:
        degree = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "degree")]
        values = [_small_number(d, _MAX_DEGREE) for d in degree]
        if len(values) != 1 or values[0] is None or values[0] < 1 or values[0] != int(values[0]):
            raise self.refuse(f"a poly degree that is not a whole number from 1 to {_MAX_DEGREE}")
        raw = [*node.args[2:3], *(k.value for k in node.keywords if k.arg == "raw")]
        if len(raw) != 1 or not (isinstance(raw[0], ast.Constant) and raw[0].value is True):
            raise self.refuse(
                "poly without raw=True (its orthogonal basis comes from the training data, "
                "which a model file does not carry)"
            )
        return values[0]

    def power_exponent(self, node: ast.Call) -> float:
        exponent = [*node.args[1:2], *(k.value for k in node.keywords if k.arg in ("x2",))]
        value = _small_number(exponent[0], _MAX_EXPONENT) if len(exponent) == 1 else None
        if value is None:
            raise self.refuse(f"np.power whose exponent is not a number up to {_MAX_EXPONENT}")
        return abs(value)


def _is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_contrast_call(name: str) -> bool:
    return name.startswith("contr.")


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:  # without recursion: the depth is what is being limited
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def check_formula_is_safe(
    formula: str,
    variables: Iterable[str],
    *,
    columns: int | None = None,
    levels: Mapping[str, Sequence[Any]] | None = None,
    categories: Mapping[str, Sequence[Any]] | None = None,
) -> None:
    """Raise :class:`~linmod.exceptions.InputError` unless every factor is allowed.

    Nothing is expanded or evaluated before the work is known to be small: the terms
    are expanded only within :data:`~linmod.data.formula_bounds.MAX_TERM_PRODUCTS`,
    and every factor's syntax tree is checked for its depth, total degree and the size
    of its numbers before the columns it implies are counted.

    Parameters
    ----------
    formula : str
        A formula read from an untrusted source (only its right-hand side is evaluated
        at prediction time, and only it is checked).
    variables : iterable of str
        The data columns the formula may name.
    columns : int, optional
        How many columns the model has (its coefficients): a formula that must make
        more is refused.
    levels : mapping of str to sequence, optional
        The levels of each categorical column; a column with text levels takes no
        part in arithmetic.
    categories : mapping of str to sequence, optional
        The categories of each categorical factor, by factor expression.

    Raises
    ------
    InputError
        Naming the refused piece of the formula, or the limit it passes.
    """
    names = frozenset(str(v) for v in variables)
    levels = dict(levels or {})
    categories = dict(categories or {})
    if len(formula) > _MAX_LENGTH:
        raise InputError(f"the model file's formula is refused: longer than {_MAX_LENGTH}")
    rhs = right_side(formula)
    bounded_terms(rhs)  # refuses before a large expansion
    try:
        terms = list(Formula(rhs))  # formulaic's own checks, now known to be quick
    except Exception as error:  # formulaic raises its own errors and SyntaxError
        raise formula_error(formula, error, "the model file's formula") from None
    text = frozenset(k for k, v in levels.items() if any(isinstance(x, str) for x in v))
    counted: dict[str, int] = {}
    need = 0
    for term in terms:
        factors = getattr(term, "factors", None)
        if factors is None:  # a structured formula ("a | b"): not something linmod saves
            raise InputError(f"the model file's formula is refused: {rhs.strip()!r}")
        product = 1
        for factor in factors:
            expression = str(factor.expr)
            if expression not in counted:
                method = str(getattr(factor.eval_method, "value", factor.eval_method))
                counted[expression] = _factor_columns(
                    method, expression, names, text, levels, categories
                )
            product *= counted[expression]
        need += product
    if columns is not None and need > columns:
        raise InputError(
            f"the model file's formula is refused: {rhs.strip()[:80]!r} makes at least "
            f"{need} columns, but the file has {columns} coefficients"
        )


def _categorical_columns(name: str, levels: dict[str, Sequence[Any]], text: bool) -> int:
    """Fewest columns a categorical column's levels encode to (0 for a single level)."""
    count = len(levels.get(name, ()))
    return max(count - 1, 0) if text else min(count - 1, 1) if count else 1


def _factor_columns(
    method: str,
    expression: str,
    names: frozenset[str],
    text: frozenset[str],
    levels: dict[str, Sequence[Any]],
    categories: dict[str, Sequence[Any]],
) -> int:
    """Check one factor; return the fewest columns it encodes to."""
    if method == "literal":
        return 1
    if expression in categories:
        coded = max(len(categories[expression]) - 1, 0)
    if method == "lookup":
        if expression not in names:
            raise InputError(
                f"the model file's formula is refused: {expression!r} is not a column of the model"
            )
        if expression in categories:
            return coded
        return _categorical_columns(expression, levels, expression in text)
    tree, shape = _check_python_factor(expression, names, text)
    if expression in categories:
        return coded
    if isinstance(tree, ast.Call):
        callee = ast.unparse(tree.func)
        if callee == "poly":  # checked: a whole number from 1 to _MAX_DEGREE
            degree = [*tree.args[1:2], *(k.value for k in tree.keywords if k.arg == "degree")]
            return int(_small_number(degree[0], _MAX_DEGREE) or 1)
        first = tree.args[0] if tree.args else None
        if callee == "Q" and isinstance(first, ast.Constant):
            return _categorical_columns(str(first.value), levels, str(first.value) in text)
        if callee == "C":  # its categories would come from the new data: unbounded
            raise _refusal("C(...) whose categories the model file does not hold", expression)
    return 1 if shape.degree > 0 else 0


def _check_python_factor(
    expression: str, names: frozenset[str], text: frozenset[str]
) -> tuple[ast.expr, _Shape]:
    """Check the code formulaic will evaluate for one factor."""
    if "\\" in expression:
        raise _refusal("a backslash", expression)
    aliases: dict[str, str] = {}
    code = sanitize_variable_names(expression, {}, aliases)  # what formulaic will run
    if "`" in code or "\\" in code:
        raise _refusal("a backtick outside a column name", expression)
    try:
        tree = ast.parse(code, mode="eval")
    except SyntaxError as error:
        raise _refusal(f"code that is not an expression ({error.msg})", expression) from None
    except (RecursionError, MemoryError):
        raise _refusal(f"nesting deeper than {_MAX_DEPTH} levels", expression) from None
    if _depth(tree) > _MAX_DEPTH:
        raise _refusal(f"nesting deeper than {_MAX_DEPTH} levels", expression)
    unknown = [name for alias, name in aliases.items() if name not in names]
    if unknown:
        raise _refusal(f"the name {unknown[0]!r} (not a column of the model)", expression)
    text_aliases = frozenset(alias for alias, name in aliases.items() if name in text)
    checker = _Checker(names | frozenset(aliases), text | text_aliases, expression)
    return tree.body, checker.node(tree.body)
