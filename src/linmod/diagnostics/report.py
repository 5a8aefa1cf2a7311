"""The assumption report: per assumption the tests, an effect size, a verdict and a remedy.

:class:`AssumptionReport` only holds and renders what :func:`linmod.diagnostics.check`
computed: it prints as a table, converts to a DataFrame or to a dict/JSON, renders as
HTML in notebooks, and offers the robust refit its remedies recommend.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from linmod.diagnostics.results import TestResult
from linmod.exceptions import InputError

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["VERDICTS", "AssumptionCheck", "AssumptionReport"]

#: Verdicts from best to worst.
VERDICTS: tuple[str, ...] = ("ok", "warning", "violated")
_MARK = {"ok": "ok", "warning": "WARNING", "violated": "VIOLATED", "not run": "not run"}


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "NA"
    return f"{value:.{digits}g}"


def _fmt_p(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    return "< 1e-16" if value < 1e-16 else f"{value:.2g}"


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):
        return _clean(value.item())
    return value


@dataclass(frozen=True)
class AssumptionCheck:
    """The check of one assumption.

    Attributes
    ----------
    assumption : str
        Key: ``"linearity"``, ``"independence"``, ``"homoscedasticity"``,
        ``"normality"``, ``"multicollinearity"`` or ``"influence"``.
    title : str
        Human-readable name.
    verdict : str
        ``"ok"``, ``"warning"`` or ``"violated"`` (``"not run"`` when impossible).
    effect : dict of str to float
        Effect sizes that do not grow with ``n`` (e.g. ``{"rho": 0.32}``).
    effect_band : str
        ``"negligible"``, ``"moderate"`` or ``"large"``.
    key_test : TestResult or None
        The test whose p-value the verdict weighs.
    tests : tuple of TestResult
        Every test run for this assumption.
    reason : str
        Why the verdict is what it is.
    remedy : str
        What to do about it (empty when the verdict is ok).
    refit : dict or None
        Arguments of :meth:`OLSResults.robust` that implement the remedy, e.g.
        ``{"kind": "HC3"}`` (set for independence and homoscedasticity whatever the
        verdict, so the robust fit can always be asked for); see
        :meth:`AssumptionReport.refit`.
    notes : tuple of str
        Caveats (tests skipped, effect sizes to read with care, ...).
    flagged : tuple
        Row labels of observations that deserve a look.
    """

    assumption: str
    title: str
    verdict: str
    effect: dict[str, float]
    effect_band: str
    key_test: TestResult | None
    tests: tuple[TestResult, ...]
    reason: str
    remedy: str = ""
    refit: dict[str, Any] | None = None
    notes: tuple[str, ...] = ()
    flagged: tuple[Any, ...] = ()

    @property
    def effect_text(self) -> str:
        """The effect sizes as ``name = value`` text."""
        return ", ".join(f"{k} = {_fmt(v)}" for k, v in self.effect.items())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return _clean(
            {
                "assumption": self.assumption,
                "title": self.title,
                "verdict": self.verdict,
                "effect": dict(self.effect),
                "effect_band": self.effect_band,
                "key_test": self.key_test.name if self.key_test else None,
                "reason": self.reason,
                "remedy": self.remedy,
                "refit": self.refit,
                "notes": list(self.notes),
                "flagged": list(self.flagged),
                "tests": [t.to_dict() for t in self.tests],
            }
        )


@dataclass(frozen=True)
class AssumptionReport:
    """The result of :func:`linmod.diagnostics.check`.

    Attributes
    ----------
    checks : dict of str to AssumptionCheck
        One entry per assumption, in the order linearity, independence,
        homoscedasticity, normality, multicollinearity, influence; also reachable as
        attributes (``report.normality``) and by item (``report["normality"]``).
    model : str
        The formula (or a description) of the model checked.
    n_obs : int
    alpha : float
        Significance level the verdicts use.
    """

    checks: dict[str, AssumptionCheck]
    model: str
    n_obs: int
    alpha: float
    results: OLSResults | None = field(default=None, repr=False, compare=False)

    def __getattr__(self, name: str) -> AssumptionCheck:
        checks = self.__dict__.get("checks", {})
        if name in checks:
            return checks[name]
        raise AttributeError(name)

    def __getitem__(self, name: str) -> AssumptionCheck:
        try:
            return self.checks[name]
        except KeyError:
            raise KeyError(
                f"no assumption {name!r}; the report has {', '.join(self.checks)}"
            ) from None

    def __iter__(self) -> Iterator[AssumptionCheck]:
        return iter(self.checks.values())

    def __len__(self) -> int:
        return len(self.checks)

    # ----------------------------------------------------------------- summaries
    @property
    def verdict(self) -> str:
        """The worst verdict over all assumptions."""
        ranked = [c.verdict for c in self if c.verdict in VERDICTS]
        return max(ranked, key=VERDICTS.index) if ranked else "ok"

    @property
    def violated(self) -> list[str]:
        """Assumptions judged violated."""
        return [c.assumption for c in self if c.verdict == "violated"]

    @property
    def warnings(self) -> list[str]:
        """Assumptions with a warning."""
        return [c.assumption for c in self if c.verdict == "warning"]

    def refit(self, assumption: str | None = None) -> OLSResults:
        """Apply the refit a remedy recommends (robust standard errors).

        Parameters
        ----------
        assumption : str, optional
            Whose remedy to apply (``"homoscedasticity"`` gives HC3, ``"independence"``
            HAC).  Default: HAC if independence is not ok, else HC3 if homoscedasticity
            is not ok.

        Returns
        -------
        OLSResults
            The same coefficients with robust standard errors.

        Raises
        ------
        InputError
            If the report has no fitted model, or the chosen assumption offers no refit.
        """
        if self.results is None:
            raise InputError("this report carries no fitted model; call check(res) again")
        if assumption is None:
            for candidate in ("independence", "homoscedasticity"):
                chk = self.checks.get(candidate)
                if chk is not None and chk.verdict in ("warning", "violated") and chk.refit:
                    assumption = candidate
                    break
            else:
                raise InputError(
                    "no remedy here is a refit: independence and homoscedasticity are ok; "
                    "name one explicitly, e.g. report.refit('homoscedasticity')"
                )
        chk = self[assumption]
        if not chk.refit:
            raise InputError(
                f"the remedy for {assumption} is not a refit; "
                "refits exist for 'independence' (HAC) and 'homoscedasticity' (HC3)"
            )
        return self.results.robust(**chk.refit)

    # ----------------------------------------------------------------- conversions
    def to_frame(self) -> pd.DataFrame:
        """One row per test: assumption, verdict, test, statistic, df, p-value, effect."""
        rows = []
        for chk in self:
            tests = chk.tests or (None,)
            for test in tests:
                rows.append(
                    {
                        "assumption": chk.assumption,
                        "verdict": chk.verdict,
                        "test": test.name if test else None,
                        "statistic": test.statistic if test else float("nan"),
                        "df": test.df_text if test else "",
                        "p_value": test.p_value if test else float("nan"),
                        "key_test": bool(test is not None and test is chk.key_test),
                        "effect": chk.effect_text,
                        "effect_band": chk.effect_band,
                    }
                )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready nested dictionary."""
        return _clean(
            {
                "model": self.model,
                "n_obs": self.n_obs,
                "alpha": self.alpha,
                "verdict": self.verdict,
                "checks": {k: c.to_dict() for k, c in self.checks.items()},
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """The report as JSON (``kwargs`` go to :func:`json.dumps`, default indent 2)."""
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    # ----------------------------------------------------------------- rendering
    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for chk in self:
            key = chk.key_test
            rows.append(
                (
                    chk.title,
                    _MARK.get(chk.verdict, chk.verdict),
                    f"{key.name}: {key.statistic_text}" if key else "-",
                    _fmt_p(key.p_value) if key else "-",
                    f"{chk.effect_text} ({chk.effect_band})" if chk.effect else "-",
                )
            )
        return rows

    def __str__(self) -> str:
        header = ("assumption", "verdict", "key test", "p-value", "effect size")
        rows = self._rows()
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [
            f"Assumption checks for {self.model} (n = {self.n_obs}, alpha = {self.alpha:g})",
            "",
            line.format(*header).rstrip(),
            "  ".join("-" * w for w in widths),
        ]
        out += [line.format(*r).rstrip() for r in rows]
        out += ["", f"Overall: {_MARK[self.verdict]}"]
        name_width = max([24] + [len(test.name) for chk in self for test in chk.tests])
        for chk in self:
            out.append("")
            out.append(f"{chk.title} - {_MARK.get(chk.verdict, chk.verdict)}: {chk.reason}")
            for test in chk.tests:
                out.append(
                    f"    {test.name:<{name_width}} {test.statistic_text:<28} "
                    f"p = {_fmt_p(test.p_value)}"
                )
            if chk.remedy:
                out.append(f"  Remedy: {chk.remedy}")
            for note in chk.notes:
                out.append(f"  Note: {note}")
        return "\n".join(out)

    def __repr__(self) -> str:
        verdicts = ", ".join(f"{c.assumption}={c.verdict}" for c in self)
        return f"<AssumptionReport {self.model!r}: {verdicts}>"

    def _repr_html_(self) -> str:
        colour = {"ok": "#1a7f37", "warning": "#9a6700", "violated": "#cf222e"}
        cells = []
        for chk, row in zip(self, self._rows(), strict=True):
            style = f' style="color:{colour.get(chk.verdict, "inherit")};font-weight:bold"'
            cells.append(
                "<tr>"
                f"<td>{escape(row[0])}</td><td{style}>{escape(row[1])}</td>"
                f"<td>{escape(row[2])}</td><td>{escape(row[3])}</td>"
                f"<td>{escape(row[4])}</td><td>{escape(chk.remedy)}</td></tr>"
            )
        return (
            f"<p><b>Assumption checks for {escape(self.model)}</b> "
            f"(n = {self.n_obs}, alpha = {self.alpha:g})</p>"
            "<table><thead><tr><th>assumption</th><th>verdict</th><th>key test</th>"
            "<th>p-value</th><th>effect size</th><th>remedy</th></tr></thead><tbody>"
            + "".join(cells)
            + "</tbody></table>"
        )
