"""The lessons' exercise 3 example runs offline and reads as an answer."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "exercise3_assumptions.py"


def test_exercise3_example(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    module = runpy.run_path(str(EXAMPLE), run_name="exercise3")
    report = module["main"](tmp_path)
    out = capsys.readouterr().out
    for heading in ("a) Fit", "b) Check all five", "c) Which assumptions", "d) Proposed"):
        assert heading in out
    assert report.multicollinearity.verdict == "violated"
    assert "Ridge" in out
    assert "HC3" in out
    assert (tmp_path / "exercise3_diagnostics.png").stat().st_size > 10_000
    import matplotlib.pyplot as plt

    plt.close("all")
