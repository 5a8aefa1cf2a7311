"""Text columns that are numbers written in another notation, and what turns them into numbers.

A CSV column of ``"43,609"``, ``"1.381,90"``, ``"$1,200"``, ``"10%"``, ``"−1.3"`` (U+2212
minus), ``"3 455.8"`` (a no-break space between thousands), ``"1'234"`` or ``"(1.23)"``
(an accountant's negative) is read as text.  As text it would silently become a factor
(one coefficient per distinct value) or be left out of ``y ~ .`` as an identifier; it is
neither.  :func:`notation_problem` recognises such a column from its distinct values and
says what it holds and how to make numbers of it:

* ``"numbers"``: a read option fixes it (``thousands=','``, ``decimal=','``,
  ``thousands='.'`` with ``decimal=','``, ``thousands="'"``);
* ``"symbols"``: only a conversion does (currency symbols, percent signs, other minus
  signs, parentheses, thousands separators that are spaces).  linmod does not strip
  symbols itself (is ``10%`` 10 or 0.1? is ``$`` the same currency in every row?), so the
  message gives the exact pandas one-liner that converts the column.

A column is recognised when at least :data:`NEARLY_ALL` of its distinct values read as
numbers in one notation and at least one of them is not a plain number; plain numbers
stored as text are not this module's concern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from linmod.data.read_advice import read_advice, read_options_advised
from linmod.data.term_names import call_on
from linmod.exceptions import InputError

__all__ = ["NEARLY_ALL", "Notation", "find_notation", "notation_error", "notation_problem"]

#: Share of the distinct values that must read as numbers in the notation found.
NEARLY_ALL = 0.9
_SAMPLE = 200
#: Minus signs other than the ASCII hyphen-minus, with their names.
_MINUS = {
    "\u2212": "the U+2212 minus sign",
    "\u2013": "the U+2013 en dash as a minus sign",
    "\ufe63": "the U+FE63 small minus sign",
    "\uff0d": "the U+FF0D full-width minus sign",
}
#: Thousands separators and how a message names them.
_GROUPS = {
    ",": "','",
    ".": "'.'",
    "'": "apostrophes",
    "\u2019": "U+2019 apostrophes",
    "\u00a0": "U+00A0 no-break spaces",
    "\u202f": "U+202F narrow no-break spaces",
    "\u2009": "U+2009 thin spaces",
    " ": "spaces",
}
#: (thousands separator, decimal mark) pairs tried in order; the first that reads the
#: most values wins, so a column of "1,234" is thousands (as pandas' thousands=','), and
#: a separator no value has is never named.
_NOTATIONS: tuple[tuple[str | None, str], ...] = (
    (None, "."),
    (",", "."),
    (None, ","),
    (".", ","),
    *(
        (group, mark)
        for group in ("'", "\u2019", "\u00a0", "\u202f", "\u2009", " ")
        for mark in ".,"
    ),
)
#: Notations a CSV read option fixes, and the option (pandas.read_csv's spelling).
_READ_OPTIONS: dict[tuple[str | None, str], dict[str, str]] = {
    (",", "."): {"thousands": ","},
    (None, ","): {"decimal": ","},
    (".", ","): {"thousands": ".", "decimal": ","},
    ("'", "."): {"thousands": "'"},
}
_NUMERAL = re.compile(r"[.,]?\d(?:[\d.,'\u2019\u00a0\u202f\u2009 ]*\d)?")


@dataclass(frozen=True)
class _Reading:
    """One value split into its numeral and the symbols around it."""

    numeral: str
    minus: str | None  # a minus sign other than "-"
    parentheses: bool
    currency: str  # the currency symbols, "" if none
    percent: bool
    spaces: str  # whitespace other than ASCII spaces around the numeral


@dataclass(frozen=True)
class _Symbols:
    """The symbols on one side of a numeral."""

    signs: int  # "+", "-" and other minus signs
    minus: str | None  # the last minus sign other than "-"
    currency: str
    spaces: str  # whitespace other than ASCII spaces
    percent: bool


def _symbols(text: str, *, signs_allowed: bool) -> _Symbols | None:
    """The symbols of ``text`` (before the numeral when ``signs_allowed``: signs may stand
    there; after it: one percent sign may), or None when it holds anything else."""
    signs, minus, currency, spaces, percent = 0, None, "", "", False
    for char in text:
        if signs_allowed and (char in "+-" or char in _MINUS):
            signs += 1
            minus = char if char in _MINUS else minus
        elif not signs_allowed and char == "%" and not percent:
            percent = True
        elif unicodedata.category(char) == "Sc":
            currency += char
        elif char.isspace():
            spaces += "" if char == " " else char
        else:
            return None
    return _Symbols(signs, minus, currency, spaces, percent)


def _read(text: str) -> _Reading | None:
    """Split ``text`` into numeral and symbols, or None when it is not a number so written."""
    value = text.strip()
    parentheses = len(value) > 2 and value[0] == "(" and value[-1] == ")"
    if parentheses:
        value = value[1:-1]
    match = _NUMERAL.search(value)
    if match is None:
        return None
    before = _symbols(value[: match.start()], signs_allowed=True)
    after = _symbols(value[match.end() :], signs_allowed=False)
    if before is None or after is None:
        return None
    if before.signs > 1 or (parentheses and before.signs):
        return None
    currency, spaces = before.currency + after.currency, before.spaces + after.spaces
    return _Reading(match.group(), before.minus, parentheses, currency, after.percent, spaces)


def _pattern(group: str | None, mark: str) -> re.Pattern[str]:
    mark_part = rf"(?:{re.escape(mark)}\d+)?"
    plain = rf"\d+{mark_part}|{re.escape(mark)}\d+"
    if group is None:
        return re.compile(rf"(?:{plain})\Z")
    return re.compile(rf"(?:\d{{1,3}}(?:{re.escape(group)}\d{{3}})+{mark_part}|{plain})\Z")


_PATTERNS = {notation: _pattern(*notation) for notation in _NOTATIONS}


def _sample(levels: Iterable[Any]) -> list[str]:
    out = []
    for value in levels:
        if isinstance(value, str) and value.strip():
            out.append(value)
            if len(out) >= _SAMPLE:
                break
    return out


def _one_liner(column: str, readings: list[_Reading], group: str | None, mark: str) -> str:
    """The pandas line that converts the column, step by step (no regular expression but
    for parentheses)."""
    series = f"df[{column!r}]"
    steps: list[tuple[str, str]] = []
    for symbol in sorted({c for r in readings for c in r.currency}):
        steps.append((symbol, ""))
    if any(r.percent for r in readings):
        steps.append(("%", ""))
    for space in sorted({c for r in readings for c in r.spaces}):
        steps.append((space, ""))
    if group is not None:
        steps.append((group, ""))
    if mark == ",":
        steps.append((",", "."))
    for minus in sorted({r.minus for r in readings if r.minus is not None}):
        steps.append((minus, "-"))
    for old, new in steps:
        series += f".str.replace({old!r}, {new!r}, regex=False)"
    if any(r.parentheses for r in readings):
        series += r".str.replace(r'^\s*\((.*)\)\s*$', r'-\1', regex=True)"
    return f"pd.to_numeric({series})"


def _what(readings: list[_Reading], group: str | None, mark: str) -> str:
    """What the column's notation has, e.g. "the currency symbol '$' and ',' thousands"."""
    parts = []
    symbols = sorted({c for r in readings for c in r.currency})
    if symbols:
        listing = ", ".join(map(repr, symbols))
        parts.append(f"the currency symbol{'s' if len(symbols) > 1 else ''} {listing}")
    if any(r.percent for r in readings):
        parts.append("percent signs")
    minus = sorted({r.minus for r in readings if r.minus is not None})
    parts.extend(_MINUS[m] for m in minus)
    if any(r.parentheses for r in readings):
        parts.append("parentheses for negative numbers")
    if group is not None:
        parts.append(f"{_GROUPS[group]} between thousands")
    if mark == ",":
        parts.append("a decimal comma")
    if any(r.spaces for r in readings):
        parts.append("no-break or other spaces around the number")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]


