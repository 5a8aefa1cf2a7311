"""Lesson 1 (ML-06), Deep Dive Q1: "When does the normal equation fail?".

Works through the lesson's four rows on the second lesson's house-price data (seeded:
``np.random.seed(42)``, ``linmod.datasets.house_prices()``):

1. **Singular matrix** (``feature_3 = 2 × feature_1``): ``XᵀX`` cannot be inverted.
   linmod finds the dependency, gives the aliased column a NaN coefficient (as R) and
   says which it is; ``on_singular="raise"`` makes it an error.  Remedy: drop it.
2. **Near-singular matrix** (a near copy of a feature, noise added with seed 0):
   the coefficients of the pair become huge and unstable with enormous standard errors;
   the textbook ``solver="normal"`` warns that squaring the condition number cost digits.
   Remedy: ridge regression (``linmod.ridge``) shares the effect between the pair.
3. **Large dataset**: forming ``XᵀX`` costs O(n·p²) and solving it O(p³) (the lesson's
   "O(n³)" is for an n×n matrix; here the matrix is p×p), so a direct fit of 200,000 rows
   is quick; gradient descent (``linmod.GDRegressor``) gives the same coefficients and is
   the tool for data that arrive in pieces (``partial_fit``).
4. **More features than samples** (p > n, seed 1): least squares has no unique
   solution; linmod refuses with a clear message, ridge still works.

Run::

    python examples/lesson1_07_normal_equation_failures.py
"""

from __future__ import annotations

import warnings

import numpy as np

import linmod

FEATURES = "square_feet + bedrooms + bathrooms + age + garage"


def singular() -> None:
    """Row 1: an exactly dependent feature."""
    print("1) Singular XᵀX: sqft_twice = 2 × square_feet")
    data = linmod.datasets.house_prices()
    data["sqft_twice"] = 2 * data["square_feet"]
    X = np.c_[np.ones(len(data)), data[["square_feet", "sqft_twice"]].to_numpy()]
    print(f"   cond(XᵀX) = {np.linalg.cond(X.T @ X):.1e} (numerically singular)")
    res = linmod.ols(f"price ~ {FEATURES} + sqft_twice", data=data)
    print("   linmod.ols keeps the model and marks the aliased column:")
    for term, value in res.coef.items():
        print(f"     {term:<12} {value:>12.4f}")
    print(f"   dependency found: {'; '.join(res.dependencies)}")
    try:
        linmod.ols(f"price ~ {FEATURES} + sqft_twice", data=data, on_singular="raise")
    except linmod.SingularDesignError as error:
        print(f"   with on_singular='raise': SingularDesignError: {error}")
    reduced = linmod.ols(f"price ~ {FEATURES}", data=data)
    print(f"   remedy, drop it: square_feet = {reduced.coef['square_feet']:.4f} (same fit)")


def near_singular() -> None:
    """Row 2: a nearly dependent feature, and ridge."""
    print("\n2) Near-singular XᵀX: sqft_noisy = square_feet + N(0, 1²)")
    data = linmod.datasets.house_prices()
    rng = np.random.default_rng(0)
    data["sqft_noisy"] = data["square_feet"] + rng.normal(0.0, 1.0, len(data))
    formula = f"price ~ {FEATURES} + sqft_noisy"
    res = linmod.ols(formula, data=data)
    print(f"   condition number of the scaled design: {res.condition_number:.3g}")
    for term in ("square_feet", "sqft_noisy"):
        print(f"   OLS   {term:<12} {res.coef[term]:>10.2f}  (std. error {res.std_err[term]:.2f})")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        linmod.ols(formula, data=data, solver="normal")
    for warning in caught:
        if issubclass(warning.category, linmod.NearSingularWarning):
            print(f"   solver='normal' warns: {warning.message}")
    fit = linmod.ridge(formula, data=data, alpha=1.0, standardize=True)
    for term in ("square_feet", "sqft_noisy"):
        print(f"   Ridge {term:<12} {fit.coef[term]:>10.2f}")
    print(
        f"   Ridge splits the effect: sum {fit.coef['square_feet'] + fit.coef['sqft_noisy']:.2f} "
        "(the true price per sqft is 150)"
    )


def large() -> None:
    """Row 3: many rows."""
    print("\n3) Large data: 200,000 rows, 5 features")
    big = linmod.datasets.house_prices(n=200_000, seed=7)
    X, y = big.drop(columns="price").to_numpy(), big["price"].to_numpy()
    direct = linmod.ols(X, y)
    gd = linmod.GDRegressor().fit(X, y)
    print(f"   direct (QR):      {np.array2string(direct.coef.to_numpy(), precision=3)}")
    gd_coef = np.r_[gd.intercept_, gd.coef_]
    print(
        f"   gradient descent: {np.array2string(gd_coef, precision=3)} "
        f"({gd.n_iter_} iterations, converged: {gd.converged_})"
    )
    gap = np.max(np.abs(gd_coef - direct.coef.to_numpy()) / np.abs(direct.coef.to_numpy()))
    print(f"   largest relative difference: {gap:.1e}")


def wide() -> None:
    """Row 4: more features than samples."""
    print("\n4) More features than samples: 5 rows, 10 features")
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 10)), rng.normal(size=5)
    print(
        f"   rank of XᵀX (11×11 with the intercept): "
        f"{np.linalg.matrix_rank(np.c_[np.ones(5), X].T @ np.c_[np.ones(5), X])}"
    )
    try:
        linmod.ols(X, y)
    except linmod.InputError as error:
        print(f"   linmod.ols: InputError: {error}")
    fit = linmod.ridge(X, y, alpha=1.0)
    print(
        f"   linmod.ridge(X, y, alpha=1.0) fits: {np.count_nonzero(fit.coef)} coefficients, "
        f"in-sample R² {fit.r_squared:.3f}"
    )


def main() -> None:
    """The four rows of the lesson's table."""
    singular()
    near_singular()
    large()
    wide()


if __name__ == "__main__":
    main()
