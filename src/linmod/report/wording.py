"""The report's advice in the words of the interface that made it.

The assumption checks write their remedies for a Python user holding the fit as ``res``
and the check report as ``report`` (``res.robust('HC3') (report.refit())``).  An HTML
report made from Python holds them as ``analysis.results`` and ``analysis.assumptions``,
so :func:`python_advice` names those; a report made by ``linmod report`` passes the
command line's rewriting (:func:`linmod.cli.advice.to_cli`) instead, through the
``advice`` argument of :func:`linmod.report.render_html`.
"""

from __future__ import annotations

import re

__all__ = ["PYTHON_ADVICE", "python_advice"]

#: (pattern of a spelling in a remedy, what a report made from Python says), in order.
PYTHON_ADVICE: tuple[tuple[str, str], ...] = (
    (r"\bres\.robust\(", "analysis.results.robust("),
    (r"\breport\.refit\(", "analysis.assumptions.refit("),
    (r"linmod\.diagnostics\.white\(res\)", "linmod.diagnostics.white(analysis.results)"),
)
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in PYTHON_ADVICE)


def python_advice(message: str) -> str:
    """``message`` with the checks' ``res`` / ``report`` named as the analysis holds them.

    Parameters
    ----------
    message : str
        A reason, remedy or note written for the Python interface.

    Returns
    -------
    str

    Examples
    --------
    >>> python_advice("use HC3 standard errors: res.robust('HC3') (report.refit())")
    "use HC3 standard errors: analysis.results.robust('HC3') (analysis.assumptions.refit())"
    """
    for pattern, replacement in _COMPILED:
        message = pattern.sub(replacement, message)
    return message
