"""Writing output files atomically: a reader sees the old file or the whole new one.

Every file linmod writes (model files, reports, CLI outputs, plots) goes through
:func:`write_atomically`: the content is written to a temporary file in the target's
folder, flushed to disk, given ordinary read permissions (``0o644``, not ``mkstemp``'s
private ``0o600``) and moved over the target with :func:`os.replace`. A failure leaves the
target as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from linmod.exceptions import InputError

__all__ = ["check_writable", "write_atomically"]


def check_writable(path: str | Path) -> Path:
    """Fail early, before any work, when ``path`` cannot be written.

    Raises
    ------
    InputError
        If ``path`` is a folder or its folder does not exist.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"cannot write {str(target)!r}: it is a folder")
    if not folder.is_dir():
        raise InputError(
            f"cannot write {str(target)!r}: the folder {str(folder)!r} does not exist; "
            "create it first"
        )
    return target


def write_atomically(path: str | Path, content: str | Callable[[Path], None]) -> Path:
    """Write ``content`` to ``path`` atomically.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder must exist.
    content : str or callable
        Text (written as UTF-8 with ``\\n`` line ends), or a function that writes the
        file it is given (e.g. ``lambda p: figure.savefig(p, format="svg")``).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        If ``path`` is a folder or its folder does not exist.
    """
    target = check_writable(path)
    folder = target.parent if str(target.parent) else Path(".")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        if isinstance(content, str):
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            os.close(handle)
            content(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
