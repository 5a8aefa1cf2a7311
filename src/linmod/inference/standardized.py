"""Standardized (beta) coefficients: ``coef · sd(x) / sd(y)``, as R's ``lm.beta``.

A standardized coefficient is the change in the response, in standard deviations of the
response, per standard deviation of the predictor: the coefficients of the same fit on
z-scored columns.  As ``lm.beta`` does, every column of the design matrix is scaled by
its own standard deviation, dummies and interaction or transformed columns included.
For a numeric predictor that enters the model as itself that is the usual meaning; for a
0/1 dummy "one standard deviation of the dummy" has no natural meaning (compare the
unstandardized coefficient, a difference between groups), and for an interaction or a
transformed column (``wt:hp``, ``I(wt**2)``) the column is standardized as a whole, not
its components; the ``column`` field says which case each row is.  The intercept has
none (it is 0 on z-scored data) and is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["standardized_table"]


def _kind(name: str, values: np.ndarray, variables: set[str]) -> str:
    finite = values[np.isfinite(values)]
    if finite.size and np.isin(finite, (0.0, 1.0)).all() and name not in variables:
        return "dummy"
    if name in variables:
        return "numeric"
    return "derived"


def standardized_table(res: OLSResults) -> pd.DataFrame:
    """The table of :meth:`OLSResults.standardized`.

    Returns
    -------
    DataFrame
        Indexed by term (the intercept left out): ``coef``, ``sd_x`` (sample standard
        deviation of the design column), ``standardized`` (``coef · sd_x / sd_y``) and
        ``column`` (``"numeric"``: a predictor as itself; ``"dummy"``: a 0/1 column of a
        categorical predictor; ``"derived"``: an interaction, a transform or a 0/1 column
        built from several variables). NaN for aliased terms.
    """
    res._require_data("standardized()")
    design = res.design
    x, y = design.x, design.y
    start = int(design.intercept)
    sd_y = float(np.std(y, ddof=1)) if y.shape[0] > 1 else float("nan")
    sd_x = np.std(x[:, start:], axis=0, ddof=1) if x.shape[0] > 1 else np.full(x.shape[1], np.nan)
    names = list(design.column_names[start:])
    variables = {str(v) for v in getattr(design.spec, "variables", names)}
    coef = res.solution.coef[start:]
    with np.errstate(divide="ignore", invalid="ignore"):
        beta = coef * sd_x / sd_y
    return pd.DataFrame(
        {
            "coef": coef,
            "sd_x": sd_x,
            "standardized": beta,
            "column": [_kind(n, x[:, start + i], variables) for i, n in enumerate(names)],
        },
        index=pd.Index(names, name="term"),
    )
