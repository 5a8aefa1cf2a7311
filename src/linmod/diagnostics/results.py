"""The self-describing result of a statistical test.

Every test in :mod:`linmod.diagnostics` returns a :class:`TestResult`: what was tested
(the exact variant, the null hypothesis in words), the statistic, its reference
distribution with degrees of freedom, and the p-value, computed from a survival function
(``sf``), never as ``1 - cdf``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["TestResult"]


def _format_number(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "NA"
    return f"{value:.4g}"


def _format_p(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "NA"
    if value < 1e-16:
        return "< 1e-16"
    return f"{value:.3g}"


@dataclass(frozen=True)
class TestResult:
    """One hypothesis test, described well enough to be reported on its own.

    Attributes
    ----------
    name : str
        Short name, e.g. ``"Breusch-Pagan"``.
    method : str
        The exact variant, e.g. ``"studentized Breusch-Pagan (Koenker 1981)"``; names the
        R function the numbers agree with where there is one.
    null_hypothesis : str
        The null hypothesis in words.
    statistic : float
        The test statistic.
    p_value : float
        Probability under the null of a statistic at least as extreme (from ``sf``).
    distribution : str
        The reference distribution of the statistic under the null, e.g. ``"F"``,
        ``"chi2"``, ``"t"`` or ``"exact (Pan)"``.
    df : tuple of float
        Degrees of freedom of the reference distribution (empty when it has none).
    alternative : str
        The alternative hypothesis in words.
    statistic_name : str
        Conventional symbol of the statistic (``"F"``, ``"BP"``, ``"DW"``, ...).
    details : dict
        Further named numbers (effect sizes, auxiliary quantities).
    """

    __test__ = False  # not a pytest test class despite the name

    name: str
    method: str
    null_hypothesis: str
    statistic: float
    p_value: float
    distribution: str
    df: tuple[float, ...] = ()
    alternative: str = ""
    statistic_name: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        """Look up a field or an entry of :attr:`details` by name."""
        if key in self.details:
            return self.details[key]
        return getattr(self, key)

    @property
    def df_text(self) -> str:
        """Degrees of freedom as text, e.g. ``"(2, 27)"`` (empty when there are none)."""
        if not self.df:
            return ""
        parts = [f"{d:g}" for d in self.df]
        return f"({', '.join(parts)})"

    @property
    def statistic_text(self) -> str:
        """The statistic with its symbol and degrees of freedom, e.g. ``"F(2, 27) = 9.41"``."""
        symbol = self.statistic_name or "stat"
        return f"{symbol}{self.df_text} = {_format_number(self.statistic)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (non-finite numbers become ``None``)."""

        def clean(value: Any) -> Any:
            if isinstance(value, float) and not math.isfinite(value):
                return None
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [clean(v) for v in value]
            if hasattr(value, "item") and callable(value.item):
                return clean(value.item())
            return value

        return clean(
            {
                "name": self.name,
                "method": self.method,
                "null_hypothesis": self.null_hypothesis,
                "alternative": self.alternative,
                "statistic_name": self.statistic_name,
                "statistic": float(self.statistic),
                "df": [float(d) for d in self.df],
                "distribution": self.distribution,
                "p_value": float(self.p_value),
                "details": dict(self.details),
            }
        )

    def __str__(self) -> str:
        lines = [
            self.method,
            f"  H0: {self.null_hypothesis}",
        ]
        if self.alternative:
            lines.append(f"  H1: {self.alternative}")
        lines.append(
            f"  {self.statistic_text}, {self.distribution}, p-value {_format_p(self.p_value)}"
        )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<TestResult {self.name}: {self.statistic_text}, p-value {_format_p(self.p_value)}>"

    def _repr_html_(self) -> str:
        from html import escape

        return (
            f"<p><b>{escape(self.method)}</b><br>H0: {escape(self.null_hypothesis)}<br>"
            f"{escape(self.statistic_text)}, {escape(self.distribution)}, "
            f"p-value {escape(_format_p(self.p_value))}</p>"
        )
