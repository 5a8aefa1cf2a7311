"""The ``linmod`` argument parser: commands, options, help and examples."""

from __future__ import annotations

import argparse
from typing import Any

from linmod._version import __version__
from linmod.cli.bootstrap_option import add_bootstrap_options
from linmod.cli.commands import (
    REFINE,
    command_check,
    command_compare,
    command_cv,
    command_datasets,
    command_demo,
    command_fit,
    command_path,
    command_predict,
    command_report,
)
from linmod.cli.losses import add_loss_options
from linmod.cli.usage import non_negative_int, positive_int

__all__ = [
    "EXAMPLES",
    "ROBUST",
    "build_parser",
]


EXAMPLES = """examples:
  linmod demo
  linmod fit data.csv -f "price ~ sqft + C(garage)"
  linmod fit data.csv --target price                 # price ~ every other column
  linmod fit data.csv -f "y ~ x1 + x2" --missing drop --json -o fit.json
  linmod fit data.csv -f "y ~ x1 + x2" --robust HC3
  cat data.csv | linmod fit - -f "y ~ x1 + x2"
  linmod check data.csv -f "y ~ x1 + x2"
  linmod cv data.csv -f "y ~ ." --folds 5
  linmod path data.csv -f "y ~ ." --model lasso --plot path.svg
  linmod report data.csv -f "y ~ ." -o report.html
  linmod fit data.csv -f "y ~ x1" --save model.json && linmod predict model.json new.csv
  linmod compare data.csv -f "y ~ x1 + x2"
  linmod fit big.parquet -f "y ~ ." --chunksize 1000000 --second-pass
  linmod fit big.parquet -f "y ~ x1 + x2" --dask tcp://scheduler:8786
"""


# --------------------------------------------------------------------------- parser
def _subcommand(commands: Any, name: str, help_text: str, examples: str) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog="examples:\n" + examples,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _add_data(parser: argparse.ArgumentParser, *, model: bool = True) -> None:
    parser.add_argument("data", help="CSV, TSV or Parquet file ('-' reads CSV from stdin)")
    # Reading messy CSV files (issue 13): read options and the design-size bound.
    parser.add_argument(
        "--sep",
        metavar="CHAR",
        help="field separator, e.g. ';' or tab (default: tab for .tsv, else ,)",
    )
    parser.add_argument(
        "--thousands", metavar="CHAR", help="thousands separator in numbers, e.g. , for 43,609"
    )
    parser.add_argument("--decimal", metavar="CHAR", help="decimal mark, e.g. , for 3,14")
    parser.add_argument(
        "--na-values",
        metavar="LIST",
        action="append",
        help="comma-separated strings read as missing, e.g. NA,-,n/a (empty cells and NA are); "
        "may be repeated",
    )
    if model:
        parser.add_argument(
            "--max-design-gb",
            type=float,
            metavar="GB",
            help="refuse designs larger than this many GB before building them (default 2)",
        )
    if model:
        parser.add_argument(
            "-f", "--formula", help='e.g. "y ~ x1 + C(group)"; "y ~ ." uses every other column'
        )
        parser.add_argument("--target", help="the response column (instead of -f)")
        parser.add_argument(
            "--features",
            help="comma-separated predictor columns (default with --target: all others)",
        )
        parser.add_argument(
            "--missing",
            choices=["raise", "drop"],
            default="raise",
            help="rows with missing values: stop with an error (default) or drop them",
        )
        parser.add_argument(
            "--id",
            metavar="COLUMN",
            help="label rows by this column (not a predictor) in messages, tables and plots; "
            "without it rows are numbered from 1",
        )