@dataclass(frozen=True)
class Notation:
    """How a text column writes its numbers, as :func:`find_notation` found it.

    Attributes
    ----------
    group : str or None
        The thousands separator (None: none).
    mark : str
        The decimal mark.
    examples : list of str
        Values that show the notation (with symbols, separators or a decimal comma).
    words : list of str
        Values that are not numbers in it (a few, such as ``"n/a"``).
    what : str
        What the notation has, e.g. ``"the currency symbol '$' and ',' between thousands"``.
    head : str
        The same, shorter for the notations a read option fixes
        (``"thousands separators"``, ``"a decimal comma"``).
    option : str or None
        The CSV read option that reads it (``"thousands=','"``); None when the values
        carry symbols only a conversion removes.
    """

    group: str | None
    mark: str
    examples: list[str]
    words: list[str]
    what: str
    head: str
    option: str | None
    readings: tuple[_Reading, ...]

    @property
    def keywords(self) -> dict[str, str]:
        """The read option as ``pandas.read_csv`` keywords (``{"thousands": ","}``); empty
        when none reads the values."""
        return dict(_READ_OPTIONS.get((self.group, self.mark), {})) if self.option else {}

    def conversion(self, column: str) -> str:
        """The pandas expression that converts ``column`` (``errors='coerce'`` when some
        values are words)."""
        line = _one_liner(column, list(self.readings), self.group, self.mark)
        return line[:-1] + ", errors='coerce')" if self.words else line

    @property
    def percent(self) -> bool:
        """Whether the values carry percent signs."""
        return any(r.percent for r in self.readings)


