"""Start-up of the ``linmod`` command: numpy modules no command uses are loaded on first use.

scipy's array-API layer copies every name in ``numpy.__all__`` when scipy is first
imported, and that list names numpy's lazily loaded submodules: ``numpy.f2py`` (the
Fortran wrapper generator, which compiles hundreds of regular expressions),
``numpy.testing`` and ``numpy.polynomial``.  Importing them costs ~50 ms of a ~0.6 s
command, and no command uses them.  The command (not the library: ``import linmod``
changes nothing in a user's process) registers them with the standard library's
:class:`importlib.util.LazyLoader`, so their code runs on their first attribute access,
as it would have, and never when nothing touches them.
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["DEFERRED_NUMPY_MODULES", "defer_unused_numpy_modules"]

#: Imported by scipy at start-up, used by no ``linmod`` command.
DEFERRED_NUMPY_MODULES = ("numpy.f2py", "numpy.testing", "numpy.polynomial")


def defer_unused_numpy_modules() -> None:
    """Register :data:`DEFERRED_NUMPY_MODULES` as lazily loaded modules.

    Each one not imported yet gets a module object whose code runs on its first attribute
    access (:class:`importlib.util.LazyLoader`), bound as numpy's attribute as an import
    would bind it (``numpy.testing`` and ``import numpy.testing`` give that module).  A
    module already imported is left alone.
    """
    import numpy

    for name in DEFERRED_NUMPY_MODULES:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:  # pragma: no cover - a numpy without it
            continue
        spec.loader = importlib.util.LazyLoader(spec.loader)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        setattr(numpy, name.rpartition(".")[2], module)
