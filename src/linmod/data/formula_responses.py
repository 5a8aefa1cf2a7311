"""Reading a formula's responses: ``"mpg + qsec ~ wt"`` and R's ``"cbind(mpg, qsec) ~ wt"``.

String work only (no data): :func:`split_responses` says whether a formula has several
responses, for :mod:`linmod.data.multi_response` (which fits them) and for
:func:`refuse_several_responses`, which every single-response fit calls so that such a
formula is refused with a clear message rather than a formula-parser error.
"""

from __future__ import annotations

from linmod.exceptions import InputError

__all__ = ["refuse_several_responses", "split_responses"]

_OPEN, _CLOSE = "([{", ")]}"


def _top_level_split(text: str, separator: str) -> list[str]:
    """Split ``text`` at ``separator`` outside brackets, quotes and backticks."""
    pieces, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "`'\"":
            quote = char
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
        elif char == separator and depth == 0:
            pieces.append(text[start:i].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    return pieces


def _closing_bracket(text: str, start: int) -> int:
    """Position of the bracket closing the one at ``start`` (-1 if none)."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "`'\"":
            quote = char
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return -1


def _cbind_arguments(lhs: str) -> list[str] | None:
    opening = len("cbind")
    if not lhs.startswith("cbind(") or _closing_bracket(lhs, opening) != len(lhs) - 1:
        return None
    return _top_level_split(lhs[opening + 1 : -1], ",")


def split_responses(formula: str) -> tuple[list[str], str] | None:
    """The responses and right-hand side of a multi-response formula, else None.

    Parameters
    ----------
    formula : str
        ``"mpg + qsec ~ wt"`` or ``"cbind(mpg, qsec) ~ wt"``.

    Returns
    -------
    (responses, rhs) or None
        None for a formula with one response (``"y ~ x"``, ``"I(a + b) ~ x"``).

    Raises
    ------
    InputError
        For an empty response (``"cbind(a, ) ~ x"``) or one named twice.
    """
    pieces = _top_level_split(formula, "~")
    if len(pieces) != 2:
        return None
    lhs, rhs = pieces
    responses = _cbind_arguments(lhs)
    if responses is None:
        responses = _top_level_split(lhs, "+")
        if len(responses) < 2:
            return None
    if any(not r for r in responses):
        raise InputError(
            f"formula {formula!r} has an empty response; write the responses as "
            "'y1 + y2 ~ x' or 'cbind(y1, y2) ~ x'"
        )
    twice = sorted({r for r in responses if responses.count(r) > 1})
    if twice:
        raise InputError(
            f"formula {formula!r} names the response(s) {', '.join(map(repr, twice))} more "
            "than once; list each response once"
        )
    return responses, rhs


def refuse_several_responses(formula: str, what: str = "this fit") -> None:
    """Raise when ``formula`` has several responses, which only :func:`linmod.ols` fits.

    Raises
    ------
    InputError
        Naming the responses and the alternatives.
    """
    split = split_responses(formula)
    if split is not None:
        names = ", ".join(map(repr, split[0]))
        raise InputError(
            f"{what} takes one response, but the formula {formula!r} has several ({names}): "
            "linmod.ols fits several responses on one design (R's mlm); otherwise fit one "
            "formula per response, or write I(a + b) for the sum of two columns"
        )
