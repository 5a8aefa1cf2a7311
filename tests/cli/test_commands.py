"""The command line's model-selection commands, column selection, tables and output files."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from rich.console import Console
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error
from sklearn.model_selection import KFold

import linmod
from linmod.cli.main import main
from linmod.report.terminal import assumption_table, comparison_table, path_table, results_tables

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def test_cv_scores_equal_scikit_learn(capsys):
    assert main(["cv", MTCARS, "-f", "mpg ~ wt + hp", "--folds", "4", "--seed", "3", "--json"]) == 0
    payload = _json(capsys)
    assert [row["model"] for row in payload["models"]] == ["ols", "ridge", "lasso"]
    frame = pd.read_csv(MTCARS)
    x, y = frame[["wt", "hp"]].to_numpy(), frame["mpg"].to_numpy()
    rmse = []
    for train, test in KFold(4, shuffle=True, random_state=3).split(x):
        predicted = LinearRegression().fit(x[train], y[train]).predict(x[test])
        rmse.append(np.sqrt(mean_squared_error(y[test], predicted)))
    ols_folds = [row["rmse"] for row in payload["per_fold"] if row["model"] == "ols"]
    assert_allclose(ols_folds, rmse, rtol=1e-10)
    assert_allclose(payload["models"][0]["rmse_mean"], np.mean(rmse), rtol=1e-10)
    assert payload["best"] in ("ols", "ridge", "lasso")


def test_cv_text_and_model_choice(capsys):
    assert main(["cv", MTCARS, "--target", "mpg", "--features", "wt,qsec", "--models", "ols"]) == 0
    out = capsys.readouterr().out
    assert "5-fold cross-validation" in out
    assert "ridge" not in out
    assert main(["cv", MTCARS, "-f", "mpg ~ wt", "--models", "ols,forest"]) == 1
    assert "forest" in capsys.readouterr().err


def test_path_json_and_plot(capsys, tmp_path):
    plot = tmp_path / "path.svg"
    args = ["path", MTCARS, "-f", "mpg ~ wt + hp + qsec", "--n-alphas", "20", "--json"]
    assert main([*args, "--plot", str(plot)]) == 0
    payload = _json(capsys)
    assert payload["penalty"] == "lasso"
    assert payload["alpha_1se"] >= payload["alpha_min"] > 0
    assert len(payload["path"]) == 20
    assert set(payload["path"][0]) >= {"alpha", "n_nonzero", "wt", "hp", "qsec"}
    assert plot.read_text().lstrip().startswith("<?xml")
    assert "<svg" in plot.read_text()
    assert main(["path", MTCARS, "-f", "mpg ~ wt + hp", "--plot", str(tmp_path / "p.gif")]) == 1
    assert ".svg, .png or .pdf" in capsys.readouterr().err


def test_path_ridge_text(capsys):
    args = ["path", MTCARS, "-f", "mpg ~ wt + hp", "--model", "ridge", "--n-alphas", "10"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "ridge path (10 penalties" in out


def test_target_and_features_build_the_formula(capsys):
    assert main(["fit", MTCARS, "--target", "mpg", "--features", "wt,hp", "--json"]) == 0
    payload = _json(capsys)
    ref = smf.ols("mpg ~ wt + hp", data=pd.read_csv(MTCARS)).fit()
    assert payload["formula"] == "mpg ~ wt + hp"
    assert_allclose(payload["coefficients"]["hp"]["coef"], ref.params["hp"], rtol=1e-12)


def test_target_alone_uses_every_other_column(tmp_path, capsys):
    data = tmp_path / "d.csv"
    frame = pd.DataFrame(
        {"y": [1.0, 2.5, 2.9, 4.2, 5.1], "x 1": [1, 2, 3, 4, 5.5], "z": [0, 1, 0, 1, 0]}
    )
    frame.to_csv(data, index=False)
    assert main(["fit", str(data), "--target", "y", "--json"]) == 0
    payload = _json(capsys)
    assert set(payload["coefficients"]) == {"Intercept", "x 1", "z"}
    ref = smf.ols("y ~ Q('x 1') + z", data=frame).fit()
    assert_allclose(payload["coefficients"]["x 1"]["coef"], ref.params["Q('x 1')"], rtol=1e-12)
    assert_allclose(payload["coefficients"]["z"]["coef"], ref.params["z"], rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "mpg", "--features", "wt,nope"], "column 'nope' is not in"),
        (["--target", "nope"], "column 'nope' is not in"),
    ],
)
def test_model_selection_errors_are_one_line(capsys, args, message):
    assert main(["fit", MTCARS, *args]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [(["-f", "mpg ~ wt", "--target", "mpg"], "not both"), ([], "say what to model")],
)
def test_model_specification_is_a_usage_error(capsys, args, message):
    with pytest.raises(SystemExit) as stop:
        main(["cv", MTCARS, *args])
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_reads_csv_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO((DATA_DIR / "mtcars.csv").read_text()))
    assert main(["fit", "-", "-f", "mpg ~ wt", "--json"]) == 0
    ref = smf.ols("mpg ~ wt", data=pd.read_csv(MTCARS)).fit()
    assert_allclose(_json(capsys)["coefficients"]["wt"]["coef"], ref.params["wt"], rtol=1e-12)


def test_output_is_written_atomically_and_inputs_are_protected(tmp_path, capsys):
    out = tmp_path / "cv.json"
    assert main(["cv", MTCARS, "-f", "mpg ~ wt", "--json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["models"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv.json"]  # no temporary left
    copy = tmp_path / "data.csv"
    copy.write_text((DATA_DIR / "mtcars.csv").read_text())
    before = copy.read_text()
    for command in (["cv"], ["path"], ["check"], ["compare"]):
        assert main([*command, str(copy), "-f", "mpg ~ wt", "-o", str(copy)]) == 1
    assert main(["path", str(copy), "-f", "mpg ~ wt", "--plot", str(copy)]) == 1
    assert copy.read_text() == before
    assert main(["cv", MTCARS, "-f", "mpg ~ wt", "-o", str(tmp_path / "no" / "x.txt")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_tables_on_a_terminal(monkeypatch, capsys):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["fit", MTCARS, "-f", "mpg ~ wt + hp"]) == 0
    out = capsys.readouterr().out
    assert "std. error" in out
    assert "Residual standard error" not in out  # the table, not the R layout
    assert main(["fit", MTCARS, "-f", "mpg ~ wt + hp", "--plain"]) == 0
    assert "Residual standard error: 2.593" in capsys.readouterr().out


def _render(renderable) -> str:
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_results_table_shows_the_numbers():
    frame = pd.read_csv(MTCARS)
    res = linmod.ols("mpg ~ wt + hp + I(2 * wt)", data=frame)
    ref = smf.ols("mpg ~ wt + hp", data=frame).fit()
    text = _render(results_tables(res))
    assert f"{ref.params['wt']:.6g}" in text
    assert f"{ref.bse['hp']:.4g}" in text
    low, high = ref.conf_int().loc["hp"]
    assert f"{low:.5g}" in text
    assert f"{high:.5g}" in text
    assert "aliased" in text
    assert f"{ref.rsquared:.5g}" in text


def test_assumption_comparison_and_path_tables():
    frame = pd.read_csv(MTCARS)
    report = linmod.ols("mpg ~ wt + hp", data=frame).check()
    text = _render(assumption_table(report))
    for check in report:
        assert check.title in text
    assert f"Overall: {report.verdict}" in text
    from linmod.model_selection import cross_validate_models, penalty_path

    comparison = cross_validate_models("mpg ~ wt + hp", frame, folds=3)
    text = _render(comparison_table(comparison))
    assert "Lowest held-out RMSE" in text
    assert f"{comparison.to_frame().loc['ols', 'r2_mean']:.4f}" in text
    result = penalty_path("mpg ~ wt + hp + qsec + drat", frame, n_alphas=15, folds=3)
    text = _render(path_table(result))
    assert f"alpha_min = {result.alpha_min:.4g}" in text


@pytest.mark.parametrize("command", ["fit", "check", "cv", "path", "report", "predict"])
def test_every_command_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_report_writes_one_self_contained_file(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", MTCARS, "-f", "mpg ~ . - model", "-o", str(out), "--folds", "3"]) == 0
    page = out.read_text()
    for section in ("overview", "coefficients", "fit", "assumptions", "influence", "cv", "path"):
        assert f'id="{section}"' in page
    assert "https://" not in page
    assert "http://" not in page
    err = capsys.readouterr().err
    assert f"wrote {out}" in err
    # ten collinear predictors on 21-row folds: the Lasso's CV says so, once, in one line
    warnings = [line for line in err.splitlines() if line.startswith("linmod: warning:")]
    assert len(warnings) == 1
    assert "coordinate descent did not reach tol" in warnings[0]
    assert main(["report", MTCARS, "-f", "mpg ~ wt", "-o", str(tmp_path / "r.txt")]) == 1
    assert "report is HTML" in capsys.readouterr().err
    assert main(["report", MTCARS, "-f", "mpg ~ wt", "-o", MTCARS]) == 1
    assert "would overwrite" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_unless_debugging(monkeypatch, capsys):
    import linmod.models.compare

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(linmod.models.compare, "compare_solvers", broken)
    assert main(["compare", MTCARS, "-f", "mpg ~ wt"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "internal error: ZeroDivisionError" in err
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "compare", MTCARS, "-f", "mpg ~ wt"])


def test_user_strings_are_not_rich_markup(tmp_path, monkeypatch, capsys):
    data = tmp_path / "d.csv"
    pd.DataFrame(
        {
            "y": [1.0, 2.5, 2.9, 4.2, 5.1, 6.3],
            "cost [usd]": [1, 2, 3, 4, 5.5, 6],
            "a[/]b": [0, 1, 0, 1, 0, 2],
        }
    ).to_csv(data, index=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["fit", str(data), "--target", "y"]) == 0
    out = capsys.readouterr().out
    assert "cost [usd]" in out
    assert "a[/]b" in out


def test_gradient_descent_fit_shows_its_iterations_unless_quiet(capsys):
    import linmod

    res = linmod.ols("mpg ~ wt + hp", data=pd.read_csv(MTCARS), solver="gd", progress=True)
    assert "iterations [" in capsys.readouterr().err
    ref = smf.ols("mpg ~ wt + hp", data=pd.read_csv(MTCARS)).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-6)
    assert main(["fit", MTCARS, "-f", "mpg ~ wt + hp", "--solver", "gd", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
