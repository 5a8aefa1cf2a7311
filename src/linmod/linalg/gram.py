"""The Gram matrix ``X'X`` in one BLAS pass."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import blas

__all__ = ["gram"]


def gram(x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return ``X'X`` using one BLAS ``syrk`` pass and no copy of a C- or F-ordered ``X``."""
    if x.flags.f_contiguous and not x.flags.c_contiguous:
        upper = blas.dsyrk(1.0, x, trans=1, lower=0)
    else:
        upper = blas.dsyrk(1.0, x.T, trans=0, lower=0)
    return np.asarray(np.triu(upper) + np.triu(upper, 1).T)
