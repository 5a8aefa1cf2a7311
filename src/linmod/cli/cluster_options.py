"""``linmod fit --robust cluster --cluster COL [--cluster COL2] [--cluster-type CR2]``.

The flags are checked before any work: ``--cluster`` alone implies ``--robust cluster``
(the only covariance it can mean), with another ``--robust`` kind it is refused, and
``--cluster-type`` needs ``--cluster``.  A column is checked against the file's columns
as soon as the file is read, so the message names the flag and the file, and so are
rows without a cluster label (:func:`drop_unclustered_rows`).
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from linmod.data.missing import describe_rows
from linmod.data.row_names import is_default_index
from linmod.exceptions import InputError

__all__ = [
    "check_cluster_columns",
    "check_cluster_flags",
    "cluster_robust",
    "drop_unclustered_rows",
]


def check_cluster_flags(args: argparse.Namespace) -> None:
    """Refuse contradictory flags; ``--cluster`` without ``--robust`` means cluster."""
    columns = args.cluster or []
    if args.robust == "cluster" and not columns:
        raise InputError("--robust cluster needs the grouping column: add --cluster COLUMN")
    if columns and args.robust not in (None, "cluster"):
        raise InputError(
            f"--cluster {columns[0]} is for --robust cluster, not --robust {args.robust}: "
            "drop one of them"
        )
    if args.cluster_type is not None and not columns:
        raise InputError(f"--cluster-type {args.cluster_type} needs --cluster COLUMN")
    if columns and args.hac_lags is not None:
        raise InputError(f"--hac-lags {args.hac_lags} is the lag of --robust HAC, not of --cluster")
    if columns and (args.dask or args.chunksize):
        raise InputError(
            "--cluster needs the data in memory (each row's cluster and per-cluster sums); "
            "drop --chunksize/--dask"
        )
    if columns:
        args.robust = "cluster"


def check_cluster_columns(args: argparse.Namespace, frame: Any) -> None:
    """Refuse a ``--cluster`` column the file does not have, naming its columns."""
    for column in args.cluster or []:
        if column not in map(str, frame.columns):
            raise InputError(
                f"--cluster {column}: no such column in {args.data}; its columns are: "
                + ", ".join(map(str, frame.columns))
            )


def drop_unclustered_rows(args: argparse.Namespace, frame: Any, formula: str) -> Any:
    """The data for the fit, with the rows that have no ``--cluster`` label made droppable.

    With ``--missing drop`` such a row is dropped as a row with a missing value in the
    formula's variables is (R's ``na.omit`` on a model frame that holds the cluster
    variable; statsmodels' ``missing='drop'`` with ``groups``): its response is made
    missing, so the fit leaves it out, counts it among the rows deleted for missingness
    and keeps the row numbers of the file.  Without it such rows are refused, by name.

    Raises
    ------
    InputError
        For rows without a cluster label and no ``--missing drop``, or no row with one.
    """
    columns = list(args.cluster or [])
    if not columns:
        return frame
    absent = frame[columns].isna().any(axis=1).to_numpy()
    if not absent.any():
        return frame
    named = " ".join(f"--cluster {c}" for c in columns if frame[c].isna().any())
    rows = describe_rows(frame.index[absent], is_default_index(frame.index))
    if args.missing != "drop":
        raise InputError(
            f"{named} is missing in {rows}: add --missing drop to drop those rows (as rows "
            "with a missing value in the formula's variables are), or give them a cluster"
        )
    if absent.all():
        raise InputError(f"{named} is missing in every row: there is no row to fit")
    from formulaic import Formula

    lhs = formula.split("~", 1)[0]
    response = sorted(v for v in Formula(lhs).required_variables if v in frame.columns)
    if not response:  # no column to mark: leave the rows out (the counts miss them)
        return frame.loc[~absent]
    values = frame[response[0]]
    if pd.api.types.is_bool_dtype(values):
        values = values.astype(float)  # numbers 0/1 to the fit, as a bool column is
    return frame.assign(**{response[0]: values.mask(absent)})


def cluster_robust(res: Any, args: argparse.Namespace) -> Any:
    """The fit with the cluster-robust covariance the flags ask for."""
    columns = list(args.cluster)
    groups = columns[0] if len(columns) == 1 else columns
    return res.robust("cluster", groups=groups, type=args.cluster_type)
