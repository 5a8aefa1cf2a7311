"""linmod's distribution functions return scipy.stats' values to the bit (scipy.stats is
the reference here: the diagnostics used it before, and the report must not change)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from linmod.inference import distributions

X = np.array(
    [
        -np.inf,
        -40.0,
        -3.5,
        -1.0,
        -1e-300,
        -0.0,
        0.0,
        1e-300,
        0.25,
        1.0,
        2.5,
        7.0,
        40.0,
        1e6,
        np.inf,
        np.nan,
    ]
)
Q = np.array([-0.5, 0.0, 1e-300, 1e-12, 0.025, 0.25, 0.5, 0.975, 1 - 1e-12, 1.0, 1.5, np.nan])
SHAPES = {
    "norm": [()],
    "chi2": [(1.0,), (2.0,), (7.5,), (0.0,), (-1.0,), (np.nan,)],
    "f": [(1.0, 1.0), (3.0, 28.0), (2.0, 1e6), (0.0, 5.0), (4.0, np.nan)],
    "t": [(1.0,), (3.0,), (29.0,), (1e8,), (0.0,), (np.nan,)],
}
METHODS = {
    "norm": ["cdf", "sf", "logcdf", "logsf", "ppf"],
    "chi2": ["cdf", "sf"],
    "f": ["cdf", "sf"],
    "t": ["cdf", "sf", "ppf"],
}


def _call(distribution, method, *args, **kwargs):
    with np.errstate(divide="ignore", invalid="ignore"):  # scale=0: both divide by it
        return getattr(distribution, method)(*args, **kwargs)


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_nan = np.isnan(a) & np.isnan(b)
    return a.shape == b.shape and bool((both_nan | (a.view(np.int64) == b.view(np.int64))).all())


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_method_matches_scipy_stats_to_the_bit(name):
    ours, theirs = getattr(distributions, name), getattr(scipy_stats, name)
    for method in METHODS[name]:
        points = Q if method == "ppf" else X
        for shapes in SHAPES[name]:
            for loc, scale in [(0, 1), (1.5, 2.0), (0.0, 0.0), (-3.0, 0.1)]:
                got = _call(ours, method, points, *shapes, loc=loc, scale=scale)
                want = _call(theirs, method, points, *shapes, loc=loc, scale=scale)
                assert _same(got, want), (name, method, shapes, loc, scale, got, want)
                for point in points[[1, 4, 8]]:  # scalars give scalars, as scipy's do
                    got = _call(ours, method, point, *shapes, loc=loc, scale=scale)
                    want = _call(theirs, method, point, *shapes, loc=loc, scale=scale)
                    assert _same(got, want)
                    assert np.ndim(got) == np.ndim(want) == 0


def test_array_shapes_and_broadcast_parameters_match():
    x = np.linspace(-2.0, 9.0, 12).reshape(3, 4)
    df = np.array([1.0, 2.0, 5.0, 30.0])
    for name in ("chi2", "t"):
        got = getattr(distributions, name).sf(x, df)
        want = getattr(scipy_stats, name).sf(x, df)
        assert _same(got, want)
    assert _same(distributions.f.sf(x, df, 12.0), scipy_stats.f.sf(x, df, 12.0))
    assert _same(distributions.norm.ppf([0.25, 0.75]), scipy_stats.norm.ppf([0.25, 0.75]))
