"""Cross-validation folds for rows that are never all in memory: a seeded hash of position.

scikit-learn's ``KFold`` needs the number of rows before it can shuffle them; a stream
does not know it.  Hashing each row's position with a seed (SplitMix64) gives every row
a fold on its own, the same whatever the chunk size, with fold sizes that are balanced
up to binomial noise.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["fold_of_rows"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def fold_of_rows(positions: NDArray[np.int64], k: int, seed: int, stream: int = 0) -> NDArray:
    """The fold (0 to ``k − 1``) of each row, from its position: a seeded SplitMix64 hash.

    Parameters
    ----------
    positions : ndarray of int
        Row positions in the source (0-based, dropped rows counted), or within a Dask
        partition.
    k : int
        Number of folds.
    seed : int
        Seed; the same seed gives the same folds.
    stream : int
        Distinguishes independent sources of positions (Dask partitions).

    Returns
    -------
    ndarray of intp
    """
    key = np.uint64((seed * 0x100000001B3 + stream * 0x1000193) & 0xFFFFFFFFFFFFFFFF)
    with np.errstate(over="ignore"):
        z = positions.astype(np.uint64) * _GOLDEN + key
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        z = z ^ (z >> np.uint64(31))
    return (z % np.uint64(k)).astype(np.intp)
