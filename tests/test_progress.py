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
