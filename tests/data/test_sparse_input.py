"""scipy.sparse input: conversion to canonical CSC and the checks on values and response."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from linmod.data.sparse_input import as_csc, is_sparse, sparse_xy, weighted_rows
from linmod.exceptions import InputError


def test_any_format_becomes_canonical_float64_csc_with_int64_indices():
    dense = np.array([[1, 0, 2], [0, 0, 3], [4, 5, 0]])
    coo = sp.coo_array((np.array([1, 1]), (np.array([0, 0]), np.array([0, 0]))), shape=(3, 3))
    for x in (sp.csr_matrix(dense), sp.lil_array(dense), sp.dok_array(dense), coo,
              sp.csr_array(dense.astype(bool))):  # fmt: skip
        csc = as_csc(x)
        assert csc.format == "csc"
        assert csc.dtype == np.float64
        assert csc.indices.dtype == np.int64
        assert csc.has_canonical_format
    assert as_csc(coo).toarray()[0, 0] == 2.0  # duplicates summed
    assert is_sparse(sp.csr_array(dense))
    assert not is_sparse(dense)


def test_non_finite_values_are_refused_naming_column_and_one_based_row():
    x = sp.csc_array(np.array([[1.0, 0.0], [0.0, 2.0], [0.0, np.nan]]))
    with pytest.raises(InputError, match=r"1 stored values; e\.g\. NaN in column 'b', row 3\)"):
        as_csc(x, ["a", "b"])


def test_response_checks():
    x = sp.csr_array(np.eye(3))
    _, y = sparse_xy(x, [[1.0], [2.0], [3.0]])  # a column vector is accepted
    assert y.shape == (3,)
    with pytest.raises(InputError, match="must be 1-D"):
        sparse_xy(x, np.ones((3, 2)))
    with pytest.raises(InputError, match="must be numeric"):
        sparse_xy(x, ["a", "b", "c"])
    with pytest.raises(InputError, match="no rows"):
        sparse_xy(sp.csr_array((0, 3)), np.zeros(0))
    with pytest.raises(InputError, match="magnitude 1e-300"):
        sparse_xy(x * 1e-300, [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="must be 2-D"):
        as_csc(sp.coo_array(np.ones(3)))


def test_zero_weights_drop_their_rows():
    x = as_csc(sp.csr_array(np.arange(12.0).reshape(4, 3)))
    xs, ys, w, keep = weighted_rows(x, np.arange(4.0), [1.0, 0.0, 2.0, 1.0])
    assert keep.tolist() == [0, 2, 3]
    assert xs.toarray().tolist() == [[0, 1, 2], [6, 7, 8], [9, 10, 11]]
    assert ys.tolist() == [0.0, 2.0, 3.0]
    assert w.tolist() == [1.0, 2.0, 1.0]
    with pytest.raises(InputError, match="sample_weight"):
        weighted_rows(x, np.arange(4.0), [1.0, -1.0, 2.0, 1.0])
