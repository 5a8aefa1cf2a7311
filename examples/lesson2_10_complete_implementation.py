"""Lesson 2, "Complete Python Implementation": linear, Ridge and Lasso regression with a
train/test split and 5-fold cross-validation.

The lesson's data are seeded (``np.random.seed(42)``, 500 houses;
``linmod.datasets.house_prices()`` draws the same numbers) and so is its split
(``train_test_split(..., test_size=0.2, random_state=42)``), so every number matches what
the lesson's scikit-learn code prints (the lesson does not show its output).  The models are
linmod's: ``linmod.LinearRegression``, ``linmod.Ridge(alpha=1.0)``,
``linmod.Lasso(alpha=100)``, the metrics ``linmod.metrics``; the split, the scaler and
``cross_val_score`` (5 unshuffled folds) are scikit-learn's, as in the lesson, and accept
linmod's estimators unchanged.

One deliberate difference: the Lasso runs with ``tol=1e-10`` instead of the default
``1e-4``.  At ``1e-4`` coordinate descent stops within about a dollar of the optimum, at a
point that depends on the implementation (scikit-learn's stops at 143,090.98 for
square_feet, linmod's at 143,091.68); at ``1e-10`` the printed cents are those of the
exact Lasso solution (143,090.90).

Every feature survives ``alpha=100``; the end shows the lesson's selected/dropped listing
where the penalty is large enough to drop some (``linmod.lasso`` with a formula,
``standardize=True``: the same standardised penalty, coefficients in dollars).

Run::

    python examples/lesson2_10_complete_implementation.py
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler

import linmod
from linmod.metrics import mae, mse, r2


def main() -> None:
    """The lesson's block with linmod's estimators and metrics."""
    data = linmod.datasets.house_prices(n=500, seed=42)

    X = data.drop("price", axis=1)
    y = data["price"]

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    scaler = StandardScaler()
    X_train_scaled = scaler.fit_transform(X_train)
    X_test_scaled = scaler.transform(X_test)

    lr = linmod.LinearRegression()
    lr.fit(X_train_scaled, y_train)
    y_pred_lr = lr.predict(X_test_scaled)

    print("=== Linear Regression ===")
    print(f"R² Score: {r2(y_test, y_pred_lr):.4f}")
    print(f"RMSE: ${np.sqrt(mse(y_test, y_pred_lr)):,.2f}")
    print(f"MAE: ${mae(y_test, y_pred_lr):,.2f}")

    ridge = linmod.Ridge(alpha=1.0)
    ridge.fit(X_train_scaled, y_train)
    y_pred_ridge = ridge.predict(X_test_scaled)

    print("\n=== Ridge Regression (L2) ===")
    print(f"R² Score: {r2(y_test, y_pred_ridge):.4f}")

    lasso = linmod.Lasso(alpha=100, tol=1e-10)
    lasso.fit(X_train_scaled, y_train)
    y_pred_lasso = lasso.predict(X_test_scaled)

    print("\n=== Lasso Regression (L1) ===")
    print(f"R² Score: {r2(y_test, y_pred_lasso):.4f}")
    for name, coef in zip(X.columns, lasso.coef_, strict=True):
        print(f"  {name}: ${coef:,.2f} {'(selected)' if abs(coef) > 0 else '(dropped)'}")

    print("\n=== Cross-Validation (5-fold) ===")
    models = {
        "Linear": linmod.LinearRegression(),
        "Ridge": linmod.Ridge(alpha=1.0),
        "Lasso": linmod.Lasso(alpha=100, tol=1e-10),
    }
    for name, model in models.items():
        scores = cross_val_score(model, scaler.transform(X), y, cv=5, scoring="r2")
        print(f"{name}: R² = {scores.mean():.4f} ± {scores.std():.4f}")

    print("\n=== Lasso with a larger penalty (alpha = 15000, standardised) ===")
    train = X_train.assign(price=y_train)
    fit = linmod.lasso(
        "price ~ square_feet + bedrooms + bathrooms + age + garage",
        data=train,
        alpha=15000,
        standardize=True,
        tol=1e-10,
    )
    for feature, coef, status in fit.selection().itertuples(index=False):
        print(f"  {feature}: ${coef:,.2f} ({status})")
    print(f"selected: {', '.join(fit.selected)}; dropped: {', '.join(fit.dropped)}")


if __name__ == "__main__":
    main()
