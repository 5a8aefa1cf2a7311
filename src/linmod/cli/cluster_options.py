"""``linmod fit --robust cluster --cluster COL [--cluster COL2] [--cluster-type CR2]``.

The flags are checked before any work: ``--cluster`` alone implies ``--robust cluster``
(the only covariance it can mean), with another ``--robust`` kind it is refused, and
``--cluster-type`` needs ``--cluster``.  A column is checked against the file's columns
as soon as the file is read, so the message names the flag and the file.
"""

from __future__ import annotations

import argparse
from typing import Any

from linmod.exceptions import InputError

__all__ = ["check_cluster_columns", "check_cluster_flags", "cluster_robust"]


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


def cluster_robust(res: Any, args: argparse.Namespace) -> Any:
    """The fit with the cluster-robust covariance the flags ask for."""
    columns = list(args.cluster)
    groups = columns[0] if len(columns) == 1 else columns
    return res.robust("cluster", groups=groups, type=args.cluster_type)
