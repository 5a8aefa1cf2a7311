"""Reading linear hypotheses written over coefficient names (inference/constraints.py)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from linmod.exceptions import InputError
from linmod.inference.constraints import parse_hypotheses

NAMES = ("Intercept", "wt", "wt2", "x1", "x10", "C(cyl)[T.6]", "C(cyl)[T.6]:wt", "a b")


def _rows(text):
    parsed = parse_hypotheses(text, NAMES)
    return parsed.matrix, parsed.rhs, parsed.labels


def test_names_match_whole_and_longest_first():
    matrix, rhs, labels = _rows("wt2 + x10 - C(cyl)[T.6]:wt = 1")
    assert_array_equal(matrix, [[0, 0, 1, 0, 1, 0, -1, 0]])
    assert_array_equal(rhs, [1.0])
    assert labels == ("wt2 + x10 - C(cyl)[T.6]:wt = 1",)
    with pytest.raises(InputError, match=r"'wt3' is not a coefficient.*did you mean 'wt', 'wt2'"):
        _rows("wt3 = 0")


def test_arithmetic_is_exact_for_simple_fractions():
    matrix, rhs, _ = _rows("(wt + x1)/4 - -2*wt2 = 1e-1 * 5 + 1, -(x1 - 3) = 2")
    expected = [Fraction(1, 4), Fraction(1, 4), Fraction(2)]
    assert [Fraction(matrix[0, j]) for j in (1, 3, 2)] == expected
    assert rhs[0] == 1.5
    assert_array_equal(matrix[1], [0, 0, 0, -1, 0, 0, 0, 0])
    assert rhs[1] == -1.0  # -(x1 - 3) = 2  <=>  -x1 = -1


def test_separators_lists_backticks_and_the_intercept():
    one = _rows("wt = 0; `a b` = (Intercept)")
    two = _rows(["wt = 0", "`a b` - Intercept = 0"])
    assert_array_equal(one[0], two[0])
    assert one[2][1] == "-Intercept + a b = 0"
    assert_array_equal(_rows("x1")[1], [0.0])  # no "=": equal to zero


def test_every_constraint_is_kept_in_order():
    matrix, _, labels = _rows("x1 = 0, x10 = 0, wt = x1")
    assert labels == ("x1 = 0", "x10 = 0", "wt - x1 = 0")
    assert np.count_nonzero(matrix) == 4


@pytest.mark.parametrize("bad", ["wt = 0 = 1", "wt +", "2 wt = 0", "wt ** 2 = 0", "wt = $"])
def test_malformed(bad):
    with pytest.raises(InputError, match="hypothesis"):
        _rows(bad)
