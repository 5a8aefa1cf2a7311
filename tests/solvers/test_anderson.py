"""Anderson extrapolation keeps a point only if it lowers the objective
(:mod:`linmod.solvers.anderson`), checked in exact rational arithmetic.

The objective ``½wᵀGw − wᵀXᵀy + λ₁‖w‖₁`` of the Gram layout is evaluated with
``fractions.Fraction`` from the float64 ``G`` and ``Xᵀy`` (NIST Longley, raw columns, as
the kernels see them).  Near the solution two iterates' objectives agree to far below
``eps·‖y‖²``: the extrapolation used to be accepted on the difference of the two rounded
objectives, with the gradient extrapolated along with ``w``, and 45 of the 103
extrapolations it accepted in the run below raised the exact objective.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from linmod.solvers.anderson import anderson_step, aux_error, decrease
from linmod.solvers.coordinate_descent import ANDERSON_K, _epoch
from linmod.solvers.drift import rebuild
from linmod.solvers.penalized_problem import gram_problem, residual_problem

from ..regularization.test_ill_conditioned import longley

F = Fraction
ALPHA = 1e-3
EMPTY = np.zeros((0, 0))
NONE = np.zeros(0)
EPS = np.finfo(np.float64).eps


def _objective(gram: np.ndarray, xty: np.ndarray, w: np.ndarray, l1: float) -> Fraction:
    """``½wᵀGw − wᵀXᵀy + λ₁‖w‖₁`` exactly, for the float64 ``G``, ``Xᵀy`` and ``w``."""
    p = w.shape[0]
    wf = [F(float(v)) for v in w]
    quad = sum(F(float(gram[a, b])) * wf[a] * wf[b] for a in range(p) for b in range(p))
    lin = sum(F(float(xty[a])) * wf[a] for a in range(p))
    return quad / 2 - lin + F(l1) * sum(abs(v) for v in wf)


def _gradient(gram: np.ndarray, xty: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``Xᵀy − Gw`` exactly, rounded once."""
    p = w.shape[0]
    wf = [F(float(v)) for v in w]
    return np.array([
        float(F(float(xty[a])) - sum(F(float(gram[a, b])) * wf[b] for b in range(p)))
        for a in range(p)
    ])  # fmt: skip


def test_every_accepted_extrapolation_lowers_the_exact_objective():
    # Coordinate descent from zero with an extrapolation tried every K + 1 epochs, as the
    # Gram-layout kernel runs it on the full working set, for 26,000 epochs: to where
    # the sweeps reach the float64 limit (about 25,000).
    X, y = longley()
    n, p = X.shape
    problem = gram_problem(X, y, True, False)
    gram, xty = problem.gram, problem.xty
    assert gram is not None
    l1 = n * ALPHA
    norm2 = np.ascontiguousarray(np.diag(gram))
    ws = np.arange(p, dtype=np.int64)
    kk = ANDERSON_K
    w, q = np.zeros(p), xty.copy()
    w_hist, coef, w_acc, work = np.empty((kk + 1, p)), np.empty(kk), np.empty(p), np.empty((3, p))
    stored = 0
    count = moved = 0.0  # the drift of q since it was last rebuilt, as the kernel counts it
    accepted = []
    for epoch in range(26_000):
        _, _, updates, step = _epoch(True, EMPTY, gram, q, w, norm2, ws, p, l1, 0.0, False)
        count, moved = count + updates, moved + step
        before, q_before = w.copy(), q.copy()
        stored, jumped, rebuilt = anderson_step(
            True, EMPTY, NONE, gram, xty, w, q, ws, p, w_hist, stored, coef, w_acc, work,
            norm2, (count, moved, 0.0), l1, 0.0, False,
        )  # fmt: skip
        if rebuilt:
            count = moved = 0.0
            q_before = _gradient(gram, xty, before)  # what q was rebuilt to (to 1 ulp)
        if jumped:
            drop = _objective(gram, xty, before, l1) - _objective(gram, xty, w, l1)
            accepted.append(epoch)
            assert drop > 0, f"epoch {epoch}: the objective rose by {float(-drop):.3g}"
            # The gradient moved by −G·d for the move d made, to the rounding of G·d (an
            # extrapolated gradient is off by G times the rounding of the extrapolated w).
            d = w - before
            change = -(gram @ d)
            slack = 8 * EPS * (np.abs(gram) @ np.abs(d) + np.abs(q_before) + np.abs(q))
            assert (np.abs((q - q_before) - change) <= slack).all(), epoch
            count += p + 1
            moved += float(np.abs(d) @ np.sqrt(norm2))
    assert len(accepted) >= 20, "too few extrapolations accepted to check anything"  # 48


