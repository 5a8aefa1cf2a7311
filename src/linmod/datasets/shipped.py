"""Real data sets shipped with linmod (no download), with their source and licence.

=========  ===============================================================  ==================
name       source                                                           licence
=========  ===============================================================  ==================
mtcars     Henderson and Velleman (1981), "Building multiple regression     GPL-2 (as shipped
           models interactively", Biometrics 37, 391-411; data from Motor   in R's datasets
           Trend magazine (1974). 32 cars, 11 variables.                    package)
longley    Longley (1967), "An appraisal of least squares programs for the  public domain (US
           electronic computer from the point of view of the user", JASA    government work,
           62, 819-841; the NIST StRD reference data. 16 years, 7 variables. NIST StRD)
=========  ===============================================================  ==================
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["SHIPPED", "longley", "mtcars"]

#: Name -> (one-line description, source, licence) of every shipped data set.
SHIPPED: dict[str, tuple[str, str, str]] = {
    "mtcars": (
        "fuel consumption and 10 design aspects of 32 cars (1973-74)",
        "Henderson & Velleman (1981), Biometrics 37; Motor Trend (1974)",
        "GPL-2, as distributed in R's datasets package",
    ),
    "longley": (
        "US macroeconomic data 1947-1962, a classic ill-conditioned regression",
        "Longley (1967), JASA 62; NIST Statistical Reference Datasets",
        "public domain (US government work)",
    ),
}


def _read(name: str) -> pd.DataFrame:
    with resources.files("linmod.datasets").joinpath(f"data/{name}.csv").open("rb") as file:
        return pd.read_csv(file)


def mtcars() -> pd.DataFrame:
    """Motor Trend cars: ``mpg`` and 10 design variables for 32 cars (``model`` names them)."""
    return _read("mtcars")


def longley() -> pd.DataFrame:
    """Longley's macroeconomic data: ``Employed`` and six highly collinear predictors.

    The values are NIST's certified-data file (units as NIST: ``Employed`` in persons,
    not R's thousands), with R's column names.
    """
    return _read("longley")
