"""The progress line shows on a terminal and stays silent elsewhere."""

from __future__ import annotations

import io
import os
import re

import pytest

from linmod.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    """An 80-column terminal unless a test says otherwise (the line fits the width)."""
    monkeypatch.setenv("COLUMNS", "80")


def _drawn(text: str) -> list[str]:
    """Each line the terminal is asked to draw: the text between carriage returns."""
    return [part.replace("\x1b[K", "").rstrip("\n") for part in text.split("\r") if part]


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


def test_bar_with_a_total_shows_fraction_and_finishes_on_close():
    terminal = _Terminal()
    with Progress("folds", stream=terminal, total=4) as bar:
        for _ in range(4):
            bar.update(1)
    text = terminal.getvalue()
    assert "folds [" in text
    assert "4/4" in text
    assert "#" * 24 in text  # the full bar at the end
    assert text.endswith("\n")


def test_redraws_are_throttled():
    terminal = _Terminal()
    bar = Progress("epochs", stream=terminal, total=100_000)
    for _ in range(100_000):
        bar.update(1)
    bar.close()
    # one draw per 0.1 s at most (plus the final one), not one per update
    assert terminal.getvalue().count("\r") < 1_000
    assert "100,000/100,000" in terminal.getvalue()


def test_a_zero_total_falls_back_to_a_count():
    terminal = _Terminal()
    with Progress("paths", stream=terminal, total=0) as bar:
        bar.update(3)
    assert "3 paths" in terminal.getvalue()


def test_throttling_continues_past_the_total_and_lines_are_cleared():
    terminal = _Terminal()
    bar = Progress("folds", stream=terminal, total=2)
    for _ in range(1000):  # more updates than the total: still drawn at most every 0.1 s
        bar.update(1)
    bar.close()
    assert terminal.getvalue().count("\r") < 20
    assert "\x1b[K" in terminal.getvalue()


def test_rates_are_in_sensible_units(monkeypatch):
    clock = iter([0.0, 2.0, 4.0])  # the start, then one reading per update
    monkeypatch.setattr("linmod.progress.time.perf_counter", lambda: next(clock))
    terminal = _Terminal()
    meter = Progress("epochs", stream=terminal)
    meter.update(6)  # 6 in 2 s
    assert "6 epochs (3.0/s)" in terminal.getvalue()
    meter.update(7_999_994)  # 8e6 in 4 s
    assert "8,000,000 epochs (2.00 M/s)" in terminal.getvalue()


@pytest.mark.parametrize("columns", [6, 12, 20, 30, 40, 50, 60, 80, 100, 200])
@pytest.mark.parametrize(
    ("label", "total", "count"),
    [("bootstrap replicates", 1999, 1999), ("CV folds", 15, 7), ("rows folded", None, 123_456)],
)
def test_the_line_never_reaches_the_last_column(monkeypatch, columns, label, total, count):
    """QA item 8: "bootstrap replicates [...] 1,999/1,999 00:00 elapsed, 00:00 left" is 87
    characters; on an 80-column terminal it wrapped, and every redraw left a line behind."""
    monkeypatch.setenv("COLUMNS", str(columns))
    terminal = _Terminal()
    with Progress(label, stream=terminal, total=total) as bar:
        for _ in range(3):
            bar.update(count // 3)
        bar.update(count - bar.count)
    lines = _drawn(terminal.getvalue())
    assert lines
    assert all(len(line) < columns for line in lines)
    final = lines[-1]
    counts = f"{count:,}" if total is None else f"{count:,}/{total:,}"
    if columns > len(counts):
        assert counts in final  # the count is the last thing to go
    if columns >= 100:  # the whole line, as before
        assert label in final
        assert total is None or "elapsed" in final


def test_what_goes_first_on_a_narrow_terminal(monkeypatch):
    widths = {}
    for columns in (100, 80, 70, 55, 40):
        monkeypatch.setenv("COLUMNS", str(columns))
        bar = Progress("bootstrap replicates", stream=_Terminal(), total=1999)
        bar.count = 1000
        widths[columns] = bar._line(3.0)
    assert widths[100].endswith("00:03 elapsed, 00:03 left")
    assert "[" + "#" * 12 + "-" * 12 + "]" in widths[100]
    assert widths[80].endswith("00:03 elapsed, 00:03 left")  # a shorter bar first
    assert widths[70].endswith("1,000/1,999 00:03 left")  # then the elapsed time
    assert widths[55].endswith("1,000/1,999")  # then the estimate
    assert widths[55].startswith("  bootstrap replicates [")
    assert re.fullmatch(r"\[#+-+\] 1,000/1,999", widths[40])  # then the label


def test_the_width_of_a_real_terminal(monkeypatch):
    """Without COLUMNS, the width is the terminal's own (a pseudo-terminal 50 wide)."""
    pty = pytest.importorskip("pty")
    fcntl = pytest.importorskip("fcntl")
    termios = pytest.importorskip("termios")
    import struct

    monkeypatch.delenv("COLUMNS")
    master, slave = pty.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 50, 0, 0))
        with (
            open(slave, "w", closefd=False) as stream,
            Progress("bootstrap replicates", stream=stream, total=1999) as bar,
        ):
            bar.update(1999)
        text = os.read(master, 65536).decode()
    finally:
        os.close(master)
        os.close(slave)
    lines = _drawn(text.replace("\r\n", "\n"))
    assert lines
    assert all(len(line) < 50 for line in lines)
    assert "1,999/1,999" in lines[-1]
