"""The Arrow fast path of streamed OLS: same blocks, same fits, same errors as pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import statsmodels.api as sm
from formulaic import Formula, model_matrix
from numpy.testing import assert_allclose

import linmod
import linmod.outofcore.parquet_batches as parquet_batches
from linmod.data.blocks import BlockBuilder
from linmod.data.chunks import iter_batches, numeric_parquet_columns, parquet_files
from linmod.data.column_block import ColumnBlock
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.exceptions import InputError
from linmod.linalg.threads import one_blas_thread

from ..conftest import NIST_DIR
from .nist import lre, read_nist

RTOL = 1e-10


def _same_fit(streamed, memory, rtol=RTOL):
    assert streamed.n_obs == memory.n_obs
    assert list(streamed.coef.index) == list(memory.coef.index)
    assert_allclose(streamed.coef, memory.coef, rtol=rtol)
    assert_allclose(streamed.std_err, memory.std_err, rtol=rtol)
    for name in ("r_squared", "adj_r_squared", "f_statistic", "sigma", "aic", "bic"):
        assert_allclose(getattr(streamed, name), getattr(memory, name), rtol=rtol, err_msg=name)


@pytest.fixture
def fast_path_used(monkeypatch):
    """Counts the batches folded by the Arrow path (the test fails if it is never taken)."""
    calls = []
    original = parquet_batches._fold_batch

    def spy(buffer, batch):
        folded = original(buffer, batch)
        calls.append(folded is not None)
        return folded

    monkeypatch.setattr(parquet_batches, "_fold_batch", spy)
    return calls


def _frame(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.integers(-1000, 1000, size=n),  # int64: converted as pandas would
            "c": rng.normal(3.0, 0.5, size=n).astype(np.float32),
            "label": rng.choice(["u", "v"], size=n),  # not in the model: not read
        }
    )
    frame["y"] = 1.0 + 2.0 * frame["a"] - 0.001 * frame["b"] + frame["c"] + rng.normal(size=n)
    return frame


def test_the_arrow_block_is_bit_identical_to_the_pandas_block(tmp_path):
    frame = _frame()
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    parsed = Formula("y ~ a + b + c")
    head = frame.head(50)
    probe = model_matrix(parsed, head, na_action="ignore", context=FORMULA_CONTEXT)
    builder = BlockBuilder(parsed, "y ~ a + b + c", "raise", {})
    builder.adopt_plain(probe, head)
    columns = [None, "a", "b", "c", "y"]
    assert builder.plain == columns
    batch = next(iter_batches([path], chunksize=1200))
    keep = np.ones(batch.batch.num_rows, dtype=bool)
    general = builder._block(batch.to_chunk().frame, keep)
    builder.plain = None  # through formulaic, as a non-plain design would be
    assert np.array_equal(builder._block(batch.to_chunk().frame, keep), general)
    fast = ColumnBlock(columns).fill(batch.batch)
    assert fast.flags.f_contiguous
    assert np.array_equal(fast, general)
    buffer = ColumnBlock(columns)
    buffer.rows = 500  # slices of 500 rows: 500, 500 and a short one of 200
    arrays = buffer.columns_of(batch.batch)
    starts = []
    for start, block in buffer.slices(arrays, batch.batch.num_rows):
        assert np.array_equal(block, general[start : start + block.shape[0]])
        starts.append((start, block.shape[0]))
    assert starts == [(0, 500), (500, 500), (1000, 200)]


def test_a_plain_parquet_stream_equals_statsmodels_and_the_in_memory_fit(
    tmp_path, monkeypatch, fast_path_used
):
    frame = _frame()
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pandas(frame), path, row_group_size=1500)
    monkeypatch.setattr(ColumnBlock, "rows", 256)  # many leaves per batch, one short
    streamed = linmod.ols("y ~ a + b + c", data=path, chunksize=1000)
    assert fast_path_used
    assert all(fast_path_used)
    ref = sm.OLS(frame["y"], sm.add_constant(frame[["a", "b", "c"]].astype(float))).fit()
    assert_allclose(streamed.coef, ref.params, rtol=1e-12)
    assert_allclose(streamed.std_err, ref.bse, rtol=1e-12)
    assert_allclose(streamed.r_squared, ref.rsquared, rtol=1e-12)
    _same_fit(streamed, linmod.ols("y ~ a + b + c", data=frame))


def test_a_list_of_parquet_files_takes_the_fast_path(tmp_path, fast_path_used):
    frame = _frame()
    parts = [tmp_path / f"p{i}.parquet" for i in range(3)]
    for i, part in enumerate(parts):
        frame.iloc[i * 2000 : (i + 1) * 2000].to_parquet(part)
    assert parquet_files(parts) == parts
    streamed = linmod.ols("y ~ a + c", data=[str(p) for p in parts], chunksize=700)
    assert len(fast_path_used) == 8  # 3 + 3 + 2 batches
    assert all(fast_path_used)
    _same_fit(streamed, linmod.ols("y ~ a + c", data=frame))


def test_which_sources_qualify(tmp_path):
    frame = _frame(100)
    path, csv = tmp_path / "d.parquet", tmp_path / "d.csv"
    frame.to_parquet(path)
    frame.to_csv(csv)
    assert parquet_files(path) == [path]
    assert parquet_files(csv) is None
    assert parquet_files([path, csv]) is None
    assert parquet_files(tmp_path / "absent.parquet") is None
    assert numeric_parquet_columns([path], ["a", "b", "c", "y"])
    assert not numeric_parquet_columns([path], ["a", "label"])  # strings go through pandas
    drifted = tmp_path / "e.parquet"
    frame.drop(columns="label").to_parquet(drifted)
    assert not numeric_parquet_columns([path, drifted], ["a"])  # the general path reports


@pytest.mark.parametrize(("name", "reps", "digits"), [("Longley", 400, 13), ("Pontius", 200, 12)])
def test_an_ill_conditioned_stream_keeps_the_nist_digits(tmp_path, name, reps, digits):
    # Repeating every row leaves the least-squares coefficients unchanged, so the certified
    # values still apply; the blocks (scaled cond 7.5e4 and 1.6e4 with y) take the
    # CholeskyQR2 leaf, and the stream equals the in-memory fit of the same rows.
    problem = read_nist(NIST_DIR / f"{name}.dat")
    x, y = problem.design()
    names = [f"c{j}" for j in range(x.shape[1])]
    frame = pd.DataFrame(np.tile(np.column_stack([x, y]), (reps, 1)), columns=[*names, "y"])
    path = tmp_path / f"{name}.parquet"
    frame.to_parquet(path)
    formula = "y ~ " + " + ".join(names)
    streamed = linmod.ols(formula, data=path, chunksize=1000)
    assert lre(streamed.coef.to_numpy(), problem.coef).min() >= digits
    _same_fit(streamed, linmod.ols(formula, data=frame))


def test_filip_columns_streamed_go_to_householder_and_agree_with_lapack(tmp_path):
    # Filip's powers stored as float64 columns (scaled cond 6e9): every leaf falls back to
    # Householder QR.  Without the double-double powers of the in-memory formula fit,
    # about 7 digits are what a backward-stable QR of these columns can give; the
    # reference is LAPACK's SVD least squares of the same (equilibrated) rows.
    problem = read_nist(NIST_DIR / "Filip.dat")
    x, y = problem.design()
    names = [f"p{j}" for j in range(1, 11)]
    frame = pd.DataFrame(np.tile(np.column_stack([x, y]), (50, 1)), columns=[*names, "y"])
    path = tmp_path / "filip.parquet"
    frame.to_parquet(path)
    with pytest.warns(linmod.exceptions.NearSingularWarning):
        streamed = linmod.ols("y ~ " + " + ".join(names), data=path, chunksize=1000)
    design = np.column_stack([np.ones(len(frame)), frame[names].to_numpy()])
    scales = 1.0 / np.linalg.norm(design, axis=0)  # equilibrated, or LAPACK sees rank 10
    reference = np.linalg.lstsq(design * scales, frame["y"].to_numpy(), rcond=None)[0] * scales
    assert_allclose(streamed.coef.to_numpy(), reference, rtol=1e-6)
    assert lre(streamed.coef.to_numpy(), problem.coef).min() >= 6.5


def test_nan_and_infinity_in_a_parquet_stream_follow_the_general_rules(tmp_path):
    frame = _frame(3000)
    values = frame["a"].to_numpy().copy()
    values[[10, 2500]] = np.nan  # NaN values, not nulls: invisible to Arrow's null count
    table = pa.Table.from_pandas(frame.drop(columns="a")).append_column(
        "a", pa.array(values, from_pandas=False)
    )
    assert table.column("a").null_count == 0
    path = tmp_path / "nan.parquet"
    pq.write_table(table, path)
    with pytest.raises(InputError, match=r"nan.parquet row 11: column 'a' is missing"):
        linmod.ols("y ~ a + b", data=path, chunksize=1000)
    streamed = linmod.ols("y ~ a + b", data=path, chunksize=1000, missing="drop")
    assert streamed.design.n_dropped == 2
    _same_fit(streamed, linmod.ols("y ~ a + b", data=frame.assign(a=values), missing="drop"))
    values[2200] = np.inf
    pq.write_table(
        pa.Table.from_pandas(frame.drop(columns="a")).append_column("a", pa.array(values)), path
    )
    with pytest.raises(InputError, match=r"nan.parquet row 2201: a term or the response"):
        linmod.ols("y ~ a + b", data=path, chunksize=1000, missing="drop")


def test_second_pass_after_the_fast_first_pass(tmp_path):
    frame = _frame(3000)
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    streamed = linmod.ols("y ~ a + b", data=path, chunksize=800, second_pass=True, hac_lags=2)
    memory = linmod.ols("y ~ a + b", data=frame)
    _same_fit(streamed, memory)
    for kind in ("HC0", "HC3"):
        assert_allclose(streamed.robust(kind).std_err, memory.robust(kind).std_err, rtol=RTOL)


def test_blas_is_limited_to_one_thread_during_the_fold_and_restored_after():
    from threadpoolctl import threadpool_info

    before = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    with one_blas_thread():
        inside = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    after = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert inside
    assert all(n == 1 for n in inside)
    assert after == before
