"""``--target y --features x,y``: the response as a predictor is refused (it fitted R² = 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linmod.cli.main import main


@pytest.fixture
def table(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=30)
    path = tmp_path / "data.csv"
    pd.DataFrame({"x": x, "y": 1 + x + rng.normal(size=30)}).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("extra", [[], ["--chunksize", "10"]])
def test_target_listed_in_features_is_refused(capsys, table, extra):
    assert main(["fit", str(table), "--target", "y", "--features", "x,y", *extra]) == 1
    err = capsys.readouterr().err
    assert "--features lists the target 'y'" in err
    assert err.count("\n") == 1


def test_formula_with_the_response_on_both_sides_is_refused(capsys, table):
    assert main(["fit", str(table), "-f", "y ~ x + y"]) == 1
    err = capsys.readouterr().err
    assert "'y' are the response and cannot also be predictors" in err
    assert err.count("\n") == 1
