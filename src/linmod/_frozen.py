"""A faster ``__init__`` for the frozen dataclasses every fit builds.

A frozen dataclass's generated ``__init__`` stores each field with
``object.__setattr__(self, name, value)``, a call per field: a ``ols(X, y)`` at 1000 x 5
builds six such objects (design, magnitudes, problem, solver result, residual squares,
results; 56 fields) and their ``__init__`` were 465 of its 2,600 Python bytecodes
(``bench/small_fit_cost.py opcodes``).  :func:`quick_init` replaces it with an
``__init__`` of the same signature that writes the instance's ``__dict__`` directly, which
is what ``object.__setattr__`` does for a plain field, at about half the cost.  A field
whose class attribute is a data descriptor is still stored through the descriptor's
``__set__`` (as ``object.__setattr__`` would), and ``__post_init__`` is still called.
Everything else about the dataclass (frozen-ness after ``__init__``, ``__eq__``,
``__repr__``, :func:`dataclasses.replace`) is unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

__all__ = ["quick_init"]

_T = TypeVar("_T")


def quick_init(cls: type[_T]) -> type[_T]:
    """Give the frozen dataclass ``cls`` an ``__init__`` that fills ``__dict__`` directly.

    Parameters
    ----------
    cls : type
        A ``@dataclass(frozen=True)`` class without ``__slots__``, whose fields are all
        ``init`` fields, positional, without ``default_factory``.

    Returns
    -------
    type
        ``cls``, its ``__init__`` replaced (the dataclass's own kept as
        ``cls.__init__.dataclass_init``).

    Raises
    ------
    TypeError
        For a class outside that description.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" in cls.__dict__:
        raise TypeError(f"quick_init needs a frozen dataclass without slots, not {cls!r}")
    namespace: dict[str, Any] = {}
    arguments, lines = [], []
    for item in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = item.name
        plain = item.init and not item.kw_only and item.default_factory is dataclasses.MISSING
        if not plain or name in ("self", "_fields") or name.startswith(("_default_", "_set_")):
            raise TypeError(f"quick_init: field {cls.__name__}.{name} is not a plain field")
        if item.default is dataclasses.MISSING:
            arguments.append(name)
        else:
            namespace[f"_default_{name}"] = item.default
            arguments.append(f"{name}=_default_{name}")
        attribute = cls.__dict__.get(name)
        if hasattr(type(attribute), "__set__"):  # a data descriptor: through its __set__
            namespace[f"_set_{name}"] = attribute.__set__  # type: ignore[union-attr]
            lines.append(f"    _set_{name}(self, {name})")
        else:
            lines.append(f"    _fields[{name!r}] = {name}")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    source = (
        f"def __init__(self, {', '.join(arguments)}):\n"
        "    _fields = self.__dict__\n" + "\n".join(lines) + "\n"
    )
    exec(source, namespace)
    init = namespace["__init__"]
    original = cls.__init__
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = original.__doc__
    init.__annotations__ = dict(getattr(original, "__annotations__", {}))
    init.dataclass_init = original
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
