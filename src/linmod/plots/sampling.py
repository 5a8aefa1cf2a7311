"""Which points a scatter panel draws when there are too many to draw them all.

A scatter of 10⁶ residuals costs minutes to render and shows an ink blot.  Above
:data:`SAMPLE_SIZE` points a panel draws a seeded uniform sample of that many, plus every
point that matters on its own (the labelled extremes, outlying or influential rows), so
the picture is reproducible and never hides the rows a reader must see.  Statistics
(smoothers, labels, contours, thresholds) are still computed from every observation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["ALWAYS_DRAWN", "SAMPLE_SEED", "SAMPLE_SIZE", "extreme_positions", "sample_points"]

#: Most points a scatter panel draws (plus the rows it must always show): more only blacken
#: a panel a few centimetres wide, and cost seconds per panel in a report's SVG.
SAMPLE_SIZE = 5_000
#: Most extreme points of each kind that a sampled panel draws whatever the sample.
ALWAYS_DRAWN = 200
#: Seed of the uniform sample, so the same data always give the same picture.
SAMPLE_SEED = 20_240_601


def sample_points(
    n: int,
    always: NDArray[np.intp] | None = None,
    size: int = SAMPLE_SIZE,
    seed: int = SAMPLE_SEED,
) -> NDArray[np.intp] | None:
    """Positions of the points to draw, or None to draw all ``n``.

    Parameters
    ----------
    n : int
        Points in the panel.
    always : array of int, optional
        Positions drawn whatever the sample (outlying and labelled points).
    size : int
        Size of the uniform sample; at most ``n`` points are drawn when ``n <= size``.
    seed : int
        Seed of the sample.

    Returns
    -------
    ndarray of int or None
        Sorted, distinct positions (the sample united with ``always``), or None when
        ``n <= size``.
    """
    if n <= size:
        return None
    rng = np.random.default_rng(seed)
    chosen = rng.choice(n, size=size, replace=False)
    if always is not None and len(always):
        chosen = np.concatenate([chosen, np.asarray(always, dtype=np.intp)])
    return np.unique(chosen).astype(np.intp)


def extreme_positions(values: NDArray[np.float64], count: int) -> NDArray[np.intp]:
    """Positions of the ``count`` largest ``|values|`` (non-finite last), largest first.

    Ties keep row order, as a stable sort of all ``n`` would; only the candidates at or
    above the ``count``-th largest are sorted (a partition finds them), so labelling the
    extremes of 10⁶ residuals costs no full sort.
    """
    finite = np.where(np.isfinite(values), np.abs(values), -np.inf)
    if count <= 0:
        return np.empty(0, dtype=np.intp)
    n = finite.shape[0]
    if count >= n:
        return np.argsort(-finite, kind="stable")
    kth = np.partition(finite, n - count)[n - count]
    candidates = np.flatnonzero(finite >= kth)
    return candidates[np.argsort(-finite[candidates], kind="stable")[:count]]
