"""Files that must not change while a fit reads them more than once.

A streamed fit reads its files several times: for the levels of categorical columns,
the fold itself, refinement passes, the second pass, cross-validation folds.  A file
appended to or rewritten in between would give numbers that match neither version, so
:func:`pin_files` records each file's state before the first read (size, modification
time, identity, and the bytes at its end: a Parquet file's footer with its metadata and
row-group statistics, a text file's last 64 KiB) and the readers of
:mod:`linmod.data.chunks` check it before and after every pass over the file, together
with the number of rows each pass found.  A change is an :class:`InputError` naming the
file and what changed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

from linmod.exceptions import InputError

__all__ = ["FileState", "PinnedFiles", "file_state", "pin_files"]

_PARQUET = (".parquet", ".pq")
_TAIL = 1 << 16


@dataclass(frozen=True)
class FileState:
    """What identifies one version of a file."""

    size: int
    mtime_ns: int
    identity: tuple[int, int]
    tail: str


def _tail_digest(path: Path, size: int) -> str:
    """A digest of the file's end: a Parquet footer whole, else the last 64 KiB."""
    with path.open("rb") as stream:
        length = min(size, _TAIL)
        if path.suffix.lower() in _PARQUET and size >= 12:
            stream.seek(size - 8)
            end = stream.read(8)
            if end[4:] == b"PAR1":  # the footer: metadata, its length, the magic bytes
                length = min(size, int.from_bytes(end[:4], "little") + 8)
        stream.seek(size - length)
        return hashlib.blake2b(stream.read(length), digest_size=16).hexdigest()


def file_state(path: Path) -> FileState:
    """The current state of ``path`` (it must exist)."""
    status = os.stat(path)
    return FileState(
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
        identity=(status.st_dev, status.st_ino),
        tail=_tail_digest(path, status.st_size),
    )


def _difference(before: FileState, after: FileState) -> str:
    if before.identity != after.identity:
        return "it was replaced by another file"
    if before.size != after.size:
        return f"its size went from {before.size} to {after.size} bytes"
    if before.tail != after.tail:
        return "its last bytes (a Parquet file's footer) changed"
    return "it was modified"


def _changed(path: Path, what: str) -> InputError:
    return InputError(
        f"{path} changed while the fit was reading it ({what}); a streamed fit reads its "
        "files more than once (levels, refinement, second pass, cross-validation), and the "
        "versions must not be mixed: wait until the file is complete, or fit a copy of it"
    )


class PinnedFiles(Sequence[Path]):
    """The files of one fit, with the state each had before the first read.

    A sequence of :class:`~pathlib.Path`, so it goes wherever a list of files goes; the
    readers of :mod:`linmod.data.chunks` call :meth:`check` around every file they read.
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = list(paths)
        self._states = [file_state(path) for path in self._paths]
        self._rows: dict[int, int] = {}
        #: Warnings about the files already given in this fit (each pass reads them again).
        self.warned: set[str] = set()

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | Sequence[Path]:
        return self._paths[index]

    def __len__(self) -> int:
        return len(self._paths)

    def __iter__(self) -> Iterator[Path]:
        return iter(self._paths)

    def __repr__(self) -> str:
        return f"PinnedFiles({self._paths!r})"

    def check(self, index: int, rows: int | None = None) -> None:
        """Refuse file ``index`` if it changed since it was pinned.

        Parameters
        ----------
        index : int
            Position of the file in the sequence.
        rows : int, optional
            The rows a whole pass over the file found: the first count is recorded, and
            every later pass must find as many.

        Raises
        ------
        InputError
            Naming the file and what changed.
        """
        path = self._paths[index]
        try:
            now = file_state(path)
        except OSError:
            raise _changed(path, "it can no longer be read") from None
        if now != self._states[index]:
            raise _changed(path, _difference(self._states[index], now))
        if rows is not None:
            seen = self._rows.setdefault(index, rows)
            if seen != rows:
                raise _changed(path, f"one pass read {seen} rows, another {rows}")


def pin_files(data: Any) -> Any:
    """``data`` as :class:`PinnedFiles` when it is one or more existing files, else as is."""
    if isinstance(data, PinnedFiles):
        return data
    if isinstance(data, (str, os.PathLike)):
        items: list[Any] = [data]
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)) and data:
        items = list(data)
    else:
        return data
    if not all(isinstance(item, (str, os.PathLike)) for item in items):
        return data
    paths = [Path(item) for item in items]
    if not all(path.is_file() for path in paths):
        return data  # the reader says which one is missing
    return PinnedFiles(paths)
