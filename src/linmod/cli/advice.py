"""Advice in the command line's words: Python spellings in messages become ``linmod`` flags.

The library's errors, warnings and remedies tell a Python user what to pass
(``missing='drop'``, ``second_pass=True``, ``res.robust('HC3')``). On the command line
that advice is useless as written, so every message the ``linmod`` command prints goes
through :func:`to_cli`, which rewrites the known Python spellings with the flags that do
the same thing (``--missing drop``, ``--second-pass``, ``linmod fit ... --robust HC3``).
The table :data:`ADVICE` is the one place that knows the correspondence; a spelling the
command line has no flag for is rewritten into what it does offer.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport

__all__ = ["ADVICE", "to_cli", "translate_report"]

_Q = "['\"]"  # either quote

#: (pattern of a Python spelling, what to type on the command line), applied in order.
ADVICE: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    # robust standard errors (check() remedies, report.refit())
    (
        rf"res\.robust\({_Q}(HC[0-3]|HAC){_Q}\)\s*\(report\.refit\(\)\)",
        r"linmod fit ... --robust \1",
    ),
    (rf"res\.robust\({_Q}(HC[0-3]|HAC){_Q}\)", r"linmod fit ... --robust \1"),
    (
        rf"res\.robust\({_Q}cluster{_Q}, groups={_Q}(\w+){_Q}\)",
        r"linmod fit ... --cluster \1",
    ),
    (
        rf"report\.refit\({_Q}homoscedasticity{_Q}\)",
        "linmod fit ... --robust HC3",
    ),
    (rf"report\.refit\({_Q}independence{_Q}\)", "linmod fit ... --robust HAC"),
    # bootstrap intervals (check() remedies)
    (
        rf"res\.bootstrap\(method={_Q}(pairs|residual|wild){_Q}\)",
        r"linmod fit ... --bootstrap 1999 --bootstrap-method \1",
    ),
    (r"res\.bootstrap\(\)", "linmod fit ... --bootstrap 1999"),
    # missing values
    (rf"pass missing={_Q}drop{_Q}", "add --missing drop"),
    (rf"missing={_Q}drop{_Q}", "--missing drop"),
    # out-of-core fits
    (r"fit with second_pass=True", "add --second-pass"),
    (r"second_pass=True", "--second-pass"),
    (r"\(and hac_lags= for HAC\)", "(and --hac-lags N with --robust HAC)"),
    (r"hac_lags=", "--hac-lags "),
    (
        r"\.diagnostics \(([^)]*)\), \.mae and \.robust\(\)",
        r"the MAE in linmod fit's table and --robust (linmod check needs the data in memory)",
    ),
    (r"refine=True", "--refine always"),
    (r"refine=False", "--refine never"),
    (r"leave refine=None", "leave --refine auto"),
    (r"refine=None", "--refine auto"),
    # reading files (the data overview's column flags)
    (r"sep='\\t'", "--sep tab"),
    (r"sep='(.)'", r"--sep '\1'"),
    (r"thousands='([,.])'", r"--thousands \1"),
    (r"thousands=\"'\"", '--thousands "\'"'),
    (r"decimal=','", "--decimal ,"),
    (
        r"clean them if they are one \(e\.g\. df\[(.*?)\]\.str\.strip\(\)\.str\.lower\(\)\)",
        r"clean them in the file if they are one (the command line keeps levels as written)",
    ),
    # a streamed fit's read_options={...} (one dict: the flags it stands for, together)
    (
        r"pass read_options=(\{[^{}]*\})",
        lambda m: "read the file with " + _option_flags(m.group(1)),
    ),
    (r"na_values=\[([^\]]*)\]", lambda m: _na_values_flag(m.group(1))),
    # remedies the command line answers with another command
    (r"fit a Ridge regression \(linmod\.ridge\)", "compare a Ridge fit with linmod cv"),
    (
        r"run linmod\.diagnostics\.white\(res\) to compute it anyway",
        "the command line does not run it (from Python: linmod.diagnostics.white(res))",
    ),
    # iteration limits of the penalised fits (no command-line option)
    (
        r"increase max_iter or loosen tol",
        "the command line keeps the default limits (from Python: max_iter= or tol=)",
    ),
    # solvers
    (rf"solver={_Q}(\w+){_Q} \(or {_Q}auto{_Q}\)", r"--solver \1 (or --solver auto)"),
    (rf"solver={_Q}(\w+){_Q}", r"--solver \1"),
    # the command line's gradient descent has no epoch, rate or scaling options
    (
        r"Increase max_epochs, use learning_rate='auto' \([^)]*\), "
        r"keep standardize=True, or use a direct solver",
        "The command line's gradient descent is for teaching: use a direct solver "
        "(--solver qr or --solver auto)",
    ),
    (
        r"use learning_rate='auto' \([^)]*\) or a smaller rate",
        "use a direct solver (--solver qr or --solver auto)",
    ),
    (r", or standardize=True", ""),
    (r", and keep standardize=True", ""),
    (r"keep standardize=True, or use a direct solver", "use a direct solver (--solver qr)"),
    # assumption checks
    (rf"order_by={_Q}([^'\"]*){_Q}", r"--order-by \1"),
    (r"order_by=", "--order-by COLUMN"),
    (r"\border_by\b", "--order-by"),
    # formulas: the Python call becomes the -f option
    (rf"linmod\.ols\({_Q}([^'\"]*){_Q}, data=df\)", r'-f "\1"'),
    # declared levels only matter for one-shot iterators, which the command line never has
    (
        r"e\.g\. levels=\{.*?\}, because a one-shot iterator cannot be read twice",
        "which only a file can give: stream a file, not standard input, with --chunksize",
    ),
)


def _na_values_flag(items: str) -> str:
    """``--na-values`` with a Python list's items, as a shell and argparse take them.

    The list is shell-quoted when it holds characters a shell expands (``?``, ``*``,
    spaces), and joined with ``=`` when it starts with a dash: argparse reads
    ``--na-values -,?`` as a flag without its value ("expected one argument").
    """
    listed = _listed(items)
    joiner = "=" if listed.startswith("-") and listed != "-" else " "
    return f"--na-values{joiner}{shlex.quote(listed)}"


#: The flag of each read option (its value follows; na_values has its own spelling).
_READ_FLAGS = {"sep": "--sep", "thousands": "--thousands", "decimal": "--decimal"}


def _option_flags(written: str) -> str:
    """``{'thousands': ',', 'na_values': ['-']}`` (a Python dict literal) as
    ``--thousands , --na-values=-``; the text as written if it is no such dict."""
    try:
        options = ast.literal_eval(written)
    except (ValueError, SyntaxError):
        return written
    if not isinstance(options, dict):
        return written
    flags = []
    for key, value in options.items():
        if key == "na_values" and isinstance(value, (list, tuple)):
            flags.append(_na_values_flag(", ".join(map(repr, value))))
        elif key in _READ_FLAGS and isinstance(value, str):
            shown = {"\t": "tab", "'": '"\'"'}.get(value, shlex.quote(value))
            flags.append(f"{_READ_FLAGS[key]} {shown}")
        else:
            return written
    return " ".join(flags)


def _listed(items: str) -> str:
    """``"'n/a', '-'"`` (a Python list's items) as the flag's ``n/a,-``."""
    return ",".join(item.strip().strip(_QUOTES) for item in items.split(","))


_QUOTES = "'\""
_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in ADVICE)


def to_cli(message: str) -> str:
    """Rewrite the Python advice in ``message`` as ``linmod`` command-line flags.

    Parameters
    ----------
    message : str
        An error, warning or remedy written for the Python interface.

    Returns
    -------
    str
        The same message with every known Python spelling replaced by its flag.
    """
    for pattern, replacement in _COMPILED:
        message = pattern.sub(replacement, message)
    return message


def translate_report(report: AssumptionReport) -> AssumptionReport:
    """The assumption report with its remedies and notes in command-line words."""
    checks = {
        name: dataclasses.replace(
            check,
            reason=to_cli(check.reason),
            remedy=to_cli(check.remedy),
            notes=tuple(to_cli(note) for note in check.notes),
        )
        for name, check in report.checks.items()
    }
    return dataclasses.replace(report, checks=checks)
