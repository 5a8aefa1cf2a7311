"""A new data source plugs into every out-of-core model by implementing ``map_reduce``.

The source here is a list of in-memory row blocks that claims to be parallel (as a Dask
source is), so the statistics take their parallel branch without a cluster; OLS, its
second pass and a cross-validated Lasso then come for free and match the references.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from sklearn.linear_model import Lasso as SkLasso

from linmod.data.arrays import ArraySpec
from linmod.data.design import Design, Term
from linmod.data.row_folds import fold_of_rows
from linmod.models.ols_folded import fit_folded
from linmod.outofcore.sources import BlockSource, BlockView, merge_skipping_none
from linmod.outofcore.statistics import fold_factor, fold_factors_in_folds
from linmod.solvers.penalized_factor import CentredProducts, merge_factors, solve_penalized


class ListSource(BlockSource):
    """Row blocks of ``[1, X | y]`` held in a list, reduced left to right."""

    reiterable = True

    def __init__(self, blocks: list[np.ndarray], parallel: bool) -> None:
        self.blocks = blocks
        self.parallel = parallel
        self.description = f"{len(blocks)} blocks in a list"
        self.reads = 0

    @property
    def intercept(self) -> bool:
        return True

    def map_reduce(self, per_block: Callable[[BlockView], Any], merge: Any, *, what: str) -> Any:
        self.reads += 1
        merged = merge_skipping_none(merge)
        total = None
        for part, block in enumerate(self.blocks):
            rows = np.arange(block.shape[0])
            view = BlockView(
                np.asfortranarray(block), np.ones(len(rows), bool), part, rows, part + 1,
                lambda i, part=part: f"block {part + 1}, row {i + 1}",
            )  # fmt: skip
            total = merged(total, per_block(view), part)
        return total

    def design(self, n_dropped: int) -> Design:
        names = ("Intercept", "x0", "x1")
        return Design(
            x=np.zeros((0, 3)),
            y=np.zeros(0),
            column_names=names,
            response_name="y",
            intercept=True,
            terms=tuple(Term(n, (j,)) for j, n in enumerate(names)),
            spec=ArraySpec(("x0", "x1"), True, from_frame=False),
            dropped_count=n_dropped,
        )


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(600, 2)) * [1.0, 30.0] + [5.0, -2.0]
    y = 1.5 + x @ [0.8, -0.02] + rng.standard_t(5, size=600)
    return x, y


def _blocks(x: np.ndarray, y: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    augmented = np.column_stack([np.ones(len(y)), x, y])
    return np.split(augmented, np.cumsum(sizes)[:-1])


@pytest.mark.parametrize("parallel", [False, True])
def test_ols_and_its_second_pass_come_with_any_source(data, parallel):
    x, y = data
    source = ListSource(_blocks(x, y, [100, 250, 7, 243]), parallel=parallel)
    res = fit_folded(source, second_pass=True, refine=True)
    ref = sm.OLS(y, sm.add_constant(x)).fit()
    assert_allclose(res.coef, ref.params, rtol=1e-13)
    assert_allclose(res.std_err, ref.bse, rtol=1e-12)
    assert_allclose(res.r_squared, ref.rsquared, rtol=1e-13)
    robust = ref.get_robustcov_results("HC3")
    assert_allclose(res.robust("HC3").std_err, robust.bse, rtol=1e-10)
    assert source.reads >= 3  # the factor, a refinement pass, the second pass
    assert "4 blocks in a list" in " ".join(res.solution.notes)


def test_the_factor_does_not_depend_on_how_the_rows_are_cut(data):
    x, y = data
    one, _ = fold_factor(ListSource(_blocks(x, y, [600]), parallel=False))
    many, _ = fold_factor(ListSource(_blocks(x, y, [1, 299, 300]), parallel=True))
    # R factors are unique up to the signs of their rows
    assert_allclose(np.abs(one.r), np.abs(many.r), rtol=1e-12, atol=1e-12)


def test_fold_factors_hold_exactly_the_rows_of_each_fold(data):
    x, y = data
    blocks = _blocks(x, y, [200, 400])
    source = ListSource(blocks, parallel=True)
    factors, shift, dropped = fold_factors_in_folds(source, 3, seed=4)
    assert dropped == 0
    assert shift[0] == 0.0  # the intercept column is never shifted
    for j in range(3):
        rows = [
            block[fold_of_rows(np.arange(len(block)), 3, 4, stream=part + 1) == j] - shift
            for part, block in enumerate(blocks)
        ]
        stacked = np.vstack(rows)
        gram = stacked.T @ stacked
        assert factors[j].n == len(stacked)
        assert_allclose(factors[j].r.T @ factors[j].r, gram, rtol=1e-10, atol=1e-8)


def test_a_lasso_from_the_fold_factors_equals_scikit_learn(data):
    x, y = data
    source = ListSource(_blocks(x, y, [300, 300]), parallel=False)
    factors, shift, _ = fold_factors_in_folds(source, 2, seed=0)
    products = CentredProducts.of(merge_factors(factors), True, shift)
    solution = solve_penalized(products, "lasso", np.array([0.05]), tol=1e-12, max_iter=10_000)
    ref = SkLasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(x, y)
    assert_allclose(solution.coefs[:, 0], ref.coef_, rtol=1e-8, atol=1e-10)
    assert_allclose(solution.intercepts[0], ref.intercept_, rtol=1e-8)


def test_a_frame_of_results_names_the_columns(data):
    x, y = data
    res = fit_folded(ListSource(_blocks(x, y, [600]), parallel=False))
    assert list(res.coef.index) == ["Intercept", "x0", "x1"]
    assert isinstance(res.to_frame(), pd.DataFrame)
