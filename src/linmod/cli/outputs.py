"""The ``linmod`` command's output files, checked before any work starts.

A fit, a cross-validation or a report can take minutes: a typo in ``-o`` must not cost
them.  Before a command reads its data, every file it will write (``-o/--output``,
``--save``, ``--plot``) is checked: no two options name the same file (a usage error,
exit 2), none is one of the command's inputs, a folder, in a folder that does not exist
or cannot be written to, or has a suffix the command cannot write (exit 1).
"""

from __future__ import annotations

import argparse
import os
from itertools import combinations

from linmod.exceptions import InputError
from linmod.files import check_writable

__all__ = ["check_distinct_outputs", "check_output_paths"]

#: Attribute of the parsed arguments and the option that sets it, for every output file.
_OUTPUTS = (("output", "-o/--output"), ("save", "--save"), ("plot", "--plot"))
#: Attributes holding input files.
_INPUTS = ("data", "model")
#: (command, attribute) -> the suffixes that output accepts and the error to give otherwise.
_SUFFIXES = {
    ("report", "output"): (
        (".html", ".htm"),
        "-o {path}: the report is HTML; name it e.g. report.html",
    ),
    ("path", "plot"): (
        (".svg", ".png", ".pdf"),
        "--plot {path}: use a .svg, .png or .pdf file name",
    ),
}


def _outputs(args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """(attribute, option, path) of each output file the command line names."""
    return [
        (name, option, str(getattr(args, name)))
        for name, option in _OUTPUTS
        if getattr(args, name, None)
    ]


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file (through links, ``..`` and hard links too)."""
    if os.path.realpath(first) == os.path.realpath(second):
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist yet
        return False


def check_distinct_outputs(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse two output options naming one file: one would silently replace the other.

    Exits through ``parser.error`` (exit code 2) with a message naming the file and both
    options.
    """
    for (_, first, path), (_, second, other) in combinations(_outputs(args), 2):
        if _same_file(path, other):
            parser.error(
                f"{first} and {second} both write {path}: one would overwrite the other; "
                "give them different files"
            )


def check_output_paths(args: argparse.Namespace) -> None:
    """Check every output file before the command reads anything.

    Raises
    ------
    InputError
        If an output would overwrite an input file, is a folder, is in a folder that does
        not exist or cannot be written to, or has a suffix the command cannot write.
    """
    inputs = [str(getattr(args, name)) for name in _INPUTS if getattr(args, name, None)]
    for name, _, path in _outputs(args):
        for source in inputs:
            if source != "-" and _same_file(path, source):
                raise InputError(
                    f"{path} would overwrite the input file {source}; write somewhere else"
                )
        accepted = _SUFFIXES.get((getattr(args, "command", ""), name))
        if accepted is not None and not path.lower().endswith(accepted[0]):
            raise InputError(accepted[1].format(path=path))
        check_writable(path)
