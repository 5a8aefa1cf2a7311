"""The lessons' convergence figure: cost against iteration for several learning rates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import ConvergenceError
from linmod.linalg.standardize import Standardization
from linmod.plots._matplotlib import pyplot
from linmod.solvers.gd import GDOptions, gradient_descent, lipschitz_constant

__all__ = ["ConvergenceDisplay", "convergence"]

#: Multiples of the auto rate 1/L shown by default: too small, about right, too large.
DEFAULT_RATE_FACTORS = (0.05, 1.0, 2.2)


@dataclass(frozen=True)
class ConvergenceDisplay:
    """Cost histories of real gradient-descent runs, one per learning rate.

    Attributes
    ----------
    learning_rates : tuple of float
    histories : tuple of ndarray
        Cost per iteration of each run (cut where a run diverged).
    diverged : tuple of bool
    lipschitz : float
        ``L``; ``2/L`` is the largest stable rate.
    """

    learning_rates: tuple[float, ...]
    histories: tuple[NDArray[np.float64], ...]
    diverged: tuple[bool, ...]
    lipschitz: float

    @classmethod
    def from_data(
        cls,
        X: Any,
        y: Any,
        learning_rates: Sequence[float] | None = None,
        n_iter: int = 100,
        standardize: bool = True,
    ) -> ConvergenceDisplay:
        """Run batch gradient descent at each rate and record the cost.

        Parameters
        ----------
        X : array-like of shape (n, p)
        y : array-like of shape (n,)
        learning_rates : sequence of float, optional
            Default: 0.05/L (too small), 1/L (about right) and 2.2/L (too large).
        n_iter : int
            Iterations per run.
        standardize : bool
            Standardise X first, as :class:`~linmod.GDRegressor` does by default.
        """
        x = np.asarray(X, dtype=float)
        x = x[:, None] if x.ndim == 1 else x
        yv = np.asarray(y, dtype=float)
        if standardize:
            scaling = Standardization.fit(x, yv, center=True)
            x, yv = scaling.transform(x), yv - scaling.y_mean
        lipschitz, _ = lipschitz_constant(x, fit_intercept=True)
        rates = (
            tuple(f / lipschitz for f in DEFAULT_RATE_FACTORS)
            if learning_rates is None
            else tuple(float(r) for r in learning_rates)
        )
        histories, diverged = [], []
        for rate in rates:
            options = GDOptions(learning_rate=rate, max_epochs=n_iter, tol=1e-300, patience=n_iter)
            try:
                history = gradient_descent(x, yv, options, warn=False).cost_history
            except ConvergenceError as error:  # non-finite cost: keep what was recorded
                history = np.asarray(getattr(error, "cost_history", []))
            histories.append(history)
            diverged.append(not np.isfinite(history).all() or bool(history[-1] > history[0]))
        return cls(rates, tuple(histories), tuple(diverged), lipschitz)

    def plot(self, ax: Any = None) -> Any:
        """Draw the cost curves on a log scale; return the matplotlib Figure."""
        plt = pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        stable = 2.0 / self.lipschitz
        for rate, history, diverged in zip(
            self.learning_rates, self.histories, self.diverged, strict=True
        ):
            if rate >= stable or diverged:
                verdict = "diverges"
            elif rate < 0.2 / self.lipschitz:
                verdict = "too small: slow"
            else:
                verdict = "about right"
            finite = history[np.isfinite(history)]
            ax.plot(np.arange(finite.size), finite, label=f"rate {rate:.3g} ({verdict})")
        ax.set_yscale("log")
        starts = [h[0] for h in self.histories if h.size and np.isfinite(h[0])]
        if starts:  # a diverging run climbs off the chart instead of flattening the rest
            lows = [np.nanmin(h[np.isfinite(h)]) for h in self.histories if np.isfinite(h).any()]
            ax.set_ylim(max(min(lows) / 2, np.finfo(float).tiny), 1e3 * max(starts))
        ax.set_xlabel("iteration")
        ax.set_ylabel("cost J(β) (mean squared error)")
        ax.set_title(f"Gradient descent: largest stable rate 2/L = {stable:.3g}")
        ax.legend()
        return ax.figure


def convergence(
    X: Any,
    y: Any,
    learning_rates: Sequence[float] | None = None,
    n_iter: int = 100,
    standardize: bool = True,
    ax: Any = None,
) -> Any:
    """Plot cost versus iteration for several learning rates; return the Figure.

    See :meth:`ConvergenceDisplay.from_data` for the parameters.  Save the result with
    ``fig.savefig("convergence.png")`` (or ``.svg``).
    """
    display = ConvergenceDisplay.from_data(X, y, learning_rates, n_iter, standardize)
    return display.plot(ax=ax)
