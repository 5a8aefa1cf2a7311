"""The ``linmod`` command: argument parsing, I/O and wiring only.

Exit codes: 0 success, 1 an analysis problem (bad data, singular design), 2 usage errors.
Tables are drawn with ``rich`` on a terminal; in pipes and files the plain-text layouts
(R's ``summary.lm`` and friends) are written instead, and ``--json`` gives data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linmod.cli.outputs import check_distinct_outputs, check_output_paths
from linmod.cli.signals import Terminated, interrupted, signals_as_exceptions
from linmod.cli.usage import positive_int, warn_unused_options
from linmod.data.file_reading import read_table
from linmod.data.formula import term_name
from linmod.exceptions import LinmodError
from linmod.files import write_atomically

__all__ = ["main"]

EXAMPLES = """examples:
  linmod demo
  linmod fit data.csv -f "price ~ sqft + C(garage)"
  linmod fit data.csv --target price                 # price ~ every other column
  linmod fit data.csv -f "y ~ x1 + x2" --missing drop --json -o fit.json
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


# ---------------------------------------------------------------------------- input
def _read_table(path: str) -> pd.DataFrame:
    if path == "-":
        return pd.read_csv(sys.stdin)
    file = Path(path)
    if not file.exists():
        raise LinmodError(f"{path}: no such file")
    if file.is_dir():
        raise LinmodError(f"{path}: is a folder; give a CSV, TSV or Parquet file")
    return read_table(file)  # clear errors for empty, cut-short, non-UTF-8, bad Parquet


def _formula(args: argparse.Namespace, columns: Sequence[str] | None) -> str:
    """The formula from ``-f`` or from ``--target``/``--features`` (checked against the data).

    :func:`main` has already made sure exactly one of the two was given.
    """
    if args.formula:
        return str(args.formula)
    features = [f.strip() for f in args.features.split(",")] if args.features else []
    if args.target in features:
        raise LinmodError(
            f"--features lists the target {args.target!r}: the response cannot also be a "
            "predictor; remove it from --features"
        )
    if columns is not None:
        known = list(map(str, columns))
        for name in [args.target, *features]:
            if name not in known:
                raise LinmodError(
                    f"column {name!r} is not in {args.data}; its columns are: {', '.join(known)}"
                )
        if not features:
            features = [name for name in known if name != args.target]
    if not features:
        return f"{term_name(args.target)} ~ ."
    return f"{term_name(args.target)} ~ " + " + ".join(term_name(name) for name in features)


