"""Pictures of regularised fits: coefficient paths, CV curves, train/test R² against α.

Every function draws an object that :mod:`linmod.regularization` has already computed
(nothing is fitted here) on a given matplotlib ``Axes`` or a new one, and returns the
``Axes``.  The penalty axis is logarithmic, increasing to the right (so models grow
simpler to the right); zero penalties, which a log axis cannot show, are left out.

* :func:`plot_coef_path`: a :class:`~linmod.solvers.paths.RegularizationPath`
  (``linmod.lasso_path(...)``), one line per feature, optionally marking penalties;
* :func:`plot_cv_curve`: a fitted ``RidgeCV``/``LassoCV``/``ElasticNetCV`` (or a
  :class:`~linmod.solvers.penalty_cv.CVCurve`): mean CV error with ±1 standard error
  bars, ``alpha_min`` and ``alpha_1se`` marked;
* :func:`plot_train_test_r2`: an :class:`~linmod.model_selection.curves.R2Curve`, train and
  test R² with the best test penalty marked (the lessons' exercise 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from linmod.exceptions import InputError
from linmod.model_selection.curves import R2Curve
from linmod.plots._matplotlib import pyplot
from linmod.solvers.paths import RegularizationPath
from linmod.solvers.penalty_cv import CVCurve

__all__ = ["plot_coef_path", "plot_cv_curve", "plot_train_test_r2"]

_TITLES = {"ridge": "Ridge", "lasso": "Lasso", "elastic_net": "Elastic net"}
_MAX_LEGEND = 12
#: With more features than ``_MAX_LEGEND``, the legend names this many largest curves.
LABEL_TOP = 8


def _axes(ax: Any) -> Any:
    if ax is None:
        _, ax = pyplot().subplots(figsize=(7, 4.5))
    return ax


def plot_coef_path(
    path: RegularizationPath,
    *,
    ax: Any = None,
    mark: Mapping[str, float] | None = None,
    legend: bool | None = None,
    top: int = LABEL_TOP,
    at: float | None = None,
) -> Any:
    """Draw each coefficient against the penalty.

    Parameters
    ----------
    path : RegularizationPath
        From :func:`linmod.lasso_path`, :func:`linmod.enet_path` or
        :func:`linmod.ridge_path`.
    ax : matplotlib Axes, optional
    mark : mapping of str to float, optional
        Penalties to mark with labelled vertical lines, e.g.
        ``{"alpha_min": cv.alpha_, "alpha_1se": cv.alpha_1se_}``.
    legend : bool, optional
        Name the features in a legend (default: yes).  With more than 12 features the
        legend names only the ``top`` largest curves, by ``|coefficient|`` at the penalty
        ``at``, and its title says so; the other curves are drawn in grey.
    top : int, default=8
        Curves named when there are too many to name all.
    at : float, optional
        Penalty at which the largest curves are chosen (default: the first of ``mark``,
        else the smallest penalty of the path); the path's nearest grid point is used.

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(path, RegularizationPath):
        raise InputError(
            f"plot_coef_path needs a RegularizationPath (from linmod.lasso_path, enet_path "
            f"or ridge_path), got {type(path).__name__}"
        )
    ax = _axes(ax)
    keep = path.alphas > 0
    alphas = path.alphas[keep]
    lines = [
        ax.plot(alphas, path.coefs[j, keep], lw=1.4, label=name)[0]
        for j, name in enumerate(path.feature_names)
    ]
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xscale("log")
    for label, value in (mark or {}).items():
        ax.axvline(value, color="0.3", ls="--", lw=1.0)
        ax.annotate(
            label, (value, 1.0), xycoords=("data", "axes fraction"), rotation=90,
            va="top", ha="right", fontsize=8,
        )  # fmt: skip
    ax.set_xlabel("alpha (penalty, log scale)")
    ax.set_ylabel("coefficient")
    title = _TITLES.get(path.penalty, path.penalty)
    if path.penalty == "elastic_net":
        title += f" (l1_ratio = {path.l1_ratio:g})"
    ax.set_title(f"{title} coefficient path")
    if legend is False or not lines:
        return ax
    if len(lines) <= _MAX_LEGEND:
        ax.legend(fontsize=8, loc="best")
        return ax
    named = next(iter((mark or {}).items()), None) if at is None else None
    chosen = _largest_curves(path, top, named[1] if named else at)
    where = f"at {named[0]}" if named else f"at alpha = {_alpha_at(path, at):.4g}"
    for j, line in enumerate(lines):  # the others in grey, so colours are not reused
        if j not in chosen:
            line.set(color="0.78", linewidth=0.9, zorder=1)
    ax.legend(
        [lines[j] for j in chosen], [str(path.feature_names[j]) for j in chosen],
        title=f"largest {len(chosen)} of {len(lines)} {where}", title_fontsize=7,
        fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
    )  # fmt: skip
    return ax


