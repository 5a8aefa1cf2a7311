"""The compiled certified fit gives the interpreted path's bits, and its decisions.

The interpreted path (``certified_factor`` + ``certified_solution``) is the specification:
:mod:`linmod.solvers.certified_kernel` makes the same calls to the same scipy routines and
the same elementwise operations, so every output must be bit-identical, and every design
the interpreted path refuses (rank deficient, ill-conditioned) the kernel refuses too.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from linmod.data.arrays import fast_array_design
from linmod.linalg import gram_routine as gram_routine_module
from linmod.linalg.gram_routine import gram_by_gemm
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers import LeastSquaresProblem
from linmod.solvers import certified as certified_module
from linmod.solvers import deferred_conditioning as deferred_module
from linmod.solvers import shifted as shifted_module
from linmod.solvers.certified import (
    certified_factor,
    certified_solution,
    gram_of,
    solve_certified,
)
from linmod.solvers.certified_kernel import (
    ACCEPTED,
    COVARIANCE_TO_REFINE,
    NOT_CERTIFIED,
    certified_fit_kernel,
)
from linmod.solvers.deferred_conditioning import DeferredConditioning, condition_above
from linmod.solvers.shifted import OriginalConditioning, Shift

from ..exact import exact_inverse_gram, exact_least_squares


@pytest.fixture(autouse=True, params=["dsyrk", "dgemm"])
def gram_routine(request, monkeypatch):
    """Every test with both routines for ``X'X`` (:mod:`linmod.linalg.gram_routine`): the
    BLAS in use decides which one a process takes, and the bits must match either way."""
    by_gemm = request.param == "dgemm"
    monkeypatch.setattr(gram_routine_module, "small_gemm_kernels", lambda: by_gemm)
    return request.param


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


def _solve(problem, compiled):
    """``solve_certified`` with the compiled kernel (as once numba is loaded) or on the
    interpreted path (as before)."""
    original = certified_module.interpreted
    certified_module.interpreted = lambda *shape: not compiled
    try:
        return solve_certified(problem)
    finally:
        certified_module.interpreted = original


def _compiled(problem):
    return _solve(problem, compiled=True)


def _kernel(x, y, intercept=True, exponent=0):
    """``certified_fit_kernel`` called as ``solve_certified`` calls it (read-only views: the
    signature numba has compiled already)."""
    x, y = x.view(), y.view()
    x.flags.writeable = y.flags.writeable = False
    by_gemm = gram_by_gemm(*x.shape)
    return certified_fit_kernel(x, y, intercept, by_gemm, exponent, 1e-7, 1 / 16, 2e-14, 3)


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


@pytest.mark.parametrize("offset", [1e4, 30.0, 3.0])
def test_offset_column_is_fitted_shifted_in_the_kernel(offset):
    x, y = _design(5, 300, 3)
    x[:, 1] += offset  # a year-like column beside the intercept: shifted coordinates
    problem = _problem(x, y)
    outcome = _kernel(problem.x, problem.y)
    assert outcome[0] == ACCEPTED
    assert outcome[2]  # shifted
    block, p = outcome[7], problem.x.shape[1]
    np.testing.assert_array_equal(block[3 * p + 2], [0.0, *(gram_of(problem.x)[0, 1:] / 300)])
    assert np.array_equal(block[2 * p : 3 * p], gram_of(problem.x))
    compiled = _compiled(problem)
    assert compiled is not None
    _assert_same_bits(compiled, _interpreted(problem))
    exact = _exact_least_squares(problem.x, problem.y)
    np.testing.assert_allclose(compiled.coef, exact, rtol=2 * np.finfo(float).eps, atol=0)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(8, 300),
    p=st.integers(1, 6),
    mean=st.sampled_from([0.0, 0.7, 1.0, 1.3, 2.0, 10.0, 1e4]),
    collinear=st.sampled_from([0.0, 1e-3, 1e-6]),
)
def test_compiled_and_interpreted_agree_on_offset_designs(seed, n, p, mean, collinear):
    x, y = _design(seed, n, p, collinear)
    problem = _problem(x + mean, y)
    _assert_same_bits(_compiled(problem), _interpreted_solve(problem))


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


def _offset_design(mean, n=400, p=4, seed=0):
    """Columns with the given mean beside the intercept (below the shift's threshold)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + mean
    return x, x @ np.arange(1.0, p + 1) + rng.normal(size=n)


@pytest.mark.parametrize(("mean", "deferred"), [(0.0, True), (0.5, True), (1.0, False)])
def test_singular_values_only_when_the_row_sum_bounds_do_not_certify(mean, deferred):
    # mean 1.0: the row-sum bounds are too loose for the covariance test, the singular
    # values pass it, so the SVD is made in the fit (in both paths, with the same bits).
    problem = _problem(*_offset_design(mean))
    certified = certified_factor(problem)
    assert certified is not None
    assert certified.shift is None
    assert (certified.conditioning is not None) == deferred
    assert (certified.singular is None) == deferred
    compiled = _compiled(problem)
    stored = compiled.__dict__["_condition_number"]
    assert isinstance(stored, DeferredConditioning) == deferred
    _assert_same_bits(compiled, _interpreted(problem))


def test_deferred_condition_number_is_that_of_the_scaled_factor():
    problem = _problem(*_offset_design(0.5))
    result = _compiled(problem)
    deferred = result.__dict__["_condition_number"]
    gram = problem.x.T @ problem.x
    scaled = gram / np.sqrt(np.outer(np.diag(gram), np.diag(gram)))  # unit-length columns
    # Power-of-two scales equilibrate within a factor 2; the reported number is of them.
    expected = np.linalg.cond(np.linalg.cholesky(scaled))
    assert result.condition_number == pytest.approx(expected, rel=1.0)
    _, singular, vt = np.linalg.svd(deferred._factor)
    np.testing.assert_allclose(result.condition_number, singular[0] / singular[-1], rtol=1e-12)
    np.testing.assert_allclose(np.abs(result.weakest_direction), np.abs(vt[-1]), rtol=1e-10)
    assert deferred.bound >= result.condition_number


def test_near_singular_check_needs_no_svd(monkeypatch):
    problem = _problem(*_offset_design(0.0))
    result = _compiled(problem)

    def refused(*args, **kwargs):
        raise AssertionError("an SVD was made")

    monkeypatch.setattr(deferred_module.lapack, "dgesdd", refused)
    assert not condition_above(result, 1e8)
    with pytest.raises(AssertionError, match="an SVD was made"):
        result.condition_number  # noqa: B018 - read only when asked
    monkeypatch.undo()
    assert condition_above(result, 0.5 * result.condition_number)
    assert not condition_above(result, 2.0 * result.condition_number)


def test_deferred_conditioning_survives_pickling_and_replace():
    import dataclasses
    import pickle

    result = _compiled(_problem(*_offset_design(0.0)))
    copy = pickle.loads(pickle.dumps(result))
    assert copy.condition_number == result.condition_number
    np.testing.assert_array_equal(copy.weakest_direction, result.weakest_direction)
    assert not condition_above(copy, 1e8)
    moved = dataclasses.replace(result, n_iter=7)
    assert moved.condition_number == result.condition_number


def _interpreted_solve(problem):
    return _solve(problem, compiled=False)


def _exact_least_squares(x, y):
    return np.array([float(c) for c in exact_least_squares(x, y)])


def _nearly_equal_offset_columns(mean, n=100, p=4, spread=5e-5, seed=7):
    """``p`` standardised columns within ``spread`` of one another, each of mean ``mean``."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)[:, None] + spread * rng.normal(size=(n, p))
    x = (z - z.mean(axis=0)) / z.std(axis=0) + mean
    return x, x @ np.arange(1.0, p + 1) + rng.normal(size=n)


@pytest.mark.parametrize("mean", [1.2, 1.5])
def test_columns_offset_by_about_their_spread_are_fitted_shifted(mean):
    # Not offset enough for the first shift (ratio 4); unshifted the refinement contracts
    # too slowly to be certified in its passes: fitted shifted by the retry, not by QR, at
    # the float64 limit.
    x, y = _nearly_equal_offset_columns(mean)
    problem = _problem(x, y)
    unshifted = certified_factor(problem)
    assert unshifted is not None
    assert unshifted.shift is None
    assert certified_solution(unshifted, problem.x, problem.y) is None
    compiled = _compiled(problem)
    assert compiled is not None
    assert compiled.method == "cholesky"
    exact = _exact_least_squares(problem.x, problem.y)
    np.testing.assert_allclose(compiled.coef, exact, rtol=2 * np.finfo(float).eps, atol=0)
    _assert_same_bits(compiled, _interpreted_solve(problem))


@pytest.mark.parametrize("mean", [1.2, 1.5])
def test_a_covariance_not_certified_by_the_bound_is_refined(mean):
    # Offset by about their spread, unshifted: the float64 (X'X)^-1 fails the covariance
    # bound but the refinement contracts, so (X'X)^-1 is refined column by column in
    # double-double; both paths give the same bits, and every entry is within an ulp or
    # two of the exact inverse.
    x, y = _offset_design(mean, n=60, p=3, seed=5)
    problem = _problem(x, y)
    unshifted = certified_factor(problem)
    assert unshifted is not None
    assert not unshifted.cov_certified
    compiled = _compiled(problem)
    assert compiled is not None
    assert compiled.method == "cholesky"
    assert _kernel(problem.x, problem.y)[0] == COVARIANCE_TO_REFINE
    _assert_same_bits(compiled, _interpreted_solve(problem))
    exact = exact_inverse_gram(problem.x)
    np.testing.assert_allclose(compiled.cov_unscaled, exact, rtol=4 * np.finfo(float).eps, atol=0)
    assert not np.array_equal(compiled.cov_unscaled, unshifted.cov)  # it was refined


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(12, 60),
    p=st.integers(2, 5),
    mean=st.sampled_from([0.0, 1.0, 1.5, 10.0]),
    collinear=st.sampled_from([1e-1, 1e-2, 1e-3]),
)
def test_a_refined_covariance_is_exact_to_an_ulp(seed, n, p, mean, collinear):
    # Correlated columns (the covariance bound fails, the refinement contracts): every
    # variance within two ulps of the exact one, every covariance within eps of its
    # correlation scale sqrt(C_ii C_jj), on both paths with the same bits.
    x, y = _design(seed, n, p, collinear)
    problem = _problem(x + mean, y)
    factor = certified_factor(problem)
    compiled = _compiled(problem)
    _assert_same_bits(compiled, _interpreted_solve(problem))
    assume(factor is not None and not factor.cov_certified and compiled is not None)
    exact = np.array(exact_inverse_gram(problem.x))
    cov, eps = compiled.cov_unscaled, np.finfo(float).eps
    np.testing.assert_allclose(np.diag(cov), np.diag(exact), rtol=2 * eps, atol=0)
    scale = np.sqrt(np.outer(np.diag(exact), np.diag(exact)))
    assert np.all(np.abs(cov - exact) <= 2 * eps * scale)
    assert np.array_equal(cov, cov.T)


def test_a_covariance_the_kernel_path_cannot_refine_is_left_to_the_interpreted_path(
    monkeypatch,
):
    # When the refinement of (X'X)^-1 after the kernel fails, the interpreted path decides
    # (with its shifted retry), as it would have without the kernel: here it succeeds the
    # second time, with the kernel path's usual bits; failing always, the fit is refused.
    problem = _problem(*_offset_design(1.2, n=60, p=3, seed=5))
    expected = _compiled(problem)
    assert expected is not None
    refine = certified_module.certified_covariance
    calls = []

    def fail_first(*args):
        calls.append(1)
        return None if len(calls) == 1 else refine(*args)

    monkeypatch.setattr(certified_module, "certified_covariance", fail_first)
    _assert_same_bits(_compiled(problem), expected)
    assert len(calls) == 2
    monkeypatch.setattr(certified_module, "certified_covariance", lambda *args: None)
    assert _compiled(problem) is None


def test_no_retry_without_an_offset_column():
    # Nearly collinear centred columns: not certified, and no mean to shift: QR's turn.
    x, y = _design(3, 300, 3, collinear=1e-6)
    x -= x.mean(axis=0)
    problem = _problem(x, y)
    assert _compiled(problem) is None
    assert _interpreted_solve(problem) is None


def test_shifted_gradient_still_callable_after_the_kernel_ran():
    # The kernel compiles the shifted gradient as a callee; a callee that returned an
    # array could no longer box one for Python callers (numba: "'descr' is NULL").
    x, y = _design(11, 80, 3)
    _compiled(_problem(x + 5.0, y))
    shift = Shift(np.array([0.0, 2.0, -1.0]))
    original = shifted_module.interpreted
    shifted_module.interpreted = lambda *shape: False
    try:
        out = shift.gradient(np.array([1.0, 2.0, 3.0]), np.zeros(3))
    finally:
        shifted_module.interpreted = original
    np.testing.assert_array_equal(out, [1.0, 0.0, 4.0])


@pytest.mark.parametrize("offset", [3.0, 30.0, 1e4])
def test_offset_designs_report_the_original_condition_number(offset, monkeypatch):
    x, y = _design(9, 400, 3)
    x[:, 0] += offset
    problem = _problem(x, y)
    result = _compiled(problem)
    stored = result.__dict__["_condition_number"]
    assert isinstance(stored, OriginalConditioning)
    # The condition number of the design with power-of-two scaled columns (R's lm scales
    # to unit length; powers of two are within a factor 2 of that, per column).
    d = power_of_two_scales(np.sqrt((problem.x**2).sum(axis=0)))
    expected = np.linalg.cond(problem.x * d)
    assert stored.bound >= expected
    monkeypatch.setattr(shifted_module.np.linalg, "svd", None)  # no SVD for the check
    assert not condition_above(result, 1e8)
    monkeypatch.undo()
    np.testing.assert_allclose(result.condition_number, expected, rtol=1e-9)
