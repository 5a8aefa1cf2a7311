"""Diagnostic panels that are not scatters: VIF bars and the residual autocorrelation.

Display objects in the style of :mod:`linmod.plots.diagnostics`: built from numbers that
:mod:`linmod.diagnostics` computed, drawn by ``plot(ax=None)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.plots._matplotlib import pyplot

__all__ = ["ACFDisplay", "BarDisplay"]

Float = NDArray[np.float64]


@dataclass
class BarDisplay:
    """Horizontal bars with reference lines (variance inflation factors)."""

    names: list[str]
    values: Float
    title: str
    xlabel: str
    thresholds: list[float] = field(default_factory=lambda: [5.0, 10.0])

    def plot(self, ax: Any = None) -> Any:
        """Draw on ``ax`` (a new figure when None) and return the axes."""
        if ax is None:
            _, ax = pyplot().subplots(figsize=(5, 4))
        colours = [
            "tab:red" if v > 10 else ("tab:orange" if v > 5 else "tab:blue") for v in self.values
        ]
        positions = np.arange(len(self.names))
        ax.barh(positions, self.values, color=colours)
        ax.set_yticks(positions, self.names, fontsize=8)
        ax.invert_yaxis()
        for level in self.thresholds:
            ax.axvline(level, color="0.4", linestyle="--", linewidth=1)
        ax.set_title(self.title, fontsize=10)
        ax.set_xlabel(self.xlabel)
        return ax


@dataclass
class ACFDisplay:
    """Residual autocorrelations with the +-1.96/sqrt(n) band of white noise."""

    acf: Float
    n: int
    title: str = "Residual autocorrelation"

    def plot(self, ax: Any = None) -> Any:
        """Draw on ``ax`` (a new figure when None) and return the axes."""
        if ax is None:
            _, ax = pyplot().subplots(figsize=(5, 4))
        lags = np.arange(self.acf.shape[0])
        ax.vlines(lags, 0, self.acf, color="0.2")
        ax.axhline(0, color="0.2", linewidth=0.8)
        bound = 1.96 / np.sqrt(self.n)
        for level in (bound, -bound):
            ax.axhline(level, color="tab:blue", linestyle="--", linewidth=1)
        ax.set_title(self.title, fontsize=10)
        ax.set_xlabel("Lag")
        ax.set_ylabel("ACF")
        return ax
