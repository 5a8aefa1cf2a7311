"""A transformed response that is not finite (log of zero) is refused, naming the rows."""

from __future__ import annotations

import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError


def test_a_transformed_response_that_is_not_finite_names_its_rows():
    frame = pd.DataFrame({"y": [1.0, 0.0, 2, 3, -1, 5], "x": [1.0, 2, 3, 4, 5, 7]})
    with pytest.raises(InputError, match=r"the response 'np.log\(y\)' is not finite in rows 2, 5"):
        linmod.ols("np.log(y) ~ x", data=frame)
