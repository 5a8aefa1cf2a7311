"""Results of an OLS fit folded out of core (files, iterators, Dask)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from linmod.data.weights import DeclaredWeights, WeightsType
from linmod.inference.results import OLSResults
from linmod.inference.weighted import refuse_frequency_hac
from linmod.outofcore.residual_sums import StreamDiagnostics

__all__ = ["StreamedOLSResults", "StreamedWeights"]


@dataclass(frozen=True)
class StreamedWeights:
    """The weights of a streamed or Dask fit: their meaning and sums, not the rows.

    Attributes
    ----------
    kind : {"precision", "frequency", "sampling"}
    column : str or None
        The data column the weights were read from.
    n_zero : int
        Rows dropped for a zero weight.
    total : float
        ``sum(w)`` over the rows in the fit.
    n_rows : int
        Rows in the fit (positive weight).
    log_sum : float
        ``sum(log w)`` over the rows in the fit.
    """

    kind: WeightsType
    column: str | None
    n_zero: int
    total: float
    n_rows: int
    log_sum: float


@dataclass(frozen=True)
class StreamedOLSResults(OLSResults):
    """An OLS fit of streamed data; ``diagnostics`` holds the second pass when requested,
    ``stream_weights`` the weights of a weighted fit (``weights="column"``)."""

    diagnostics: StreamDiagnostics | None = None
    stream_weights: StreamedWeights | None = None

    @property
    def declared_weights(self) -> DeclaredWeights | None:
        """The weights' meaning and sums (None unweighted)."""
        return self.stream_weights if self.weights is None else self.weights

    def robust(
        self,
        kind: str | None = None,
        lags: int | None = None,
        groups: Any = None,
        type: str | None = None,
    ) -> OLSResults:
        """As :meth:`OLSResults.robust`; HAC is refused with frequency weights, as in memory."""
        if self.stream_weights is not None and self.stream_weights.kind == "frequency":
            refuse_frequency_hac(kind)
        return super().robust(kind, lags, groups, type)
