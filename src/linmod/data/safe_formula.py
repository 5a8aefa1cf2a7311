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
Expressions that could exhaust time or memory are refused too: powers need a small
numeric exponent, strings and lists take no part in arithmetic, ``poly`` degrees are
small, and the formula's length is bounded.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from formulaic import Formula
from formulaic.utils.code import sanitize_variable_names

from linmod.data.formula import formula_error
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


def _is_small_number(node: ast.expr, limit: float) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and abs(node.value) <= limit
    )


def _check_call(node: ast.Call, variables: frozenset[str], where: str) -> None:
    if not _callee_is_allowed(node.func):
        raise _refusal(f"a call of {ast.unparse(node.func)!r}", where)
    if isinstance(node.func, ast.Name) and node.func.id == "poly":
        degree = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "degree")]
        if not all(_is_small_number(d, _MAX_DEGREE) for d in degree):
            raise _refusal(f"a poly degree above {_MAX_DEGREE} or not a number", where)
    for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
        if isinstance(argument, ast.List | ast.Tuple):  # e.g. ordinal levels
            for element in argument.elts:
                if not isinstance(element, ast.Constant):
                    raise _refusal(f"the list element {ast.unparse(element)!r}", where)
        elif not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            _check_node(argument, variables, where)  # strings only as arguments


def _check_node(node: ast.AST, variables: frozenset[str], where: str) -> None:
    if isinstance(node, ast.Expression):
        _check_node(node.body, variables, where)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | bool):
            raise _refusal(f"the constant {node.value!r} outside a function argument", where)
    elif isinstance(node, ast.Name):
        if node.id not in variables and node.id not in _CONTRAST_CLASSES:
            raise _refusal(f"the name {node.id!r} (not a column of the model)", where)
    elif _is_contrast_attribute(node):
        pass  # a contrast coding passed uncalled: C(x, contr.sum)
    elif isinstance(node, ast.Call):
        _check_call(node, variables, where)
    elif isinstance(node, ast.BinOp):
        if not isinstance(node.op, _OPERATORS):
            raise _refusal(f"the operator {type(node.op).__name__}", where)
        if isinstance(node.op, ast.Pow) and not _is_small_number(node.right, _MAX_EXPONENT):
            raise _refusal(f"a power whose exponent is not a number up to {_MAX_EXPONENT}", where)
        _check_node(node.left, variables, where)
        _check_node(node.right, variables, where)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, _OPERATORS):
            raise _refusal(f"the operator {type(node.op).__name__}", where)
        _check_node(node.operand, variables, where)
    else:
        raise _refusal(f"the expression {ast.unparse(node)!r}", where)


def check_formula_is_safe(formula: str, variables: Iterable[str]) -> None:
    """Raise :class:`~linmod.exceptions.InputError` unless every factor is allowed.

    Parameters
    ----------
    formula : str
        A formula read from an untrusted source (only its right-hand side is evaluated
        at prediction time, and only it is checked).
    variables : iterable of str
        The data columns the formula may name.

    Raises
    ------
    InputError
        Naming the refused piece of the formula.
    """
    names = frozenset(str(v) for v in variables)
    if len(formula) > _MAX_LENGTH:
        raise InputError(f"the model file's formula is refused: longer than {_MAX_LENGTH}")
    rhs = formula.split("~", 1)[1] if "~" in formula else formula
    try:
        terms = list(Formula(rhs))
    except Exception as error:  # formulaic raises its own errors and SyntaxError
        raise formula_error(formula, error, "the model file's formula") from None
    for term in terms:
        factors = getattr(term, "factors", None)
        if factors is None:  # a structured formula ("a | b"): not something linmod saves
            raise InputError(f"the model file's formula is refused: {rhs.strip()!r}")
        for factor in factors:
            method = str(getattr(factor.eval_method, "value", factor.eval_method))
            expression = str(factor.expr)
            if method == "literal":
                continue
            if method == "lookup":
                if expression not in names:
                    raise InputError(
                        f"the model file's formula is refused: {expression!r} is not a "
                        "column of the model"
                    )
                continue
            _check_python_factor(expression, names)


def _check_python_factor(expression: str, names: frozenset[str]) -> None:
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
    _check_node(tree, names | frozenset(aliases), expression)
    unknown = [name for alias, name in aliases.items() if name not in names]
    if unknown:
        raise _refusal(f"the name {unknown[0]!r} (not a column of the model)", expression)
