"""``cached_property`` without the lock Python 3.11's ``functools`` version takes.

Python 3.11's :class:`functools.cached_property` takes a lock shared by every instance of
the class on each first read (removed in Python 3.12, which documents it as a flaw: it
serialised unrelated instances).  The results of a fit compute a handful of cached
values on first use, so on a small fit (1000 x 5) the lock was 3% of the Python work.
This is the Python 3.12 behaviour: the value is computed on first read and stored in the
instance's ``__dict__``, which later reads find first; two threads reading at once may
both compute it (the values are pure functions of the fit, so equal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["cached_property"]

T = TypeVar("T")


class cached_property(Generic[T]):
    """Turn a method into a property computed once per instance, then kept.

    Parameters
    ----------
    func : callable
        The method computing the value from the instance.
    """

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname = func.__name__
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.attrname] = value
        return value
