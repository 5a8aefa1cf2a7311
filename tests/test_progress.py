"""The progress line shows on a terminal and stays silent elsewhere."""

from __future__ import annotations

import io

from linmod.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_on_a_terminal_only():
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        meter = Progress("rows folded", stream=stream)
        meter.update(1000)
        meter.update(500)
        meter.close()
    assert "1,500 rows folded" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    assert pipe.getvalue() == ""


def test_progress_can_be_forced_off():
    terminal = _Terminal()
    meter = Progress("rows", enabled=False, stream=terminal)
    meter.update(10)
    meter.close()
    assert terminal.getvalue() == ""
    assert meter.count == 10
