"""``linmod fit --loss ...``: least absolute deviations, quantile and robust regression.

The squared error is the default (OLS). ``--loss lad`` and ``--loss quantile --q Q`` fit
:func:`linmod.quantreg`; ``--loss huber|bisquare|hampel`` fit :func:`linmod.rlm`. These
fits need the data in memory: the options of streamed, Dask and OLS-only fits are
refused with what to do instead.
"""

from __future__ import annotations

import argparse
from typing import Any

from linmod.exceptions import InputError

__all__ = ["LOSSES", "add_loss_options", "fit_other_loss"]

LOSSES = ("squared", "lad", "quantile", "huber", "bisquare", "hampel")
_OLS_ONLY = {
    "chunksize": "--chunksize",
    "dask": "--dask",
    "second_pass": "--second-pass",
    "robust": "--robust",
    "hac_lags": "--hac-lags",
    "save": "--save",
    "cluster": "--cluster",
    "cluster_type": "--cluster-type",
    "bootstrap": "--bootstrap",
}


def add_loss_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--loss`` and ``--q`` to the ``fit`` command."""
    parser.add_argument(
        "--loss",
        choices=LOSSES,
        default="squared",
        help="squared (OLS, default); lad (median regression); quantile (with --q); "
        "huber, bisquare, hampel (robust M-estimation)",
    )
    parser.add_argument(
        "--q", type=float, default=None, help="the quantile level of --loss quantile, e.g. 0.9"
    )


def _check_options(args: argparse.Namespace) -> None:
    for attribute, flag in _OLS_ONLY.items():
        value = getattr(args, attribute, None)
        if value not in (None, False):
            hint = (
                "these fits need the data in memory; for a file too large for memory, fit a "
                "sample of its rows"
                if attribute in ("chunksize", "dask", "second_pass")
                else "it applies to least squares (the default --loss squared)"
            )
            raise InputError(f"{flag} is not available with --loss {args.loss}: {hint}")
    if getattr(args, "weights_type", "precision") != "precision":
        raise InputError(
            f"--weights-type {args.weights_type} is for least squares; with --loss "
            f"{args.loss} the weights multiply each row's loss (drop --weights-type)"
        )
    if getattr(args, "solver", "auto") != "auto":
        raise InputError(f"--solver is for least squares; drop it with --loss {args.loss}")
    if args.loss == "quantile" and args.q is None:
        raise InputError("--loss quantile needs the level: add --q, e.g. --q 0.9")
    if args.q is not None and not 0.0 < args.q < 1.0:
        raise InputError(
            f"--q {args.q:g} is outside (0, 1): a quantile level is strictly between 0 and 1, "
            "e.g. --q 0.9 (--loss lad is the median)"
        )
    if args.loss != "quantile" and args.q is not None:
        if args.loss == "lad" and args.q == 0.5:
            return
        raise InputError(f"--q {args.q:g} is the level of --loss quantile: use --loss quantile")


def _payload(res: Any, loss: str) -> dict[str, Any]:
    from linmod.cli.io import records

    table = res.to_frame()
    table.index = table.index.astype(str)
    payload: dict[str, Any] = {
        "formula": res.design.formula,
        "loss": loss,
        "n_obs": res.n_obs,
        "n_dropped": res.design.n_dropped,
        "df_resid": res.df_resid,
        "coefficients": {row.pop("term"): row for row in records(table.reset_index())},
    }
    if loss in ("lad", "quantile"):
        payload.update(
            q=res.q,
            standard_errors=res.se,
            pseudo_r_squared=res.pseudo_r_squared,
            check_loss=res.objective,
            nonunique=res.nonunique,
        )
    else:
        low = res.downweighted()
        payload.update(
            scale=res.scale,
            converged=res.converged,
            iterations=res.iterations,
            downweighted={
                str(label): float(weight)
                for label, weight in zip(
                    res.design.shown_row_labels[res.design.row_labels.get_indexer(low.index)],
                    low.to_numpy(),
                    strict=True,
                )
            },
        )
    return payload


def fit_other_loss(args: argparse.Namespace) -> int:
    """Run ``linmod fit`` with a loss other than the squared error."""
    from linmod.cli.io import frame_and_formula, show

    _check_options(args)
    frame, formula = frame_and_formula(args)
    weights = getattr(args, "weights", None)
    res: Any
    if args.loss in ("lad", "quantile"):
        from linmod.models.quantreg import quantreg

        res = quantreg(
            formula, data=frame, q=0.5 if args.loss == "lad" else args.q, missing=args.missing
        )
    else:
        from linmod.models.rlm import rlm

        res = rlm(formula, data=frame, norm=args.loss, missing=args.missing, weights=weights)
    show(args, text=res.summary, payload=lambda: _payload(res, args.loss))
    return 0
