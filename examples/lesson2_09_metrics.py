"""Lesson 2, "Model Evaluation Metrics": R², adjusted R², RMSE, MAE, their comparison table,
and Discussion Q3 ("Why might a lower R² model be preferable?").

On the lesson's house prices (seeded: ``np.random.seed(42)``,
``linmod.datasets.house_prices()``) with the lesson's 80/20 split (``random_state=42``):

* each metric by its formula, next to ``linmod.metrics`` and the fit's own attributes
  (``res.r_squared``, ``res.adj_r_squared``, ``res.rmse``, ``res.mae``);
* the comparison table's "sensitivity to outliers": one house whose price is recorded
  $300,000 too high moves the RMSE far more than the MAE;
* Q3: adding 20 columns of pure noise (``np.random.default_rng(5)``) raises the training
  R² (it can never fall) but lowers the adjusted R² and the test R²: the model with the
  lower R² is the better one.

Run::

    python examples/lesson2_09_metrics.py
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import train_test_split

import linmod
from linmod import metrics


def main() -> None:
    """Metrics by hand and by linmod; outliers; noise features."""
    data = linmod.datasets.house_prices()
    X, y = data.drop(columns="price"), data["price"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    model = linmod.LinearRegression().fit(X_train, y_train)
    res = model.results_

    yt, yp = y_test.to_numpy(), model.predict(X_test)
    n, p = yt.size, X.shape[1]
    r2 = 1 - np.sum((yt - yp) ** 2) / np.sum((yt - yt.mean()) ** 2)
    print("Test set (100 houses):")
    print(f"  R²          formula {r2:.6f}   linmod.metrics.r2   {metrics.r2(yt, yp):.6f}")
    adj = 1 - (1 - r2) * (n - 1) / (n - p - 1)
    print(
        f"  adjusted R² formula {adj:.6f}   linmod.metrics.adjusted_r2 "
        f"{metrics.adjusted_r2(yt, yp, n_features=p):.6f}"
    )
    rmse = np.sqrt(np.mean((yt - yp) ** 2))
    print(f"  RMSE        formula {rmse:,.2f}   linmod.metrics.rmse {metrics.rmse(yt, yp):,.2f}")
    mae = np.mean(np.abs(yt - yp))
    print(f"  MAE         formula {mae:,.2f}   linmod.metrics.mae  {metrics.mae(yt, yp):,.2f}")
    print("Training set (the fit's attributes):")
    print(
        f"  R² {res.r_squared:.6f}, adjusted R² {res.adj_r_squared:.6f}, "
        f"RMSE {res.rmse:,.2f}, MAE {res.mae:,.2f}"
    )

    bad = yt.copy()
    bad[0] += 300_000
    print("\nOne test price recorded $300,000 too high:")
    print(f"  RMSE {metrics.rmse(yt, yp):,.2f} -> {metrics.rmse(bad, yp):,.2f}")
    print(f"  MAE  {metrics.mae(yt, yp):,.2f} -> {metrics.mae(bad, yp):,.2f}")
    print(f"  R²   {metrics.r2(yt, yp):.4f} -> {metrics.r2(bad, yp):.4f}")

    rng = np.random.default_rng(5)
    noise = rng.normal(size=(len(X), 20))
    names = [f"noise{j}" for j in range(20)]
    X_noisy = X.assign(**{name: noise[:, j] for j, name in enumerate(names)})
    Xn_train, Xn_test = X_noisy.loc[X_train.index], X_noisy.loc[X_test.index]
    noisy = linmod.LinearRegression().fit(Xn_train, y_train)
    print("\nQ3: 5 real features against the same plus 20 noise columns:")
    print(f"{'model':<22}{'train R²':>10}{'adj. R²':>10}{'test R²':>10}")
    for name, fitted, Xt in (("5 features", model, X_test), ("25 features", noisy, Xn_test)):
        test_r2 = metrics.r2(y_test, fitted.predict(Xt))
        print(
            f"{name:<22}{fitted.results_.r_squared:>10.5f}"
            f"{fitted.results_.adj_r_squared:>10.5f}{test_r2:>10.5f}"
        )


if __name__ == "__main__":
    main()
