"""``--id COLUMN`` labels rows in the CLI's check, report and path (issue 13)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import statsmodels.formula.api as smf

from linmod.cli.main import main

from ..conftest import DATA_DIR, load_dataset

MTCARS = str(DATA_DIR / "mtcars.csv")


def test_check_names_rows_by_id_and_from_one_without(capsys):
    data = load_dataset("mtcars")
    influence = smf.ols("mpg ~ wt + hp", data=data).fit().get_influence()
    worst = int(np.argmax(np.abs(influence.resid_studentized_external)))
    assert main(["check", MTCARS, "-f", "mpg ~ wt + hp", "--id", "model", "--json"]) == 0
    named = json.loads(capsys.readouterr().out)["checks"]["influence"]
    assert f"row {data['model'][worst]!r}" in named["reason"]
    assert main(["check", MTCARS, "-f", "mpg ~ wt + hp", "--json"]) == 0
    numbered = json.loads(capsys.readouterr().out)["checks"]["influence"]
    assert f"(row {worst + 1}, Bonferroni" in numbered["reason"]


def test_report_labels_the_influence_table_by_id(tmp_path):
    target = tmp_path / "r.html"
    assert main(["report", MTCARS, "-f", "mpg ~ wt + hp", "--id", "model", "-o", str(target),
                 "--quiet"]) == 0  # fmt: skip
    page = target.read_text()
    assert "Toyota Corolla" in page
    assert "Chrysler Imperial" in page


def test_path_with_id_does_not_make_a_dummy_per_car(capsys):
    assert main(["path", MTCARS, "-f", "mpg ~ .", "--id", "model", "--json"]) == 0
    out = capsys.readouterr().out
    assert "Fiat" not in out
    assert "model[" not in out


def test_bad_id_is_a_clear_error(capsys):
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--id", "modle"]) != 0
    assert "id column 'modle' is not a column" in capsys.readouterr().err
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--id", "cyl"]) != 0
    assert "id column 'cyl' repeats" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [["--chunksize", "10"]])
def test_id_is_refused_for_streamed_fits(capsys, extra):
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--id", "model", *extra]) != 0
    assert "--id labels the rows of a fit in memory" in capsys.readouterr().err
