"""Several regression quantiles of one model: the quantile process.

``linmod.quantreg(..., q=[0.1, 0.25, 0.5, 0.75, 0.9])`` returns a :class:`QuantileProcess`,
whose tables put the levels in rows and the terms in columns, and whose ``plot()`` draws
each coefficient against ``q`` with its confidence band, as R's
``plot(summary(rq(..., tau = 1:9/10)))``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from linmod._registry import implementation
from linmod.exceptions import InputError
from linmod.inference.quantile_results import QuantRegResults

__all__ = ["QuantileProcess"]


@dataclass(frozen=True)
class QuantileProcess:
    """Fits of the same model at several quantile levels.

    Attributes
    ----------
    fits : tuple of QuantRegResults
        One fit per level, in the order the levels were given.
    """

    fits: tuple[QuantRegResults, ...]

    @property
    def q(self) -> np.ndarray:
        """The quantile levels."""
        return np.array([fit.q for fit in self.fits])

    def __len__(self) -> int:
        return len(self.fits)

    def __iter__(self) -> Iterator[QuantRegResults]:
        return iter(self.fits)

    def __getitem__(self, q: float) -> QuantRegResults:
        """The fit at level ``q``."""
        for fit in self.fits:
            if np.isclose(fit.q, q, rtol=0.0, atol=1e-12):
                return fit
        raise InputError(f"q={q!r} was not fitted; the levels are {self.q.tolist()}")

    def _table(self, name: str) -> pd.DataFrame:
        rows = [getattr(fit, name).rename(fit.q) for fit in self.fits]
        table = pd.DataFrame(rows)
        table.index.name = "q"
        return table

    @property
    def coef(self) -> pd.DataFrame:
        """Coefficients: one row per level, one column per term."""
        return self._table("coef")

    @property
    def std_err(self) -> pd.DataFrame:
        """Standard errors: one row per level, one column per term."""
        return self._table("std_err")

    def to_frame(self, level: float = 0.95) -> pd.DataFrame:
        """Every level's coefficient table, stacked (index: level, term)."""
        return pd.concat({fit.q: fit.to_frame(level) for fit in self.fits}, names=["q", "term"])

    def summary(self) -> str:
        """Each level's summary, one after the other."""
        return "\n\n".join(fit.summary() for fit in self.fits)

    def __str__(self) -> str:
        return self.summary()

    def plot(self, level: float = 0.95, **kwargs: Any) -> Any:
        """Each coefficient against ``q`` with its confidence band and the OLS estimate
        (matplotlib figure)."""
        return implementation("plot_quantile_process")(self, level=level, **kwargs)
