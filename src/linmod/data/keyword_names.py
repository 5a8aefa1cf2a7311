"""Factors of columns named like Python keywords: ``C(class)`` read as ``C(Q('class'))``.

R accepts any column name in a formula; formulaic evaluates a call's arguments as
Python, where ``class``, ``if`` or ``lambda`` cannot be a name, even in backticks, and
only ``Q('class')`` reaches the column.  ``C(class)`` (or ``C(`class`)``) can mean
nothing else, so :func:`quote_keyword_factors` writes it as ``C(Q('class'))`` before the
formula is parsed, on every path (in memory, where plain formulas are encoded without
formulaic, streamed and Dask): the fit then works the same on each, its coefficients
are named ``C(Q('class'))[T.b]`` as a formula can take them back, and a saved model
holds a formula formulaic evaluates.  A keyword as a bare term (``y ~ class``) is a
lookup of the column and needs nothing.  Keywords in any other call (``I(lambda**2)``)
are left as written: the parse error then says to write ``Q('lambda')``
(:func:`linmod.data.formula_hints.keyword_hint`).
"""

from __future__ import annotations

import keyword
import re

__all__ = ["quote_keyword_factors"]

#: ``C(`` with a lone name (bare or backticked) as its first argument.
_FACTOR = re.compile(r"C\(\s*(?:`(?P<quoted>[A-Za-z_]\w*)`|(?P<bare>[A-Za-z_]\w*))\s*(?=[,)])")
_NAME_CHARACTER = re.compile(r"[\w.]")
#: Keywords that are Python constants: ``C(True)`` is a valid call.
_CONSTANTS = frozenset({"True", "False", "None"})


def quote_keyword_factors(formula: str) -> str:
    """``formula`` with each ``C(keyword)`` written ``C(Q('keyword'))``.

    Text in quotes and backticked names are left alone (a column named ``C(class)``
    stays one name).

    Parameters
    ----------
    formula : str

    Returns
    -------
    str
        ``formula`` itself when it has no such factor.

    Examples
    --------
    >>> quote_keyword_factors("y ~ C(class) + C(`if`, Treatment('b')) + lambda")
    "y ~ C(Q('class')) + C(Q('if'), Treatment('b')) + lambda"
    """
    if "C(" not in formula:
        return formula
    pieces: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(formula):
        char = formula[i]
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "`'\"":
            quote = char
        elif char == "C" and (i == 0 or not _NAME_CHARACTER.match(formula[i - 1])):
            match = _FACTOR.match(formula, i)
            name = "" if match is None else str(match["quoted"] or match["bare"])
            if match is not None and keyword.iskeyword(name) and name not in _CONSTANTS:
                pieces.append(f"C(Q({name!r})")
                i = match.end()
                continue
        pieces.append(char)
        i += 1
    return "".join(pieces)
