"""The command line's input and output: reading the data file, the formula from
``--target``/``--features``, and writing text, tables or JSON to standard output or ``-o``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.file_reading import check_read_options, read_bytes, read_table
from linmod.data.formula import term_name
from linmod.exceptions import LinmodError
from linmod.files import write_atomically

__all__ = [
    "apply_design_bound",
    "emit",
    "formula_of",
    "frame_and_formula",
    "progress_of",
    "read_input",
    "read_options_of",
    "records",
    "results_dict",
    "show",
]


# ---------------------------------------------------------------------------- input
def read_options_of(args: argparse.Namespace | None) -> dict[str, Any]:
    """``--sep``, ``--thousands``, ``--decimal`` and ``--na-values`` as ``pandas.read_csv``
    keywords (``--sep tab`` or ``--sep '\\t'`` is a tab)."""
    if args is None:
        return {}
    options: dict[str, Any] = {}
    sep = getattr(args, "sep", None)
    if sep is not None:
        options["sep"] = "\t" if sep in ("tab", "\\t") else sep
    for key in ("thousands", "decimal"):
        value = getattr(args, key, None)
        if value is not None:
            options[key] = value
    na_values = getattr(args, "na_values", None)
    if na_values:  # each --na-values adds its list (a later one used to replace the others)
        given = [na_values] if isinstance(na_values, str) else na_values
        listed = [v.strip() for text in given for v in text.split(",")]
        options["na_values"] = list(dict.fromkeys(v for v in listed if v))
    return check_read_options(options)


def apply_design_bound(args: argparse.Namespace) -> None:
    """``--max-design-gb``: the design-size bound for this run (an environment setting)."""
    gigabytes = getattr(args, "max_design_gb", None)
    if gigabytes is not None:
        if not gigabytes > 0:
            raise LinmodError(f"--max-design-gb {gigabytes:g} must be positive")
        os.environ["LINMOD_MAX_DESIGN_BYTES"] = str(int(gigabytes * 1e9))


def read_input(path: str, args: argparse.Namespace | None = None) -> pd.DataFrame:
    options = read_options_of(args)
    if args is not None:
        apply_design_bound(args)
    if path == "-":  # bytes: gzip, UTF-16 and Latin-1 get the errors a file gets
        stream = getattr(sys.stdin, "buffer", None)
        data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
        return read_bytes(data, "standard input", options)
    file = Path(path)
    if not file.exists():
        raise LinmodError(f"{path}: no such file")
    if file.is_dir():
        raise LinmodError(f"{path}: is a folder; give a CSV, TSV or Parquet file")
    return read_table(file, options)  # clear errors for empty, cut-short, non-UTF-8, Parquet


def formula_of(args: argparse.Namespace, columns: Sequence[str] | None) -> str:
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
    if not features:  # "y ~ .", screened as -f "y ~ ." is (the weights column is left out)
        return f"{term_name(args.target)} ~ ."
    return f"{term_name(args.target)} ~ " + " + ".join(term_name(name) for name in features)


def frame_and_formula(args: argparse.Namespace) -> tuple[pd.DataFrame, str]:
    """The data (with ``--id``'s column as its row labels) and the formula."""
    frame = read_input(args.data, args)
    if getattr(args, "id", None) is not None:
        from linmod.data.row_names import set_id_column

        frame = set_id_column(frame, args.id, getattr(args, "formula", None))
    return frame, formula_of(args, list(frame.columns))


# --------------------------------------------------------------------------- output
# Output paths are checked before a command starts (linmod.cli.outputs).
def emit(text: str, output: str | None) -> None:
    if output is None:
        print(text)
    else:
        write_atomically(output, text + "\n")


def show(
    args: argparse.Namespace,
    *,
    text: Callable[[], str],
    payload: Callable[[], Any] | None = None,
    table: Callable[[], Any] | None = None,
) -> None:
    """JSON with ``--json``; a rich table on a terminal; plain text otherwise."""
    if getattr(args, "json", False) and payload is not None:
        emit(json.dumps(payload(), indent=2, allow_nan=False), args.output)
    elif (
        table is not None
        and getattr(args, "output", None) is None
        and not getattr(args, "plain", False)
        and sys.stdout.isatty()
    ):
        from rich.console import Console

        Console().print(table())
    else:
        emit(text(), getattr(args, "output", None))


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if np.isfinite(value) else None


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            str(key): (_finite(val) if isinstance(val, float | np.floating) else val)
            for key, val in row.items()
        }
        for row in frame.to_dict(orient="records")
    ]


def results_dict(res: Any) -> dict[str, Any]:
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
        "standard_errors": res.cov_type,  # "nonrobust" or the --robust kind
        "hac_lags": res.hac_lags if res.cov_type == "HAC" else None,
        "clusters": None
        if res.clusters is None
        else {
            "type": res.clusters.type,
            "by": dict(zip(res.clusters.names, res.clusters.counts, strict=True)),
        },
        "solver": res.solution.method,
        "aliased": res.dependencies,
        "notes": list(res.fit_notes),
        "weights": weights_summary(res),
    }


def progress_of(args: argparse.Namespace) -> bool | None:
    """Progress bars: off with --quiet, else shown only on a terminal."""
    return False if getattr(args, "quiet", False) else None


def weights_summary(res: Any) -> dict[str, Any] | None:
    """The weights of a fit for ``--json``: their meaning, column and zero-weight rows."""
    info = getattr(res, "declared_weights", None)  # also a streamed fit's
    if info is None:
        return None
    return {"type": info.kind, "column": info.column, "zero_weight_rows": info.n_zero}
