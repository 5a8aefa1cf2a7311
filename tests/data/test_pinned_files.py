"""A file changed between the passes of a streamed fit is refused by name (issue 12, item 3)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import linmod
import linmod.data.blocks
import linmod.models.ols_folded
from linmod.data.chunks import iter_chunks
from linmod.data.pinned_files import PinnedFiles, pin_files
from linmod.exceptions import InputError

CHANGED = r"changed while the fit was reading it \({}"


def _frame(n: int = 300, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x": rng.normal(size=n), "g": rng.choice(["a", "b", "c"], size=n)})
    frame["y"] = 2.0 * frame["x"] + rng.normal(size=n)
    return frame


def _append(path, rows: pd.DataFrame) -> None:
    rows.to_csv(path, mode="a", header=False, index=False)


#: Where each step between two passes is looked up when it runs.
_MODULES = {
    "refine_factor_solution": linmod.models.ols_folded,  # before the refinement passes
    "residual_state": linmod.models.ols_folded,  # before the second pass
    "collect_levels": linmod.data.blocks,  # the levels pass, before the fold
}


def _after(monkeypatch, name: str, change) -> None:
    """Run ``change()`` just before the step ``name`` (between passes)."""
    streaming = _MODULES[name]
    original = getattr(streaming, name)

    def wrapped(*args, **kwargs):
        change()
        return original(*args, **kwargs)

    monkeypatch.setattr(streaming, name, wrapped)


def test_a_file_appended_to_before_a_refinement_pass(tmp_path, monkeypatch):
    path = tmp_path / "grows.csv"
    _frame().to_csv(path, index=False)
    _after(monkeypatch, "refine_factor_solution", lambda: _append(path, _frame(5, seed=1)))
    with pytest.raises(InputError, match=r"grows\.csv " + CHANGED.format("its size went from")):
        linmod.ols("y ~ x", data=path, chunksize=100, refine=True)


def test_a_parquet_file_rewritten_before_the_second_pass(tmp_path, monkeypatch):
    path = tmp_path / "rewritten.parquet"
    _frame().to_parquet(path)
    _after(monkeypatch, "residual_state", lambda: _frame(seed=2).to_parquet(path))
    with pytest.raises(InputError, match=r"rewritten\.parquet changed while"):
        linmod.ols("y ~ x", data=path, chunksize=100, refine=False, second_pass=True)


def test_a_file_changed_between_the_levels_and_the_folds(tmp_path, monkeypatch):
    path = tmp_path / "cv.csv"
    _frame().to_csv(path, index=False)
    _after(monkeypatch, "collect_levels", lambda: _append(path, _frame(5, seed=3)))
    with pytest.raises(InputError, match=r"cv\.csv changed while"):
        linmod.lasso("y ~ x + g", data=path, alpha="cv", cv=3, chunksize=100)


def test_the_second_of_two_files_changed_is_the_one_named(tmp_path, monkeypatch):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    _frame(seed=4).to_csv(first, index=False)
    _frame(seed=5).to_csv(second, index=False)
    _after(monkeypatch, "residual_state", lambda: _append(second, _frame(1, seed=6)))
    with pytest.raises(InputError, match=r"b\.csv changed while"):
        linmod.ols("y ~ x", data=[first, second], chunksize=100, second_pass=True)


def test_a_same_size_rewrite_with_the_old_time_is_caught_by_the_parquet_footer(tmp_path):
    path = tmp_path / "same.parquet"
    frame = _frame()
    frame.to_parquet(path)
    pinned = pin_files(path)
    before = os.stat(path)
    with path.open("r+b") as stream:  # same file, same size, other values, same time
        frame.assign(x=frame["x"] + 1.0).to_parquet(path.with_suffix(".tmp"))
        other = path.with_suffix(".tmp").read_bytes()
        assert len(other) == before.st_size
        stream.write(other)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    with pytest.raises(InputError, match=CHANGED.format("its last bytes")):
        list(iter_chunks(pinned, 100))


def test_a_pass_finding_other_rows_is_refused(tmp_path):
    path = tmp_path / "rows.csv"
    _frame(10).to_csv(path, index=False)
    pinned = pin_files(str(path))
    assert isinstance(pinned, PinnedFiles)
    assert sum(len(c.frame) for c in iter_chunks(pinned, 4)) == 10
    pinned.check(0, 10)
    with pytest.raises(InputError, match=CHANGED.format("one pass read 10 rows, another 9\\)")):
        pinned.check(0, 9)
    path.unlink()
    with pytest.raises(InputError, match=CHANGED.format("it can no longer be read\\)")):
        pinned.check(0)


def test_unchanged_files_fit_through_every_pass(tmp_path):
    path = tmp_path / "calm.csv"
    frame = _frame()
    frame.to_csv(path, index=False)
    streamed = linmod.ols("y ~ x + g", data=path, chunksize=70, refine=True, second_pass=True)
    memory = linmod.ols("y ~ x + g", data=frame)
    np.testing.assert_allclose(streamed.coef.to_numpy(), memory.coef.to_numpy(), rtol=1e-12)
    assert pin_files(iter([frame])) is not None  # not files: left as they are
    assert pin_files([str(path), str(tmp_path / "absent.csv")])[1] == str(tmp_path / "absent.csv")
