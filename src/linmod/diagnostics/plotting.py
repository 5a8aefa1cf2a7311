"""``plot_diagnostics``, reachable from :mod:`linmod.diagnostics`.

The drawing lives in :mod:`linmod.plots.diagnostics` (the only layer that imports
matplotlib, above this one); this thin wrapper finds it through :mod:`linmod._registry`
on first use, so that importing :mod:`linmod.diagnostics` never imports matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linmod._registry import implementation

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults
    from linmod.plots.diagnostics import DiagnosticsDisplay

__all__ = ["plot_diagnostics"]


def plot_diagnostics(res: OLSResults, **kwargs: Any) -> DiagnosticsDisplay:
    """Draw diagnostic panels; see :func:`linmod.plots.diagnostics.plot_diagnostics`."""
    display: DiagnosticsDisplay = implementation("plot_diagnostics")(res, **kwargs)
    return display
