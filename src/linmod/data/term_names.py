"""Column names as they are written in a formula, for designs and for the fixes messages suggest.

A column whose name is a Python identifier (``price``, ``x_1``) is written as it is; any
other name (``customer id``, ``Unnamed: 0``, ``x.1``) needs backticks in a formula:
``C(`customer id`)``, ``I(`Unnamed: 0`)``.  Every message that suggests a formula
fragment naming a column writes it through :func:`call_on` (or :func:`quoted_name`), so the
suggestion can be pasted into the formula as it is.
"""

from __future__ import annotations

import ast
import keyword
import re

from linmod.exceptions import InputError

__all__ = [
    "call_on",
    "coded_column",
    "parse_expression",
    "pasteable",
    "quoted_name",
    "right_side",
    "split_sides",
    "term_name",
]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BACKTICKED = re.compile(r"`([^`]+)`")


def split_sides(formula: str) -> tuple[str, str] | None:
    """A formula's two sides, split at its first ``~`` outside backticks and quotes.

    ``"`sales~net` ~ x"`` is ``("`sales~net` ", " x")``: the ``~`` inside the backticked
    name is part of the name.  None when there is no such ``~`` (a one-sided formula).

    Parameters
    ----------
    formula : str

    Returns
    -------
    (str, str) or None
    """
    quote: str | None = None
    for i, char in enumerate(formula):
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "`'\"":
            quote = char
        elif char == "~":
            return formula[:i], formula[i + 1 :]
    return None


def right_side(formula: str) -> str:
    """A formula's right-hand side (after its first ``~`` outside backticks and quotes),
    or the whole formula when it is one-sided."""
    sides = split_sides(formula)
    return formula if sides is None else sides[1]


def quoted_name(column: str) -> str:
    """``column`` as a formula writes it: itself, or backticked when not an identifier.

    Unlike :func:`term_name` this never raises (for a message, a name with a backtick in
    it is shown backticked all the same).

    Parameters
    ----------
    column : str

    Returns
    -------
    str
    """
    column = str(column)
    return column if _IDENTIFIER.match(column) else f"`{column}`"


def pasteable(term: str) -> str:
    """A design column's name as a formula can take it back inside a call such as
    ``I(...**2)``: an expression (``wt``, ``np.log(hp)``) as it is, a column name that
    is not one (``price ($)``, ``Unnamed: 0``) backticked.

    Parameters
    ----------
    term : str

    Returns
    -------
    str
    """
    term = str(term)
    try:
        ast.parse(term, mode="eval")
    except SyntaxError:
        return quoted_name(term)
    return term


def call_on(function: str, column: str) -> str:
    """A formula call on one column, e.g. ``call_on("C", "customer id")`` is ``C(`customer id`)``
    and ``call_on("C", "class")`` is ``C(Q('class'))`` (a keyword, even backticked, is not
    Python inside a call).

    Parameters
    ----------
    function : str
        The formula function, e.g. ``"C"`` or ``"I"``.
    column : str

    Returns
    -------
    str
    """
    if keyword.iskeyword(str(column)):  # a Python keyword cannot be a call's argument
        return f"{function}(Q({str(column)!r}))"
    return f"{function}({quoted_name(column)})"


def term_name(column: str) -> str:
    """A column name as a formula term: itself, or backticked when not an identifier
    (a column named ``1`` as ``Q('1')``: formulaic reads `` `1` `` as the intercept).

    Raises
    ------
    InputError
        For a name containing a backtick, which a formula cannot quote.
    """
    if "`" in column and not _IDENTIFIER.match(column):
        raise InputError(
            f"column {column!r} contains a backtick, which a formula cannot quote; rename it"
        )
    if column == "1":  # formulaic reads `1` as the intercept, even in backticks
        return "Q('1')"
    return quoted_name(column)


def parse_expression(expression: str) -> tuple[ast.Expression, dict[str, str]] | None:
    """Parse a formula expression as Python, backticked names (`` `shop name` ``) first
    replaced by placeholder identifiers.

    Returns
    -------
    (ast.Expression, dict) or None
        The tree and the names behind its placeholders (``names.get(node.id, node.id)``
        is a ``Name`` node's column); None when it is not an expression.
    """
    names: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        key = f"__linmod_name_{len(names)}"
        names[key] = match.group(1)
        return key

    try:
        return ast.parse(_BACKTICKED.sub(placeholder, expression), mode="eval"), names
    except SyntaxError:
        return None


def coded_column(expression: str) -> str | None:
    """The column a factor expression wraps in ``C(...)``, or None.

    ``C(g)``, ``C(g, Treatment('b'))``, ``C(`shop name`)`` and ``C(Q('class'))`` name
    ``g``, ``g``, ``shop name`` and ``class``; anything else (``I(x)``, ``C(a + b)``, a
    plain name) is None.
    """
    parsed = parse_expression(expression)
    if parsed is None:
        return None
    tree, names = parsed
    node = tree.body
    if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "C" and node.args):
        return None
    argument = node.args[0]
    if isinstance(argument, ast.Name):
        return names.get(argument.id, argument.id)
    if (  # Q('class'): a name that is not Python (a keyword, or "1")
        isinstance(argument, ast.Call)
        and ast.unparse(argument.func) == "Q"
        and len(argument.args) == 1
        and not argument.keywords
        and isinstance(argument.args[0], ast.Constant)
        and isinstance(argument.args[0].value, str)
    ):
        return argument.args[0].value
    return None
