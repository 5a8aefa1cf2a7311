"""The hypothesis-test methods of a fit: ``wald_test``, ``t_test`` and ``anova``.

:class:`HypothesisTests` is a base of :class:`~linmod.inference.results.OLSResults`; the
numbers live in :mod:`linmod.inference.hypothesis` and :mod:`linmod.inference.anova`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the methods: a fit that tests nothing does not load them
    from linmod.inference.anova import AnovaTable
    from linmod.inference.hypothesis import TTestResult, WaldTestResult

__all__ = ["HypothesisTests"]


class HypothesisTests:
    """Tests of linear hypotheses and ANOVA tables on a fit (a base of ``OLSResults``)."""

    # ----------------------------------------------------------------- hypothesis tests
    def wald_test(self, hypotheses: Any, r: Any = None, use_f: bool = True) -> WaldTestResult:
        """Test linear constraints jointly under this fit's covariance (car's linearHypothesis).

        Parameters
        ----------
        hypotheses : str, list of str, or array-like
            Text over coefficient names (``"wt = hp, hp = 0"``, ``"2*wt - hp = 1"``,
            ``"C(cyl)[T.6] = 0"``; backticks quote any name), or the matrix ``R``.
        r : array-like, optional
            Right-hand side for the matrix form (default zeros).
        use_f : bool
            F form ``W / q`` on ``(q, df_resid)`` (default, car's ``test="F"``), or the
            chi-square form ``W`` on ``q`` (``test="Chisq"``).

        Returns
        -------
        WaldTestResult
            See :mod:`linmod.inference.hypothesis`.
        """
        from linmod.inference.hypothesis import wald_test

        return wald_test(self, hypotheses, r, use_f=use_f)  # type: ignore[arg-type]

    def t_test(self, hypotheses: Any, r: Any = None, level: float = 0.95) -> TTestResult:
        """t tests of linear combinations, one per constraint (statsmodels' t_test, glht).

        Parameters
        ----------
        hypotheses, r
            As :meth:`wald_test`; each constraint is tested on its own.
        level : float
            Coverage of the intervals.

        Returns
        -------
        TTestResult
            ``estimate``, ``rhs``, ``std_err``, ``t_value``, ``p_value``, ``lower``, ``upper``.
        """
        from linmod.inference.hypothesis import t_test

        return t_test(self, hypotheses, r, level=level)  # type: ignore[arg-type]

    def anova(self, type: int | str = 1) -> AnovaTable:
        """The ANOVA table: sequential (R's anova), Type II or III (car::Anova).

        Parameters
        ----------
        type : {1, 2, 3}
            Types II and III use this fit's covariance; Type III re-codes factors in
            interactions with sum contrasts and says so in the table's note.

        Returns
        -------
        AnovaTable
            See :mod:`linmod.inference.anova`.
        """
        from linmod.inference.anova import anova_table

        return anova_table(self, type)  # type: ignore[arg-type]