def _add_output(parser: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    if json_output:
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--plain", action="store_true", help="plain text even on a terminal (no tables)"
        )
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linmod",
        description="Linear regression at the float64 limit, with R-grade inference.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fit = _subcommand(
        commands,
        "fit",
        "fit OLS and print the coefficients, standard errors and fit statistics",
        '  linmod fit data.csv -f "price ~ sqft + C(garage)"\n'
        "  linmod fit data.csv --target price --features sqft,age --json\n"
        '  linmod fit big.parquet -f "y ~ ." --chunksize 1000000 --second-pass\n'
        '  linmod fit data.csv -f "y ~ x1 + x2" --robust HC3\n'
        '  linmod fit data.csv -f "y ~ x1 + x2" --loss quantile --q 0.9\n'
        '  linmod fit panel.csv -f "y ~ x" --cluster firm --cluster year\n',
    )
    _add_data(fit)
    fit.add_argument(
        "--solver",
        default="auto",
        choices=["auto", "qr", "cholesky", "svd", "normal", "simple", "gd"],
    )
    _add_output(fit)
    fit.add_argument("--chunksize", type=positive_int, help="stream the file in chunks of N rows")
    fit.add_argument(
        "--dask", metavar="ADDRESS", help="fit on a Dask cluster, e.g. tcp://host:8786"
    )
    fit.add_argument(
        "--second-pass",
        action="store_true",
        help="out-of-core fits: read again for robust errors and diagnostics",
    )
    fit.add_argument(
        "--refine",
        choices=list(REFINE),
        default="auto",
        help="out-of-core fits: read again to refine the coefficients to the float64 limit "
        "(auto: small data, or when the one-pass error could show in printed digits)",
    )
    fit.add_argument("--quiet", action="store_true", help="no progress display")
    fit.add_argument("--save", metavar="MODEL", help="also save the fitted model as JSON")
    add_loss_options(fit)
    fit.set_defaults(handler=command_fit)

    check = _subcommand(
        commands,
        "check",
        "fit OLS and check the five assumptions (verdicts and remedies)",
        '  linmod check data.csv -f "y ~ x1 + C(group)"\n'
        "  linmod check data.csv --target y --json\n"
        '  linmod check sales.csv -f "sales ~ price" --order-by week\n',
    )
    _add_data(check)
    check.add_argument("--alpha", type=float, default=0.05, help="significance level")
    _add_output(check)
    _add_weight_options(check)
    check.set_defaults(handler=command_check)

    cv = _subcommand(
        commands,
        "cv",
        "compare OLS, Ridge and Lasso by k-fold cross-validation (R², RMSE, MAE)",
        '  linmod cv data.csv -f "price ~ ." --folds 5 --seed 1\n'
        "  linmod cv data.csv --target price --models ols,ridge,lasso,elastic_net --json\n",
    )
    _add_data(cv)
    cv.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    cv.add_argument("--seed", type=int, default=0, help="seed of the fold assignment")
    cv.add_argument(
        "--models",
        default="ols,ridge,lasso",
        help="comma-separated: ols, ridge, lasso, elastic_net (default ols,ridge,lasso)",
    )
    cv.add_argument("--quiet", action="store_true", help="no progress display")
    _add_output(cv)
    _add_weight_options(cv)
    cv.set_defaults(handler=command_cv)

    path = _subcommand(
        commands,
        "path",
        "compute a regularization path and choose the penalty by cross-validation",
        '  linmod path data.csv -f "price ~ ." --model lasso --plot path.svg\n'
        '  linmod path data.csv -f "price ~ ." --model elastic_net --l1-ratio 0.7 --json\n',
    )
    _add_data(path)
    path.add_argument("--model", choices=["lasso", "ridge", "elastic_net"], default="lasso")
    path.add_argument("--l1-ratio", type=float, default=0.5, help="elastic net mixing value")
    path.add_argument("--n-alphas", type=int, default=100, help="penalties on the grid")
    path.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    path.add_argument("--seed", type=int, default=0, help="seed of the fold assignment")
    path.add_argument("--plot", metavar="FILE", help="save the path and CV curve (.svg/.png/.pdf)")
    path.add_argument("--quiet", action="store_true", help="no progress display")
    _add_output(path)
    _add_weight_options(path)
    path.set_defaults(handler=command_path)

    report = _subcommand(
        commands,
        "report",
        "write a self-contained HTML report (fit, assumptions, influence, CV, path)",
        '  linmod report data.csv -f "price ~ ." -o report.html\n'
        '  linmod report data.csv --target price -o report.html --title "House prices"\n',
    )
    _add_data(report)
    report.add_argument("-o", "--output", required=True, help="the HTML file to write")
    report.add_argument("--title", help="title of the report")
    report.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    report.add_argument("--seed", type=int, default=0, help="seed of the fold assignment")
    report.add_argument("--alpha", type=float, default=0.05, help="significance level")
    report.add_argument(
        "--order-by",
        metavar="COLUMN",
        help="order the rows by this column (e.g. time) for the independence tests and the "
        "autocorrelation plot (default: file order)",
    )
    report.add_argument("--quiet", action="store_true", help="say nothing on success")
    _add_weight_options(report)
    report.set_defaults(handler=command_report)

    predict = _subcommand(
        commands,
        "predict",
        "predict new data with a saved model",
        "  linmod predict model.json new.csv --interval prediction -o predictions.csv\n",
    )
    predict.add_argument("model", help="model file written by results.save() or fit --save")
    _add_data(predict, model=False)
    predict.add_argument(
        "--id",
        metavar="COLUMN",
        help="label the predictions by this column (default: rows numbered from 1)",
    )
    predict.add_argument("--interval", choices=["confidence", "prediction"])
    predict.add_argument("--level", type=float, default=0.95)
    _add_output(predict, json_output=False)
    predict.set_defaults(handler=command_predict)

    compare = _subcommand(
        commands,
        "compare",
        "fit one model with every solver: accuracy, time, iterations",
        '  linmod compare data.csv -f "y ~ x1 + x2"\n',
    )
    _add_data(compare)
    _add_output(compare)
    compare.set_defaults(handler=command_compare)

    datasets = _subcommand(
        commands, "datasets", "list the bundled data sets", "  linmod datasets\n"
    )
    datasets.set_defaults(handler=command_datasets)
    demo = _subcommand(commands, "demo", "fit the lessons' house-price data", "  linmod demo\n")
    demo.set_defaults(handler=command_demo)
    _add_interface_options(parser, fit, check)
    _add_weight_options(fit)
    add_bootstrap_options(fit)
    return parser


