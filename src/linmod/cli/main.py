"""The ``linmod`` command: runs a parsed command, turns errors and signals into exit codes.

Exit codes: 0 success, 1 an analysis problem (bad data, singular design), 2 usage errors.
Tables are drawn with ``rich`` on a terminal; in pipes and files the plain-text layouts
(R's ``summary.lm`` and friends) are written instead, and ``--json`` gives data.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

import pandas as pd

from linmod.cli.advice import to_cli
from linmod.cli.outputs import check_distinct_outputs, check_output_paths
from linmod.cli.parser import build_parser
from linmod.cli.signals import Terminated, interrupted, signals_as_exceptions
from linmod.cli.startup import defer_unused_numpy_modules
from linmod.cli.usage import warn_unused_options
from linmod.exceptions import LinmodError

__all__ = ["main", "run"]


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Each distinct warning once, on one line of standard error."""
    seen: set[str] = set()
    for record in caught:
        if issubclass(record.category, DeprecationWarning):
            continue  # library chatter, not about the user's analysis
        message = to_cli(" ".join(str(record.message).split()))
        if message not in seen:
            seen.add(message)
            print(f"linmod: warning: {message}", file=sys.stderr)


#: Options whose value may begin with a dash ('-' is a common missing-value code, and a
#: separator may be '-'): argparse would take ``--na-values -,?`` for two options.
_DASH_VALUES = ("--na-values", "--sep", "--thousands", "--decimal")


def _joined_dash_values(argv: Sequence[str]) -> list[str]:
    """``--na-values -,?`` as ``--na-values=-,?`` (argparse: "expected one argument"),
    unless the next word is itself an option, e.g. ``--na-values --json``."""
    out: list[str] = []
    words = list(argv)
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else None
        if (
            word in _DASH_VALUES
            and following is not None
            and following.startswith("-")
            and not following.startswith("--")
            and not following[1:2].isalpha()
        ):
            out.append(f"{word}={following}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(_joined_dash_values(sys.argv[1:] if argv is None else argv))
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
            message = to_cli(" ".join(str(error).split()))  # advice as flags, not Python
            _print_warnings(caught)  # the warnings first: the error is the last line
            caught.clear()
            print(f"linmod: error: {message}", file=sys.stderr)
            return 1
        except Exception as error:  # a bug, not the user's data: still one line by default
            if args.debug:
                raise
            message = " ".join(str(error).split())
            _print_warnings(caught)
            caught.clear()
            print(
                f"linmod: internal error: {type(error).__name__}: {message} (run with --debug "
                "for the traceback, and please report it)",
                file=sys.stderr,
            )
            return 1
        finally:  # what was warned before a failure often explains it
            _print_warnings(caught)


def run() -> NoReturn:
    """The ``linmod`` program: :func:`main` in a process of its own, then exit.

    Two things only a process's entry point may do, which :func:`main` (also called
    in-process by tests and notebooks) does not: numpy modules no command uses are loaded
    only if touched (:mod:`linmod.cli.startup`), and the objects alive at exit are frozen
    (:func:`gc.freeze`), so that the interpreter's last garbage collections leave them to
    the operating system, which frees the process's memory at once, instead of taking
    apart, cycle by cycle, what pandas, scipy and the fit built: that took ~0.1 s of a
    0.6 s ``linmod fit``.  Exit handlers and ``weakref.finalize`` callbacks still run, and
    standard output and error are flushed as always.
    """
    defer_unused_numpy_modules()  # before scipy's first import
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
