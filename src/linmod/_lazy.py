"""Lazy loading: submodules found on attribute access (PEP 562), so ``linmod.models.ols``
works after a bare ``import linmod`` without importing every module up front; and numba
kernels (:func:`njit`) compiled, with numba imported, only when first called."""

from __future__ import annotations

import functools
import importlib
import importlib.util
import threading
from collections.abc import Callable
from types import CodeType, ModuleType
from typing import Any, TypeVar, cast

__all__ = [
    "LazyJit",
    "LazyValue",
    "created_on_first_use",
    "find_submodule",
    "interpreted",
    "njit",
    "submodule_getattr",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def find_submodule(package: str, name: str) -> ModuleType | None:
    """Import and return ``package.name`` if it is a submodule, else None."""
    if not name.isidentifier() or name.startswith("__"):
        return None
    try:
        spec = importlib.util.find_spec(f"{package}.{name}")
    except (ImportError, ValueError):
        return None
    return None if spec is None else importlib.import_module(f"{package}.{name}")


def submodule_getattr(package: str) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` for ``package`` that imports its submodules on first use."""

    def __getattr__(name: str) -> ModuleType:
        module = find_submodule(package, name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return module

    return __getattr__


def created_on_first_use(
    namespace: dict[str, Any], name: str, create: Callable[[], Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that makes ``name`` with ``create()`` on first use.

    For a class that subclasses a heavy library's (scikit-learn's ``ConvergenceWarning``,
    its ``InvalidParameterError``): importing the library costs what most uses of the
    module never need.  The made object is stored in the module's ``namespace``, so later
    lookups do not come here; a lock makes threads that ask at once share one object.
    """
    lock = threading.Lock()
    module = namespace["__name__"]

    def __getattr__(attribute: str) -> Any:
        if attribute != name:
            raise AttributeError(f"module {module!r} has no attribute {attribute!r}")
        with lock:
            made = namespace.get(name)
            if made is None:
                made = create()
                namespace[name] = made
        return made

    return __getattr__


# --------------------------------------------------------------------------------------
# numba, imported when a compiled kernel is first called
# --------------------------------------------------------------------------------------

_JIT_LOCK = threading.RLock()

#: Rows an interpreted (numpy) twin of a compiled kernel may still process in this
#: process before the compiled kernels are loaded instead (see :func:`interpreted`).
INTERPRETED_ROWS = 20_000
_interpreted_left = [INTERPRETED_ROWS]
_jit_loaded = [False]


class LazyValue:
    """A value built by ``factory()`` on first use, for compiled code's globals.

    A :class:`LazyJit` kernel that names a :class:`LazyValue` global (an ``@intrinsic``,
    another kernel) gets the built value in that global before numba compiles it.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = None
        self._built = False

    def resolve(self) -> Any:
        """Build (once) and return the value."""
        if not self._built:
            with _JIT_LOCK:
                if not self._built:
                    self._value = self._factory()
                    self._built = True
        return self._value


def _code_names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            names |= _code_names(constant)
    return names


class LazyJit(LazyValue):
    """``numba.njit(**options)(function)``, made (numba imported, the machine code loaded
    from numba's cache or compiled) when first called or inspected.

    ``import numba`` and loading cached kernels cost about 0.5 s, which a command-line fit
    of a small CSV does not need to pay: :func:`interpreted` tells the callers of the few
    kernels such a fit uses when to run their numpy twins (same operations, same bits).
    """

    def __init__(self, function: Callable[..., Any], options: dict[str, Any]) -> None:
        super().__init__(self._compile)
        self.py_func = function
        self._options = options
        functools.update_wrapper(self, function)

    def _compile(self) -> Any:
        import numba

        function = self.py_func
        names = function.__globals__
        for name in _code_names(function.__code__):
            value = names.get(name)
            if isinstance(value, LazyValue) and value is not self:
                names[name] = value.resolve()  # numba types globals by their values
        dispatcher = numba.njit(**self._options)(function)
        if names.get(function.__name__) is self:
            names[function.__name__] = dispatcher  # later calls skip this proxy
        _jit_loaded[0] = True
        return dispatcher

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in {"_factory", "_value", "_built", "_options"}:
            raise AttributeError(name)
        return getattr(self.resolve(), name)


def njit(**options: Any) -> Callable[[_F], _F]:
    """``numba.njit(**options)`` without importing numba until the kernel is first used.

    Kernels that call other kernels (or ``@intrinsic`` functions, wrapped in
    :class:`LazyValue`) of this module or another work as with ``numba.njit``: the
    callees are compiled first and replace the proxies in the caller's globals.
    """

    def decorate(function: _F) -> _F:
        return cast(_F, LazyJit(function, options))

    return decorate


def interpreted(rows: int, columns: int = 1) -> bool:
    """Whether a kernel on ``rows`` x ``columns`` data should run as its numpy twin.

    True while no compiled kernel has been loaded in this process and the twins have
    used at most :data:`INTERPRETED_ROWS` rows in all (about 0.2 s: less than importing
    numba and loading the kernels, which a repeated fit then amortises); a row of more
    than 32 columns counts as ``1 + columns // 32`` rows (the twins loop over rows in
    Python, vectorised over columns).  The twins perform the kernels' floating-point
    operations in the same order, so either way gives the same bits.
    """
    cost = rows * (1 + columns // 32)
    if _jit_loaded[0] or cost > _interpreted_left[0]:
        return False
    with _JIT_LOCK:
        _interpreted_left[0] -= cost
    return True
