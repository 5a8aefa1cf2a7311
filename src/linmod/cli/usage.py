"""Option values and combinations of the ``linmod`` command checked before any work.

``--chunksize`` must be a positive number of rows (argparse refuses anything else with
exit code 2).  The out-of-core options ``--second-pass`` and ``--refine`` change nothing
for an in-memory fit, which keeps its data and is refined by its solver; like R's
"extra argument ... will be disregarded", they give a warning, not an error.
"""

from __future__ import annotations

import argparse
import warnings

__all__ = ["non_negative_int", "positive_int", "warn_unused_options"]


def positive_int(text: str) -> int:
    """Argparse type: a whole number ≥ 1 (a chunk of 0 or -5 rows reads nothing)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} rows: give a positive number of rows")
    return value


def non_negative_int(text: str) -> int:
    """Argparse type: a whole number ≥ 0 (a lag)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text}: give a whole number ≥ 0")
    return value


def warn_unused_options(args: argparse.Namespace) -> None:
    """Warn about out-of-core options given to a fit that is not out of core."""
    if getattr(args, "command", None) != "fit" or args.chunksize or args.dask:
        return
    if args.second_pass:
        warnings.warn(
            "--second-pass does nothing without --chunksize or --dask: an in-memory fit "
            "already has the robust standard errors, MAE and diagnostics it would add",
            UserWarning,
            stacklevel=2,
        )
    if args.refine != "auto":
        warnings.warn(
            f"--refine {args.refine} does nothing without --chunksize or --dask: an "
            "in-memory fit is refined by its solver (--solver qr reaches the float64 limit)",
            UserWarning,
            stacklevel=2,
        )
