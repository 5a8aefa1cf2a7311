"""A response that is words, not numbers: an outcome in categories, said as such.

A response with a stray word among its numbers is refused elsewhere, naming the word and
its row (:func:`linmod.data.frames.check_numeric_text`).  A response that is text through
and through ("yes"/"no", "low"/"mid"/"high") is a different mistake: it is a categorical
outcome, and "fix the words" is the wrong advice.  This module says what it is and how to
make a number of it: 0/1 for two values (a linear probability model, as
``lm(I(y == "yes") ~ x)`` in R), scores for ordered levels.
"""

from __future__ import annotations

import pandas as pd

from linmod.data.term_names import quoted_name

__all__ = ["categorical_response_problem"]

#: Share of values that must read as numbers for a column to be "numbers with strays"
#: (refused by word and row) rather than categories.
NUMBERS_WITH_STRAYS = 0.5

_SHOWN_LEVELS = 4


def categorical_response_problem(
    name: str, values: pd.Series, target: str, *, in_formula: bool = False
) -> str | None:
    """The refusal for a response that holds categories, or None when it is mostly numbers.

    Parameters
    ----------
    name : str
        The response's name.
    values : Series
        Its values (missing values are ignored).
    target : str
        How the user's code reaches the response, for the suggested conversion: e.g.
        ``"df['y']"`` for a formula's column or ``"y"`` for an array.
    in_formula : bool
        The response is a formula's: a two-valued one is offered ``I(y == 'yes')``.

    Returns
    -------
    str or None
    """
    present = values.dropna()
    if present.empty:
        return None
    numbers = pd.to_numeric(present.astype(str).str.strip(), errors="coerce")
    if numbers.notna().sum() >= NUMBERS_WITH_STRAYS * len(present):
        return None  # numbers with a stray word: the caller names the words and rows
    levels = sorted({str(v) for v in present.unique()})
    shown = ", ".join(map(repr, levels[:_SHOWN_LEVELS])) + (
        ", …" if len(levels) > _SHOWN_LEVELS else ""
    )
    what = f"the response {name!r} holds categories, not numbers ({len(levels)} values: {shown})"
    if len(levels) == 2 and in_formula:  # the formula's own fix: as runnable on the CLI
        fix = (
            f"to model the chance of {levels[1]!r} (a linear probability model), write the "
            f"response as I({quoted_name(name)} == {levels[1]!r})"
        )
    elif len(levels) == 2:
        fix = (
            f"to model the chance of {levels[1]!r}, fit it as 0/1 (a linear probability "
            f"model): {target} = ({target} == {levels[1]!r}).astype(int)"
        )
    else:
        scores = ", ".join(f"{level!r}: score" for level in levels[:3])
        more = ", …" if len(levels) > 3 else ""
        fix = (
            f"if they are ordered, map each to its score: "
            f"{target} = {target}.map({{{scores}{more}}})"
        )
    return (
        f"{what}; a linear model needs a numeric response: {fix}; an outcome in unordered "
        "categories needs a classification model (e.g. multinomial logistic regression)"
    )
