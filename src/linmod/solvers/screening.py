"""Duality gap, gap-safe screening and working sets for the elastic-net kernels.

* :func:`duality_gap`: scikit-learn's "formulation A" gap (the dual point is the residual
  rescaled into the dual feasible set), or, without an L1 penalty, the unconstrained dual
  of Dünner et al. ("formulation B");
* :func:`screen_and_rank`: the gap-safe sphere test (Fercoq et al. 2015, Ndiaye et al.
  2017): a feature whose dual constraint stays strictly inactive over the whole sphere
  around the current dual point is zero at the optimum and is removed for the rest of the
  solve; the same quantity ranks the others for the working set;
* :func:`working_set`: the support plus the best-ranked other features (celer's rule),
  chosen by quickselect in linear time.

Compiled with numba (``cache=True``); all arrays float64 / int64 and C-contiguous.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = ["duality_gap", "kth_smallest", "screen_and_rank", "working_set"]

Float = NDArray[np.float64]


@njit(cache=True)
def duality_gap(
    xta: Float,
    idx: NDArray[np.int64],
    m: int,
    w: Float,
    r_norm2: float,
    l1: float,
    l2: float,
    positive: bool,
) -> tuple[float, float]:  # pragma: no cover - compiled
    """Duality gap over the features ``idx[:m]`` with ``xta[k] = X_jᵀR − λ₂w_j``.

    The gap is summed as non-negative terms, one per feature, that vanish at the optimum,
    never as the difference of the primal and dual objectives: those are of the order of
    ``‖y‖²`` and their difference would lose every digit below ``eps·‖y‖²`` (on
    ill-conditioned data a rounding-level gap, even a negative one, then stops the solver
    early).  With ``g_j = X_jᵀR`` and ``s`` the dual scaling ``min(1, λ₁/max|xta|)``:

    * formulation A (``λ₁ > 0``): ``½(1 − s)²(‖R‖² + λ₂‖w‖²) + Σ (λ₁|w_j| − s·w_j·xta_j)``;
    * formulation B (``λ₁ = 0``): ``Σ xta_j²/(2λ₂)``, and with ``positive`` the term of
      a feature with ``g_j < 0`` is ``w_j(λ₂w_j − 2g_j)/2``.

    Both equal scikit-learn's ``P(w) − D(θ)`` in exact arithmetic.

    Returns the gap and the dual norm ``max_k xta[k]`` (absolute unless ``positive``).
    """
    dual = 0.0
    w_l2 = 0.0
    for k in range(m):
        v = xta[k]
        a = v if positive else abs(v)
        if a > dual:
            dual = a
        w_l2 += w[idx[k]] * w[idx[k]]
    gap = 0.0
    if l1 > 0.0:
        scale = l1 / dual if dual > l1 else 1.0
        for k in range(m):
            wj = w[idx[k]]
            gap += l1 * abs(wj) - scale * wj * xta[k]
        gap += 0.5 * (1.0 - scale) ** 2 * (r_norm2 + l2 * w_l2)
        return gap, dual
    for k in range(m):
        wj = w[idx[k]]
        v = xta[k]
        g = v + l2 * wj  # X_jᵀR
        if positive and g < 0.0:
            gap += 0.5 * wj * (l2 * wj - 2.0 * g)
        else:
            gap += v * v / (2.0 * l2)
    return gap, dual


@njit(cache=True)
def screen_and_rank(
    xta: Float,
    norm2: Float,
    w: Float,
    excluded: NDArray[np.bool_],
    gap: float,
    dual: float,
    l1: float,
    l2: float,
    positive: bool,
    score: Float,
) -> NDArray[np.int64]:  # pragma: no cover - compiled
    """Gap-safe screening; return the features whose coefficient must be zeroed.

    ``score[j]`` receives the distance-like ranking ``(1 − |X_jᵀθ|/λ₁)/‖x_j‖`` used to
    build working sets (small = close to entering the model).
    """
    p = xta.shape[0]
    zeroed = np.empty(p, dtype=np.int64)
    nz = 0
    radius = np.sqrt(2.0 * abs(gap)) / l1
    theta = max(l1, dual)
    for j in range(p):
        if excluded[j]:
            continue
        v = xta[j] / theta
        a = v if positive else abs(v)
        d = (1.0 - a) / np.sqrt(norm2[j] + l2)
        score[j] = d
        if d > radius:
            excluded[j] = True
            if w[j] != 0.0:
                zeroed[nz] = j
                nz += 1
    return zeroed[:nz]


@njit(cache=True)
def kth_smallest(values: Float, k: int) -> float:  # pragma: no cover - compiled
    """The ``k``-th smallest (0-based) of ``values`` by quickselect (``values`` is reordered)."""
    lo = 0
    hi = values.shape[0] - 1
    while lo < hi:
        pivot = values[(lo + hi) // 2]
        i = lo
        j = hi
        while i <= j:
            while values[i] < pivot:
                i += 1
            while values[j] > pivot:
                j -= 1
            if i <= j:
                tmp = values[i]
                values[i] = values[j]
                values[j] = tmp
                i += 1
                j -= 1
        if k <= j:
            hi = j
        elif k >= i:
            lo = i
        else:
            return values[k]
    return values[k]


@njit(cache=True)
def working_set(
    w: Float,
    score: Float,
    excluded: NDArray[np.bool_],
    size: int,
    ws: NDArray[np.int64],
) -> tuple[int, bool]:  # pragma: no cover - compiled
    """Fill ``ws`` with the support plus the best-ranked other features, in index order.

    Returns the number of features and whether they are all the non-excluded ones.
    """
    p = w.shape[0]
    n_support = 0
    n_cand = 0
    for j in range(p):
        if not excluded[j]:
            if w[j] != 0.0:
                n_support += 1
            else:
                n_cand += 1
    room = size - n_support
    full = room >= n_cand
    cut = np.inf
    if not full and room > 0:
        scores = np.empty(n_cand)
        k = 0
        for j in range(p):
            if not excluded[j] and w[j] == 0.0:
                scores[k] = score[j]
                k += 1
        cut = kth_smallest(scores, room - 1)
    m = 0
    added = 0
    for j in range(p):
        if excluded[j]:
            continue
        if w[j] != 0.0:
            ws[m] = j
            m += 1
        elif full or (room > 0 and added < room and score[j] <= cut):
            ws[m] = j
            m += 1
            added += 1
    return m, full
