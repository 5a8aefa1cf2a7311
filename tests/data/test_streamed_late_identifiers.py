"""``y ~ .`` on a streamed source leaves out what the in-memory fit leaves out, decided on
all of the source, not on its first chunk.

The first chunk of a file cannot tell an identifier: shuffled row numbers hold neither 0
nor 1 there, a text ID repeated in its first rows is no ID there, and a panel's ``id``
(the same 1..k in every chunk) looks like one there and is not one in the whole file.
Each case is fitted in memory (the reference for the columns and the warnings) and by
statsmodels on the columns the in-memory fit keeps (the reference for the numbers).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.exceptions import LinmodWarning

N, CHUNK = 240, 40  # six chunks


def messy(seed: int = 21) -> pd.DataFrame:
    """``id``: 1..N shuffled; ``code``: 20 codes twice each in the first chunk, then a new
    code per row (220 distinct in 240 rows: an identifier, not in the first chunk);
    ``region``: 24 levels, all in the first chunk (more than half its 40 rows)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=N)
    region = np.array([f"r{i % 24:02d}" for i in range(N)])
    rng.shuffle(region[CHUNK:])
    effect = {f"r{i:02d}": 0.1 * i for i in range(24)}
    codes = [f"K{i // 2:03d}" for i in range(CHUNK)] + [f"K{i:03d}" for i in range(20, 220)]
    return pd.DataFrame(
        {
            "id": rng.permutation(N) + 1,
            "code": codes,
            "region": region,
            "x": x,
            "y": 1.0 + 2.0 * x + np.array([effect[r] for r in region]) + rng.normal(size=N),
        }
    )


def fitted(fit) -> tuple[linmod.OLSResults, list[str]]:
    """The fit and its LinmodWarning messages."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = fit()
    return res, [str(w.message) for w in caught if issubclass(w.category, LinmodWarning)]


def statsmodels_coef(formula: str, frame: pd.DataFrame) -> dict[str, float]:
    """statsmodels' coefficients, named as linmod names them (``C(g)[T.b]`` → ``g[T.b]``)."""
    params = smf.ols(formula, data=frame).fit().params
    return {name.replace("C(region)", "region"): value for name, value in params.items()}


def assert_same_fit(streamed, memory, messages, memory_messages, reference) -> None:
    assert list(streamed.names) == list(memory.names)
    assert sorted(messages) == sorted(memory_messages)
    np.testing.assert_allclose(streamed.coef, memory.coef, rtol=1e-10)
    expected = [reference[name] for name in streamed.names]
    np.testing.assert_allclose(streamed.coef.to_numpy(), expected, rtol=1e-9)


def assert_id_is_a_predictor(frame: pd.DataFrame, path: Path) -> None:
    """Streamed from ``path`` in chunks, ``y ~ .`` keeps ``id`` as in memory, and both
    fits are statsmodels' ``y ~ id + x``."""
    frame.to_csv(path, index=False)
    memory, memory_messages = fitted(lambda: linmod.ols("y ~ .", data=frame))
    streamed, messages = fitted(lambda: linmod.ols("y ~ .", data=path, chunksize=CHUNK))
    assert list(streamed.names) == ["Intercept", "id", "x"]
    assert_same_fit(
        streamed, memory, messages, memory_messages, statsmodels_coef("y ~ id + x", frame)
    )


@pytest.mark.parametrize("kind", ["csv", "frames"])
def test_identifiers_only_the_whole_source_shows_are_left_out(tmp_path: Path, kind):
    frame = messy()
    first = frame.iloc[:CHUNK]  # what the first chunk shows: no identifier at all
    assert first["id"].min() > 1 or first["id"].max() - first["id"].min() != CHUNK - 1
    assert first["code"].nunique() == CHUNK // 2
    assert frame["code"].nunique() == 220
    memory, memory_messages = fitted(lambda: linmod.ols("y ~ .", data=frame))
    assert [m.split(" looks")[0] for m in sorted(memory_messages)] == [
        "column 'code'",
        "column 'id'",
    ]
    if kind == "csv":
        data: object = tmp_path / "messy.csv"
        frame.to_csv(data, index=False)
    else:
        data = [frame.iloc[i : i + CHUNK] for i in range(0, N, CHUNK)]
    streamed, messages = fitted(lambda: linmod.ols("y ~ .", data=data, chunksize=CHUNK))
    reference = statsmodels_coef("y ~ C(region) + x", frame)
    assert_same_fit(streamed, memory, messages, memory_messages, reference)
    assert "column 'id' looks like a row identifier (the integers 1..240, each once)" in (
        " ".join(messages)
    )


def test_a_panel_id_that_looks_like_a_row_number_in_the_first_chunk_is_kept(tmp_path: Path):
    # 1..40 in every chunk: a row identifier in the first chunk only; in memory (and now
    # streamed) it is a number like any other
    frame = messy().drop(columns=["code", "region"])
    frame["id"] = np.tile(np.arange(1, CHUNK + 1), N // CHUNK)
    assert_id_is_a_predictor(frame, tmp_path / "panel.csv")


@pytest.mark.parametrize("change", ["repeat", "gap"])
def test_an_id_with_a_repeat_or_a_gap_is_no_identifier(tmp_path: Path, change):
    # a repeat keeps the count, the smallest and the largest value of 1..n (only the power
    # sums tell); a gap keeps the count but not the range
    frame = messy().drop(columns=["code", "region"])
    ids = frame["id"].to_numpy().copy()
    if change == "repeat":
        ids[ids == 120] = 121
    else:
        ids[ids == N] = N + 5
    frame["id"] = ids
    assert_id_is_a_predictor(frame, tmp_path / "ids.csv")


def test_the_first_chunk_still_decides_a_text_column_with_more_levels_than_a_factor_may_have(
    tmp_path: Path,
):
    # 60 distinct codes in the first 60 rows: more than any implicit factor's 50 levels,
    # so '.' leaves it out on that chunk (its counts, not the file's: no pass counts the
    # levels of a column the model does not use)
    frame = messy()
    frame["code"] = [f"C{i:04d}" for i in range(N)]
    path = tmp_path / "codes.csv"
    frame.to_csv(path, index=False)
    streamed, messages = fitted(lambda: linmod.ols("y ~ .", data=path, chunksize=60))
    assert "region[T.r01]" in streamed.names
    assert "code" not in " ".join(streamed.names)
    assert any(
        m.startswith("column 'code' looks like an identifier (60 distinct values in 60 rows)")
        for m in messages
    )