def find_notation(levels: Iterable[Any]) -> Notation | None:
    """The notation of a text column's numbers, when it is not plain, or None.

    Parameters
    ----------
    levels : iterable
        Its distinct non-missing values (the first 200 text values are looked at).

    Returns
    -------
    Notation or None
        None unless at least :data:`NEARLY_ALL` of the values read as numbers in one
        notation and some of them have separators, a decimal comma or symbols.
    """
    sample = _sample(levels)
    if not sample:
        return None
    readings = {text: _read(text) for text in sample}
    best: tuple[int, tuple[str | None, str]] | None = None
    for notation in _NOTATIONS:
        pattern = _PATTERNS[notation]
        count = sum(1 for r in readings.values() if r is not None and pattern.match(r.numeral))
        if best is None or count > best[0]:
            best = (count, notation)
    assert best is not None
    count, (group, mark) = best
    if count < NEARLY_ALL * len(sample):
        return None
    pattern = _PATTERNS[(group, mark)]
    numbers = {t: r for t, r in readings.items() if r is not None and pattern.match(r.numeral)}
    words = [t for t in sample if t not in numbers]
    symbols = [
        t
        for t, r in numbers.items()
        if r.minus or r.parentheses or r.currency or r.percent or r.spaces
    ]
    grouped = [t for t, r in numbers.items() if group is not None and group in r.numeral]
    commas = [t for t in numbers if mark == "," and "," in t]
    if not (symbols or grouped or commas):
        return None  # plain numbers (or numbers with a few words: another rule's concern)
    what = _what(list(numbers.values()), group, mark)
    keywords = None if symbols else _READ_OPTIONS.get((group, mark))
    option = None if keywords is None else " and ".join(f"{k}={v!r}" for k, v in keywords.items())
    if option is not None and (group, mark) == (",", "."):
        head = "thousands separators"
    elif option is not None and (group, mark) == (None, ","):
        head = "a decimal comma"
    else:
        head = what
    return Notation(
        group, mark, symbols or grouped or commas, words, what, head, option,
        tuple(numbers.values()),
    )  # fmt: skip


def notation_problem(column: str, levels: Iterable[Any]) -> tuple[str, str] | None:
    """``(kind, message)`` for a text column of numbers in another notation, or None.

    Parameters
    ----------
    column : str
        The column's name, for the message.
    levels : iterable
        Its distinct non-missing values (the first 200 text values are looked at).

    Returns
    -------
    tuple of (str, str) or None
        ``("numbers", message)`` when a read option fixes it (the message names the
        option, e.g. ``thousands=','``); ``("symbols", message)`` when a conversion is
        needed (the message gives the pandas line); None for anything else, plain
        numbers stored as text included.  The message ends before the advice on what to
        do instead (leaving the column out, or ``C(col)``), which depends on the caller.
    """
    notation = find_notation(levels)
    if notation is None:
        return None
    example = notation.examples[0]
    words = notation.words
    shown = ", ".join(repr(w.strip()) for w in words[:3])
    if notation.option is not None:
        keywords: dict[str, Any] = notation.keywords
        extra = f" (and {shown}: read as missing with na_values=[{shown}])" if words else ""
        if words and read_options_advised():  # one read_options= with both
            keywords["na_values"] = [w.strip() for w in words[:3]]
            extra = f" (and {shown})"
        return "numbers", (
            f"column {column!r} holds numbers written with {notation.head} (e.g. "
            f"{example.strip()!r}){extra}, read as text: {read_advice(keywords)}"
        )
    line = notation.conversion(column)
    percent = " (in percent, as written; divide by 100 for fractions)" if notation.percent else ""
    coerced = f", which also makes {shown} missing" if words else ""
    return "symbols", (
        f"column {column!r} holds numbers written with {notation.what} (e.g. "
        f"{example.strip()!r}), read as text; linmod does not strip symbols from numbers: "
        f"convert the column before fitting, e.g. df[{column!r}] = {line}{percent}{coerced}"
    )


def notation_error(column: str, values: Iterable[Any], *, formula: bool) -> InputError | None:
    """The error for text among numbers that is numbers in another notation, or None.

    For a column that is mostly plain numbers with some values written otherwise
    (``"(1.23)"`` among ``"0.35"``): ``values`` are the values that are not plain numbers.
    ``formula``: the column is a formula term, so ``C(col)`` is offered as the other way.
    """
    found = notation_problem(column, values)
    if found is None:
        return None
    kind, message = found
    if kind == "symbols" and formula:
        message += f"; or write {call_on('C', column)} to fit one coefficient per value"
    return InputError(message)
