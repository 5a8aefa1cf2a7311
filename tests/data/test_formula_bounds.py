"""A formula's terms are expanded only when the work is small, as formulaic would."""

from __future__ import annotations

import time

import pytest
from formulaic import Formula
from formulaic.parser.types import Term

from linmod.data.formula_bounds import MAX_TERM_PRODUCTS, bounded_terms
from linmod.exceptions import InputError


@pytest.mark.parametrize(
    "rhs",
    [
        "a + b:c - 1",
        "(a + b + c)**2",
        "a*b*c - a:b",
        "a/b + c %in% d",
        "(a + b + c + d)**4",
        "0 + poly(x, 3, raw=True) + np.log(z)",
        "1",
        "+".join(f"x{i}" for i in range(300)),
    ],
)
def test_terms_equal_formulaics(rhs):
    assert sorted(map(str, bounded_terms(rhs))) == sorted(map(str, Formula(rhs)))


@pytest.fixture
def products(monkeypatch):
    """Count formulaic's term products (its unit of expansion work)."""
    count = [0]
    multiply = Term.__mul__

    def counted(self, other):
        count[0] += 1
        return multiply(self, other)

    monkeypatch.setattr(Term, "__mul__", counted)
    return count


@pytest.mark.parametrize(
    ("rhs", "message"),
    [
        # 8**8 products for 255 terms: > 60 s in formulaic (issue 12)
        ("(a+b+c+d+e+f+g+h)**8", r"more than 20000 term products \(write a\*b\*c"),
        ("(a+b+c+d+e+f+g)**7", "more than 20000 term products"),  # ~20 s
        # 4 million terms, 2.6 GB
        ("*".join("abcdefghijklmnopqrstuv"), "more than 20000 term products"),
        ("+".join(f"x{i}" for i in range(3000)), "more than 20000 term products"),
        ("a**65", "not a whole number up to 64"),
        ("a**1000000000", "not a whole number up to 64"),
        ("a**b", "not a whole number up to 64"),
        ("a | b", "the operator '|'"),
        (".", "the operator '.'"),
        ("I(" + "-" * 5000 + "a)", "nests deeper than Python can parse"),
        ("(a", "cannot be parsed"),
    ],
)
def test_large_expansions_are_refused_before_they_start(rhs, message, products):
    # CPU time, not wall clock: the bound is on this work, not on the machine's load.
    start = time.process_time()
    with pytest.raises(InputError, match=message):
        bounded_terms(rhs)
    assert time.process_time() - start < 5.0
    assert products[0] <= MAX_TERM_PRODUCTS


def test_the_bound_admits_ordinary_interactions(products):
    assert len(bounded_terms("a*b*c*d*e*f*g*h")) == 2**8  # with the intercept
    assert products[0] < MAX_TERM_PRODUCTS
