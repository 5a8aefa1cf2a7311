"""Detecting that coordinate descent has reached the float64 limit (compiled with numba).

On an ill-conditioned design and a ``tol`` below what float64 resolves (``tol=1e-15``
on NIST Longley), the sweeps stop moving the coefficients while the duality gap stays
above ``tol``: either a sweep changes no coefficient at all (a fixed point), or the
iterates return bit for bit to an earlier value (a cycle, typically one coefficient
toggling by one unit in the last place every sweep).  Every further sweep then repeats
the earlier ones, so the solve is as accurate as coordinate descent gets in float64 and
running on to ``max_iter`` only costs time.

:func:`stuck` is called after each sweep.  It compares the coefficients of the working
set with a snapshot retaken every :data:`CYCLE` sweeps, so it finds any cycle of period
up to :data:`CYCLE` within two snapshots of entering it, for ``O(m)`` per sweep.  The
kernels then rebuild the residual in double-double (the incrementally updated one
carries its own rounding; one rounded in float64 would carry a different rounding at
every bit-level change of ``w``, and on an ill-conditioned raw design the confirming
sweeps would then chase it instead of settling) and sweep every feature again: the
solve stops at a fixed point only when that confirming solve is stuck within
:data:`CYCLE` sweeps of the rebuild.  How the result is reported is
:mod:`linmod.solvers.convergence`'s.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = ["CYCLE", "snapshot", "stuck"]

#: Longest cycle of sweeps detected (and the sweeps a confirming solve is given).
CYCLE = 8


@njit(cache=True)
def snapshot(
    w: NDArray[np.float64], ws: NDArray[np.int64], m: int, snap: NDArray[np.float64]
) -> int:  # pragma: no cover - compiled
    """Store ``w[ws[:m]]`` in ``snap``; returns the sweeps since the snapshot (0)."""
    for k in range(m):
        snap[k] = w[ws[k]]
    return 0


@njit(cache=True)
def stuck(
    d_max: float,
    w: NDArray[np.float64],
    ws: NDArray[np.int64],
    m: int,
    snap: NDArray[np.float64],
    age: int,
) -> tuple[bool, int]:  # pragma: no cover - compiled
    """After a sweep over ``ws[:m]`` whose largest change was ``d_max``: whether it
    changed nothing or brought ``w`` back to the snapshot (bit for bit), and the new
    number of sweeps since the snapshot (retaken every :data:`CYCLE` sweeps)."""
    if d_max == 0.0:
        return True, age + 1
    age += 1
    same = True
    for k in range(m):
        if w[ws[k]] != snap[k]:
            same = False
            break
    if same:
        return True, age
    if age >= CYCLE:
        age = snapshot(w, ws, m, snap)
    return False, age
