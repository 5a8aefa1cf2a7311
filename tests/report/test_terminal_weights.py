"""The terminal table of a weighted fit says which meaning of weights it used (issue 15)."""

from __future__ import annotations

from rich.console import Console

import linmod
from linmod.report.terminal import results_tables

from ..conftest import load_dataset


def _render(res) -> str:
    console = Console(record=True, width=100)
    console.print(results_tables(res))
    return console.export_text()


def test_weighted_fit_names_its_weights():
    data = load_dataset("mtcars")
    text = _render(linmod.ols("mpg ~ wt + hp", data=data, weights="qsec"))
    assert "Weights: precision (1/variance, as R's lm) from column 'qsec'" in text
    assert "Weights:" not in _render(linmod.ols("mpg ~ wt + hp", data=data))
