"""The ``linmod`` commands: each takes the parsed arguments and returns the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from linmod.cli.advice import to_cli, translate_report
from linmod.cli.bootstrap_option import bootstrap_of, with_bootstrap
from linmod.cli.cluster_options import (
    check_cluster_columns,
    check_cluster_flags,
    cluster_robust,
    drop_unclustered_rows,
)
from linmod.cli.io import (
    apply_design_bound,
    emit,
    formula_of,
    frame_and_formula,
    progress_of,
    read_input,
    read_options_of,
    records,
    results_dict,
    show,
)
from linmod.exceptions import InputError, LinmodError
from linmod.files import write_atomically

__all__ = [
    "REFINE",
    "command_check",
    "command_compare",
    "command_cv",
    "command_datasets",
    "command_demo",
    "command_fit",
    "command_path",
    "command_predict",
    "command_report",
]


# ------------------------------------------------------------------------- commands
#: ``--refine`` choices and the ``refine=`` value each stands for.
REFINE: dict[str, bool | None] = {"auto": None, "always": True, "never": False}


def command_fit(args: argparse.Namespace) -> int:
    from linmod.models.multi_ols import single_response
    from linmod.models.ols import ols

    if args.loss != "squared":
        from linmod.cli.losses import fit_other_loss

        return fit_other_loss(args)
    if args.q is not None:
        raise InputError(f"--q {args.q:g} is the level of --loss quantile: add --loss quantile")
    if args.id is not None and (args.dask or args.chunksize):
        raise LinmodError(
            "--id labels the rows of a fit in memory; --chunksize and --dask fits keep no "
            "row labels: drop --id (or --chunksize/--dask)"
        )
    check_cluster_flags(args)
    if args.weights is None and args.weights_type != "precision":
        raise LinmodError(f"--weights-type {args.weights_type} needs --weights COLUMN")
    if args.dask:
        res = _fit_on_dask(args)
    elif args.chunksize:
        from linmod.models.ols_folded import fit_streaming

        if args.data == "-":
            raise LinmodError("--chunksize streams a file; it cannot read standard input")
        apply_design_bound(args)
        res = _weighted(args, fit_streaming)(
            formula_of(args, None),
            args.data,
            chunksize=args.chunksize,
            missing=args.missing,
            second_pass=args.second_pass,
            hac_lags=args.hac_lags,
            progress=progress_of(args),
            refine=REFINE[args.refine],
            read_options=read_options_of(args),
        )
    else:
        frame, formula = frame_and_formula(args)
        check_cluster_columns(args, frame)
        frame = drop_unclustered_rows(args, frame, formula)
        res = ols(
            formula,
            data=frame,
            missing=args.missing,
            solver=args.solver,
            progress=progress_of(args),
            weights=args.weights,
            weights_type=args.weights_type,
        )
        res = single_response(res, "linmod fit")  # several responses: one at a time
    if args.cluster:
        res = cluster_robust(res, args)
    elif args.robust:
        res = res.robust(args.robust, lags=args.hac_lags)
    elif args.hac_lags is not None:
        raise InputError(f"--hac-lags {args.hac_lags} is the lag of --robust HAC: add --robust HAC")
    boot = bootstrap_of(args, res)
    if args.save:
        res.save(args.save)
    show(
        args,
        text=lambda: with_bootstrap(res.summary(), {}, boot)[0],
        payload=lambda: with_bootstrap("", results_dict(res), boot)[1],
        table=None if boot is not None else lambda: _results_tables(res),
    )
    return 0


def _results_tables(res: Any) -> Any:
    """The terminal's tables (rich is imported only when a terminal shows them)."""
    from linmod.report.terminal import results_tables

    return results_tables(res)


def _weighted(args: argparse.Namespace, fit: Any) -> Any:
    """The streamed or Dask OLS ``fit``, weighted by ``--weights`` (``--weights-type``)."""
    if args.weights is None:
        return fit
    from linmod.data.chunk_weights import StreamWeights

    weights = StreamWeights.of(args.weights, args.weights_type)
    return lambda formula, data, **options: fit(formula, data, weights=weights, **options)


def _fit_on_dask(args: argparse.Namespace) -> Any:
    """Connect to a Dask scheduler and fit there (``--dask tcp://host:8786``)."""
    try:
        import dask.dataframe  # noqa: F401  (dask[dataframe], not dask alone)
        from dask.distributed import Client
    except ImportError as error:
        raise LinmodError("--dask needs dask: pip install 'linmod[dask]'") from error
    from linmod.models.ols_folded import fit_dask_frame

    if read_options_of(args):
        raise LinmodError(
            "--sep, --thousands, --decimal and --na-values are not available with --dask"
        )
    from linmod.outofcore.dask_sources import read_parquet

    try:
        client = Client(args.dask)
    except OSError as error:
        raise LinmodError(f"--dask {args.dask}: cannot reach the Dask scheduler: {error}") from None
    with client:
        frame = read_parquet(args.data)  # Parquet, CSV or TSV by suffix
        return _weighted(args, fit_dask_frame)(
            formula_of(args, list(frame.columns)),
            frame,
            missing=args.missing,
            second_pass=args.second_pass,
            refine=REFINE[args.refine],
        )


def _check_order_column(args: argparse.Namespace, frame: Any) -> None:
    """``--order-by`` must name a column of the file."""
    if args.order_by is not None and args.order_by not in map(str, frame.columns):
        raise InputError(
            f"--order-by {args.order_by}: no such column in {args.data}; its columns are: "
            + ", ".join(map(str, frame.columns))
        )


