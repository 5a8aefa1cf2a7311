"""Rendering of results (text, HTML); no computation happens here.

``render_html`` and ``write_report`` are imported on first use, so that the terminal and
plain-text renderers (:mod:`linmod.report.terminal`, :mod:`linmod.report.summary`) do not
load the figures and the estimators the HTML report draws on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linmod._lazy import find_submodule

if TYPE_CHECKING:
    from linmod.report.html import render_html, write_report

__all__ = ["render_html", "write_report"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from linmod.report import html

        return getattr(html, name)
    module = find_submodule(__name__, name)  # linmod.report.terminal, ...
    if module is None:
        raise AttributeError(f"module 'linmod.report' has no attribute {name!r}")
    return module
