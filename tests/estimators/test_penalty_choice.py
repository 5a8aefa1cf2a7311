"""One default for choosing a penalty: standardised columns, shuffled seeded folds (issue 13).

On a panel sorted by firm, ``linmod.lasso(f, alpha="cv")`` (unstandardised, unshuffled
``KFold(5)``) chose 232.7 and dropped every firm effect where ``linmod path`` and the report
chose 0.181. Every entry point now goes through
:mod:`linmod.estimators.penalty_choice`; the references below are scikit-learn pipelines
(``StandardScaler`` + ``Lasso`` in ``GridSearchCV``) on a design built with pandas.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import linmod
from linmod.analysis import analyse
from linmod.cli.main import main
from linmod.estimators.penalty_choice import cv_splitter, default_folds, penalty_searcher
from linmod.exceptions import InputError
from linmod.model_selection import cross_validate_models, penalty_path

FORMULA = "inv ~ value + capital + C(firm)"
TIGHT = {"tol": 1e-12, "max_iter": 1_000_000}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """A Grunfeld-like panel: 10 firms x 20 years, sorted by firm, large firm effects."""
    rng = np.random.default_rng(13)
    firms, years = 10, 20
    firm = np.repeat([f"F{i:02d}" for i in range(firms)], years)
    effect = np.repeat(rng.normal(0.0, 300.0, firms), years)
    size = np.repeat(rng.lognormal(6.0, 1.0, firms), years)
    value = size * rng.lognormal(0.0, 0.3, firms * years)
    capital = 0.3 * size * rng.lognormal(0.0, 0.3, firms * years)
    inv = effect + 0.1 * value + 0.3 * capital + rng.normal(0.0, 40.0, firms * years)
    return pd.DataFrame({"firm": firm, "value": value, "capital": capital, "inv": inv})


def _design(panel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The model matrix without intercept, built by pandas (treatment coding)."""
    dummies = pd.get_dummies(panel["firm"], drop_first=True, dtype=float)
    x = pd.concat([panel[["value", "capital"]], dummies], axis=1).to_numpy()
    return x, panel["inv"].to_numpy()


def _pipeline_choice(panel: pd.DataFrame, seed: int) -> tuple[np.ndarray, float]:
    """scikit-learn's choice: StandardScaler + Lasso per training fold, shuffled folds."""
    x, y = _design(panel)
    scaled = StandardScaler().fit_transform(x)  # 1/n standard deviations, as glmnet
    top = np.max(np.abs(scaled.T @ (y - y.mean()))) / len(y)
    grid = np.geomspace(top, top * 1e-3, 100)
    search = GridSearchCV(
        make_pipeline(StandardScaler(), linear_model.Lasso(**TIGHT)),
        {"lasso__alpha": grid},
        cv=KFold(5, shuffle=True, random_state=seed),
        scoring="neg_mean_squared_error",
    ).fit(x, y)
    return grid, float(search.best_params_["lasso__alpha"])


def test_the_old_defaults_reproduce_the_disagreement(panel):
    # The hostile input of the issue: unshuffled folds hold out whole firms.
    x, y = _design(panel)
    old = linmod.LassoCV(cv=5).fit(x, y)  # scikit-learn's contract, unchanged
    new = linmod.lasso(FORMULA, data=panel, alpha="cv")
    assert old.alpha_ > 50 * new.alpha
    assert linmod.Lasso(alpha=old.alpha_).fit(x, y).coef_[2:].tolist() == [0.0] * 9
    assert new.coef.filter(like="firm").ne(0).sum() >= 7


def test_the_choice_is_scikit_learns_pipeline_on_shuffled_folds(panel):
    for seed in (0, 4):
        grid, expected = _pipeline_choice(panel, seed)
        fit = linmod.lasso(FORMULA, data=panel, alpha="cv", seed=seed, **TIGHT)
        np.testing.assert_allclose(fit.cv.alphas_, grid, rtol=1e-12)
        np.testing.assert_allclose(fit.alpha, expected, rtol=1e-12)
        assert fit.standardize


