"""Ctrl-C, SIGTERM and SIGHUP: one line, the shell's exit code, no temporary file left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import linmod.models.ols
from linmod.cli.main import main

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
MAIN_THREAD = pytest.mark.skipif(
    threading.current_thread() is not threading.main_thread(),
    reason="signal handlers live in the main thread",
)


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(linmod.models.ols, "ols", interrupted)
    assert main(["fit", MTCARS, "-f", "mpg ~ wt"]) == 130
    assert capsys.readouterr().err == "linmod: interrupted\n"
    with pytest.raises(KeyboardInterrupt):  # --debug keeps the traceback
        main(["--debug", "fit", MTCARS, "-f", "mpg ~ wt"])


@POSIX
@MAIN_THREAD
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_save_leaves_the_old_file_and_no_temporary(
    signum, code, tmp_path, monkeypatch, capsys
):
    model = tmp_path / "m.json"
    model.write_text("old model")
    real_fsync = os.fsync

    def signalled_fsync(fd):  # the temporary file exists and holds the new model
        assert any(name.endswith(".tmp") for name in os.listdir(tmp_path))
        os.kill(os.getpid(), signum)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", signalled_fsync)
    before = signal.getsignal(signum)
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--save", str(model)]) == code
    assert capsys.readouterr().err == f"linmod: stopped by {signal.Signals(signum).name}\n"
    assert os.listdir(tmp_path) == ["m.json"]
    assert model.read_text() == "old model"
    assert signal.getsignal(signum) is before  # the handlers are put back


# A real process, stopped while it writes its model file (fsync made slow: the write
# itself is too fast to catch).
_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from linmod.cli.main import main

    folder = Path(sys.argv[1])

    def slow_fsync(fd):
        (folder.parent / "writing").touch()
        time.sleep(60)

    os.fsync = slow_fsync
    sys.exit(main(["fit", sys.argv[2], "-f", "mpg ~ wt", "--save", str(folder / "m.json")]))
    """
)


@POSIX
@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        (signal.SIGTERM, 143, "linmod: stopped by SIGTERM"),
        (signal.SIGHUP, 129, "linmod: stopped by SIGHUP"),
        (signal.SIGINT, 130, "linmod: interrupted"),
    ],
)
def test_a_process_stopped_during_a_save_leaves_no_temporary(signum, code, line, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(folder), MTCARS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "writing").exists():
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            assert time.monotonic() < deadline, "the child never started writing"
            time.sleep(0.05)
        assert [p.suffix for p in folder.iterdir()] == [".tmp"]  # caught mid-write
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code
    assert err.strip() == line  # one line, no traceback
    assert list(folder.iterdir()) == []
