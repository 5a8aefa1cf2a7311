"""Bundled data sets: the lessons' seeded data and the shipped real data."""
# ruff: noqa: NPY002  (the lessons' code uses the legacy global generator; reproduced verbatim)

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main

from ..conftest import NIST_DIR
from ..models.nist import read_nist


def test_house_prices_simple_reproduces_the_lesson():
    # The lesson's own code: np.random.seed(42); X = 2 * rand(100, 1); y = 4 + 3X + randn.
    np.random.seed(42)
    x = 2 * np.random.rand(100, 1)
    y = 4 + 3 * x.ravel() + np.random.randn(100)
    data = linmod.datasets.house_prices_simple()
    assert_allclose(data["size"], x.ravel(), rtol=0)
    assert_allclose(data["price"], y, rtol=0)


def test_house_prices_reproduces_the_second_lesson():
    np.random.seed(42)
    n = 500
    square_feet = np.random.uniform(800, 4000, n)
    bedrooms = np.random.randint(1, 6, n)
    bathrooms = np.random.randint(1, 4, n)
    age = np.random.uniform(0, 50, n)
    garage = np.random.randint(0, 3, n)
    price = (
        50000
        + 150 * square_feet
        + 10000 * bedrooms
        + 15000 * bathrooms
        - 1000 * age
        + 20000 * garage
        + np.random.normal(0, 20000, n)
    )
    data = linmod.datasets.house_prices()
    assert_allclose(data["price"], price, rtol=0)
    assert_allclose(data["garage"], garage, rtol=0)


def test_shipped_longley_is_the_nist_data_and_fits_to_the_certified_values():
    data = linmod.datasets.longley()
    nist = read_nist(NIST_DIR / "Longley.dat")
    assert len(data) == 16
    res = linmod.ols(data.iloc[:, :6].to_numpy(), data["Employed"].to_numpy())
    assert_allclose(res.coef.to_numpy(), nist.coef, rtol=1e-12)
    assert_allclose(res.std_err.to_numpy(), nist.std_err, rtol=1e-12)


def test_shipped_mtcars_and_the_cli_listing(capsys):
    cars = linmod.datasets.mtcars()
    assert cars.shape == (32, 12)
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "mtcars" in out
    assert "licence: public domain" in out
