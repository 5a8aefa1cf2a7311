"""The report's influence table and overview name rows 1-based, or by id= (issue 13)."""

from __future__ import annotations

import numpy as np
import statsmodels.formula.api as smf

from linmod.analysis import analyse
from linmod.report import render_html

from ..conftest import load_dataset
from ._page import parse, table_rows

FORMULA = "mpg ~ wt + hp"


def _influence_rows(page: str) -> list[str]:
    table = parse(page).find("section", id="influence").find("table")
    return [cells[0] for _, cells in table_rows(table)]


def _cooks_order(data) -> np.ndarray:
    cooks = np.asarray(smf.ols(FORMULA, data=data).fit().get_influence().cooks_distance[0])
    return np.argsort(-cooks, kind="stable")[:10]


def test_influence_table_rows_are_numbered_from_one():
    data = load_dataset("mtcars")
    rows = _influence_rows(render_html(analyse(FORMULA, data)))
    assert rows == [str(i + 1) for i in _cooks_order(data)]


def test_influence_table_and_dropped_rows_by_id():
    data = load_dataset("mtcars")
    rows = _influence_rows(render_html(analyse(FORMULA, data, id="model")))
    assert rows == list(data["model"].to_numpy()[_cooks_order(data)])
    holed = data.copy()
    holed.loc[[2, 5], "hp"] = np.nan
    analysis = analyse(FORMULA, holed, missing="drop", id="model")
    assert list(analysis.overview.dropped_rows) == ["Datsun 710", "Valiant"]
    note = parse(render_html(analysis)).find("section", id="overview").find("p", class_="remedy")
    assert "Datsun 710" in note.text()
    # "~ ." leaves the id out of the model and of the comparison.
    dotted = analyse("mpg ~ .", data, id="model")
    assert "model" not in " ".join(dotted.results.names)