def command_check(args: argparse.Namespace) -> int:
    from linmod.models.multi_ols import single_response
    from linmod.models.ols import ols
    from linmod.report.terminal import assumption_table

    frame, formula = frame_and_formula(args)
    _check_order_column(args, frame)
    res = single_response(
        ols(formula, data=frame, missing=args.missing, **weighting_of(args)), "linmod check"
    )
    report = translate_report(res.check(alpha=args.alpha, order_by=args.order_by))
    show(
        args,
        text=lambda: str(report),
        payload=report.to_dict,
        table=lambda: assumption_table(report),
    )
    return 0


def command_cv(args: argparse.Namespace) -> int:
    from linmod.model_selection import cross_validate_models
    from linmod.report.terminal import comparison_table

    frame, formula = frame_and_formula(args)
    models = [name.strip() for name in args.models.split(",") if name.strip()]
    comparison = cross_validate_models(
        formula,
        frame,
        models=models,
        folds=args.folds,
        seed=args.seed,
        missing=args.missing,
        progress=progress_of(args),
        **weighting_of(args),
    )

    def payload() -> dict[str, Any]:
        return {
            "formula": formula,
            "folds": comparison.n_folds,
            "seed": comparison.seed,
            "n_obs": comparison.n_obs,
            "best": comparison.best,
            "models": records(comparison.to_frame().reset_index()),
            "per_fold": records(comparison.folds),
        }

    show(
        args,
        text=lambda: str(comparison),
        payload=payload,
        table=lambda: comparison_table(comparison),
    )
    return 0


def command_path(args: argparse.Namespace) -> int:
    from linmod.model_selection import penalty_path
    from linmod.report.terminal import path_table

    frame, formula = frame_and_formula(args)
    result = penalty_path(
        formula,
        frame,
        penalty=args.model,
        l1_ratio=args.l1_ratio,
        n_alphas=args.n_alphas,
        folds=args.folds,
        seed=args.seed,
        missing=args.missing,
        progress=progress_of(args),
        **weighting_of(args),
    )
    if args.plot:
        _save_path_plot(result, Path(args.plot))

    def payload() -> dict[str, Any]:
        return {
            "formula": formula,
            "penalty": result.penalty,
            "alpha_min": result.alpha_min,
            "alpha_1se": result.alpha_1se,
            "path": records(result.to_frame()),
        }

    show(args, text=lambda: str(result), payload=payload, table=lambda: path_table(result))
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


def command_report(args: argparse.Namespace) -> int:
    try:
        from linmod.analysis import analyse
        from linmod.report.html import write_report
    except ImportError as error:  # pragma: no cover - the report needs matplotlib
        raise LinmodError(
            f"the report needs matplotlib: pip install 'linmod[plots]' ({error})"
        ) from error

    frame, formula = frame_and_formula(args)
    _check_order_column(args, frame)
    analysis = analyse(
        formula,
        frame,
        missing=args.missing,
        folds=args.folds,
        seed=args.seed,
        alpha=args.alpha,
        order_by=args.order_by,
        **weighting_of(args),
    )
    path = write_report(analysis, args.output, title=args.title, advice=to_cli)
    if not args.quiet:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def command_predict(args: argparse.Namespace) -> int:
    from linmod.data.row_names import is_default_index, set_id_column, shown_labels
    from linmod.model_file import load

    model = load(args.model)
    frame = read_input(args.data, args)
    if args.id is not None:
        frame = set_id_column(frame, args.id)
    table = model.predict(frame, interval=args.interval, level=args.level)
    if table["fit"].isna().any():  # blank cells in a file are easy to miss: say why
        from linmod.inference.estimability import warn_unpredicted

        x, incomplete, index = model._design(frame)
        warn_unpredicted(x, incomplete, index, list(model.terms))
    # Rows are numbered from 1 as in every message (or labelled by --id).
    table.index = shown_labels(table.index, is_default_index(frame.index))
    emit(table.to_csv(index_label=args.id or "row").rstrip("\n"), args.output)
    return 0


def command_datasets(args: argparse.Namespace) -> int:
    from linmod.datasets import SHIPPED

    lines = ["Lessons' data (generated): house_prices_simple, house_prices, diabetes", ""]
    lines.append("Real data shipped with linmod:")
    for name, (description, source, licence) in SHIPPED.items():
        lines.append(f"  {name:8s} {description}\n           source: {source}; licence: {licence}")
    emit("\n".join(lines), None)
    return 0


def command_compare(args: argparse.Namespace) -> int:
    from linmod.models.compare import compare_solvers
    from linmod.report.terminal import frame_table

    frame, formula = frame_and_formula(args)
    table = compare_solvers(formula, data=frame, missing=args.missing)
    show(
        args,
        text=lambda: table.to_string(float_format=lambda v: f"{v:.3g}"),
        payload=lambda: records(table.reset_index()),
        table=lambda: frame_table(table, title=f"Every solver on {formula}"),
    )
    return 0


def command_demo(args: argparse.Namespace) -> int:
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


def weighting_of(args: argparse.Namespace) -> dict[str, Any]:
    """``weights=`` and ``weights_type=`` from ``--weights`` and ``--weights-type``."""
    if args.weights is None and args.weights_type != "precision":
        raise LinmodError(f"--weights-type {args.weights_type} needs --weights COLUMN")
    return {"weights": args.weights, "weights_type": args.weights_type}
