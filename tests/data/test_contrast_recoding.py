"""The map from treatment-coded to sum-coded coefficients, found without the data rows."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.data.contrast_recoding import categorical_factors, sum_coding, treatment_coded_factors
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.mark.parametrize(
    ("treatment", "summed"),
    [
        ("mpg ~ C(cyl) * wt + hp", "mpg ~ C(cyl, contr.sum) * wt + hp"),
        (
            "mpg ~ C(cyl) * C(am) + poly(hp, 2, raw=True)",
            "mpg ~ C(cyl, contr.sum) * C(am, contr.sum) + poly(hp, 2, raw=True)",
        ),
    ],
)
def test_mapped_coefficients_equal_a_sum_coded_fit(treatment, summed):
    cars = load_dataset("mtcars")
    res = linmod.ols(treatment, data=cars)
    direct = linmod.ols(summed, data=cars)
    coding = sum_coding(res.design)
    mapped = coding.matrix @ res.coef.to_numpy()
    assert len(coding.names) == len(direct.names)  # same columns, in the same order
    assert_allclose(mapped, direct.coef.to_numpy(), rtol=1e-9, atol=1e-12)
    mapped_cov = coding.matrix @ res.cov_params().to_numpy() @ coding.matrix.T
    assert_allclose(mapped_cov, direct.cov_params().to_numpy(), rtol=1e-8, atol=1e-12)


def test_factor_lists():
    warp = load_dataset("warpbreaks")
    res = linmod.ols("breaks ~ C(wool, contr.sum) * tension", data=warp)
    assert set(categorical_factors(res.design)) == {"C(wool, contr.sum)", "tension"}
    assert treatment_coded_factors(res.design) == ("tension",)
    x = np.random.default_rng(0).normal(size=(10, 2))
    assert categorical_factors(linmod.ols(x, x[:, 0] + 1).design) == ()


def test_what_cannot_be_recoded_is_refused():
    cars = load_dataset("mtcars")
    with pytest.raises(InputError, match="stateful transforms"):
        sum_coding(linmod.ols("mpg ~ scale(wt) * C(am)", data=cars).design)
    with pytest.raises(InputError, match="categorical factors"):
        sum_coding(linmod.ols("mpg ~ wt * hp", data=cars).design)
