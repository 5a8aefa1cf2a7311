"""Expand a formula's terms only when the work it implies is small.

formulaic expands ``(a+b+c+d+e+f+g+h)**8`` by multiplying every one of the 8⁸ ordered
choices of terms (16.7 million products for 255 distinct terms), and ``a*b*...*v``
(22 factors) into 4 million terms: a formula from an untrusted model file could keep
:func:`linmod.load` busy for minutes and take gigabytes.  :func:`bounded_terms` parses
the formula into formulaic's syntax tree (linear in its length), then evaluates the
tree bottom-up with formulaic's own operators, estimating before each operation how many
term products it will take from the sizes of its already-expanded operands; once the
running total would pass :data:`MAX_TERM_PRODUCTS` it refuses, so no expansion larger
than that is ever started.
"""

from __future__ import annotations

import math
from typing import Any

from formulaic.errors import FormulaicError
from formulaic.parser import DefaultFormulaParser
from formulaic.parser.types import ASTNode, Term

from linmod.data.formula import formula_error
from linmod.exceptions import InputError

__all__ = ["MAX_TERM_PRODUCTS", "bounded_terms"]

#: Most term products (formulaic's unit of expansion work) a formula may take: about
#: 0.3 s, and far above what an ordinary formula needs (``(a+...+j)**3`` takes 1,000;
#: a sum of 1,000 columns about 17,000, counting a copied term as 1/30 of a product).
MAX_TERM_PRODUCTS = 20_000
#: Largest ``**`` exponent of a formula (formulaic repeats its operand that many times).
MAX_FORMULA_POWER = 64


def _power(node: ASTNode, where: str) -> int:
    token = str(node.args[1]).strip()
    if not token.isdigit() or len(token) > 3 or int(token) > MAX_FORMULA_POWER:
        raise InputError(
            f"the model file's formula is refused: the power {token!r} in {where!r} is not "
            f"a whole number up to {MAX_FORMULA_POWER}"
        )
    return int(token)


def _products(node: ASTNode, sizes: list[int], where: str) -> float:
    """Term products formulaic's operator will take on operands of these sizes."""
    symbol = node.operator.symbol
    if symbol in ("**", "^"):
        power = _power(node, where)
        return power * float(sizes[0]) ** power if sizes[0] > 1 else power
    if symbol == ":":
        return math.prod(sizes)
    if symbol == "*":
        return math.prod(sizes) + sum(sizes)
    # +, -, /, %in% and the unary operators copy their operands: about 30 times cheaper
    return sum(sizes) / 30


def _short(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _evaluate(node: ASTNode, args: list[Any]) -> Any:
    if node.operator.structural or not args:
        raise InputError(
            f"the model file's formula is refused: the operator {node.operator.symbol!r} "
            "(a model file holds one right-hand side without '|', '~' or '.')"
        )
    return node.operator.to_terms(*args, context={})


def bounded_terms(rhs: str, what: str = "the model file's formula") -> list[Term]:
    """Return the terms of a right-hand side, refusing before any large expansion.

    Parameters
    ----------
    rhs : str
        The right-hand side of a formula (no ``~``).
    what : str
        How error messages name the formula.

    Returns
    -------
    list of formulaic Term

    Raises
    ------
    InputError
        If the formula cannot be parsed, has a structural operator, or expanding it
        would take more than :data:`MAX_TERM_PRODUCTS` term products.
    """
    try:
        tree = DefaultFormulaParser().parse(rhs, target="ast", context={})
    except (FormulaicError, SyntaxError, ValueError) as error:
        raise formula_error(rhs, error, what) from None
    except (RecursionError, MemoryError):  # Python's parser gives up on deep nesting
        raise InputError(
            f"{what} is refused: {_short(rhs)!r} nests deeper than Python can parse"
        ) from None
    if tree is None:
        raise InputError(f"{what} {rhs!r} has no terms")
    if not isinstance(tree, ASTNode):
        return list(tree.to_terms())
    done: dict[int, Any] = {}
    work = 0.0
    stack: list[ASTNode] = [tree]
    while stack:  # post-order without recursion: a long formula is a deep tree
        node = stack[-1]
        pending = [a for a in node.args if isinstance(a, ASTNode) and id(a) not in done]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        if id(node) in done:
            continue
        args = [done[id(a)] if isinstance(a, ASTNode) else a.to_terms() for a in node.args]
        work += _products(node, [len(a) for a in args], rhs)
        if work > MAX_TERM_PRODUCTS:
            hint = (
                " (write a*b*c for all the interactions of a, b and c, not (a+b+c)**3)"
                if node.operator.symbol in ("**", "^")
                else ""
            )
            raise InputError(
                f"{what} is refused: expanding {_short(rhs)!r} takes more than "
                f"{MAX_TERM_PRODUCTS} term products{hint}"
            )
        try:
            done[id(node)] = _evaluate(node, args)
        except FormulaicError as error:
            raise formula_error(rhs, error, what) from None
    return list(done[id(tree)])
