"""The one way up: results reach the layers above them by name, resolved on first use.

A results object holds numbers (:mod:`linmod.inference`); checking its assumptions,
drawing it, rendering it and saving it live in higher layers (diagnostics, plots,
report, model files), which import the results.  So that ``res.check()`` or
``res.summary()`` keep working without an import cycle, those methods look their
implementation up here by name.  This table is the only place where a lower layer names
a higher one; ``tests/test_architecture.py`` checks that no other upward import exists.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["IMPLEMENTATIONS", "implementation"]

#: operation name -> "module:attribute" that carries it out
IMPLEMENTATIONS: dict[str, str] = {
    "check": "linmod.diagnostics.check:check",
    "influence": "linmod.diagnostics.influence:influence",
    "plot_diagnostics": "linmod.plots.diagnostics:plot_diagnostics",
    "save": "linmod.model_file:save",
    "render_summary": "linmod.report.summary:render_summary",
    "render_summary_html": "linmod.report.summary:render_summary_html",
    "render_saved_summary": "linmod.report.saved_summary:render_saved_summary",
    "render_summary_as": "linmod.report.summary_export:render_summary_as",
    "render_model_table": "linmod.report.model_table:render_model_table",
    "render_quantile_summary": "linmod.report.quantile_summary:render_quantile_summary",
    "render_robust_summary": "linmod.report.robust_summary:render_robust_summary",
    "plot_quantile_process": "linmod.plots.quantile_process:plot_quantile_process",
    "render_wald_test": "linmod.report.hypothesis:render_wald_test",
    "render_t_test": "linmod.report.hypothesis:render_t_test",
    "render_anova": "linmod.report.hypothesis:render_anova",
    "render_model_comparison": "linmod.report.hypothesis:render_model_comparison",
    "render_bootstrap": "linmod.report.bootstrap_table:render_bootstrap",
}


def implementation(name: str) -> Callable[..., Any]:
    """Import and return the function registered for ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`IMPLEMENTATIONS`.

    Returns
    -------
    callable
        The function, imported on first use (later calls hit the import cache).
    """
    module, _, attribute = IMPLEMENTATIONS[name].partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), attribute)
    return function
