"""``y ~ .`` on a Dask DataFrame leaves out what the in-memory fit leaves out, decided on
every partition (the late identifiers of :mod:`tests.data.test_streamed_late_identifiers`).

Before, a Dask fit screened ``.`` on its first partition only: shuffled row numbers
stayed in the model as a number, and a text ID that the first partition did not show
was refused with the message for a named term ("leave it out of the formula").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import linmod

from ..data.test_streamed_late_identifiers import (
    CHUNK,
    N,
    assert_same_fit,
    fitted,
    messy,
    statsmodels_coef,
)

dd = pytest.importorskip("dask.dataframe")


@pytest.mark.parametrize("kind", ["frame", "csv"])
def test_a_dask_fit_leaves_out_identifiers_only_all_partitions_show(client, tmp_path, kind):
    frame = messy()
    if kind == "frame":
        ddf = dd.from_pandas(frame, npartitions=N // CHUNK, sort=False)
    else:
        path = tmp_path / "messy.csv"
        frame.to_csv(path, index=False)
        ddf = dd.read_csv(path, blocksize=path.stat().st_size // 5)
    assert ddf.npartitions >= 5
    memory, memory_messages = fitted(lambda: linmod.ols("y ~ .", data=frame))
    res, messages = fitted(lambda: linmod.ols("y ~ .", data=ddf))
    assert_same_fit(
        res, memory, messages, memory_messages, statsmodels_coef("y ~ C(region) + x", frame)
    )
    assert len(messages) == 2  # once each, in the in-memory words


def test_a_text_identifier_only_later_partitions_show_is_left_out_not_refused(client):
    frame = messy().drop(columns=["id", "region"])
    ddf = dd.from_pandas(frame, npartitions=N // CHUNK, sort=False)
    memory, memory_messages = fitted(lambda: linmod.ols("y ~ .", data=frame))
    res, messages = fitted(lambda: linmod.ols("y ~ .", data=ddf))
    assert (
        messages
        == memory_messages
        == [
            "column 'code' looks like an identifier (220 distinct values in 240 rows): as a "
            "factor it would be one coefficient per row; '.' leaves it out: write '+ C(code)' to "
            "include it"
        ]
    )
    assert_same_fit(res, memory, messages, memory_messages, statsmodels_coef("y ~ x", frame))


def test_a_dask_panel_id_is_kept_as_a_number(client, tmp_path: Path):
    frame = messy().drop(columns=["code", "region"])
    frame["id"] = np.tile(np.arange(1, CHUNK + 1), N // CHUNK)
    ddf = dd.from_pandas(frame, npartitions=N // CHUNK, sort=False)
    memory, memory_messages = fitted(lambda: linmod.ols("y ~ .", data=frame))
    res, messages = fitted(lambda: linmod.ols("y ~ .", data=ddf))
    assert list(res.names) == ["Intercept", "id", "x"]
    assert_same_fit(res, memory, messages, memory_messages, statsmodels_coef("y ~ id + x", frame))
