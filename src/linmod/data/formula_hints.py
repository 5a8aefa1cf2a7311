"""Hints for formulas: column names a formula cannot write bare (``my var``, ``a-b``), and
R functions a formula here spells another way (``factor(x)`` is ``C(x)``)."""

from __future__ import annotations

import keyword
import re
from typing import Any

from linmod.data.term_names import split_sides

__all__ = ["backtick_hint", "keyword_hint", "r_function_hint"]

#: R's formula functions that formulaic does not have, and what to write instead
#: (``{arg}`` is the call's first argument).
_R_FUNCTIONS = {
    "as.factor": "for a categorical variable write C({arg}) (R's as.factor({arg}))",
    "factor": "for a categorical variable write C({arg}) (R's factor({arg}))",
    "relevel": "to choose the reference level write C(x, Treatment(reference=level))",
    "offset": (
        "offset() is not available: subtract the offset from the response, "
        "{without_offset}, and add it back to the predictions"
    ),
    "ns": (
        "R's natural spline ns() is cr({arg}, df=k) here (a natural cubic regression "
        "spline); bs({arg}, df=k) is a B-spline"
    ),
    "as.numeric": "write the column itself, or I(...) for arithmetic on it",
}
_CALL = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, _R_FUNCTIONS)) + r")\s*\(")


def backtick_hint(formula: str, columns: Any) -> str:
    """A hint for column names a formula must quote (``my var``, ``price-usd``, ``1st``).

    Returns ``"; ..."`` naming each such column written bare in ``formula``, or ``""``.
    """
    awkward = [
        name
        for name in map(str, columns)
        if not name.isidentifier()
        and name in formula
        and f"`{name}`" not in formula
        and f"Q({name!r})" not in formula
        and f'Q("{name}")' not in formula
    ]
    if not awkward:
        return ""
    quoted = ", ".join(f"`{name}`" for name in awkward[:5])
    return (
        f"; a column name that is not a plain identifier must be quoted in a formula: "
        f"write {quoted} (backticks), or Q({awkward[0]!r})"
    )


def r_function_hint(formula: str) -> str:
    """``"; ..."`` saying how to write the first R-only function ``formula`` calls, or ``""``.

    ``factor(cyl)`` is ``C(cyl)``, ``offset(x)`` is refused with the subtraction to write
    instead, ``ns(x, 3)`` is ``cr(x, df=3)``, and so on (:data:`_R_FUNCTIONS`).
    """
    match = _CALL.search(formula)
    if match is None:
        return ""
    name = match.group(1)
    argument, end = _first_argument(formula, match.end())
    hint = _R_FUNCTIONS[name].format(
        arg=argument or "x",
        without_offset=_offset_subtracted(formula, match.start(), end, argument or "x"),
    )
    return "; " + hint


def _first_argument(text: str, start: int) -> tuple[str, int]:
    """The first argument of the call whose ``(`` ends just before ``start`` (nested
    parentheses and quotes kept whole), and the position after the call's ``)``."""
    depth, quote, argument_end = 0, None, None
    for i in range(start, len(text)):
        char = text[i]
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "`'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == "," and depth == 0 and argument_end is None:
            argument_end = i
        elif char == ")":
            if depth == 0:
                return text[start : i if argument_end is None else argument_end].strip(), i + 1
            depth -= 1
    return text[start:].strip(), len(text)  # unbalanced: formulaic says so


def _offset_subtracted(formula: str, start: int, end: int, offset: str) -> str:
    """``formula`` with the call at ``[start, end)`` taken off the right side and
    subtracted from the response: ``y ~ x + offset(log(z))`` is ``I(y - log(z)) ~ x``."""
    sides = split_sides(formula)
    if sides is None or start < len(sides[0]):
        return f"e.g. I(y - {offset}) ~ x"
    response = sides[0].strip()
    rest = (formula[len(sides[0]) + 1 : start] + formula[end:]).strip()
    rest = re.sub(r"^\s*\+\s*|\s*\+\s*$", "", re.sub(r"\+\s*\+", "+", rest)).strip()
    return f"write {f'I({response} - {offset})'} ~ {rest or '1'}"


_NAME = re.compile(r"`([^`]+)`|(?<![\w.'\"])([A-Za-z_]\w*)")


def keyword_hint(formula: str) -> str:
    """``"; ..."`` for a Python keyword (``class``, ``if``, ``lambda``) used as a column
    name inside a call such as ``C(...)`` or ``I(...)``, or ``""``.

    A formula takes such a column as a plain term (``y ~ class``, or backticked), but a
    call's argument is Python, where a keyword cannot be a name, backticks or not
    (formulaic: "invalid syntax"); ``Q('class')`` names the column inside a call.
    """
    if "(" not in formula:
        return ""
    names = [quoted or bare for quoted, bare in _NAME.findall(formula)]
    keywords = list(dict.fromkeys(n for n in names if keyword.iskeyword(n)))
    if not keywords:
        return ""
    listed = ", ".join(map(repr, keywords))
    return (
        f"; {listed} {'is a Python keyword' if len(keywords) == 1 else 'are Python keywords'}"
        f", which a call's argument cannot name, even in backticks: write Q({keywords[0]!r}) "
        f"inside a call: {_keywords_quoted(formula, set(keywords))}"
    )


def _keywords_quoted(formula: str, keywords: set[str]) -> str:
    """``formula`` with each of ``keywords`` inside parentheses (bare or backticked)
    written ``Q('name')``: ``y ~ np.log(lambda)`` is ``y ~ np.log(Q('lambda'))``."""
    out: list[str] = []
    depth, position = 0, 0
    for match in _NAME.finditer(formula):
        gap = formula[position : match.start()]
        depth += gap.count("(") - gap.count(")")
        name = match.group(1) or match.group(2)
        inside = depth > 0 and name in keywords
        out.append(gap + (f"Q({name!r})" if inside else match.group(0)))
        position = match.end()
    out.append(formula[position:])
    return "".join(out)
