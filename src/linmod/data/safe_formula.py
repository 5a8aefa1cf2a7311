"""Is a formula from an untrusted file safe to evaluate?

Formulas are evaluated as Python by formulaic (``np.log(age + 1)``, ``I(x**2)``), so a
model file could smuggle ``I(open('f', 'w').write('x'))`` into the formula it carries.
:func:`check_formula_is_safe` parses every factor of the right-hand side into a Python
syntax tree and accepts only what a regression formula needs: the data's variables,
numbers and strings, arithmetic, and calls of a fixed list of functions (``C``, ``I``,
``poly``, ``ordinal``, ``contr.*`` codings and elementwise ``np.*`` transforms). Anything
else (other names, attribute access, subscripts, lambdas, comprehensions) is refused
before a single factor is evaluated.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from formulaic import Formula
from formulaic.errors import FormulaicError

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
#: ``contr.<name>`` contrast codings for ``C(x, contr.treatment("b"))``.
_CONTRASTS = frozenset({"treatment", "sum", "helmert", "diff", "poly", "custom"})
_OPERATORS = (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.USub, ast.UAdd,
)  # fmt: skip


def _callee_is_allowed(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _FUNCTIONS
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner, name = node.value.id, node.attr
        return (owner == "np" and name in _NUMPY) or (owner == "contr" and name in _CONTRASTS)
    return False


def _check_node(node: ast.AST, variables: frozenset[str], where: str) -> None:
    def refuse(what: str) -> InputError:
        return InputError(
            f"the model file's formula is refused: {what} in {where!r}; a saved formula may "
            "use only the data's columns, numbers, arithmetic and the functions C, I, poly, "
            "ordinal, contr.* and elementwise np.* transforms"
        )

    if isinstance(node, ast.Expression):
        _check_node(node.body, variables, where)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, int | float | str | bool | type(None)):
            raise refuse(f"the constant {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id not in variables:
            raise refuse(f"the name {node.id!r} (not a column of the model)")
    elif isinstance(node, ast.Call):
        if not _callee_is_allowed(node.func):
            raise refuse(f"a call of {ast.unparse(node.func)!r}")
        for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
            _check_node(argument, variables, where)
    elif isinstance(node, ast.BinOp | ast.UnaryOp):
        if not isinstance(node.op, _OPERATORS):
            raise refuse(f"the operator {type(node.op).__name__}")
        for child in (node.left, node.right) if isinstance(node, ast.BinOp) else (node.operand,):
            _check_node(child, variables, where)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            _check_node(element, variables, where)
    else:
        raise refuse(f"the expression {ast.unparse(node)!r}")


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
    rhs = formula.split("~", 1)[1] if "~" in formula else formula
    try:
        terms = Formula(rhs)
    except FormulaicError as error:
        raise InputError(f"the model file's formula cannot be parsed: {error}") from None
    for term in terms:
        for factor in term.factors:
            method = str(getattr(factor.eval_method, "value", factor.eval_method))
            if method in ("literal", "lookup"):
                if method == "lookup" and str(factor.expr) not in names:
                    raise InputError(
                        f"the model file's formula is refused: {factor.expr!r} is not a "
                        "column of the model"
                    )
                continue
            try:
                tree = ast.parse(str(factor.expr), mode="eval")
            except SyntaxError as error:
                raise InputError(
                    f"the model file's formula is refused: {factor.expr!r} is not an "
                    f"expression ({error.msg})"
                ) from None
            _check_node(tree, names, str(factor.expr))
