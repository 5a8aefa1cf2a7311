"""Exact column scaling by powers of two.

Multiplying a float64 by a power of two changes only its exponent, so scaling the columns
of a design by ``2**k`` (with ``2**k`` close to ``1 / ||column||``) equilibrates it without
changing a single significant bit.  Every solver works on the scaled design and maps the
results back exactly.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["power_of_two_scales"]


def power_of_two_scales(column_norms: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``d`` with ``d[j] = 2**-round(log2(norm[j]))`` (1 for a zero column).

    Parameters
    ----------
    column_norms : ndarray of shape (p,)
        Euclidean norms of the design's columns.

    Returns
    -------
    ndarray of shape (p,)
        Powers of two such that ``norm[j] * d[j]`` lies in ``[1/sqrt(2), sqrt(2))``.
    """
    norms = np.asarray(column_norms, dtype=np.float64)
    scales = np.ones_like(norms)
    positive = norms > 0
    scales[positive] = np.ldexp(1.0, -np.round(np.log2(norms[positive])).astype(int))
    return scales