# ------------------------------------------ version, robust errors, ordered checks
#: ``--robust`` choices: the covariances of ``OLSResults.robust``.
ROBUST = ("HC0", "HC1", "HC2", "HC3", "HC4", "HC5", "HAC", "cluster")
#: ``--cluster-type`` choices: the small-sample adjustments of a cluster-robust covariance.
CLUSTER_TYPES = ("CR0", "CR1", "CR2", "CR3")


def _add_interface_options(
    parser: argparse.ArgumentParser,
    fit: argparse.ArgumentParser,
    check: argparse.ArgumentParser,
) -> None:
    """``--version``, and the flags the remedies of ``linmod check`` point to."""
    parser.add_argument("--version", action="version", version=f"linmod {__version__}")
    fit.add_argument(
        "--robust",
        choices=ROBUST,
        metavar="{HC0,HC1,HC2,HC3,HC4,HC5,HAC,cluster}",
        help="robust standard errors: HC3 for heteroskedasticity (what linmod check "
        "suggests), HAC (Newey-West) for autocorrelation, cluster (with --cluster) for "
        "errors correlated within groups; streamed fits need --second-pass",
    )
    fit.add_argument(
        "--cluster",
        action="append",
        metavar="COLUMN",
        help="cluster-robust standard errors by this column (implies --robust cluster); "
        "twice for two-way clustering, e.g. --cluster firm --cluster year",
    )
    fit.add_argument(
        "--cluster-type",
        choices=CLUSTER_TYPES,
        help="small-sample adjustment of --cluster: CR1 (default, as R's sandwich::vcovCL), "
        "CR0 (none), CR2 (Bell-McCaffrey), CR3 (jackknife)",
    )
    fit.add_argument(
        "--hac-lags",
        type=non_negative_int,
        metavar="N",
        help="truncation lag of --robust HAC (default floor(4 (n/100)^(2/9)))",
    )
    check.add_argument(
        "--order-by",
        metavar="COLUMN",
        help="test independence (Durbin-Watson, Breusch-Godfrey) with the rows ordered "
        "by this column, e.g. time (default: file order)",
    )


def _add_weight_options(fit: argparse.ArgumentParser) -> None:
    """``--weights COLUMN`` and ``--weights-type`` (see :func:`linmod.ols`)."""
    fit.add_argument(
        "--weights",
        metavar="COLUMN",
        help="observation weights from this column (not a predictor); zero drops a row",
    )
    fit.add_argument(
        "--weights-type",
        choices=["precision", "frequency", "sampling"],
        default="precision",
        help="what the weights mean: precision (1/variance, as R's lm; default), frequency "
        "(each row counts w times) or sampling (inverse-probability; robust HC1 errors)",
    )
