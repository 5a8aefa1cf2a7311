"""Atomic writes: the old file or the whole new one, readable permissions, no leftovers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from linmod.exceptions import InputError
from linmod.files import check_writable, write_atomically


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


def test_an_interrupt_while_writing_leaves_no_temporary(tmp_path):
    target = tmp_path / "model.json"
    target.write_text("old")

    def interrupted(path):
        path.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, interrupted)
    assert os.listdir(tmp_path) == ["model.json"]
    assert target.read_text() == "old"


def test_an_interrupt_as_the_temporary_is_created_leaves_nothing(tmp_path, monkeypatch):
    # The signal arrives just after the file was created, before write_atomically knows it.
    real_open = os.open

    def open_then_interrupt(path, flags, mode=0o777):
        real_open(path, flags, mode)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", open_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "out.txt", "text")
    assert os.listdir(tmp_path) == []


def test_a_link_is_written_through_and_a_device_in_place(tmp_path):
    real = tmp_path / "real.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomically(link, "through the link\n")
    assert link.is_symlink()  # the link is kept, the file it names is written
    assert real.read_text() == "through the link\n"
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "real.txt"]
    assert write_atomically(os.devnull, "discarded") == Path(os.devnull)  # not replaced
    assert not Path(os.devnull).is_file()


def test_a_folder_without_write_permission_is_named(tmp_path, monkeypatch):
    # chmod does not stop root, so the permission check itself is what is exercised here.
    folder = tmp_path / "locked"
    folder.mkdir()
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != folder)
    with pytest.raises(InputError, match=r"no permission to create files in .*locked"):
        check_writable(folder / "x.txt")


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "keep.json"
    target.write_text("kept")
    # chmod does not stop root, so the permission check itself is what is exercised here.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != target)
    with pytest.raises(InputError, match=r"keep.json.*the file is read-only"):
        write_atomically(target, "replaced")
    assert target.read_text() == "kept"
