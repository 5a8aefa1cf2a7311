"""linmod._frozen.quick_init: the same objects as the dataclass's own ``__init__``."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field

import numpy as np
import pytest

import linmod
from linmod._frozen import quick_init
from linmod.data.design import Design
from linmod.inference.results import OLSResults
from linmod.linalg.scaling import Magnitudes
from linmod.solvers.base import LeastSquaresProblem, ResidualSquares, SolverResult


class _Stored:
    """A data descriptor storing under another key, as design.py's _DefaultLabels."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_{name}"

    def __get__(self, obj: object, owner: type | None = None) -> object:
        if obj is None:
            raise AttributeError("no class-level value: a required field")
        return obj.__dict__[self.key]

    def __set__(self, obj: object, value: object) -> None:
        obj.__dict__[self.key] = ("stored", value)


@quick_init
@dataclass(frozen=True)
class _Sample:
    a: int
    b: list
    c: _Stored = _Stored()  # a descriptor field, as ConditioningField
    d: str = "default"
    e: tuple = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("a must be >= 0")


def _by_dataclass_init(cls: type, *args: object, **kwargs: object) -> object:
    obj = object.__new__(cls)
    cls.__init__.dataclass_init(obj, *args, **kwargs)  # type: ignore[misc]
    return obj


def test_quick_init_builds_what_the_dataclass_init_builds():
    made = _Sample(1, [2], 3, e=(4,))
    reference = _by_dataclass_init(_Sample, 1, [2], 3, e=(4,))
    assert made.__dict__ == reference.__dict__
    assert made.__dict__["_c"] == ("stored", 3)  # through the descriptor
    assert made.d == "default"
    assert made == reference
    assert repr(made) == repr(reference)
    assert inspect.signature(_Sample.__init__) == inspect.signature(_Sample.__init__.dataclass_init)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.a = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="a must be"):
        _Sample(-1, [], 0)  # __post_init__ runs
    with pytest.raises(TypeError):
        _Sample(1)  # type: ignore[call-arg] - required arguments stay required
    changed = dataclasses.replace(made, d="other")
    assert (changed.d, changed.a, changed.__dict__["_c"]) == ("other", 1, ("stored", ("stored", 3)))


def test_quick_init_refuses_what_it_does_not_copy():
    @dataclass
    class NotFrozen:
        a: int

    @dataclass(frozen=True)
    class Factory:
        a: list = field(default_factory=list)

    @dataclass(frozen=True, kw_only=True)
    class KeywordOnly:
        a: int

    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int

    @dataclass(frozen=True)
    class ClashingName:  # a field named as the generated __init__'s own local
        _fields: int

    for cls in (NotFrozen, Factory, KeywordOnly, Slotted, ClashingName, int):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_every_object_of_a_fit_is_the_same_by_either_init(fit_intercept):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 3))
    res = linmod.ols(x, x @ [1.0, 2.0, 3.0] + rng.standard_normal(40), fit_intercept=fit_intercept)
    solution = res.solution
    problem = LeastSquaresProblem(x=res.design.x, y=res.design.y, names=res.design.column_names)
    objects = [res, res.design, solution, solution.residual_squares, problem]
    if fit_intercept:
        objects.append(Magnitudes(x, res.design.y, np.ones(3), 1.0))
    seen = set()
    for obj in objects:
        cls = type(obj)
        seen.add(cls)
        values = {f.name: obj.__dict__.get(f.name) for f in dataclasses.fields(obj)}
        for name in ("condition_number", "weakest_direction"):  # stored by descriptors
            if name in values:
                values[name] = getattr(obj, name)
        if cls is Design:
            values["row_labels"] = values["dropped_labels"] = None  # made when read
        quick, reference = cls(**values), _by_dataclass_init(cls, **values)
        assert quick.__dict__.keys() == reference.__dict__.keys()
        for key, value in quick.__dict__.items():
            assert value is reference.__dict__[key] or value == reference.__dict__[key], key
        assert inspect.signature(cls.__init__) == inspect.signature(cls.__init__.dataclass_init)
    assert {Design, SolverResult, ResidualSquares, OLSResults, LeastSquaresProblem} <= seen
