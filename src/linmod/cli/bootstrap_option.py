"""``linmod fit ... --bootstrap N``: bootstrap intervals printed after the fit's table.

The flags the ``check()`` remedies point to on the command line (see
:mod:`linmod.cli.advice`): ``--bootstrap N`` replicates, ``--bootstrap-method`` (pairs,
residual or wild) and ``--seed``.
"""

from __future__ import annotations

import argparse
from typing import Any

from linmod.cli.io import progress_of, records
from linmod.cli.usage import non_negative_int, positive_int
from linmod.exceptions import InputError, LinmodError

__all__ = ["add_bootstrap_options", "bootstrap_of", "with_bootstrap"]

METHODS = ("pairs", "residual", "wild")


def add_bootstrap_options(fit: argparse.ArgumentParser) -> None:
    """Add ``--bootstrap``, ``--bootstrap-method`` and ``--seed`` to ``linmod fit``."""
    fit.add_argument(
        "--bootstrap",
        type=positive_int,
        metavar="N",
        help="also print bootstrap percentile and BCa intervals from N replicates (1999 is "
        "usual); what linmod check suggests when errors are not normal or not of "
        "constant variance",
    )
    fit.add_argument(
        "--bootstrap-method",
        choices=METHODS,
        help="pairs (resample rows; default), residual, or wild (for heteroskedasticity)",
    )
    fit.add_argument(
        "--seed",
        type=non_negative_int,
        help="seed of --bootstrap (default: one is drawn and printed)",
    )


def bootstrap_of(args: argparse.Namespace, res: Any) -> Any:
    """The bootstrap ``linmod fit`` was asked for, or None."""
    if args.bootstrap is None:
        if args.bootstrap_method is not None or args.seed is not None:
            raise InputError(
                "--bootstrap-method and --seed set up the bootstrap: add --bootstrap N "
                "(e.g. --bootstrap 1999)"
            )
        return None
    if args.chunksize or args.dask:
        raise LinmodError(
            "--bootstrap refits the model on resampled rows, which needs the data in "
            "memory: drop --chunksize/--dask (or fit a sample of the data)"
        )
    if args.bootstrap < 2:
        raise InputError(f"--bootstrap {args.bootstrap}: give at least 2 replicates (1999 usual)")
    return res.bootstrap(
        args.bootstrap,
        method=args.bootstrap_method or "pairs",
        seed=args.seed,
        progress=progress_of(args),
    )


def with_bootstrap(text: str, payload: dict[str, Any], boot: Any) -> tuple[str, dict[str, Any]]:
    """The fit's text and JSON with the bootstrap's table added (unchanged without one)."""
    if boot is None:
        return text, payload
    table = boot.to_frame().rename_axis("term").reset_index()
    payload = {
        **payload,
        "bootstrap": {
            "method": boot.method,
            "replicates": boot.n_boot,
            "seed": boot.seed,
            "level": boot.level,
            "failed": boot.n_failed,
            "weights": boot.weights,
            "table": records(table),
        },
    }
    return f"{text}\n\n{boot.summary()}", payload
