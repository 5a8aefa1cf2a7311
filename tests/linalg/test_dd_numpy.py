"""The numpy twins of the compiled double-double kernels give the compiled kernels' bits.

A small command-line fit runs the twins (numba is not imported); any later fit runs the
compiled kernels: both must give the same numbers to the last bit, on data of every kind
the solvers pass them (scaled designs, dummies with zeros, wide magnitudes, several
right-hand sides, a low part or none).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from linmod import _lazy
from linmod.linalg import dd, dd_gradient, dd_numpy, scaling
from linmod.solvers import shifted


def _bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float64).view(np.int64)


def _assert_same(a, b) -> None:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape
    # the same value; zeros may differ in sign only (they are added to nonzero terms)
    same = (_bits(a) == _bits(b)) | ((a == 0) & (b == 0))
    assert same.all(), (a[~same], b[~same])


def _data(rng: np.random.Generator, n: int, p: int, kind: str) -> np.ndarray:
    x = rng.standard_normal((n, p))
    if kind == "wide":
        x *= 2.0 ** rng.integers(-300, 300, size=(n, p))
    elif kind == "dummies":
        x[:, 1:] = rng.integers(0, 2, size=(n, p - 1))
    elif kind == "offset":
        x += 1e6
    x[:, 0] = 1.0
    return x


KINDS = ["gaussian", "wide", "dummies", "offset"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("n", "p", "k"), [(1, 1, 1), (32, 3, 1), (200, 10, 1), (57, 6, 3)])
def test_residual_and_rmatvec_twins_give_the_compiled_bits(kind, n, p, k):
    rng = np.random.default_rng(n * 100 + p * 10 + k)
    x = _data(rng, n, p, kind)
    x_lo = x * 2.0**-60 * rng.standard_normal((n, p))
    y = rng.standard_normal((n, k)) * 10.0
    y_lo = y * 2.0**-58 * rng.standard_normal((n, k))
    b = rng.standard_normal((p, k))
    b_lo = b * 2.0**-57 * rng.standard_normal((p, k))
    for lo, has_lo in [(x_lo, True), (np.zeros((1, 1)), False)]:
        outs = [np.empty((n, k)) for _ in range(4)]
        dd._residual_kernel(x, lo, has_lo, y, y_lo, b, b_lo, outs[0], outs[1])
        dd_numpy.residual(x, lo, has_lo, y, y_lo, b, b_lo, outs[2], outs[3])
        _assert_same(outs[0], outs[2])
        _assert_same(outs[1], outs[3])
        outs = [np.zeros((p, k)) for _ in range(4)]
        dd._rmatvec_kernel(x, lo, has_lo, y, y_lo, outs[0], outs[1])
        dd_numpy.rmatvec(x, lo, has_lo, y, y_lo, outs[2], outs[3])
        _assert_same(outs[0], outs[2])
        _assert_same(outs[1], outs[3])
    _assert_same(dd._sum_kernel(y[:, 0], y_lo[:, 0]), dd_numpy.total(y[:, 0], y_lo[:, 0]))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("n", "p"),  # narrow (up to 16 columns: full blocks apart) and wide kernels
    [(1, 1), (32, 3), (200, 10), (129, 7), (128, 16), (64, 2), (130, 17), (70, 33)],
)
def test_residual_gradient_and_subtract_twins_give_the_compiled_bits(kind, n, p):
    rng = np.random.default_rng(n + p)
    x = _data(rng, n, p, kind)
    y = rng.standard_normal(n) * 3.0
    b = np.linalg.lstsq(x, y, rcond=None)[0]  # residuals small: the refinement's case
    b_lo = b * 2.0**-55 * rng.standard_normal(p)
    if kind == "wide":  # magnitudes 2**-100..2**100: every product stays in range
        x[:, 1:] = rng.standard_normal((n, p - 1)) * 2.0 ** rng.integers(-100, 100, (n, p - 1))
        b = np.linalg.lstsq(x, y, rcond=None)[0]
    assert dd_numpy.products_exact(x, b)
    compiled = [np.empty(n), np.empty(n), np.zeros(p), np.zeros(p)]
    twin = [np.empty(n), np.empty(n), np.zeros(p), np.zeros(p)]
    dd_gradient._residual_gradient_kernel(x, y, b, b_lo, *compiled)
    assert dd_numpy.residual_gradient(x, y, b, b_lo, *twin)
    for c, t in zip(compiled, twin, strict=True):
        _assert_same(c, t)
    hi, lo = y.copy(), y * 2.0**-60
    hi2, lo2 = hi.copy(), lo.copy()
    dd_gradient._subtract_kernel(hi, lo, b[0] * x[:, -1])
    dd_numpy.subtract(hi2, lo2, b[0] * x[:, -1])
    _assert_same(hi, hi2)
    _assert_same(lo, lo2)


def test_scaling_and_shift_twins_give_the_compiled_results():
    rng = np.random.default_rng(7)
    for kind in KINDS:
        x = _data(rng, 40, 5, kind)
        out = np.empty(5)
        scaling._column_max_abs_kernel(x, out)
        _assert_same(out, dd_numpy.column_max_abs(x))
        g = x.T @ x
        for ratio in (1.0, 4.0, 1e9):
            assert shifted._offset(g, ratio) == dd_numpy.offset(g, ratio)
        s = np.concatenate(([0.0], g[0, 1:] / g[0, 0]))
        g_hi, g_lo = rng.standard_normal(5), rng.standard_normal(5) * 1e-17
        compiled = shifted._shifted_gradient(g_hi, g_lo, s)
        _assert_same(compiled, dd_numpy.shifted_gradient(g_hi, g_lo, s))
    x[3, 2] = np.nan
    scaling._column_max_abs_kernel(x, out)
    _assert_same(out, dd_numpy.column_max_abs(x))


def test_products_out_of_range_are_left_to_the_compiled_kernel():
    x = np.array([[1.0, 2.0**-500], [1.0, 3.0]])
    assert not dd_numpy.products_exact(x)
    assert not dd_numpy.products_exact(np.array([1.0, 2.0**460]))
    assert not dd_numpy.products_exact(np.array([1.0, np.nan]))
    assert dd_numpy.products_exact(np.array([0.0, -(2.0**449), 2.0**-449]))
    # The residuals themselves out of range: the twin says so and the compiled kernel runs.
    y = np.array([2.0**-470, 1.0])
    b = np.array([0.0, 0.0])
    outs = [np.empty(2), np.empty(2), np.zeros(2), np.zeros(2)]
    assert not dd_numpy.residual_gradient(np.eye(2), y, b, b, *outs)
    r_hi, _, g_hi, _ = dd_gradient.dd_residual_gradient(np.eye(2), y, b, b)
    np.testing.assert_array_equal(r_hi, y)
    np.testing.assert_array_equal(g_hi, y)


def test_interpreted_budget_runs_out_and_stops_after_numba_loads(monkeypatch):
    monkeypatch.setattr(_lazy, "_jit_loaded", [False])
    monkeypatch.setattr(_lazy, "_interpreted_left", [100])
    assert _lazy.interpreted(60)
    assert not _lazy.interpreted(60)  # 40 rows left
    assert _lazy.interpreted(40)
    assert not _lazy.interpreted(1)
    monkeypatch.setattr(_lazy, "_interpreted_left", [100])
    assert not _lazy.interpreted(40, 96)  # wide rows count as 1 + 96 // 32 = 4 rows each
    assert _lazy.interpreted(25, 96)
    assert not _lazy.interpreted(1)
    monkeypatch.setattr(_lazy, "_interpreted_left", [100])
    monkeypatch.setattr(_lazy, "_jit_loaded", [True])
    assert not _lazy.interpreted(1)


@pytest.mark.parametrize(
    "fit",
    [
        "linmod.ols('y ~ x0 + x1 + x2 + x3', data=data)",
        "linmod.ols(x, y)",  # the float64-array lane: its checked copy has a numpy twin
        "linmod.ols(x[:, [0, 2, 3]], y)",  # no offset column: the unshifted certified fit
        "linmod.ols(x, y, fit_intercept=False)",
    ],
)
def test_a_small_fit_does_not_import_numba_and_matches_a_compiled_fit(fit):
    # One process fits on the twins (numba never imported), another with numba loaded
    # first; the printed numbers (repr of every coefficient and standard error) agree.
    code = (
        "import sys, numpy as np, linmod\n"
        "{setup}\n"
        "rng = np.random.default_rng(3)\n"
        "x = rng.standard_normal((60, 4)); x[:, 1] += 1e4\n"
        "y = x @ [1.0, 2.0, -3.0, 0.5] + rng.standard_normal(60)\n"
        "data = {'y': y, **{f'x{j}': x[:, j] for j in range(4)}}\n"
        f"res = {fit}\n"
        "print(repr(res.coef.tolist()), repr(res.std_err.tolist()), repr(res.ssr))\n"
        "print('numba' in sys.modules)\n"
    )

    def run(setup: str) -> list[str]:
        out = subprocess.run(
            [sys.executable, "-c", code.replace("{setup}", setup)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return out.splitlines()

    twins = run("")
    compiled = run("from linmod import _lazy; _lazy._jit_loaded[0] = True")
    assert twins[1] == "False"
    assert compiled[1] == "True"
    assert twins[0] == compiled[0]


def test_shifted_gradient_and_step_of_several_columns_are_each_columns_own():
    # The covariance refinement moves all its columns at once; each column must get the
    # bits (and the rounding bound, to within the dot product's own rounding) of one.
    rng = np.random.default_rng(4)
    g_hi = rng.standard_normal((5, 3))
    g_lo = g_hi * 2.0**-60 * rng.uniform(-1, 1, (5, 3))
    shift = shifted.Shift(np.array([0.0, 3.0, -2.5, 140.0, 0.01]))
    together = dd_numpy.shifted_gradient(g_hi, g_lo, shift.s)
    steps, bounds = shift.step_to_original(together)
    for j in range(3):
        alone = dd_numpy.shifted_gradient(g_hi[:, j], g_lo[:, j], shift.s)
        assert np.array_equal(together[:, j], alone)
        step, bound = shift.step_to_original(alone)
        np.testing.assert_allclose(steps[:, j], step, rtol=4e-16, atol=0)
        np.testing.assert_allclose(bounds[j], bound, rtol=4e-16, atol=0)
    # the bound is an independent hand derivation: (p + 1) eps (|d0| + sum |s_j d_j|)
    eps = np.finfo(float).eps
    expected = 6 * eps * (np.abs(together[0]) + np.abs(shift.s[1:]) @ np.abs(together[1:]))
    np.testing.assert_allclose(bounds, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("has_lo", [False, True])
@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 200, 1000])
def test_sum_of_squares_twin_gives_the_compiled_bits_and_the_exact_sum(n, has_lo):
    from fractions import Fraction

    rng = np.random.default_rng(n)
    hi = rng.standard_normal(n) * 2.0 ** rng.integers(-40, 40, size=n)
    lo = hi * 2.0**-54 * rng.standard_normal(n) if has_lo else np.zeros(n)
    compiled = dd._squares_kernel(hi, lo, has_lo)
    twin = dd_numpy.squares(hi, lo, has_lo)
    _assert_same(compiled, twin)
    exact = sum((Fraction(h) + Fraction(v)) ** 2 for h, v in zip(hi, lo, strict=True))
    got = Fraction(compiled[0]) + Fraction(compiled[1])
    # Dot2-style accuracy: within a few eps**2 of the sum (all terms are positive)
    assert abs(got - exact) <= 8 * Fraction(np.finfo(float).eps) ** 2 * max(exact, 1e-300)
    assert compiled[0] == float(exact) or n == 0  # hi is the correctly rounded sum here


def test_subtract_squares_twin_path_gives_the_compiled_bits():
    """``dd_subtract_squares`` before numba is loaded (subtract, then the squares twin)
    and after (one fused compiled pass, the same lanes) give the same bits."""
    rng = np.random.default_rng(3)
    hi = rng.standard_normal(777)
    lo, b = hi * 2.0**-55, hi * 1e-9
    twin_hi, twin_lo = hi.copy(), lo.copy()
    dd_numpy.subtract(twin_hi, twin_lo, b)
    twin = dd_numpy.squares(np.ldexp(twin_hi, -3), np.ldexp(twin_lo, -3), True)
    fused_hi, fused_lo = hi.copy(), lo.copy()
    fused = dd_gradient._subtract_squares_kernel(fused_hi, fused_lo, b, 2.0**-3)
    _assert_same(fused, twin)
    _assert_same(fused_hi, twin_hi)
    _assert_same(fused_lo, twin_lo)
