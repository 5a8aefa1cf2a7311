"""The normal, chi-squared, F and t distribution functions of ``scipy.stats``, without it.

Importing ``scipy.stats`` takes about 0.4 s, a seventh of a whole HTML report, while the
diagnostics need only a few tail probabilities and quantiles.  ``scipy.stats`` computes
those with the ``scipy.special`` functions used here (``ndtr``, ``ndtri``, ``log_ndtr``,
``chdtrc``, ``fdtr``, ``fdtrc``, ``stdtr``), inside a generic wrapper that standardises
``x`` by ``loc`` and ``scale`` and handles arguments outside the support or the valid
parameters; :class:`Distribution` repeats that wrapper's steps, so every value is the
one ``scipy.stats`` returns, to the bit (tested against it).

Use as the module: ``from linmod.inference import distributions as stats`` and then
``stats.chi2.sf(x, df)``, ``stats.norm.ppf(q)``, ``stats.f.cdf(x, d1, d2)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

__all__ = ["Distribution", "chi2", "f", "norm", "t"]

_Function = Callable[..., Any]


def _finish(output: np.ndarray) -> Any:
    return output[()] if output.ndim == 0 else output


def _take(values: Any, cond: Any) -> np.ndarray:
    """The entries of ``values`` (broadcast to ``cond``'s shape) where ``cond`` is nonzero."""
    return np.extract(cond, np.broadcast_to(values, np.shape(cond)))


class Distribution:
    """``cdf``, ``sf``, ``logcdf``, ``logsf`` and ``ppf`` as ``scipy.stats``'s
    ``rv_continuous`` computes them (support ``[a, b]``, shape parameters > 0).

    Parameters
    ----------
    a, b : float
        The support.
    functions : dict
        ``scipy.special`` forms of the methods offered, on standardised ``x`` and the
        shape parameters (e.g. ``{"sf": lambda x, df: special.chdtrc(df, x)}``).
    """

    def __init__(self, a: float, b: float, functions: dict[str, _Function]) -> None:
        self.a, self.b = a, b
        self._functions = functions

    @staticmethod
    def _argcheck(args: tuple[np.ndarray, ...]) -> Any:
        cond: Any = 1
        for arg in args:
            cond = np.logical_and(cond, np.asarray(arg) > 0)
        return cond

    def _evaluate(self, name: str, x: Any, args: tuple[Any, ...], loc: Any, scale: Any) -> Any:
        x, loc, scale = map(np.asarray, (x, loc, scale))
        shapes = tuple(map(np.asarray, args))
        dtype = np.promote_types(x.dtype, np.float64)
        x = np.asarray((x - loc) / scale, dtype=dtype)
        cond0 = self._argcheck(shapes) & (scale > 0)
        with np.errstate(invalid="ignore"):
            cond1 = (self.a < x) & (x < self.b) & (scale > 0)
        upper = name in ("cdf", "logcdf")  # the value 1 (or log 1) is reached at b
        cond2 = (x >= self.b) & cond0 if upper else cond0 & (x <= self.a)
        cond = cond0 & cond1
        if name in ("cdf", "sf"):
            output = np.zeros(np.shape(cond), dtype)
            np.place(output, (1 - cond0) + np.isnan(x), np.nan)
            np.place(output, cond2, 1.0)
        else:
            output = np.empty(np.shape(cond), dtype)
            output.fill(-np.inf)
            bad = (1 - cond0) * (cond1 == cond1) if name == "logcdf" else 1 - cond0
            np.place(output, bad + np.isnan(x), np.nan)
            np.place(output, cond2, 0.0)
        if np.any(cond):
            good = [_take(v, cond) for v in (x, *shapes)]
            np.place(output, cond, self._functions[name](*good))
        return _finish(output)

    def cdf(self, x: Any, *args: Any, loc: Any = 0, scale: Any = 1) -> Any:
        """``P(X <= x)``."""
        return self._evaluate("cdf", x, args, loc, scale)

    def sf(self, x: Any, *args: Any, loc: Any = 0, scale: Any = 1) -> Any:
        """``P(X > x)``."""
        return self._evaluate("sf", x, args, loc, scale)

    def logcdf(self, x: Any, *args: Any, loc: Any = 0, scale: Any = 1) -> Any:
        """``log P(X <= x)``."""
        return self._evaluate("logcdf", x, args, loc, scale)

    def logsf(self, x: Any, *args: Any, loc: Any = 0, scale: Any = 1) -> Any:
        """``log P(X > x)``."""
        return self._evaluate("logsf", x, args, loc, scale)

    def ppf(self, q: Any, *args: Any, loc: Any = 0, scale: Any = 1) -> Any:
        """The ``q`` quantile."""
        q, loc, scale = map(np.asarray, (q, loc, scale))
        shapes = tuple(map(np.asarray, args))
        cond0 = self._argcheck(shapes) & (scale > 0) & (loc == loc)
        cond1 = (q > 0) & (q < 1)
        cond2 = cond0 & (q == 0)
        cond3 = cond0 & (q == 1)
        cond = cond0 & cond1
        output = np.full(np.shape(cond), fill_value=np.nan)
        for at, bound in ((cond2, self.a), (cond3, self.b)):
            np.place(output, at, _take(bound * scale + loc, at))
        if np.any(cond):
            q_good, *shape_good, scale_good, loc_good = [
                _take(v, cond) for v in (q, *shapes, scale, loc)
            ]
            quantile = self._functions["ppf"](q_good, *shape_good)
            np.place(output, cond, quantile * scale_good + loc_good)
        return _finish(output)


norm = Distribution(
    -np.inf,
    np.inf,
    {
        "cdf": special.ndtr,
        "sf": lambda x: special.ndtr(-x),
        "logcdf": special.log_ndtr,
        "logsf": lambda x: special.log_ndtr(-x),
        "ppf": special.ndtri,
    },
)
chi2 = Distribution(
    0.0,
    np.inf,
    {"cdf": lambda x, df: special.chdtr(df, x), "sf": lambda x, df: special.chdtrc(df, x)},
)
f = Distribution(
    0.0,
    np.inf,
    {
        "cdf": lambda x, d1, d2: special.fdtr(d1, d2, x),
        "sf": lambda x, d1, d2: special.fdtrc(d1, d2, x),
    },
)
t = Distribution(
    -np.inf,
    np.inf,
    {
        "cdf": lambda x, df: special.stdtr(df, x),
        "sf": lambda x, df: special.stdtr(df, -x),
        "ppf": lambda q, df: special.stdtrit(df, q),
    },
)