@pytest.mark.parametrize("gram_layout", [True, False], ids=["gram", "residual"])
def test_the_decrease_is_within_its_bound_of_the_exact_value(gram_layout):
    # Random moves from 1 down to 1e-14 relative, on well- and ill-conditioned designs
    # (raw Longley among them): the computed decrease is within its error bound of the
    # exact P(w_old) − P(w_new), computed from the same float64 data and residual.
    rng = np.random.default_rng(3)
    designs = [longley()]
    for _ in range(3):
        X = rng.standard_normal((30, 5)) * 10.0 ** rng.integers(-3, 4, 5)
        designs.append((X, X @ rng.standard_normal(5) + rng.standard_normal(30)))
    worst = 0.0
    for trial in range(48):
        X, y = designs[trial % len(designs)]
        n, p = X.shape
        xc, yc = X - X.mean(axis=0), y - y.mean()
        ws = np.arange(p, dtype=np.int64)
        w_old = np.linalg.lstsq(xc, yc, rcond=None)[0]
        step = 10.0 ** -rng.uniform(0, 14)
        l1, l2 = float(rng.uniform(0, 5)), float(rng.uniform(0, 1) * (trial % 2))
        if trial % 3:
            w_old = w_old * (1.0 + 0.1 * rng.standard_normal(p))
            w_new = w_old * (1.0 + step * rng.standard_normal(p))
        else:  # from the least-squares solution along the most nearly null direction of
            # the design: the decrease is −½‖Xd‖², which X·d (or dᵀGd) cancels to
            norms = np.linalg.norm(xc, axis=0)
            null = np.linalg.svd(xc / norms)[2][-1] / norms
            w_new = w_old + step * null * np.abs(w_old).max() / np.abs(null).max()
            l1 = l2 = 0.0
        u, size = np.empty(p if gram_layout else n), np.empty(p if gram_layout else n)
        if gram_layout:
            problem = gram_problem(X, y, True, False)
            assert problem.gram is not None
            # Symmetric to the bit, as the identities behind the decrease assume (the
            # centring correction can leave 1 ulp between G[a, b] and G[b, a]).
            gram, xty = np.triu(problem.gram) + np.triu(problem.gram, 1).T, problem.xty
            aux = _gradient(gram, xty, w_old)
            gain, error = decrease(True, EMPTY, gram, aux, w_old, w_new, ws, p, l1, l2, u, size)
            exact = _objective(gram, xty, w_old, 0.0) - _objective(gram, xty, w_new, 0.0)
        else:
            problem = residual_problem(X, y, True, False)
            xt, yv = problem.xt, problem.y
            assert xt is not None
            assert yv is not None
            aux = yv - xt.T @ w_old
            gain, error = decrease(False, xt, EMPTY, aux, w_old, w_new, ws, p, l1, l2, u, size)
            exact = _residual_decrease(xt, aux, w_old, w_new)
        exact -= sum(F(l1) * (abs(F(float(b))) - abs(F(float(a))))
                     + F(l2) * (F(float(b)) ** 2 - F(float(a)) ** 2) / 2
                     for a, b in zip(w_old, w_new, strict=True))  # fmt: skip
        assert abs(F(gain) - exact) <= F(error), (trial, gain, float(exact), error)
        worst = max(worst, float(abs(F(gain) - exact) / abs(exact)))
    # The cancellation the bound accounts for is there: far more than rounding of the
    # result alone (raw Longley, moves along its near-null directions).
    assert worst > 100 * EPS


def _residual_decrease(xt, r, w_old, w_new) -> Fraction:
    """``½‖R‖² − ½‖R − Xd‖²`` exactly, for the float64 ``R`` given."""
    p, n = xt.shape
    d = [F(float(b)) - F(float(a)) for a, b in zip(w_old, w_new, strict=True)]
    total = F(0)
    for i in range(n):
        ui = sum(F(float(xt[j, i])) * d[j] for j in range(p))
        ri = F(float(r[i]))
        total += ui * (ri - ui / 2)
    return total


@pytest.mark.parametrize("rebuilt", [False, True], ids=["drifted", "rebuilt"])
def test_the_error_of_the_gradient_is_within_its_bound(rebuilt):
    # The gradient q updated over 3,000 epochs on raw Longley (and then rebuilt in
    # double-double) is within aux_error's bound of the exact Xᵀy − Gw: the decision of
    # anderson_step adds what that error can do to the decrease.
    X, y = longley()
    n, p = X.shape
    problem = gram_problem(X, y, True, False)
    gram, xty = problem.gram, problem.xty
    assert gram is not None
    norm2 = np.ascontiguousarray(np.diag(gram))
    ws = np.arange(p, dtype=np.int64)
    w, q = np.zeros(p), xty.copy()
    count = moved = 0.0
    for _ in range(3_000):
        _, _, updates, step = _epoch(True, EMPTY, gram, q, w, norm2, ws, p, n * ALPHA, 0.0, False)
        count, moved = count + updates, moved + step
    if rebuilt:
        rebuild(True, EMPTY, NONE, gram, xty, w, q, np.empty(p))
        count = moved = 0.0
    err = np.empty(p)
    aux_error(True, xty, q, w, norm2, count, moved, 0.0, err)
    exact = [F(float(xty[a])) - sum(F(float(gram[a, b])) * F(float(w[b])) for b in range(p))
             for a in range(p)]  # fmt: skip
    off = [abs(F(float(q[a])) - exact[a]) for a in range(p)]
    assert all(off[a] <= F(float(err[a])) for a in range(p)), ([float(v) for v in off], err)
    if not rebuilt:
        assert max(off) > 0  # drifted
