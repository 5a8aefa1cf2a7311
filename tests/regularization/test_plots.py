"""Pictures: coefficient paths, CV curves, train/test R² against alpha."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split

import linmod
from linmod import InputError
from linmod.plots.regularization import plot_coef_path, plot_cv_curve, plot_train_test_r2
from linmod.regularization import ElasticNetCV, LassoCV, RidgeCV, lasso_path, train_test_r2

from .datasets import house

pytest.importorskip("matplotlib")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _vertical_lines(ax):
    return [line for line in ax.get_lines() if len(set(line.get_xdata())) == 1]


def test_coefficient_path_draws_one_line_per_feature_and_marks():
    X, y = house()
    path = lasso_path(X, y, standardize=True)
    cv = LassoCV(standardize=True).fit(X, y)
    ax = plot_coef_path(path, mark={"alpha_min": cv.alpha_, "alpha_1se": cv.alpha_1se_})
    feature_lines = [line for line in ax.get_lines() if line.get_label() in X.columns]
    assert len(feature_lines) == 5
    np.testing.assert_allclose(feature_lines[0].get_xdata(), path.alphas)
    np.testing.assert_allclose(feature_lines[0].get_ydata(), path.coefs[0])
    marks = {line.get_xdata()[0] for line in _vertical_lines(ax)}
    assert marks == {cv.alpha_, cv.alpha_1se_}
    assert ax.get_xscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(X.columns)
    assert "Lasso" in ax.get_title()


def test_cv_curve_marks_min_and_1se():
    X, y = house()
    model = LassoCV(standardize=True).fit(X, y)
    ax = plot_cv_curve(model)
    marks = sorted(line.get_xdata()[0] for line in _vertical_lines(ax))
    assert marks == sorted([model.alpha_, model.alpha_1se_])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("alpha_1se" in label for label in labels)
    # error bars: one segment per alpha
    bars = ax.collections[0]
    assert len(bars.get_segments()) == model.alphas_.size


def test_cv_curve_for_ridge_and_an_l1_ratio_grid():
    X, y = house()
    ax = plot_cv_curve(RidgeCV().fit(X, y))
    assert ax.get_xscale() == "log"
    model = ElasticNetCV(l1_ratio=[0.3, 1.0], alphas=20, standardize=True).fit(X, y)
    ax = plot_cv_curve(model, l1_ratio=0.3)
    assert len(ax.collections[0].get_segments()) == 20
    with pytest.raises(InputError, match=r"l1_ratio=0\.5 was not among"):
        plot_cv_curve(model, l1_ratio=0.5)


def test_train_test_r2_plot_is_the_lessons_exercise():
    data = linmod.datasets.house_prices()
    X, y = data.drop(columns="price"), data["price"]
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    curve = train_test_r2(Xtr, ytr, Xte, yte, standardize=True)
    ax = plot_train_test_r2(curve)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["train R²"].get_ydata(), curve.train_r2)
    np.testing.assert_allclose(lines["test R²"].get_ydata(), curve.test_r2)
    assert _vertical_lines(ax)[0].get_xdata()[0] == curve.best_alpha


def test_plots_draw_on_given_axes_and_reject_wrong_objects():
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    X, y = house()
    assert plot_coef_path(lasso_path(X, y, alphas=5), ax=ax) is ax
    with pytest.raises(InputError, match="needs a RegularizationPath"):
        plot_coef_path("not a path")
    with pytest.raises(InputError, match="fitted RidgeCV, LassoCV or ElasticNetCV"):
        plot_cv_curve(LassoCV())
    with pytest.raises(InputError, match="needs an R2Curve"):
        plot_train_test_r2(None)


def test_wide_path_names_the_eight_largest_curves_at_the_marked_penalty():
    # 21 features: too many for a full legend.  The legend names the 8 with the largest
    # |coefficient| at the marked penalty, largest first; scikit-learn's lasso_path on
    # the same grid is the independent reference for which those are.
    from sklearn.linear_model import lasso_path as sk_lasso_path

    rng = np.random.default_rng(5)
    n, p = 400, 21
    X = rng.normal(size=(n, p))
    beta = np.linspace(3.0, 0.0, p)[rng.permutation(p)]
    y = X @ beta + rng.normal(size=n)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    names = [f"x{j}" for j in range(p)]
    frame = pd.DataFrame(X, columns=names)
    path = lasso_path(frame, y - y.mean(), alphas=np.geomspace(1.0, 0.01, 30))
    alpha = path.alphas[20]
    _, sk_coefs, _ = sk_lasso_path(X, y - y.mean(), alphas=[alpha], tol=1e-12)
    expected = [names[j] for j in np.argsort(-np.abs(sk_coefs[:, 0]), kind="stable")[:8]]
    ax = plot_coef_path(path, mark={"alpha_min": alpha})
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == expected
    assert legend.get_title().get_text() == "largest 8 of 21 at alpha_min"
    curves = [line for line in ax.get_lines() if line.get_label() in names]
    assert len(curves) == p
    grey = {line.get_label() for line in curves if line.get_color() == "0.78"}
    assert grey == set(names) - set(expected)
    assert plot_coef_path(path, legend=False).get_legend() is None