def test_every_entry_point_chooses_the_same_penalty(panel, tmp_path, capsys):
    fit = linmod.lasso(FORMULA, data=panel, alpha="cv")
    sparse = linmod.lasso(FORMULA, data=panel, alpha="1se")
    path = penalty_path(FORMULA, panel)
    report = analyse(FORMULA, panel).lasso
    inner = cross_validate_models(FORMULA, panel, models=("lasso",)).alphas["lasso"]
    csv = tmp_path / "panel.csv"
    panel.to_csv(csv, index=False, float_format="%.17g")
    assert main(["path", str(csv), "-f", FORMULA, "--json", "--quiet"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert main(["cv", str(csv), "-f", FORMULA, "--models", "lasso", "--json", "--quiet"]) == 0
    cli_cv = json.loads(capsys.readouterr().out)["models"][0]["alpha"]
    for alpha in (path.alpha_min, report.alpha_min, inner, cli["alpha_min"], cli_cv):
        np.testing.assert_allclose(alpha, fit.alpha, rtol=1e-12)
    for alpha in (path.alpha_1se, report.alpha_1se, cli["alpha_1se"]):
        np.testing.assert_allclose(alpha, sparse.alpha, rtol=1e-12)


def test_the_seed_moves_every_entry_point_alike():
    from ..conftest import load_dataset

    mtcars = load_dataset("mtcars")
    formula = "mpg ~ wt + hp + disp + qsec + drat"
    chosen = {linmod.lasso(formula, data=mtcars, alpha="cv", seed=s).alpha for s in range(6)}
    assert len(chosen) > 1  # the folds do depend on the seed
    for seed in (1, 5):
        fit = linmod.lasso(formula, data=mtcars, alpha="cv", seed=seed, cv=4)
        assert fit.alpha == penalty_path(formula, mtcars, seed=seed, folds=4).alpha_min


def test_elastic_net_and_ridge_choose_as_penalty_path(panel):
    enet = linmod.elastic_net(FORMULA, data=panel, alpha="cv", l1_ratio=0.7)
    path = penalty_path(FORMULA, panel, penalty="elastic_net", l1_ratio=0.7)
    assert enet.alpha == path.alpha_min
    ridge = linmod.ridge(FORMULA, data=panel, alpha="1se")  # exact leave-one-out
    assert ridge.alpha == penalty_path(FORMULA, panel, penalty="ridge").alpha_1se


def test_ridge_with_a_number_of_folds_shuffles_them(panel):
    fit = linmod.ridge(FORMULA, data=panel, alpha="cv", cv=5, seed=2)
    x, y = _design(panel)
    grid = fit.cv.alphas_
    search = GridSearchCV(
        make_pipeline(StandardScaler(), linear_model.Ridge()),
        {"ridge__alpha": grid},
        cv=KFold(5, shuffle=True, random_state=2),
        scoring="neg_mean_squared_error",
    ).fit(x, y)
    np.testing.assert_allclose(fit.alpha, search.best_params_["ridge__alpha"], rtol=1e-12)


def test_standardize_defaults_follow_the_rule(panel):
    assert linmod.lasso(FORMULA, data=panel, alpha="cv").standardize
    assert not linmod.lasso(FORMULA, data=panel, alpha=1.0).standardize
    given = linmod.lasso(FORMULA, data=panel, alpha="cv", standardize=False)
    assert not given.standardize
    x, y = _design(panel)
    reference = linear_model.LassoCV(cv=KFold(5, shuffle=True, random_state=0)).fit(x, y)
    assert given.alpha == pytest.approx(reference.alpha_, rel=1e-12)


def test_an_explicit_splitter_is_used_as_given(panel):
    x, y = _design(panel)
    fit = linmod.lasso(FORMULA, data=panel, alpha="cv", cv=KFold(5), seed=9)
    ours = linmod.LassoCV(cv=KFold(5), standardize=True).fit(x, y)
    assert fit.alpha == ours.alpha_
    splitter = KFold(3)
    assert cv_splitter(splitter, 7) is splitter


def test_default_folds_are_shuffled_and_seeded():
    folds = default_folds(4, seed=3)
    reference = KFold(4, shuffle=True, random_state=3)
    rows = np.arange(23)
    for ours, theirs in zip(folds.split(rows), reference.split(rows), strict=True):
        np.testing.assert_array_equal(ours[1], theirs[1])
    assert cv_splitter(None, 1).get_n_splits() == 5
    assert cv_splitter(3, 1).random_state == 1


@pytest.mark.parametrize("k", [1, 0, True, 2.5, "5"])
def test_a_bad_number_of_folds_is_refused(k):
    with pytest.raises(InputError, match=r"cv=.* is not valid: give a number of folds"):
        default_folds(k)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_a_bad_seed_is_refused(panel, seed):
    with pytest.raises(InputError, match=r"seed=.* is not valid: give an integer ≥ 0"):
        linmod.lasso(FORMULA, data=panel, alpha="cv", seed=seed)


def test_an_unknown_penalty_is_refused():
    with pytest.raises(InputError, match=r"penalty='lars' is not valid"):
        penalty_searcher("lars")


def test_lasso_with_one_fold_names_the_fix(panel):
    with pytest.raises(InputError, match=r"cv=1 is not valid"):
        linmod.lasso(FORMULA, data=panel, alpha="cv", cv=1)
