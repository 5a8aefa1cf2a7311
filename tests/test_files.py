"""Atomic writes: the old file or the whole new one, readable permissions, no leftovers."""

from __future__ import annotations

import os
import stat

import pytest

from linmod.exceptions import InputError
from linmod.files import write_atomically


def test_text_is_written_with_ordinary_permissions(tmp_path):
    target = tmp_path / "out.txt"
    assert write_atomically(target, "héllo\n") == target
    assert target.read_text(encoding="utf-8") == "héllo\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["out.txt"]


def test_a_writer_function_and_a_failing_one(tmp_path):
    target = tmp_path / "plot.svg"
    write_atomically(target, lambda path: path.write_text("<svg/>"))
    assert target.read_text() == "<svg/>"

    def fail(path):
        path.write_text("half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_atomically(target, fail)
    assert target.read_text() == "<svg/>"  # the old file is untouched
    assert os.listdir(tmp_path) == ["plot.svg"]  # and no temporary is left


def test_bad_targets_are_named(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "x.txt", "x")
    with pytest.raises(InputError, match="is a folder"):
        write_atomically(tmp_path, "x")