def _frame_and_formula(args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    frame = _read_table(args.data)
    return frame, _formula(args, list(frame.columns))


# --------------------------------------------------------------------------- output
# Output paths are checked before a command starts (linmod.cli.outputs).
def _emit(text: str, output: str | None) -> None:
    if output is None:
        print(text)
    else:
        write_atomically(output, text + "\n")


def _show(
    args: argparse.Namespace,
    *,
    text: Callable[[], str],
    payload: Callable[[], Any] | None = None,
    table: Callable[[], Any] | None = None,
) -> None:
    """JSON with ``--json``; a rich table on a terminal; plain text otherwise."""
    if getattr(args, "json", False) and payload is not None:
        _emit(json.dumps(payload(), indent=2, allow_nan=False), args.output)
    elif (
        table is not None
        and getattr(args, "output", None) is None
        and not getattr(args, "plain", False)
        and sys.stdout.isatty()
    ):
        from rich.console import Console

        Console().print(table())
    else:
        _emit(text(), getattr(args, "output", None))


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            str(key): (_finite(val) if isinstance(val, float | np.floating) else val)
            for key, val in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def _results_dict(res: Any) -> dict[str, Any]:
    table = res.to_frame()
    return {
        "formula": res.design.formula,
        "n_obs": res.n_obs,
        "n_dropped": res.design.n_dropped,
        "df_resid": res.df_resid,
        "coefficients": {
            str(name): {key: _finite(val) for key, val in row.items()}
            for name, row in table.iterrows()
        },
        "sigma": _finite(res.sigma),
        "r_squared": _finite(res.r_squared),
        "adj_r_squared": _finite(res.adj_r_squared),
        "f_statistic": _finite(res.f_statistic),
        "f_p_value": _finite(res.f_p_value),
        "aic": _finite(res.aic),
        "bic": _finite(res.bic),
        "rmse": _finite(res.rmse),
        # A streamed fit knows its MAE only after a second pass.
        "mae": _finite(res.mae)
        if res.has_data or res.totals.abs_residual_sum is not None
        else None,
        "condition_number": _finite(res.condition_number),
        "solver": res.solution.method,
        "aliased": res.dependencies,
        "notes": list(res.solution.notes),
    }


def _progress(args: argparse.Namespace) -> bool | None:
    """Progress bars: off with --quiet, else shown only on a terminal."""
    return False if getattr(args, "quiet", False) else None


# ------------------------------------------------------------------------- commands
#: ``--refine`` choices and the ``refine=`` value each stands for.
_REFINE: dict[str, bool | None] = {"auto": None, "always": True, "never": False}


def _command_fit(args: argparse.Namespace) -> int:
    from linmod.models.ols import ols
    from linmod.report.terminal import results_tables

    if args.dask:
        res = _fit_on_dask(args)
    elif args.chunksize:
        from linmod.models.ols_folded import fit_streaming

        if args.data == "-":
            raise LinmodError("--chunksize streams a file; it cannot read standard input")
        res = fit_streaming(
            _formula(args, None),
            args.data,
            chunksize=args.chunksize,
            missing=args.missing,
            second_pass=args.second_pass,
            progress=_progress(args),
            refine=_REFINE[args.refine],
        )
    else:
        frame, formula = _frame_and_formula(args)
        res = ols(
            formula, data=frame, missing=args.missing, solver=args.solver, progress=_progress(args)
        )
    if args.save:
        res.save(args.save)
    _show(
        args,
        text=res.summary,
        payload=lambda: _results_dict(res),
        table=lambda: results_tables(res),
    )
    return 0


def _fit_on_dask(args: argparse.Namespace) -> Any:
    """Connect to a Dask scheduler and fit there (``--dask tcp://host:8786``)."""
    try:
        import dask.dataframe  # noqa: F401  (dask[dataframe], not dask alone)
        from dask.distributed import Client
    except ImportError as error:
        raise LinmodError("--dask needs dask: pip install 'linmod[dask]'") from error
    from linmod.models.ols_folded import fit_dask_frame
    from linmod.outofcore.dask_sources import read_parquet

    try:
        client = Client(args.dask)
    except OSError as error:
        raise LinmodError(f"--dask {args.dask}: cannot reach the Dask scheduler: {error}") from None
    with client:
        frame = read_parquet(args.data)  # Parquet, CSV or TSV by suffix
        return fit_dask_frame(
            _formula(args, list(frame.columns)),
            frame,
            missing=args.missing,
            second_pass=args.second_pass,
            refine=_REFINE[args.refine],
        )


def _command_check(args: argparse.Namespace) -> int:
    from linmod.models.ols import ols
    from linmod.report.terminal import assumption_table

    frame, formula = _frame_and_formula(args)
    report = ols(formula, data=frame, missing=args.missing).check(alpha=args.alpha)
    _show(
        args,
        text=lambda: str(report),
        payload=report.to_dict,
        table=lambda: assumption_table(report),
    )
    return 0


def _command_cv(args: argparse.Namespace) -> int:
    from linmod.model_selection import cross_validate_models
    from linmod.report.terminal import comparison_table

    frame, formula = _frame_and_formula(args)
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    comparison = cross_validate_models(
        formula,
        frame,
        models=models,
        folds=args.folds,
        seed=args.seed,
        missing=args.missing,
        progress=_progress(args),
    )

    def payload() -> dict[str, Any]:
        return {
            "formula": formula,
            "folds": comparison.n_folds,
            "seed": comparison.seed,
            "n_obs": comparison.n_obs,
            "best": comparison.best,
            "models": _records(comparison.to_frame().reset_index()),
            "per_fold": _records(comparison.folds),
        }

    _show(
        args,
        text=lambda: str(comparison),
        payload=payload,
        table=lambda: comparison_table(comparison),
    )
    return 0


def _command_path(args: argparse.Namespace) -> int:
    from linmod.model_selection import penalty_path
    from linmod.report.terminal import path_table

    frame, formula = _frame_and_formula(args)
    result = penalty_path(
        formula,
        frame,
        penalty=args.model,
        l1_ratio=args.l1_ratio,
        n_alphas=args.n_alphas,
        folds=args.folds,
        seed=args.seed,
        missing=args.missing,
        progress=_progress(args),
    )
    if args.plot:
        _save_path_plot(result, Path(args.plot))

    def payload() -> dict[str, Any]:
        return {
            "formula": formula,
            "penalty": result.penalty,
            "alpha_min": result.alpha_min,
            "alpha_1se": result.alpha_1se,
            "path": _records(result.to_frame()),
        }

    _show(args, text=lambda: str(result), payload=payload, table=lambda: path_table(result))
    return 0


def _save_path_plot(result: Any, target: Path) -> None:
    from linmod.plots._matplotlib import pyplot
    from linmod.plots.regularization import plot_coef_path, plot_cv_curve

    suffix = target.suffix.lower().lstrip(".")  # .svg, .png or .pdf (checked up front)
    plt = pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    marks = {"alpha_min": result.alpha_min, "alpha_1se": result.alpha_1se}
    plot_coef_path(result.path, ax=axes[0], mark=marks)
    plot_cv_curve(result.cv, ax=axes[1])
    figure.tight_layout()
    try:
        write_atomically(target, lambda path: figure.savefig(path, format=suffix))
    finally:
        plt.close(figure)


def _command_report(args: argparse.Namespace) -> int:
    try:
        from linmod.analysis import analyse
        from linmod.report.html import write_report
    except ImportError as error:  # pragma: no cover - the report needs matplotlib
        raise LinmodError(
            f"the report needs matplotlib: pip install 'linmod[plots]' ({error})"
        ) from error

    frame, formula = _frame_and_formula(args)
    analysis = analyse(
        formula, frame, missing=args.missing, folds=args.folds, seed=args.seed, alpha=args.alpha
    )
    path = write_report(analysis, args.output, title=args.title)
    if not args.quiet:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _command_predict(args: argparse.Namespace) -> int:
    from linmod.model_file import load

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
    from linmod.report.terminal import frame_table

    frame, formula = _frame_and_formula(args)
    table = compare_solvers(formula, data=frame)
    _show(
        args,
        text=lambda: table.to_string(float_format=lambda v: f"{v:.3g}"),
        payload=lambda: _records(table.reset_index()),
        table=lambda: frame_table(table, title=f"Every solver on {formula}"),
    )
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
    print("\nNext: linmod check / cv / path / report on your own CSV (linmod --help).")
    return 0


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


def _add_output(parser: argparse.ArgumentParser, *, json_output: bool = True) -> None:
    if json_output:
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument(
            "--plain", action="store_true", help="plain text even on a terminal (no tables)"
        )
    parser.add_argument("-o", "--output", help="write to this file instead of stdout")


def _parser() -> argparse.ArgumentParser:
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
        '  linmod fit big.parquet -f "y ~ ." --chunksize 1000000 --second-pass\n',
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
        choices=list(_REFINE),
        default="auto",
        help="out-of-core fits: read again to refine the coefficients to the float64 limit "
        "(auto: small data, or when the one-pass error could show in printed digits)",
    )
    fit.add_argument("--quiet", action="store_true", help="no progress display")
    fit.add_argument("--save", metavar="MODEL", help="also save the fitted model as JSON")
    fit.set_defaults(handler=_command_fit)

    check = _subcommand(
        commands,
        "check",
        "fit OLS and check the five assumptions (verdicts and remedies)",
        '  linmod check data.csv -f "y ~ x1 + C(group)"\n'
        "  linmod check data.csv --target y --json\n",
    )
    _add_data(check)
    check.add_argument("--alpha", type=float, default=0.05, help="significance level")
    _add_output(check)
    check.set_defaults(handler=_command_check)

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
    cv.set_defaults(handler=_command_cv)

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
    path.set_defaults(handler=_command_path)

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
    report.add_argument("--quiet", action="store_true", help="say nothing on success")
    report.set_defaults(handler=_command_report)

    predict = _subcommand(
        commands,
        "predict",
        "predict new data with a saved model",
        "  linmod predict model.json new.csv --interval prediction -o predictions.csv\n",
    )
    predict.add_argument("model", help="model file written by results.save() or fit --save")
    _add_data(predict, model=False)
    predict.add_argument("--interval", choices=["confidence", "prediction"])
    predict.add_argument("--level", type=float, default=0.95)
    _add_output(predict, json_output=False)
    predict.set_defaults(handler=_command_predict)

    compare = _subcommand(
        commands,
        "compare",
        "fit one model with every solver: accuracy, time, iterations",
        '  linmod compare data.csv -f "y ~ x1 + x2"\n',
    )
    _add_data(compare)
    _add_output(compare)
    compare.set_defaults(handler=_command_compare)

    datasets = _subcommand(
        commands, "datasets", "list the bundled data sets", "  linmod datasets\n"
    )
    datasets.set_defaults(handler=_command_datasets)
    demo = _subcommand(commands, "demo", "fit the lessons' house-price data", "  linmod demo\n")
    demo.set_defaults(handler=_command_demo)
    return parser


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Each distinct warning once, on one line of standard error."""
    seen: set[str] = set()
    for record in caught:
        if issubclass(record.category, DeprecationWarning):
            continue  # library chatter, not about the user's analysis
        message = " ".join(str(record.message).split())
        if message not in seen:
            seen.add(message)
            print(f"linmod: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if hasattr(args, "formula"):
        if args.formula and (args.target or args.features):
            parser.error("give either -f/--formula or --target/--features, not both")
        if not args.formula and not args.target:
            parser.error('say what to model: -f "y ~ x1 + x2" or --target y [--features x1,x2]')
    check_distinct_outputs(parser, args)
    with warnings.catch_warnings(record=True) as caught, signals_as_exceptions():
        warnings.simplefilter("always")
        try:
            check_output_paths(args)  # before any work: a typo in -o must not cost a fit
            warn_unused_options(args)
            return int(args.handler(args))
        except (KeyboardInterrupt, Terminated) as stop:  # Ctrl-C, kill, a closed terminal
            if args.debug:
                raise
            return interrupted(stop)
        except BrokenPipeError:  # e.g. `linmod demo | head`: the reader left; say nothing
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        except (
            LinmodError,
            OSError,
            pd.errors.ParserError,
            pd.errors.EmptyDataError,
            UnicodeDecodeError,
        ) as error:
            if args.debug:
                raise
            message = " ".join(str(error).split())
            print(f"linmod: error: {message}", file=sys.stderr)
            return 1
        except Exception as error:  # a bug, not the user's data: still one line by default
            if args.debug:
                raise
            message = " ".join(str(error).split())
            print(
                f"linmod: internal error: {type(error).__name__}: {message} (run with --debug "
                "for the traceback, and please report it)",
                file=sys.stderr,
            )
            return 1
        finally:  # what was warned before a failure often explains it
            _print_warnings(caught)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
