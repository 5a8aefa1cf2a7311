"""Predicting on new data with a factor level the model never saw: refused, as R's
``predict`` refuses it ("factor cyl has new level 5"), naming the column, the level(s),
their rows, the levels the model knows and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError

from ..conftest import load_dataset

_FIX = r"a level the model never saw has no coefficient.*drop or recode them"


@pytest.fixture(scope="module")
def mtcars():
    return load_dataset("mtcars")


def test_a_new_number_level_names_its_rows_and_the_fix(mtcars):
    fit = linmod.ols("mpg ~ wt + C(cyl)", data=mtcars)
    new = pd.DataFrame({"wt": [3.0, 2.5, 2.0], "cyl": [4, 5, 6]})
    with pytest.raises(
        InputError,
        match=r"column 'cyl' has level\(s\) 5 not seen when fitting \(known: 4, 6, 8\), "
        rf"in row 2; {_FIX}",
    ):
        fit.predict(new)


def test_new_text_levels_are_listed_with_their_labels():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"shop": rng.choice(["north", "south", "east"], 40)})
    frame["x"] = rng.normal(size=40)
    frame["y"] = frame["x"] + (frame["shop"] == "south") + rng.normal(size=40)
    fit = linmod.ols("y ~ x + shop", data=frame)
    new = pd.DataFrame(
        {"x": [0.1, 0.2, 0.3, 0.4], "shop": ["north", "west", "south", "central"]},
        index=["r1", "r2", "r3", "r4"],
    )
    with pytest.raises(
        InputError,
        match=r"column 'shop' has level\(s\) 'central', 'west' not seen when fitting "
        rf"\(known: 'east', 'north', 'south'\), in rows r2, r4; {_FIX}",
    ):
        fit.predict(new)


def test_a_long_list_of_known_levels_is_cut_short():
    levels = [f"L{i:02d}" for i in range(30)]
    frame = pd.DataFrame({"g": levels * 3, "x": np.arange(90.0)})
    frame["y"] = np.sin(frame["x"])
    fit = linmod.ols("y ~ x + C(g)", data=frame)
    with pytest.raises(
        InputError, match=r"\(known: 'L00', 'L01', .*'L09' and 20 more\), in row 1;"
    ):
        fit.predict(pd.DataFrame({"x": [1.0], "g": ["L99"]}))


def test_a_loaded_model_and_the_command_line_say_the_same(tmp_path, mtcars, capsys):
    fit = linmod.ols("mpg ~ wt + C(cyl)", data=mtcars)
    fit.save(tmp_path / "m.json")
    new = pd.DataFrame({"wt": [3.0, 2.5, 2.0, 1.5], "cyl": [4, 6, 5, 5]})
    new.to_csv(tmp_path / "new.csv", index=False)
    message = rf"level\(s\) 5 not seen when fitting \(known: 4, 6, 8\), in rows 3, 4; {_FIX}"
    with pytest.raises(InputError, match=message):
        linmod.load(tmp_path / "m.json").predict(new)
    assert main(["predict", str(tmp_path / "m.json"), str(tmp_path / "new.csv")]) == 1
    err = capsys.readouterr().err
    assert "column 'cyl' has level(s) 5 not seen when fitting" in err
    assert "in rows 3, 4" in err  # the 3rd and 4th data rows of the file
