"""The results of a multi-response OLS fit (R's ``mlm``): one design, several responses.

Each response is an ordinary single-response :class:`~linmod.inference.results.OLSResults`
(standard errors, tests, intervals, R², F, summary, diagnostics), built on the shared
factorisation of the design; ``res["mpg"]`` returns it.  What belongs to the responses
together is here: the coefficient matrix, the residual covariance matrix
``Σ̂ = E'E / (n - rank)`` (R's ``estVar``), the covariance of all coefficients
``Σ̂ ⊗ (X'X)⁻¹`` (R's ``vcov.mlm``), predictions for all responses at once, and the
multivariate comparison of nested fits (:mod:`linmod.inference.multi_anova`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._cached import cached_property
from linmod.exceptions import InputError, LinmodError
from linmod.inference.estimability import non_estimable_rows, null_basis, warn_non_estimable
from linmod.inference.results import OLSResults
from linmod.linalg.dd import dd_rmatvec

__all__ = ["MultiOLSResults"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class MultiOLSResults:
    """A fitted multi-response least-squares model (R's ``mlm``).

    Create it with :func:`linmod.ols` and a 2-D ``Y`` or a formula with several
    responses (``"mpg + qsec ~ wt"``, ``"cbind(mpg, qsec) ~ wt"``).  Tables are pandas
    objects: terms down the rows, responses across the columns.

    Attributes
    ----------
    results : tuple of OLSResults
        One single-response fit per response, in order, sharing the design matrix and
        ``(X'X)⁻¹``.
    formula : str or None
        The multi-response formula, when the fit came from one.
    """

    results: tuple[OLSResults, ...]
    formula: str | None = None

    # ----------------------------------------------------------------- responses
    @property
    def response_names(self) -> list[str]:
        """The responses' names, in order."""
        return [r.design.response_name for r in self.results]

    @property
    def responses(self) -> dict[str, OLSResults]:
        """The single-response fits by response name (a new dict each time)."""
        return dict(zip(self.response_names, self.results, strict=True))

    def __getitem__(self, key: str | int) -> OLSResults:
        """The fit of one response, by name or 0-based position."""
        if isinstance(key, int | np.integer) and not isinstance(key, bool):
            if not -len(self.results) <= key < len(self.results):
                raise InputError(
                    f"response {key} is out of range: the fit has {len(self.results)} responses"
                )
            return self.results[int(key)]
        names = self.response_names
        if key not in names:
            raise InputError(
                f"{key!r} is not a response of this fit; its responses are "
                + ", ".join(map(repr, names))
            )
        return self.results[names.index(str(key))]

    def __len__(self) -> int:
        return len(self.results)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the response names (as a mapping does)."""
        return iter(self.response_names)

    # ----------------------------------------------------------------- shared facts
    @property
    def _first(self) -> OLSResults:
        return self.results[0]

    @property
    def names(self) -> pd.Index:
        """Coefficient (term) names."""
        return self._first.names

    @property
    def n_obs(self) -> int:
        """Number of observations used (the same rows for every response)."""
        return self._first.n_obs

    @property
    def rank(self) -> int:
        """Numerical rank of the design."""
        return self._first.rank

    @property
    def df_resid(self) -> int:
        """Residual degrees of freedom, ``n - rank``."""
        return self._first.df_resid

    @property
    def aliased(self) -> pd.Series:
        """Whether each coefficient is aliased (the same for every response)."""
        return self._first.aliased

    def _table(self, values: list[pd.Series], index: pd.Index) -> pd.DataFrame:
        # By position (row labels need not be unique), one column per response.
        matrix = np.column_stack([v.to_numpy() for v in values])
        columns = pd.Index(self.response_names, name="response")
        return pd.DataFrame(matrix, index=index, columns=columns)

    # ----------------------------------------------------------------- estimates
    @property
    def coef(self) -> pd.DataFrame:
        """Coefficients: terms x responses (NaN where aliased), as R's ``coef`` of an mlm."""
        return self._table([r.coef for r in self.results], self.names)

    @property
    def std_err(self) -> pd.DataFrame:
        """Standard errors: terms x responses."""
        return self._table([r.std_err for r in self.results], self.names)

    @property
    def t_values(self) -> pd.DataFrame:
        """t statistics: terms x responses."""
        return self._table([r.t_values for r in self.results], self.names)

    @property
    def p_values(self) -> pd.DataFrame:
        """Two-sided p-values of the t statistics: terms x responses."""
        return self._table([r.p_values for r in self.results], self.names)

    @property
    def residuals(self) -> pd.DataFrame:
        """Residuals: rows used x responses."""
        return self._table([r.residuals for r in self.results], self._first.design.row_labels)

    @property
    def fitted(self) -> pd.DataFrame:
        """Fitted values: rows used x responses."""
        return self._table([r.fitted for r in self.results], self._first.design.row_labels)

    @property
    def r_squared(self) -> pd.Series:
        """R² of each response."""
        return pd.Series(
            [r.r_squared for r in self.results], index=self.response_names, name="r_squared"
        )

    @property
    def sigma(self) -> pd.Series:
        """Residual standard error of each response, ``sqrt(diag(resid_cov))``."""
        return pd.Series([r.sigma for r in self.results], index=self.response_names, name="sigma")

    @cached_property
    def _resid_cov(self) -> Float:
        self._first._require_data("the residual covariance")
        if any(r.weights is not None for r in self.results):
            raise LinmodError(
                "the residual covariance (and vcov) of a weighted fit of several responses "
                "is not available (R's SSD.mlm refuses weights too); each response's "
                "inference is: res[name].cov_params()"
            )
        hi = np.column_stack([r.solution.residuals for r in self.results])
        lows = [r.solution.residuals_lo for r in self.results]
        lo = None
        if all(v is not None for v in lows):
            lo = np.column_stack([v for v in lows if v is not None])
        product_hi, product_lo = dd_rmatvec(hi, lo, hi, lo)  # E'E in double-double
        if self.df_resid <= 0:
            return np.full(product_hi.shape, np.nan)
        cov = (product_hi + product_lo) / self.df_resid
        return (cov + cov.T) / 2

    @property
    def resid_cov(self) -> pd.DataFrame:
        """The residual covariance matrix ``E'E / (n - rank)``: responses x responses
        (R's ``estVar`` of an mlm)."""
        names = pd.Index(self.response_names, name="response")
        return pd.DataFrame(self._resid_cov, index=names, columns=names.copy())

    def vcov(self) -> pd.DataFrame:
        """Covariance of all coefficients, ``Σ̂ ⊗ (X'X)⁻¹`` (R's ``vcov.mlm``).

        Returns
        -------
        DataFrame
            Rows and columns named ``"response:term"``, response by response (R's order);
            NaN for aliased terms.
        """
        unscaled = self._first.solution.cov_unscaled
        labels = [f"{response}:{term}" for response in self.response_names for term in self.names]
        return pd.DataFrame(np.kron(self._resid_cov, unscaled), index=labels, columns=labels)

    # ----------------------------------------------------------------- prediction
    def predict(self, new: Any = None) -> pd.DataFrame:
        """Predict every response.

        Parameters
        ----------
        new : DataFrame or array-like, optional
            New data with the columns the model uses (default: the fitted data).

        Returns
        -------
        DataFrame
            Rows x responses; NaN where a predictor is missing or, for a rank-deficient
            fit, where the row is not estimable (with a warning naming it).
        """
        first = self._first
        if new is None:
            first._require_data("predict() without new data")
            x = first.design.x if first.weights is None else first.weights.raw.x  # unscaled
            index = first.design.row_labels
            incomplete = np.zeros(x.shape[0], dtype=bool)
        else:
            x, incomplete, index = first.design.spec.new_rows(new)
        kept = ~first.solution.aliased
        coefs = np.column_stack([r.solution.coef for r in self.results])
        xk = np.where(incomplete[:, None], 0.0, x[:, kept])
        values = xk @ coefs[kept]
        basis = null_basis(first.solution.dependencies, x.shape[1])
        unknown = non_estimable_rows(np.where(incomplete[:, None], 0.0, x), basis) & ~incomplete
        warn_non_estimable(unknown, index, first.dependencies)
        values[incomplete | unknown] = np.nan
        columns = pd.Index(self.response_names, name="response")
        return pd.DataFrame(values, index=index, columns=columns)

    # ----------------------------------------------------------------- presentation
    def summary(self) -> str:
        """One ``summary.lm`` block per response, each headed ``Response <name> :``
        (R's ``summary.mlm``)."""
        return "\n\n".join(
            f"Response {name} :\n\n{r.summary()}"
            for name, r in zip(self.response_names, self.results, strict=True)
        )

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        formula = self.formula or f"{', '.join(self.response_names)} ~ X"
        return (
            f"<MultiOLSResults {formula!r}: {len(self.results)} responses, n={self.n_obs}, "
            f"rank={self.rank}, solver={self._first.solution.method}>"
        )

    def anova(self, other: MultiOLSResults, test: str = "Pillai") -> pd.DataFrame:
        """Compare with a nested fit of the same responses, as R's ``anova.mlm``.

        Parameters
        ----------
        other : MultiOLSResults
            A smaller fit nested in this one, or a larger one containing it.
        test : {"Pillai", "Wilks", "Hotelling-Lawley", "Roy"}

        Returns
        -------
        DataFrame
            See :func:`linmod.inference.multi_anova.multivariate_anova`.
        """
        from linmod.inference.multi_anova import multivariate_anova

        if not isinstance(other, MultiOLSResults):
            raise InputError(
                "compare with another fit of several responses (a MultiOLSResults), got "
                f"{type(other).__name__}"
            )
        return multivariate_anova(self, other, test)

    def save(self, path: Any) -> None:
        """Not available for several responses: each response's fit saves on its own."""
        raise InputError(
            f"a fit of several responses cannot be saved as one model yet; save each "
            f"response's fit, e.g. res[{self.response_names[0]!r}].save({str(path)!r})"
        )
