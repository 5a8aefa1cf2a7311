"""How ``check()`` turns an effect size and a p-value into a verdict.

The bands and the rule are tabled in :mod:`linmod.diagnostics.check`'s docstring.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError, LinmodError

__all__ = [
    "COOK_BANDS",
    "R2_BANDS",
    "RHO_BANDS",
    "adjusted_r2",
    "attempt",
    "effect_band",
    "judge",
    "plain_label",
    "second_opinion",
]

R2_BANDS = (0.02, 0.13)
RHO_BANDS = (0.1, 0.3)
COOK_BANDS = (0.5, 1.0)


def adjusted_r2(r2: float, n: int, q: int) -> float:
    """An auxiliary regression's R² of ``q`` regressors on ``n`` rows, adjusted for them
    (at least 0): with no effect at all the plain R² is ``q/(n-1)`` on average, 0.35 for
    a 140-level factor on 400 rows, which the bands would call large."""
    if n <= q + 1:
        return r2
    return max(0.0, 1.0 - (1.0 - r2) * (n - 1) / (n - q - 1))


def effect_band(value: float, edges: tuple[float, float]) -> str:
    if not np.isfinite(value):
        return "negligible"
    if value >= edges[1]:
        return "large"
    return "moderate" if value >= edges[0] else "negligible"


def judge(p_value: float, band: str, alpha: float) -> tuple[str, str]:
    significant = bool(np.isfinite(p_value) and p_value < alpha)
    if band == "large":
        if significant:
            return "violated", "a large departure, statistically significant"
        return "warning", "a large departure, but not significant (too little data to be sure)"
    if band == "moderate":
        if significant:
            return "warning", "a moderate departure, statistically significant"
        return "ok", "a moderate departure that is not statistically significant"
    if significant:
        return "ok", (
            "statistically significant but negligible in size (a large sample detects "
            "departures too small to matter)"
        )
    return "ok", "no evidence of a departure"


def plain_label(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def second_opinion(
    verdict: str,
    reason: str,
    key: TestResult | None,
    tests: list[TestResult] | tuple[TestResult, ...],
    alpha: float,
    band: str,
) -> tuple[str, str]:
    """Upgrade ok to warning when another test of the group rejects (Bonferroni).

    Not when the effect is negligible: a large sample makes every test reject.
    """
    if verdict != "ok" or not tests or band == "negligible":
        return verdict, reason
    level = alpha / len(tests)
    others = [t for t in tests if t is not key and np.isfinite(t.p_value) and t.p_value < level]
    if not others:
        return verdict, reason
    names = ", ".join(f"{t.name} (p = {t.p_value:.2g})" for t in others)
    return "warning", f"{reason}; but {names} rejects at alpha/{len(tests)}"


def attempt(function: Any, *args: Any, **kwargs: Any) -> tuple[TestResult | None, str | None]:
    try:
        return function(*args, **kwargs), None
    except (InputError, LinmodError, np.linalg.LinAlgError) as error:
        return None, f"{getattr(function, '__name__', 'test')} not run: {error}"
