"""Results of an OLS fit folded out of core (files, iterators, Dask)."""

from __future__ import annotations

from dataclasses import dataclass

from linmod.inference.results import OLSResults
from linmod.outofcore.residual_sums import StreamDiagnostics

__all__ = ["StreamedOLSResults"]


@dataclass(frozen=True)
class StreamedOLSResults(OLSResults):
    """An OLS fit of streamed data; ``diagnostics`` holds the second pass when requested."""

    diagnostics: StreamDiagnostics | None = None
