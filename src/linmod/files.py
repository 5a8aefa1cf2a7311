"""Writing output files atomically: a reader sees the old file or the whole new one.

Every file linmod writes (model files, reports, CLI outputs, plots) goes through
:func:`write_atomically`: the content is written to a temporary file in the target's
folder, flushed to disk, given ordinary read permissions (``0o644``, not the temporary file's
private ``0o600``) and moved over the target with :func:`os.replace`. A failure, Ctrl-C
or (in the ``linmod`` command) SIGTERM/SIGHUP leaves the target as it was and no
temporary file behind.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from linmod.exceptions import InputError

__all__ = ["check_writable", "write_atomically"]


def _special(target: Path) -> bool:
    """Whether ``target`` exists and is not a regular file (``/dev/null``, a FIFO, a tty)."""
    return target.exists() and not target.is_file() and not target.is_dir()


def check_writable(path: str | Path) -> Path:
    """Fail early, before any work, when ``path`` cannot be written.

    Returns
    -------
    Path
        The file that will be written: ``path`` with symbolic links followed, so that
        writing replaces the file a link points to, not the link.

    Raises
    ------
    InputError
        If ``path`` is a folder, a read-only file, or its folder does not exist or cannot be
        written to.
    """
    given = Path(path)
    if given.is_dir():
        raise InputError(f"cannot write {str(path)!r}: it is a folder; give a file name")
    if _special(given):
        return given  # written in place (e.g. -o /dev/stdout): nothing to replace
    target = Path(os.path.realpath(given))
    folder = target.parent
    if not folder.is_dir():
        shown = Path(path).parent if str(Path(path).parent) else Path(".")
        raise InputError(
            f"cannot write {str(path)!r}: the folder {str(shown)!r} does not exist; create it first"
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write {str(path)!r}: no permission to create files in {str(folder)!r}"
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise InputError(
            f"cannot write {str(path)!r}: the file is read-only; make it writable or "
            "write somewhere else"
        )
    return target


def _create_temporary(target: Path) -> tuple[int, Path]:
    """A new, empty file next to ``target``, removed again if anything interrupts this."""
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), temporary
        except FileExistsError:
            continue  # someone else's file: never remove it
        except BaseException:
            # The name was chosen before the file existed, so a signal arriving just as it
            # was created (KeyboardInterrupt, SIGTERM turned into an exception) cannot leave
            # it behind.
            temporary.unlink(missing_ok=True)
            raise
    raise FileExistsError(f"cannot create a temporary file next to {str(target)!r}")


def write_atomically(path: str | Path, content: str | Callable[[Path], None]) -> Path:
    """Write ``content`` to ``path`` atomically.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder must exist.  A path that is not a regular file
        (``/dev/stdout``, a named pipe) is written in place.
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
        If ``path`` is a folder or a read-only file, or its folder does not exist or cannot
        be written to.
    """
    target = check_writable(path)
    if _special(target):
        if isinstance(content, str):
            with open(target, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
        else:
            content(target)
        return Path(path)
    handle, temporary = _create_temporary(target)
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
    except BaseException:  # also KeyboardInterrupt and the CLI's SIGTERM/SIGHUP exception
        temporary.unlink(missing_ok=True)
        raise
    return Path(path)
