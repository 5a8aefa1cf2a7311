"""The checked copy of a float64 array design measures what the fit needs in its pass."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.data.arrays import fast_array_design
from linmod.exceptions import InputError


def test_magnitudes_of_the_copy():
    x = np.array([[1.0, -8.0], [3.0, 2.0], [-5.0, 0.5]])
    y = np.array([0.25, -7.5, 3.0])
    design, magnitudes = fast_array_design(x, y, True)
    assert np.array_equal(design.x, np.column_stack([np.ones(3), x]))
    assert np.array_equal(magnitudes.columns, [1.0, 5.0, 8.0])
    assert magnitudes.column_range == (1.0, 8.0)  # what solve_scaled's range test reads
    assert magnitudes.response == 7.5
    assert magnitudes.constant_response is False
    assert magnitudes.of(design.x, design.y)


@pytest.mark.parametrize(
    ("y", "constant"),
    [([2.0, 2.0, 2.0], True), ([0.0, -0.0, 0.0], True), ([2.0, 2.0, 2.0 + 2**-51], False)],
)
def test_constant_response_is_measured_exactly(y, constant):
    x = np.arange(6.0).reshape(3, 2) ** 2
    _, magnitudes = fast_array_design(x, np.array(y), True)
    assert magnitudes.constant_response is constant


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_response_takes_the_general_path(bad):
    x = np.arange(6.0).reshape(3, 2)
    assert fast_array_design(x, np.array([1.0, bad, 2.0]), True) is None


def test_constant_response_is_refused_on_the_fast_path():
    x = np.random.default_rng(0).standard_normal((20, 2))
    with pytest.raises(InputError, match="constant"):
        linmod.ols(x, np.full(20, 3.5))
    # One differing value in the last row is variation.
    y = np.full(20, 3.5)
    y[-1] = 3.5 + 2**-50
    assert linmod.ols(x, y).df_resid == 17


@pytest.mark.parametrize(
    ("x_bad", "y_bad"),
    [(None, None), (np.nan, None), (np.inf, None), (None, np.nan), (None, -np.inf), (None, "same")],
)
def test_the_numpy_twin_of_the_checked_copy_gives_the_kernels_results(x_bad, y_bad):
    """Before numba is loaded the copy is made with numpy: the same copy, maxima,
    finiteness, max |y|, constancy and column range as the compiled kernel's."""
    from linmod.data.arrays import _copy_checked, _copy_checked_numpy

    rng = np.random.default_rng(5)
    x = rng.standard_normal((70, 3)) * [1.0, 1e-30, 1e30]
    x[4, 1] = -0.0
    y = rng.standard_normal(70)
    if x_bad is not None:
        x[9, 2] = x_bad
    if y_bad == "same":
        y[:] = -2.5
    elif y_bad is not None:
        y[13] = y_bad
    outputs = []
    for copy_checked in (_copy_checked, _copy_checked_numpy):
        out, maxima = np.full((70, 4), 7.0), np.full(4, 7.0)
        result = copy_checked(x, out, 1, maxima, y)
        outputs.append((out, maxima, result))
    (out_k, max_k, res_k), (out_n, max_n, res_n) = outputs
    assert np.array_equal(out_k, out_n, equal_nan=True)
    assert np.array_equal(out_n[:, 1:], x, equal_nan=True)
    assert np.all(out_n[:, 0] == 1.0)
    assert res_k[0] == res_n[0] == (x_bad is None)  # finite
    assert res_k[2] == res_n[2] == (y_bad == "same")  # constant
    assert np.array_equal(res_k[1], res_n[1], equal_nan=True)  # max |y|
    if x_bad is None:  # the maxima and their range count only for finite data
        assert np.array_equal(max_k, max_n)
        assert res_k[3:] == res_n[3:] == (float(max_n.min()), float(max_n.max()))


def test_default_row_labels_are_made_when_first_read():
    # The fast path leaves the labels to be made on first read: rows 0 .. n-1, none dropped.
    x, y = np.arange(12.0).reshape(6, 2) ** 1.5, np.arange(6.0) ** 2
    design, _ = fast_array_design(x, y, True)
    assert design.__dict__["_row_labels"] is None
    pd.testing.assert_index_equal(design.row_labels, pd.RangeIndex(6))
    assert design.row_labels is design.row_labels  # made once
    assert len(design.dropped_labels) == 0
    assert design.n_dropped == 0
    res = linmod.ols(x, y)
    pd.testing.assert_index_equal(res.residuals.index, pd.RangeIndex(6))
    assert list(res.design.shown_row_labels) == [1, 2, 3, 4, 5, 6]  # as R numbers rows


def test_each_design_gets_its_own_default_labels():
    x, y = np.arange(12.0).reshape(6, 2) ** 1.5, np.arange(6.0) ** 2
    first, second = (fast_array_design(x, y, True)[0] for _ in range(2))
    first.row_labels.name = "renamed"
    first.dropped_labels.name = "renamed"
    assert second.row_labels.name is None
    assert second.dropped_labels.name is None


def test_replace_and_pickle_keep_the_default_labels():
    x, y = np.arange(12.0).reshape(6, 2) ** 1.5, np.arange(6.0) ** 2
    design, _ = fast_array_design(x, y, True)
    halved = dataclasses.replace(design, y=y / 2)
    pd.testing.assert_index_equal(halved.row_labels, pd.RangeIndex(6))
    restored = pickle.loads(pickle.dumps(fast_array_design(x, y, True)[0]))
    pd.testing.assert_index_equal(restored.row_labels, pd.RangeIndex(6))
    assert len(restored.dropped_labels) == 0
