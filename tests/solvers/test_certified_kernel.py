"""The compiled certified fit gives the interpreted path's bits, and its decisions.

The interpreted path (``certified_factor`` + ``certified_solution``) is the specification:
:mod:`linmod.solvers.certified_kernel` makes the same calls to the same scipy routines and
the same elementwise operations, so every output must be bit-identical, and every design
the interpreted path refuses (rank deficient, ill-conditioned) the kernel refuses too.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linmod.data.arrays import fast_array_design
from linmod.solvers import LeastSquaresProblem
from linmod.solvers import certified as certified_module
from linmod.solvers.certified import (
    certified_factor,
    certified_solution,
    gram_of,
    solve_certified,
)
from linmod.solvers.certified_kernel import NOT_CERTIFIED, SHIFTED, certified_fit_kernel


def _problem(x, y, intercept=True):
    design, magnitudes = fast_array_design(x, y, intercept)
    return LeastSquaresProblem(
        x=design.x, y=design.y, names=design.column_names, intercept=design.intercept,
        magnitudes=magnitudes,
    )  # fmt: skip


def _interpreted(problem):
    certified = certified_factor(problem)
    if certified is None:
        return None
    return certified_solution(certified, problem.x, problem.y)


FIELDS = (
    "coef", "cov_unscaled", "cov_scaled", "residuals", "residuals_lo", "condition_number",
    "weakest_direction", "n_iter", "rank", "aliased", "column_scales", "method",
)  # fmt: skip


def _assert_same_bits(compiled, interpreted):
    assert (compiled is None) == (interpreted is None)
    if compiled is None:
        return
    for field in FIELDS:
        a, b = getattr(compiled, field), getattr(interpreted, field)
        assert np.array_equal(a, b), field
        assert np.asarray(a).dtype == np.asarray(b).dtype, field
    sa, sb = compiled.residual_squares, interpreted.residual_squares
    assert (sa is None) == (sb is None)
    if sa is not None:
        assert (sa.hi, sa.lo, sa.exponent) == (sb.hi, sb.lo, sb.exponent)


def _compiled(problem):
    """``solve_certified`` with the compiled kernel (as once numba is loaded)."""
    original = certified_module.interpreted
    certified_module.interpreted = lambda *shape: False
    try:
        return solve_certified(problem)
    finally:
        certified_module.interpreted = original


def _kernel(x, y, intercept=True, exponent=0):
    """``certified_fit_kernel`` called as ``solve_certified`` calls it (read-only views: the
    signature numba has compiled already)."""
    x, y = x.view(), y.view()
    x.flags.writeable = y.flags.writeable = False
    return certified_fit_kernel(x, y, intercept, exponent, 1e-7, 1 / 16, 2e-14, 3)


def _design(seed, n, p, collinear=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, p)) * scale
    if collinear and p > 1:
        x[:, -1] = x[:, 0] + collinear * rng.standard_normal(n)
    y = x @ rng.uniform(-2, 2, p) + 1.5 + 0.3 * rng.standard_normal(n)
    return x, y


@pytest.mark.parametrize(
    ("n", "p"), [(30, 1), (200, 3), (1000, 5), (1000, 10), (5000, 17), (400, 60)]
)
def test_compiled_fit_has_the_interpreted_bits(n, p):
    problem = _problem(*_design(n * 31 + p, n, p))
    compiled = _compiled(problem)
    assert compiled is not None
    assert compiled.method == "cholesky"
    _assert_same_bits(compiled, _interpreted(problem))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 300),
    p=st.integers(1, 7),
    collinear=st.sampled_from([0.0, 1e-3, 1e-6, 1e-9]),
    exponent=st.integers(-60, 60),
    intercept=st.booleans(),
)
def test_compiled_and_interpreted_agree_on_any_design(seed, n, p, collinear, exponent, intercept):
    x, y = _design(seed, n, p, collinear, 2.0**exponent)
    problem = _problem(x, y, intercept)
    _assert_same_bits(_compiled(problem), _interpreted(problem))


def test_nearly_collinear_design_is_refused_by_both():
    problem = _problem(*_design(3, 500, 4, collinear=1e-9))
    assert _interpreted(problem) is None
    assert _compiled(problem) is None


def test_offset_column_is_left_to_the_interpreted_path():
    x, y = _design(5, 300, 3)
    x[:, 1] += 1e4  # a year-like column beside the intercept: shifted coordinates
    problem = _problem(x, y)
    outcome = _kernel(problem.x, problem.y)
    assert outcome[0] == SHIFTED
    assert np.array_equal(outcome[4], gram_of(problem.x))
    compiled = _compiled(problem)  # falls back to the shifted interpreted path
    assert compiled is not None
    _assert_same_bits(compiled, _interpreted(problem))


@pytest.mark.parametrize("value", [np.nan, np.inf, 1e300])
def test_non_finite_gram_is_refused(value):
    x, y = _design(7, 50, 2)
    x[3, 1] = value  # X'X gets a NaN or infinite diagonal
    x = np.column_stack([np.ones(50), x])
    outcome = _kernel(x, y)
    assert outcome[0] == NOT_CERTIFIED


def test_zero_coefficient_is_certified_by_the_error_floor():
    """y an exact function of x0 alone: x1's coefficient is (nearly) zero, so half an ulp
    of it is no bound; the eps**2 floor relative to the largest coefficient certifies it."""
    rng = np.random.default_rng(17)
    x = rng.integers(-50, 50, size=(400, 2)).astype(float)
    y = 3.0 + 2.0 * x[:, 0]  # exact in float64
    problem = _problem(x, y)
    compiled = _compiled(problem)
    assert compiled is not None
    assert compiled.method == "cholesky"
    # By hand: y = 3 + 2 x0 exactly, so the least-squares coefficients are (3, 2, 0).
    np.testing.assert_allclose(compiled.coef, [3.0, 2.0, 0.0], rtol=0, atol=1e-14)
    _assert_same_bits(compiled, _interpreted(problem))


@pytest.mark.parametrize("dtype", [np.int64, np.float32])
def test_other_dtypes_never_reach_the_kernel(dtype):
    """The kernel hands buffers to BLAS as float64: an int or float32 response (possible
    through solvers.solve) takes the interpreted path, which converts it."""
    x, y = _design(23, 120, 3)
    y = np.round(y * 8).astype(dtype)
    design, _ = fast_array_design(x, y.astype(float), True)
    assert not certified_module._compiled_fit_applies(design.x, y)
    as_given = LeastSquaresProblem(x=design.x, y=y, names=design.column_names, intercept=True)
    converted = LeastSquaresProblem(
        x=design.x, y=y.astype(float), names=design.column_names, intercept=True
    )
    a, b = solve_certified(as_given), _compiled(converted)
    for field in ("coef", "cov_unscaled", "residuals", "condition_number"):
        assert np.array_equal(getattr(a, field), getattr(b, field)), field


def test_no_columns_never_reach_the_kernel():
    assert not certified_module._compiled_fit_applies(np.empty((5, 0)), np.ones(5))
    x, y = _design(1, 5, 2)
    problem = _problem(x, y)
    assert certified_module._compiled_fit_applies(problem.x, problem.y)
    assert not certified_module._compiled_fit_applies(np.asfortranarray(problem.x), problem.y)


def test_one_compiled_signature_for_writable_and_read_only_data():
    """A read-only response (from a data frame) or an intercept flag of numpy's bool type
    must not make numba compile the kernel again (~10 s each)."""
    x, y = _design(29, 80, 2)
    problem = _problem(x, y)
    read_only = problem.y.copy()
    read_only.flags.writeable = False
    kernel = certified_module.certified_fit_kernel
    assert _compiled(problem) is not None
    compiled = len(getattr(kernel, "resolve", lambda: kernel)().signatures)
    for variant in (
        LeastSquaresProblem(x=problem.x, y=read_only, names=problem.names, intercept=True),
        LeastSquaresProblem(
            x=problem.x, y=problem.y, names=problem.names, intercept=np.bool_(True)
        ),
    ):
        assert _compiled(variant) is not None
    assert len(getattr(kernel, "resolve", lambda: kernel)().signatures) == compiled