def _alpha_at(path: RegularizationPath, at: float | None) -> float:
    positive = path.alphas[path.alphas > 0]
    if at is None or not positive.size:
        return float(positive.min()) if positive.size else 0.0
    return float(positive[np.argmin(np.abs(np.log(positive) - np.log(at)))])


def _largest_curves(path: RegularizationPath, top: int, at: float | None) -> list[int]:
    """Features by decreasing ``|coefficient|`` at the path's penalty nearest ``at``."""
    alpha = _alpha_at(path, at)
    column = int(np.flatnonzero(path.alphas == alpha)[0]) if alpha > 0 else -1
    size = np.abs(path.coefs[:, column])
    if not np.any(size > 0):  # nothing selected there: the end of the path instead
        size = np.abs(path.coefs[:, int(np.argmin(path.alphas))])
    order = np.argsort(-size, kind="stable")
    return [int(j) for j in order[: max(int(top), 1)] if size[j] > 0] or [int(order[0])]


def _cv_table(model: Any, l1_ratio: float | None) -> tuple[pd.DataFrame, float, float]:
    if isinstance(model, CVCurve):
        return model.to_frame(), model.alpha_min, model.alpha_1se
    table = getattr(model, "cv_curve_", None)
    if table is None:
        raise InputError(
            "plot_cv_curve needs a fitted RidgeCV, LassoCV or ElasticNetCV (call fit first) "
            f"or a CVCurve, got {type(model).__name__}"
        )
    if "l1_ratio" in table:
        chosen = float(model.l1_ratio_ if l1_ratio is None else l1_ratio)
        table = table[np.isclose(table["l1_ratio"], chosen)]
        if table.empty:
            raise InputError(f"l1_ratio={l1_ratio!r} was not among those cross-validated")
        i_min = int(np.argmax(table["is_min"].to_numpy()))
        i_1se = int(np.argmax(table["is_1se"].to_numpy()))
        return table, float(table["alpha"].iloc[i_min]), float(table["alpha"].iloc[i_1se])
    return table, float(model.alpha_), float(model.alpha_1se_)


def plot_cv_curve(model: Any, *, ax: Any = None, l1_ratio: float | None = None) -> Any:
    """Draw the mean CV error against the penalty, with ±1 SE bars and the two choices.

    Parameters
    ----------
    model : fitted RidgeCV, LassoCV or ElasticNetCV, or CVCurve
    ax : matplotlib Axes, optional
    l1_ratio : float, optional
        For an ``ElasticNetCV`` over several mixing values: which curve (default: the
        best, ``l1_ratio_``).

    Returns
    -------
    matplotlib Axes
    """
    table, alpha_min, alpha_1se = _cv_table(model, l1_ratio)
    table = table[table["alpha"] > 0]
    ax = _axes(ax)
    ax.errorbar(
        table["alpha"], table["mean_mse"], yerr=table["se_mse"], fmt="o", ms=3,
        color="tab:red", ecolor="0.7", elinewidth=1, capsize=0, label="mean CV MSE ± 1 SE",
    )  # fmt: skip
    ax.set_xscale("log")
    ax.axvline(alpha_min, color="tab:blue", ls="--", lw=1.2, label=f"alpha_min = {alpha_min:.4g}")
    ax.axvline(alpha_1se, color="tab:green", ls=":", lw=1.5, label=f"alpha_1se = {alpha_1se:.4g}")
    ax.set_xlabel("alpha (penalty, log scale)")
    ax.set_ylabel("cross-validated MSE")
    ax.set_title("Cross-validation curve")
    ax.legend(fontsize=8, loc="best")
    return ax


def plot_train_test_r2(curve: R2Curve, *, ax: Any = None) -> Any:
    """Draw train and test R² against the penalty and mark the best test penalty.

    Parameters
    ----------
    curve : R2Curve
        From :func:`linmod.regularization.train_test_r2`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    if not isinstance(curve, R2Curve):
        raise InputError(
            "plot_train_test_r2 needs an R2Curve from linmod.regularization.train_test_r2, "
            f"got {type(curve).__name__}"
        )
    keep = curve.alphas > 0
    ax = _axes(ax)
    ax.plot(curve.alphas[keep], curve.train_r2[keep], "o-", label="train R²")
    ax.plot(curve.alphas[keep], curve.test_r2[keep], "s-", label="test R²")
    best = curve.best_alpha
    ax.axvline(best, color="0.3", ls="--", lw=1.0, label=f"best alpha = {best:.4g}")
    ax.set_xscale("log")
    ax.set_xlabel("alpha (penalty, log scale)")
    ax.set_ylabel("R²")
    ax.set_title(f"{_TITLES.get(curve.penalty, curve.penalty)}: R² against alpha")
    ax.legend(fontsize=8, loc="best")
    return ax
