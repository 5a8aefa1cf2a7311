"""The ``linmod`` command: argument parsing, I/O and wiring only.

Exit codes: 0 success, 1 an analysis problem (bad data, singular design), 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linmod.exceptions import LinmodError

__all__ = ["main"]

EXAMPLES = """examples:
  linmod demo
  linmod fit data.csv -f "price ~ sqft + C(garage)"
  linmod fit data.csv -f "y ~ x1 + x2" --missing drop --json
  linmod compare data.csv -f "y ~ x1 + x2"
  linmod check data.csv -f "y ~ x1 + x2"
  linmod fit big.parquet -f "y ~ ." --chunksize 1000000 --second-pass
  linmod fit big.parquet -f "y ~ x1 + x2" --dask tcp://scheduler:8786
"""


def _read_table(path: str) -> pd.DataFrame:
    if path == "-":
        return pd.read_csv(sys.stdin)
    file = Path(path)
    if not file.exists():
        raise LinmodError(f"{path}: no such file")
    suffix = file.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(file)
    separator = "\t" if suffix in (".tsv", ".tab") else ","
    return pd.read_csv(file, sep=separator)


def _results_dict(res: Any) -> dict[str, Any]:
    def clean(value: float) -> float | None:
        return None if value is None or not np.isfinite(value) else float(value)

    table = res.to_frame()
    return {
        "formula": res.design.formula,
        "n_obs": res.n_obs,
        "n_dropped": res.design.n_dropped,
        "df_resid": res.df_resid,
        "coefficients": {
            str(name): {key: clean(val) for key, val in row.items()}
            for name, row in table.iterrows()
        },
        "sigma": clean(res.sigma),
        "r_squared": clean(res.r_squared),
        "adj_r_squared": clean(res.adj_r_squared),
        "f_statistic": clean(res.f_statistic),
        "f_p_value": clean(res.f_p_value),
        "aic": clean(res.aic),
        "bic": clean(res.bic),
        "rmse": clean(res.rmse),
        "mae": clean(res.mae),
        "condition_number": clean(res.condition_number),
        "solver": res.solution.method,
        "aliased": res.dependencies,
    }


def _emit(text: str, output: str | None) -> None:
    if output is None:
        print(text)
        return
    target = Path(output)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text + "\n", encoding="utf-8")
    temporary.replace(target)


def _command_fit(args: argparse.Namespace) -> int:
    from linmod.models.ols import ols

    if args.output and Path(args.output).resolve() == Path(args.data).resolve():
        raise LinmodError(f"--output {args.output} would overwrite the input file")
    if args.dask:
        res = _fit_on_dask(args)
    elif args.chunksize:
        from linmod.models.streaming import fit_streaming

        res = fit_streaming(
            args.formula,
            args.data,
            chunksize=args.chunksize,
            missing=args.missing,
            second_pass=args.second_pass,
            progress=False if args.quiet else None,
        )
    else:
        frame = _read_table(args.data)
        res = ols(args.formula, data=frame, missing=args.missing, solver=args.solver)
    if args.save:
        res.save(args.save)
    if args.json:
        _emit(json.dumps(_results_dict(res), indent=2), args.output)
    else:
        _emit(res.summary(), args.output)
    return 0


def _fit_on_dask(args: argparse.Namespace) -> Any:
    """Connect to a Dask scheduler and fit there (``--dask tcp://host:8786``)."""
    try:
        import dask.dataframe as dd
        from dask.distributed import Client
    except ImportError as error:
        raise LinmodError("--dask needs dask: pip install 'linmod[dask]'") from error
    from linmod.models.dask_fit import fit_dask_frame

    suffix = Path(args.data).suffix.lower()
    reader = dd.read_parquet if suffix in (".parquet", ".pq", "") else dd.read_csv
    with Client(args.dask):
        frame = reader(args.data)
        return fit_dask_frame(
            args.formula, frame, missing=args.missing, second_pass=args.second_pass
        )


def _command_check(args: argparse.Namespace) -> int:
    from linmod.models.ols import ols

    res = ols(args.formula, data=_read_table(args.data), missing=args.missing)
    report = res.check(alpha=args.alpha)
    _emit(report.to_json(indent=2) if args.json else str(report), args.output)
    return 0


def _command_predict(args: argparse.Namespace) -> int:
    from linmod.model_file import load

    for name in (args.model, args.data):
        if args.output and Path(args.output).resolve() == Path(name).resolve():
            raise LinmodError(f"--output {args.output} would overwrite the input file {name}")
    model = load(args.model)
    table = model.predict(_read_table(args.data), interval=args.interval, level=args.level)
    _emit(table.to_csv(index_label="row").rstrip("\n"), args.output)
    return 0


def _command_datasets(args: argparse.Namespace) -> int:
    from linmod.datasets import SHIPPED

    lines = ["Lessons' data (generated): house_prices_simple, house_prices, diabetes", ""]
    lines.append("Real data shipped with linmod:")
    for name, (description, source, licence) in SHIPPED.items():
        lines.append(f"  {name:8s} {description}\n           source: {source}; licence: {licence}")
    _emit("\n".join(lines), None)
    return 0


def _command_compare(args: argparse.Namespace) -> int:
    from linmod.models.compare import compare_solvers

    table = compare_solvers(args.formula, data=_read_table(args.data))
    if args.json:
        _emit(table.reset_index().to_json(orient="records", indent=2), args.output)
    else:
        _emit(table.to_string(float_format=lambda v: f"{v:.3g}"), args.output)
    return 0


def _command_demo(args: argparse.Namespace) -> int:
    from linmod.datasets import house_prices, house_prices_simple
    from linmod.models.ols import ols

    print("linmod demo: the lessons' house-price data\n")
    print("1) Simple regression: price ($10k) on size (1000 sqft), 100 seeded points")
    simple = ols("price ~ size", data=house_prices_simple())
    print(f"   Intercept: {simple.coef['Intercept']:.2f}, Slope: {simple.coef['size']:.2f}\n")
    print(simple.summary())
    print("\n2) Multiple regression on the five-feature data (500 seeded houses)\n")
    full = ols("price ~ square_feet + bedrooms + bathrooms + age + C(garage)", data=house_prices())
    print(full.summary())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="linmod",
        description="Linear regression at the float64 limit, with R-grade inference.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", required=True)
    fit = commands.add_parser(
        "fit",
        help="fit OLS and print the summary",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fit.add_argument("data", help="CSV, TSV or Parquet file ('-' reads CSV from stdin)")
    fit.add_argument("-f", "--formula", required=True, help='e.g. "y ~ x1 + C(group)"')
    fit.add_argument("--missing", choices=["raise", "drop"], default="raise")
    fit.add_argument(
        "--solver", default="auto", choices=["auto", "qr", "cholesky", "svd", "normal", "simple"]
    )
    fit.add_argument("--json", action="store_true", help="machine-readable output")
    fit.add_argument("-o", "--output", help="write to this file instead of stdout")
    fit.add_argument("--chunksize", type=int, help="stream the file in chunks of N rows")
    fit.add_argument(
        "--dask", metavar="ADDRESS", help="fit on a Dask cluster, e.g. tcp://host:8786"
    )
    fit.add_argument(
        "--second-pass",
        action="store_true",
        help="out-of-core fits: read again for robust errors and diagnostics",
    )
    fit.add_argument("--quiet", action="store_true", help="no progress display")
    fit.add_argument("--save", metavar="MODEL", help="also save the fitted model as JSON")
    fit.set_defaults(handler=_command_fit)
    compare = commands.add_parser(
        "compare", help="fit one model with every solver: accuracy, time, iterations"
    )
    compare.add_argument("data", help="CSV, TSV or Parquet file ('-' reads CSV from stdin)")
    compare.add_argument("-f", "--formula", required=True, help='e.g. "y ~ x1 + x2"')
    compare.add_argument("--json", action="store_true", help="machine-readable output")
    compare.add_argument("-o", "--output", help="write to this file instead of stdout")
    compare.set_defaults(handler=_command_compare)
    check = commands.add_parser(
        "check", help="fit OLS and check the five assumptions (verdicts and remedies)"
    )
    check.add_argument("data", help="CSV, TSV or Parquet file ('-' reads CSV from stdin)")
    check.add_argument("-f", "--formula", required=True, help='e.g. "y ~ x1 + C(group)"')
    check.add_argument("--missing", choices=["raise", "drop"], default="raise")
    check.add_argument("--alpha", type=float, default=0.05, help="significance level")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("-o", "--output", help="write to this file instead of stdout")
    check.set_defaults(handler=_command_check)
    predict = commands.add_parser("predict", help="predict new data with a saved model")
    predict.add_argument("model", help="model file written by results.save()")
    predict.add_argument("data", help="CSV, TSV or Parquet file with the model's columns")
    predict.add_argument("--interval", choices=["confidence", "prediction"])
    predict.add_argument("--level", type=float, default=0.95)
    predict.add_argument("-o", "--output", help="write CSV to this file instead of stdout")
    predict.set_defaults(handler=_command_predict)
    datasets = commands.add_parser("datasets", help="list the bundled data sets")
    datasets.set_defaults(handler=_command_datasets)
    demo = commands.add_parser("demo", help="fit the lessons' house-price data")
    demo.set_defaults(handler=_command_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # e.g. `linmod demo | head`: the reader left; say nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except (LinmodError, OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        if args.debug:
            raise
        print(f"linmod: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
