"""Residual-based statistics as mergeable, order-aware sums (the second pass).

Each block of consecutive rows (a chunk of a file, a Dask partition) is summarised by a
:class:`ResidualSums`; two neighbouring summaries merge into the summary of their rows in
order, so chunks fold left to right and partitions reduce as a tree with the same result.
What crosses a boundary is kept at the block edges: the first and last ``lags`` score
rows (for the HAC cross terms) and the first and last residual (for Durbin-Watson).

The sums give: the HC0/HC2/HC3 meats (HC1 is a multiple of HC0) and the Bartlett HAC meat
of the sandwich covariances, Durbin-Watson, Koenker's Breusch-Pagan (its auxiliary
regression of ``e²`` on the design folded into an R factor), Jarque-Bera from the residual
moments, the largest Cook's distances, and a uniform sample of the residuals for
Shapiro-Wilk (merged exactly: a hypergeometric split of the sample between the blocks).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from linmod.linalg.tsqr import RFactor
from linmod.solvers.factor import solve_factor

__all__ = ["SHAPIRO_SAMPLE_SIZE", "ResidualSums", "StreamDiagnostics"]

Float = NDArray[np.float64]

#: Residuals kept (uniformly at random) for the Shapiro-Wilk test of an out-of-core fit.
SHAPIRO_SAMPLE_SIZE = 5000
TOP_COOKS = 10


@dataclass(frozen=True)
class StreamDiagnostics:
    """Residual-based statistics from the second pass of an out-of-core fit.

    Attributes
    ----------
    durbin_watson : float
        ``sum((e_t - e_{t-1})**2) / sum(e_t**2)`` over all rows, in data order.
    breusch_pagan : tuple of (statistic, df, p_value)
        Koenker's studentized form: ``n R²`` of ``e²`` regressed on the design.
    jarque_bera : tuple of (statistic, p_value, skewness, excess_kurtosis)
    shapiro_wilk : tuple of (statistic, p_value, sample_size, seed)
        On a uniform random sample of the residuals (sample-based: not exact).
    largest_cooks : DataFrame
        The largest Cook's distances with their source row, leverage and residual.
    """

    durbin_watson: float
    breusch_pagan: tuple[float, int, float]
    jarque_bera: tuple[float, float, float, float]
    shapiro_wilk: tuple[float, float, int, int]
    largest_cooks: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class ResidualSums:
    """Mergeable second-pass sums over a run of consecutive rows (see module docstring)."""

    n: int
    meats: dict[str, Float]
    hac: Float
    head: Float
    tail: Float
    first_residual: float
    last_residual: float
    dw_numerator: float
    moments: Float
    abs_sum: float
    auxiliary: RFactor
    sample: Float
    cooks: tuple[tuple[float, str, float, float], ...]
    # Weighted fits (lmtest's bptest on a weighted lm): the sum of squares the explained
    # part of the auxiliary regression is divided by; None: its centred sum of squares.
    auxiliary_ss: float | None = None

    @classmethod
    def from_block(
        cls,
        x: Float,
        e: Float,
        bread: Float,
        sigma2: float,
        lags: int,
        label: Callable[[int], str],
        rng: np.random.Generator,
    ) -> ResidualSums:
        """Summarise one block: design rows ``x`` (estimable columns), residuals ``e``.

        ``label(i)`` names row ``i`` of the block (called only for the largest Cook's
        distances).
        """
        k = x.shape[1]
        # One n x k temporary at a time besides the scores: the leverages from x @ bread,
        # then each weighted meat from the same buffer (scores times sqrt of the weight).
        buffer = x @ bread
        h = np.einsum("ij,ij->i", buffer, x)
        scores = np.multiply(x, e[:, None], order="C")
        meats = {"HC0": scores.T @ scores}
        for kind, root_weight in (("HC2", 1.0 / np.sqrt(1.0 - h)), ("HC3", 1.0 / (1.0 - h))):
            np.multiply(scores, root_weight[:, None], out=buffer)
            meats[kind] = buffer.T @ buffer
        del buffer
        hac = meats["HC0"].copy()
        for lag in range(1, min(lags, e.size - 1) + 1):
            cross = scores[lag:].T @ scores[:-lag]
            hac += (1.0 - lag / (lags + 1.0)) * (cross + cross.T)
        cooks = e**2 * h / (k * sigma2 * (1.0 - h) ** 2)
        top = tuple(
            (float(cooks[i]), label(int(i)), float(h[i]), float(e[i]))
            for i in np.argsort(cooks)[-TOP_COOKS:]
        )
        size = min(SHAPIRO_SAMPLE_SIZE, e.size)
        sample = rng.choice(e, size=size, replace=False) if size < e.size else e.copy()
        return cls(
            n=int(e.size),
            meats=meats,
            hac=hac,
            head=scores[:lags].copy(),
            tail=scores[e.size - min(lags, e.size) :].copy(),
            first_residual=float(e[0]),
            last_residual=float(e[-1]),
            dw_numerator=float(np.sum(np.diff(e) ** 2)),
            moments=np.array([e.size, e.sum(), (e**2).sum(), (e**3).sum(), (e**4).sum()]),
            abs_sum=float(np.abs(e).sum()),
            auxiliary=RFactor.from_block(x, e**2),
            sample=sample,
            cooks=top,
        )

    def merge(self, right: ResidualSums, lags: int, rng: np.random.Generator) -> ResidualSums:
        """Sums of this block followed by ``right`` (order matters for HAC and DW)."""
        hac = self.hac + right.hac
        # Cross terms of score rows t (in right) and t - lag (in self) across the seam.
        for lag in range(1, lags + 1):
            for i in range(min(lag, right.n)):  # row i of right pairs with row i - lag
                back = lag - i  # how far from the end of self
                if back <= self.tail.shape[0]:
                    outer = np.outer(right.head[i], self.tail[-back])
                    hac += (1.0 - lag / (lags + 1.0)) * (outer + outer.T)
        step = right.first_residual - self.last_residual
        cooks = heapq.nlargest(TOP_COOKS, self.cooks + right.cooks)
        return ResidualSums(
            n=self.n + right.n,
            meats={kind: self.meats[kind] + right.meats[kind] for kind in self.meats},
            hac=hac,
            head=np.vstack([self.head, right.head])[:lags],
            tail=np.vstack([self.tail, right.tail])[-lags:] if lags else self.tail[:0],
            first_residual=self.first_residual,
            last_residual=right.last_residual,
            dw_numerator=self.dw_numerator + right.dw_numerator + step**2,
            moments=self.moments + right.moments,
            abs_sum=self.abs_sum + right.abs_sum,
            auxiliary=self.auxiliary.merge(right.auxiliary),
            sample=_merge_samples(self.sample, self.n, right.sample, right.n, rng),
            cooks=tuple(cooks),
            auxiliary_ss=(
                None
                if self.auxiliary_ss is None
                else self.auxiliary_ss + (right.auxiliary_ss or 0.0)
            ),
        )

    def finish(
        self, n_params: int, intercept: bool, lags: int, seed: int
    ) -> tuple[dict[str, Float], StreamDiagnostics]:
        """Meats keyed as :class:`~linmod.inference.results.FitTotals` expects, and tests."""
        n = self.n
        meats = dict(self.meats)
        meats["HC1"] = self.meats["HC0"] * n / (n - n_params)
        meats[f"HAC({lags})"] = self.hac
        count, s1, s2, s3, s4 = self.moments
        mean = s1 / count
        m2 = s2 / count - mean**2
        m3 = s3 / count - 3 * mean * s2 / count + 2 * mean**3
        m4 = s4 / count - 4 * mean * s3 / count + 6 * mean**2 * s2 / count - 3 * mean**4
        skew, kurt = m3 / m2**1.5, m4 / m2**2
        jb = n / 6.0 * (skew**2 + (kurt - 3.0) ** 2 / 4.0)
        aux = self.auxiliary
        aux_tss = aux.y_centred_ss if self.auxiliary_ss is None else self.auxiliary_ss
        solved = solve_factor(aux)
        if self.auxiliary_ss is None:
            bp = n * (1.0 - solved.ssr / aux_tss) if aux_tss > 0 else 0.0
        else:  # the auxiliary response is not centred: its explained part is y'y - SSR
            bp = n * (aux.y_ss - solved.ssr) / aux_tss if aux_tss > 0 else 0.0
        bp_df = solved.rank - int(intercept)
        sw = stats.shapiro(self.sample) if self.sample.size >= 3 else (np.nan, np.nan)
        cooks = pd.DataFrame(
            sorted(self.cooks, reverse=True),
            columns=["cooks_distance", "row", "leverage", "residual"],
        ).set_index("row")
        return meats, StreamDiagnostics(
            durbin_watson=self.dw_numerator / s2,
            breusch_pagan=(float(bp), bp_df, float(stats.chi2.sf(bp, bp_df))),
            jarque_bera=(float(jb), float(stats.chi2.sf(jb, 2)), float(skew), float(kurt - 3.0)),
            shapiro_wilk=(float(sw[0]), float(sw[1]), int(self.sample.size), seed),
            largest_cooks=cooks,
        )


def _merge_samples(
    left: Float, n_left: int, right: Float, n_right: int, rng: np.random.Generator
) -> Float:
    """A uniform sample of the union, given uniform samples of two disjoint parts."""
    size = min(SHAPIRO_SAMPLE_SIZE, n_left + n_right)
    if left.size + right.size <= size:
        return np.concatenate([left, right])
    from_left = int(rng.hypergeometric(n_left, n_right, size))
    chosen_left = rng.choice(left, size=from_left, replace=False)
    chosen_right = rng.choice(right, size=size - from_left, replace=False)
    return np.concatenate([chosen_left, chosen_right])
