"""Fits of one response refuse a formula with several, naming them (only ols fits several)."""

from __future__ import annotations

import pytest

import linmod
from linmod.analysis import analyse
from linmod.data.formula_responses import split_responses
from linmod.exceptions import InputError
from linmod.model_selection import cross_validate_models, penalty_path

from ..conftest import load_dataset

FITS = {
    "quantreg": lambda f, d: linmod.quantreg(f, data=d),
    "rlm": lambda f, d: linmod.rlm(f, data=d),
    "cv": lambda f, d: cross_validate_models(f, d),
    "path": lambda f, d: penalty_path(f, d),
    "analyse": lambda f, d: analyse(f, d),
}


@pytest.mark.parametrize("fit", list(FITS))
@pytest.mark.parametrize("formula", ["mpg + qsec ~ wt", "cbind(mpg, qsec) ~ wt + hp"])
def test_several_responses_are_refused_with_their_names(fit, formula):
    with pytest.raises(InputError, match=r"has several \('mpg', 'qsec'\): linmod.ols fits"):
        FITS[fit](formula, load_dataset("mtcars"))


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("y ~ x", None),
        ("I(a + b) ~ x", None),
        ("np.log(a) ~ x + z", None),
        ("a + b ~ x", (["a", "b"], "x")),
        ("cbind(a, `b c`) ~ x + C(g)", (["a", "`b c`"], "x + C(g)")),
    ],
)
def test_split_responses(formula, expected):
    assert split_responses(formula) == expected
