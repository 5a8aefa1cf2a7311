"""Every script in ``examples/`` runs and prints the lessons' numbers (issue 6, item 6).

Each script runs in a subprocess (``MPLBACKEND=Agg``, figures into ``tmp_path``); its key
printed numbers are compared with values from an independent source: the lessons' printed
outputs, the lessons' own code re-run here with numpy/scikit-learn, statsmodels/scipy, or
exact fractions (exercise 1).  The lessons' data are regenerated here from the lessons'
code, not read from ``linmod.datasets``; the data a script simulates itself (no lesson
data exist for it) are taken from the script's own generator.

``LESSON_BLOCKS`` maps every code block, exercise and worked example of the two lessons to
its script; tests check that the mapping and ``examples/`` agree both ways, and, when the
lesson texts are available (``../shared/seeds``), that every block it names is in them.
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
LESSONS = ROOT.parent / "shared" / "seeds"
SCRIPTS = sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: A printed number: optional sign, thousands separators, decimals, exponent, or nan.  Not
#: a digit glued to a name (the 2 of "x2", "r2") or to a decimal point.
NUMBER = re.compile(
    r"(?<![\w.])-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?|nan"
)

LESSON_1 = "000"  # ML-06: Linear Regression
LESSON_2 = "003"  # Linear Regression: Math + Code + Assumptions

#: (lesson, kind, the block as quoted from the lesson, script).  ``kind`` is "code" for a
#: code block (quoted by a line that begins it or is unique to it), "exercise", or "prose"
#: for a worked example (quoted by its heading or a phrase of it).
LESSON_BLOCKS: list[tuple[str, str, str, str]] = [
    (LESSON_1, "prose", "Why Squared Error?", "lesson1_01_squared_error.py"),
    (LESSON_1, "prose", "Deriving the Closed-Form Solution", "lesson1_02_normal_equation.py"),
    (LESSON_1, "prose", "Geometric Interpretation", "lesson1_02_normal_equation.py"),
    (LESSON_1, "prose", "Understanding R² Score", "lesson1_03_r2_score.py"),
    (LESSON_1, "code", "class LinearRegressionScratch:", "lesson1_04_scratch_class.py"),
    (LESSON_1, "code", "import matplotlib.pyplot as plt", "lesson1_05_house_price.py"),
    (LESSON_1, "code", "from sklearn.datasets import load_diabetes", "lesson1_06_diabetes.py"),
    (
        LESSON_1,
        "prose",
        "Q1: When does the normal equation fail?",
        "lesson1_07_normal_equation_failures.py",
    ),
    (
        LESSON_1,
        "prose",
        "Q2: What does a negative coefficient mean?",
        "lesson1_08_negative_coefficients.py",
    ),
    (
        LESSON_1,
        "prose",
        "Q3: Linear regression vs. correlation?",
        "lesson1_09_correlation_vs_regression.py",
    ),
    (
        LESSON_1,
        "prose",
        "Q4: How to handle categorical features?",
        "lesson1_10_categorical_features.py",
    ),
    (LESSON_2, "prose", "Ordinary Least Squares (OLS) Derivation", "lesson2_01_ols_closed_form.py"),
    (LESSON_2, "code", "import numpy as np", "lesson2_01_ols_closed_form.py"),
    (LESSON_2, "prose", "Gauss-Markov Theorem", "lesson2_02_gauss_markov.py"),
    (LESSON_2, "code", "def gradient_descent(", "lesson2_03_gradient_descent.py"),
    (LESSON_2, "prose", "Convergence Visualization", "lesson2_04_learning_rate.py"),
    (LESSON_2, "prose", "Feature Scaling for Gradient Descent", "lesson2_05_feature_scaling.py"),
    (LESSON_2, "code", "X_scaled = scaler.fit_transform(X)", "lesson2_05_feature_scaling.py"),
    (LESSON_2, "prose", "Coefficient Interpretation", "lesson2_06_multiple_regression.py"),
    (LESSON_2, "prose", "Assumptions of Linear Regression", "lesson2_07_assumptions.py"),
    (LESSON_2, "prose", "Durbin-Watson", "lesson2_07_assumptions.py"),
    (LESSON_2, "prose", "Q-Q plot or Shapiro-Wilk test", "lesson2_07_assumptions.py"),
    (LESSON_2, "prose", "Variance Inflation Factor", "lesson2_07_assumptions.py"),
    (LESSON_2, "prose", "No Multicollinearity", "lesson2_08_multicollinearity_ridge.py"),
    (
        LESSON_2,
        "prose",
        "How does multicollinearity affect coefficient interpretation?",
        "lesson2_08_multicollinearity_ridge.py",
    ),
    (LESSON_2, "prose", "Model Evaluation Metrics", "lesson2_09_metrics.py"),
    (LESSON_2, "prose", "Why might a lower", "lesson2_09_metrics.py"),
    (LESSON_2, "prose", "Complete Python Implementation", "lesson2_10_complete_implementation.py"),
    (LESSON_2, "code", "import numpy as np", "lesson2_10_complete_implementation.py"),
    (LESSON_2, "exercise", "Exercise 1: Manual Calculation", "exercise1_manual_calculation.py"),
    (
        LESSON_2,
        "exercise",
        "Exercise 2: Implement from Scratch",
        "exercise2_simple_from_scratch.py",
    ),
    (LESSON_2, "code", "class SimpleLinearRegression:", "exercise2_simple_from_scratch.py"),
    (LESSON_2, "exercise", "Exercise 3: Assumption Checking", "exercise3_assumptions.py"),
    (
        LESSON_2,
        "code",
        "from sklearn.datasets import fetch_california_housing",
        "exercise3_assumptions.py",
    ),
    (
        LESSON_2,
        "exercise",
        "Exercise 4: Regularization Effect",
        "exercise4_regularization_effect.py",
    ),
    (
        LESSON_2,
        "code",
        "alphas = [0.001, 0.01, 0.1, 1, 10, 100, 1000]",
        "exercise4_regularization_effect.py",
    ),
]


# --------------------------------------------------------------------------- running


def numbers(text: str) -> list[float]:
    """Every number printed in ``text``."""
    return [float(m.replace(",", "")) for m in NUMBER.findall(text)]


@dataclass(frozen=True)
class Run:
    """The output of one example run."""

    script: str
    out: str
    folder: Path

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.out.splitlines()]

    def rows(self, start: str) -> list[list[float]]:
        """Numbers after ``start`` on every line that begins with it."""
        found = [numbers(line[len(start) :]) for line in self.lines if line.startswith(start)]
        assert found, f"{self.script}: no line starts with {start!r}:\n{self.out}"
        return found

    def row(self, start: str) -> list[float]:
        """Numbers after ``start`` on the first line that begins with it."""
        return self.rows(start)[0]

    def line(self, start: str) -> str:
        """The first line that begins with ``start``."""
        self.row(start)
        return next(line for line in self.lines if line.startswith(start))

    def after(self, text: str) -> list[float]:
        """Numbers after the first occurrence of ``text``, up to the end of its line."""
        at = self.out.find(text)
        assert at >= 0, f"{self.script}: {text!r} not in the output:\n{self.out}"
        return numbers(self.out[at + len(text) :].split("\n", 1)[0])

    def section(self, start: str, end: str | None = None) -> Run:
        """The part of the output from ``start`` to ``end`` (or to the end)."""
        begin = self.out.find(start)
        assert begin >= 0, f"{self.script}: {start!r} not in the output"
        stop = self.out.find(end, begin) if end else -1
        return Run(self.script, self.out[begin : stop if stop >= 0 else None], self.folder)

    def figure(self, name: str) -> None:
        """The figure exists and is a non-empty PNG."""
        path = self.folder / name
        assert path.is_file(), f"{self.script} did not write {name}"
        content = path.read_bytes()
        assert content.startswith(PNG_SIGNATURE), f"{name} is not a PNG"
        assert len(content) > 5_000, f"{name} is suspiciously small ({len(content)} bytes)"


def run_example(script: str, tmp_path: Path) -> Run:
    """Run ``examples/<script>`` in a fresh interpreter and return its output."""
    folder = tmp_path / "figures"
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "LINMOD_EXAMPLES_OUT": str(folder),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("DISPLAY", None)
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, f"{script} exited with {proc.returncode}:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Warning" not in proc.stderr, f"{script} let a warning through:\n{proc.stderr}"
    return Run(script, proc.stdout, folder)


def at(decimals: int, expected: float) -> Any:
    """Equal to ``expected`` as printed with ``decimals`` decimals."""
    return pytest.approx(expected, abs=0.5 * 10.0**-decimals * (1 + 1e-6) + 1e-12 * abs(expected))


def sig(digits: int, expected: float) -> Any:
    """Equal to ``expected`` as printed with ``digits`` significant digits."""
    return pytest.approx(expected, rel=0.5 * 10.0 ** (1 - digits) * (1 + 1e-6))


def script_namespace(script: str) -> dict[str, Any]:
    """The script's functions (its data generators), without running ``main``."""
    return runpy.run_path(str(EXAMPLES / script), run_name="examples_under_test")


# --------------------------------------------------------------------------- the lessons' data


def lesson1_house() -> tuple[np.ndarray, np.ndarray]:
    """Lesson 1: ``np.random.seed(42); X = 2 * rand(100, 1); y = 4 + 3X + randn(100)``."""
    rng = np.random.RandomState(42)  # the legacy global generator is a RandomState
    X = 2 * rng.rand(100, 1)
    y = 4 + 3 * X.ravel() + rng.randn(100)
    return X, y


def lesson2_house(n: int = 500, seed: int = 42) -> pd.DataFrame:
    """Lesson 2's complete implementation, ``np.random.seed(42)``."""
    rng = np.random.RandomState(seed)
    data = pd.DataFrame(
        {
            "square_feet": rng.uniform(800, 4000, n),
            "bedrooms": rng.randint(1, 6, n),
            "bathrooms": rng.randint(1, 4, n),
            "age": rng.uniform(0, 50, n),
            "garage": rng.randint(0, 3, n),
        }
    )
    data["price"] = (
        50000
        + 150 * data["square_feet"]
        + 10000 * data["bedrooms"]
        + 15000 * data["bathrooms"]
        - 1000 * data["age"]
        + 20000 * data["garage"]
        + rng.normal(0, 20000, n)
    )
    return data


FEATURES = ["square_feet", "bedrooms", "bathrooms", "age", "garage"]


def lesson2_gd_data() -> tuple[np.ndarray, np.ndarray]:
    """Lesson 2's gradient-descent data, ``np.random.seed(42)``."""
    rng = np.random.RandomState(42)
    X = rng.randn(100, 3)
    y = 3 * X[:, 0] + 2 * X[:, 1] - 1 * X[:, 2] + 5 + rng.randn(100) * 0.5
    return X, y


def lesson_gradient_descent(
    X: np.ndarray, y: np.ndarray, learning_rate: float, n_iterations: int
) -> tuple[np.ndarray, list[float]]:
    """The lesson's ``gradient_descent``, verbatim."""
    n_samples, n_features = X.shape
    beta = np.zeros(n_features + 1)
    X_b = np.c_[np.ones((n_samples, 1)), X]
    cost_history = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_iterations):
            y_pred = X_b @ beta
            cost = np.mean((y_pred - y) ** 2)
            cost_history.append(float(cost))
            gradients = (2 / n_samples) * X_b.T @ (y_pred - y)
            beta -= learning_rate * gradients
    return beta, cost_history


def lstsq(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares with an intercept, by numpy's SVD solver."""
    return np.linalg.lstsq(np.c_[np.ones(len(X)), X], y, rcond=None)[0]


def sm_ols(y: Any, X: Any) -> Any:
    """statsmodels OLS with a constant."""
    import statsmodels.api as sm

    return sm.OLS(np.asarray(y, dtype=float), sm.add_constant(np.asarray(X, dtype=float))).fit()


def standardized_ridge(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    """Ridge on standardised columns (population sd), coefficients mapped back."""
    from sklearn.linear_model import Ridge
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    model = Ridge(alpha=alpha).fit(scaler.transform(X), y)
    coef = model.coef_ / scaler.scale_
    return float(model.intercept_ - coef @ scaler.mean_), coef


# --------------------------------------------------------------------------- checks per script

CHECKS: dict[str, Callable[[Run], None]] = {}


def checks(script: str) -> Callable[[Callable[[Run], None]], Callable[[Run], None]]:
    """Register the check of one script."""

    def register(function: Callable[[Run], None]) -> Callable[[Run], None]:
        CHECKS[script] = function
        return function

    return register


@checks("lesson1_01_squared_error.py")
def check_squared_error(run: Run) -> None:
    X, y = lesson1_house()
    x = X.ravel()
    slope, intercept = np.polyfit(x, y, 1)
    lines = {
        f"least squares ({intercept:.2f} + {slope:.2f}·size)": (intercept, slope),
        "flat line at the mean": (y.mean(), 0.0),
        "steeper line through the means": (y.mean() - 5 * x.mean(), 5.0),
    }
    for start, (b0, b1) in lines.items():
        errors = y - b0 - b1 * x
        total, absolute, squared = run.row(start)[-3:]
        assert total == at(4, errors.sum())
        assert absolute == at(4, np.abs(errors).sum())
        assert squared == at(4, (errors**2).sum())
    assert run.after("residual sum of squares of the fit (res.ssr):") == [
        at(4, np.sum((y - intercept - slope * x) ** 2))
    ]
    assert "absolute 2 vs 2, squared 4 vs 2" in run.out
    run.figure("house_price_fit.png")


@checks("lesson1_02_normal_equation.py")
def check_normal_equation(run: Run) -> None:
    X, y = lesson1_house()
    X1 = np.c_[np.ones(len(y)), X]
    w = np.array([1.0, 1.0])
    expected_cost = float(np.sum((y - X1 @ w) ** 2))
    assert run.row("‖y - Xw‖² at w = (1, 1):") == [at(6, expected_cost)]
    assert run.row("yᵀy - 2wᵀXᵀy + wᵀXᵀXw at w = (1, 1):") == [at(6, expected_cost)]
    gradient = -2 * X1.T @ y + 2 * X1.T @ X1 @ w
    assert run.row("formula:") == [at(4, g) for g in gradient]
    assert run.row("finite differences:") == [at(4, g) for g in gradient]
    w_star = lstsq(X, y)
    assert run.row("w* by the normal equation (solver='normal'): intercept") == [
        at(6, v) for v in w_star
    ]
    assert run.row("w* by linmod's default solver:") == [at(6, v) for v in w_star]
    assert run.after("gradient at w*: max |∇J| =")[0] < 1e-8
    assert run.after("max |Xᵀ(y - ŷ)| =")[0] < 1e-8
    assert run.after("max |H² - H|")[0] < 1e-10
    assert run.after("max |Hy - ŷ|")[0] < 1e-10
    assert run.row("‖y‖² =") == [at(4, y @ y), at(4, y @ y)]
    assert run.after("over 1000 random small δ: smallest")[0] > 0
    sse = float(np.sum((y - X1 @ w_star) ** 2))
    assert run.row("minimum of J:") == [at(4, sse), at(4, sse)]


@checks("lesson1_03_r2_score.py")
def check_r2_score(run: Run) -> None:
    from sklearn.metrics import r2_score

    X, y = lesson1_house()
    x = X.ravel()
    slope, intercept = np.polyfit(x, y, 1)
    fitted = intercept + slope * x
    r2 = r2_score(y, fitted)
    assert run.row("SS_res =") == [
        at(4, np.sum((y - fitted) ** 2)),
        at(4, np.sum((y - y.mean()) ** 2)),
    ]
    for start in (
        "R² by the formula 1 - SS_res/SS_tot:",
        "R² from the fit (res.r_squared):",
        "R² from linmod.metrics.r2:",
    ):
        assert run.row(start) == [at(4, r2)]
    assert run.after("The model explains") == [at(1, 100 * r2)]
    flipped = y.mean() - slope * (x - x.mean())
    assert run.row("perfect prediction (ŷ = y)") == [at(4, 1.0)]
    assert run.row("least-squares line") == [at(4, r2)]
    assert run.row("predict the mean price") == [at(4, 0.0)]
    assert run.row("line with the slope's sign flipped") == [at(4, r2_score(y, flipped))]
    assert run.row("line with the slope's sign flipped")[0] < 0


@checks("lesson1_04_scratch_class.py")
def check_scratch_class(run: Run) -> None:
    X, y = lesson1_house()
    w = lstsq(X, y)
    for start in (
        "LinearRegressionScratch (lesson)",
        "linmod.ols(X, y, solver='normal')",
        "linmod.ols(X, y)",
        "linmod.LinearRegression().fit(X, y)",
    ):
        assert run.row(start) == [at(8, w[0]), at(8, w[1])]
    assert run.row("largest difference from the scratch class:")[0] < 1e-10
    predictions = [at(4, w[0]), at(4, w[0] + 2 * w[1])]
    assert run.row("scratch predictions at 0 and 2 (1000 sqft):") == predictions
    assert run.row("linmod predictions at 0 and 2 (1000 sqft):") == predictions


@checks("lesson1_05_house_price.py")
def check_house_price(run: Run) -> None:
    from sklearn.linear_model import LinearRegression

    # The lesson's printed output, and the same lines from scikit-learn on the lesson's data.
    assert run.lines[:2] == ["Intercept: 4.22", "Slope: 2.77"]
    X, y = lesson1_house()
    model = LinearRegression().fit(X, y)
    assert run.lines[:2] == [f"Intercept: {model.intercept_:.2f}", f"Slope: {model.coef_[0]:.2f}"]
    fit = sm_ols(y, X)
    low, high = fit.conf_int(0.05)[1]
    assert run.row("95% CI of the slope:")[:2] == [at(2, low), at(2, high)]
    assert run.row("Multiple R-squared:") == [at(4, fit.rsquared), at(4, fit.rsquared_adj)]
    run.figure("linear_regression.png")


@checks("lesson1_06_diabetes.py")
def check_diabetes(run: Run) -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_squared_error, r2_score
    from sklearn.model_selection import train_test_split

    diabetes = load_diabetes()
    X_train, X_test, y_train, y_test = train_test_split(
        diabetes.data, diabetes.target, test_size=0.2, random_state=42
    )
    model = LinearRegression().fit(X_train, y_train)
    y_pred = model.predict(X_test)
    assert run.row("R² Score:") == [at(3, r2_score(y_test, y_pred))]
    assert run.row("RMSE:") == [at(2, np.sqrt(mean_squared_error(y_test, y_pred)))]
    for name, coef in zip(diabetes.feature_names, model.coef_, strict=True):
        assert run.row(f"{name}:") == [at(2, coef)]
    p_values = sm_ols(y_train, X_train).pvalues[1:]
    weak = [name for name, p in zip(diabetes.feature_names, p_values, strict=True) if p > 0.05]
    assert f"Not significant at 5%: {', '.join(weak)}" in run.lines


@checks("lesson1_07_normal_equation_failures.py")
def check_normal_equation_failures(run: Run) -> None:
    data = lesson2_house()
    y = data["price"].to_numpy()
    fit = sm_ols(y, data[FEATURES])
    for term, value in zip(["Intercept", *FEATURES], fit.params, strict=True):
        assert run.row(term) == [at(4, value)]
    assert run.line("sqft_twice").endswith("nan")
    assert "dependency found: sqft_twice = 2·square_feet" in run.lines
    assert "with on_singular='raise': SingularDesignError:" in run.out
    assert run.row("remedy, drop it: square_feet =")[0] == at(4, fit.params[1])

    noisy = data.assign(
        sqft_noisy=data["square_feet"] + np.random.default_rng(0).normal(0.0, 1.0, len(data))
    )
    columns = [*FEATURES, "sqft_noisy"]
    near = sm_ols(y, noisy[columns])
    for j, term in ((1, "square_feet"), (6, "sqft_noisy")):
        assert run.row(f"OLS   {term}") == [at(2, near.params[j]), at(2, near.bse[j])]
    assert "solver='normal' warns: the normal equation squares the condition number" in run.out
    _, ridge_coef = standardized_ridge(noisy[columns].to_numpy(), y, alpha=1.0)
    assert run.row("Ridge square_feet") == [at(2, ridge_coef[0])]
    assert run.row("Ridge sqft_noisy") == [at(2, ridge_coef[5])]

    big = lesson2_house(n=200_000, seed=7)
    exact = lstsq(big[FEATURES].to_numpy(), big["price"].to_numpy())
    assert run.row("direct (QR):") == [at(3, v) for v in exact]
    gd = run.row("gradient descent:")
    assert gd[:6] == [at(3, v) for v in exact]
    assert "converged: True" in run.line("gradient descent:")
    assert run.row("largest relative difference:")[0] < 1e-6

    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(1)
    X_wide, y_wide = rng.normal(size=(5, 10)), rng.normal(size=5)
    assert run.row("rank of XᵀX (11×11 with the intercept):") == [5]
    assert "linmod.ols: InputError: 5 rows but 11 parameters" in run.out
    r2 = Ridge(alpha=1.0).fit(X_wide, y_wide).score(X_wide, y_wide)
    assert run.after("in-sample R²") == [at(3, r2)]


@checks("lesson1_08_negative_coefficients.py")
def check_negative_coefficients(run: Run) -> None:
    data = lesson2_house()
    fit = sm_ols(data["price"], data[FEATURES])
    low, high = fit.conf_int(0.05)[4]
    printed = run.row("age coefficient:")
    assert [printed[0], printed[2], printed[3]] == [
        at(2, fit.params[4]),
        at(2, low),
        at(2, high),
    ]
    assert run.row("the same house 10 years newer is predicted")[0] == at(2, -10 * fit.params[4])

    houses = script_namespace(run.script)["confounded_houses"]()
    assert run.row("corr(age, size) =") == [at(3, np.corrcoef(houses["age"], houses["size"])[0, 1])]
    # "price ~ age" is printed first: the first line starting so is the one-predictor model.
    for start, columns in (("price ~ age + size", ["age", "size"]), ("price ~ age", ["age"])):
        fit = sm_ols(houses["price"], houses[columns])
        low, high = fit.conf_int(0.05)[1]
        coef, _, lo, hi, p = run.row(start)
        assert [coef, lo, hi] == [at(2, fit.params[1]), at(2, low), at(2, high)]
        assert p == sig(3, fit.pvalues[1])


@checks("lesson1_09_correlation_vs_regression.py")
def check_correlation(run: Run) -> None:
    from scipy import stats

    X, y = lesson1_house()
    x = X.ravel()
    r = stats.pearsonr(x, y).statistic
    assert run.row("r(size, price) =") == [at(6, r)]
    assert run.row("r(price, size) =") == [at(6, r)]
    assert run.row("r² =") == [at(6, r**2)] * 3
    b_yx = np.polyfit(x, y, 1)[0]
    b_xy = np.polyfit(y, x, 1)[0]
    assert run.row("slope of price on size:")[0] == at(6, b_yx)
    slopes = run.row("slope of size on price:")
    assert [slopes[0], slopes[-1]] == [at(6, b_xy), at(6, 1 / b_xy)]
    assert run.row("product of the two slopes:") == [at(6, r**2)]
    dollars = run.row("price in dollars: slope")
    assert [dollars[0], dollars[-1]] == [at(2, 10_000 * b_yx), at(6, r)]


@checks("lesson1_10_categorical_features.py")
def check_categorical(run: Run) -> None:
    data = script_namespace(run.script)["shop"]()
    rank = data["size"].map({"S": 1, "M": 2, "L": 3}).to_numpy(dtype=float)
    blue = (data["color"] == "Blue").to_numpy(dtype=float)
    green = (data["color"] == "Green").to_numpy(dtype=float)
    good = sm_ols(data["price"], np.c_[blue, green, rank])
    onehot = {start: next(r for r in run.rows(start) if r) for start in ("Red", "Blue", "Green")}
    assert onehot == {"Red": [1, 0, 0], "Blue": [0, 1, 0], "Green": [0, 0, 1]}
    assert run.row("Intercept") == [at(3, good.params[0])]
    assert run.row("C(color, contr.treatment('Red'))[T.Blue]") == [at(3, good.params[1])]
    assert run.row("C(color, contr.treatment('Red'))[T.Green]") == [at(3, good.params[2])]
    assert run.row("ordinal(size, ['S', 'M', 'L'])") == [at(3, good.params[3])]
    assert run.row("R² =") == [at(4, good.rsquared)]
    assert run.line("aliased:").startswith("aliased: Green;")
    code = data["color"].map({"Red": 1, "Blue": 2, "Green": 3}).to_numpy(dtype=float)
    wrong = sm_ols(data["price"], np.c_[code, rank])
    assert run.row("color_code coefficient") == [at(3, wrong.params[1])]
    assert run.rows("R² =")[1] == [at(4, wrong.rsquared), at(4, good.rsquared)]


@checks("lesson2_01_ols_closed_form.py")
def check_ols_closed_form(run: Run) -> None:
    # By hand: x̄ = 3, ȳ = 4, Sxy = 6, Sxx = 10, β̂₁ = 3/5, β̂₀ = 4 - 9/5 = 11/5.
    b1 = Fraction(6, 10)
    b0 = Fraction(4) - b1 * 3
    assert run.lines[0] == f"Intercept: {float(b0):.2f}, Slope: {float(b1):.2f}"
    assert run.lines[0] == "Intercept: 2.20, Slope: 0.60"
    assert "x̄ = 3, ȳ = 4, Σ(x-x̄)(y-ȳ) = 6, Σ(x-x̄)² = 10" in run.lines
    assert run.row("β̂₁ =") == [6, 10, at(4, float(b1))]
    assert run.row("Cov(x, y)/Var(x) =")[0] == at(4, float(b1))
    assert run.row("β̂₀ = ȳ - β̂₁x̄ =")[-1] == at(4, float(b0))
    assert abs(run.row("∂S/∂β₀ = -2Σ(y - β₀ - β₁x) =")[0]) < 1e-12
    assert abs(run.row("∂S/∂β₁ = -2Σx(y - β₀ - β₁x) =")[0]) < 1e-12
    for solver in ("'simple'", "'normal'", "'auto'"):
        assert run.row(f"solver={solver}") == [at(4, float(b0)), at(4, float(b1))]


@checks("lesson2_02_gauss_markov.py")
def check_gauss_markov(run: Run) -> None:
    X, _ = lesson1_house()
    x = X.ravel()
    s_xx = np.sum((x - x.mean()) ** 2)
    order = np.argsort(x)
    lower, upper = order[:50], order[50:]
    gap = x[upper].mean() - x[lower].mean()
    var_ols, var_group = 1 / s_xx, (1 / 50 + 1 / 50) / gap**2
    assert run.row("exact Var(OLS slope)") == [at(6, var_ols)]
    assert run.row("exact Var(grouping slope)") == [at(6, var_group), at(4, var_group / var_ols)]
    Y = 4 + 3 * x + np.random.default_rng(0).normal(0.0, 1.0, (2000, 100))
    ols = (Y - Y.mean(axis=1, keepdims=True)) @ (x - x.mean()) / s_xx
    group = (Y[:, upper].mean(axis=1) - Y[:, lower].mean(axis=1)) / gap
    assert run.row("OLS:") == [at(4, ols.mean()), at(6, ols.var(ddof=1))]
    assert run.row("grouping:") == [at(4, group.mean()), at(6, group.var(ddof=1))]
    assert run.row("OLS:")[1] < run.row("grouping:")[1]


@checks("lesson2_03_gradient_descent.py")
def check_gradient_descent(run: Run) -> None:
    X, y = lesson2_gd_data()
    beta_gd, costs = lesson_gradient_descent(X, y, learning_rate=0.1, n_iterations=100)
    # The line the lesson's code prints, character for character.
    assert run.lines[0] == f"Learned coefficients: {beta_gd}"
    assert run.row("cost history (100 values, as the lesson's cost_history): J =") == [
        at(6, costs[0]),
        at(6, costs[-1]),
    ]
    assert "converged after 100 iterations: False" in run.lines
    assert "linmod warns: gradient descent (batch) stopped after max_epochs=100" in run.out
    exact = lstsq(X, y)
    assert run.row("coefficients:") == pytest.approx(exact, rel=1e-6)
    assert run.row("least squares:") == pytest.approx(exact, rel=1e-7)
    assert "converged: True" in run.line("GDRegressor() defaults:")
    assert run.after("gradient of J at the result: max |∂J/∂β| =")[0] < 1e-6


@checks("lesson2_04_learning_rate.py")
def check_learning_rate(run: Run) -> None:
    X, y = lesson2_gd_data()
    X1 = np.c_[np.ones(len(y)), X]
    lipschitz = np.linalg.eigvalsh(2 * X1.T @ X1 / len(y)).max()
    assert run.after("L = ")[0] == at(4, lipschitz)
    assert run.after("largest stable rate 2/L = ")[0] == at(4, 2 / lipschitz)
    assert run.after("auto rate 1/L = ")[0] == at(4, 1 / lipschitz)
    floor = np.mean((y - X1 @ lstsq(X, y)) ** 2)
    assert run.row("least-squares cost (the floor):") == [at(6, floor)]
    for rate in (0.01, 0.1, 0.5, 0.8):
        _, costs = lesson_gradient_descent(X, y, learning_rate=rate, n_iterations=100)
        start = f"rate {rate:<5g} cost at iteration 100:"
        assert run.row(start)[0] == sig(6, costs[-1])
        if rate > 2 / lipschitz:
            verdict = "(diverges)"
        elif rate < 0.2 / lipschitz:
            verdict = "(too small: slow)"
        else:
            verdict = "(about right)"
        assert run.line(start).endswith(verdict)
    error = run.line("GDRegressor(learning_rate=0.8): ConvergenceError:")
    assert f"2/L = {2 / lipschitz:.4f}" in error
    run.figure("convergence.png")


@checks("lesson2_05_feature_scaling.py")
def check_feature_scaling(run: Run) -> None:
    from sklearn.preprocessing import StandardScaler

    data = lesson2_house()
    X, y = data[FEATURES].to_numpy(), data["price"].to_numpy()
    X_scaled = StandardScaler().fit_transform(X)
    X1, Xs1 = np.c_[np.ones(len(y)), X], np.c_[np.ones(len(y)), X_scaled]
    assert run.row("cond(X₁ᵀX₁): raw") == [
        sig(3, np.linalg.cond(X1.T @ X1)),
        sig(3, np.linalg.cond(Xs1.T @ Xs1)),
    ]
    raw_line = run.line("raw features:")
    assert "1000 iterations, converged: False" in raw_line
    assert "converged: True" in run.line("scaled features:")
    exact = lstsq(X, y)
    floor = np.mean((y - X1 @ exact) ** 2)
    assert run.row("least-squares cost:") == [sig(6, floor)]
    assert run.row("scaled features:")[-1] == sig(6, floor)  # converged: the least-squares cost
    # Raw gradient descent: the lesson's algorithm for 1000 iterations at the step printed,
    # which must be stable and about 1/L (L the Lipschitz constant of the gradient).
    lipschitz = np.linalg.eigvalsh(2 * X1.T @ X1 / len(y)).max()
    iterations, final_cost, step = run.row("raw features:")
    assert iterations == 1000
    assert 0.9 / lipschitz < step <= (1 + 1e-9) / lipschitz
    raw, raw_costs = lesson_gradient_descent(X, y, step, 1000)
    assert final_cost == sig(6, raw_costs[-1])
    for j, name in enumerate(["Intercept", *FEATURES]):
        raw_gd, scaled_gd, builtin, ols = run.row(name)
        assert raw_gd == pytest.approx(raw[j], rel=1e-5, abs=1e-4)
        assert raw_gd != pytest.approx(exact[j], rel=1e-2)  # nowhere near the solution
        assert scaled_gd == pytest.approx(exact[j], rel=1e-6)
        assert builtin == pytest.approx(exact[j], rel=1e-6)
        assert ols == at(4, exact[j])


@checks("lesson2_06_multiple_regression.py")
def check_multiple_regression(run: Run) -> None:
    data = lesson2_house()
    fit = sm_ols(data["price"], data[FEATURES])
    truth = [50000, 150, 10000, 15000, -1000, 20000]
    ci = fit.conf_int(0.05)
    covered = 0
    for j, term in enumerate(["Intercept", *FEATURES]):
        true_value, estimate, low, high = run.rows(term)[-1]
        assert [true_value, estimate, low, high] == [
            truth[j],
            at(2, fit.params[j]),
            at(2, ci[j, 0]),
            at(2, ci[j, 1]),
        ]
        covers = bool(ci[j, 0] <= truth[j] <= ci[j, 1])
        covered += covers
        line = [line for line in run.lines if line.startswith(term)][-1]
        assert line.endswith("yes" if covers else "no")
    assert f"{covered} of 6 intervals cover the true value" in run.lines
    assert run.after("everything else unchanged: predicted price +") == [at(2, fit.params[2])]
    assert run.row("Multiple R-squared:") == [at(4, fit.rsquared), at(4, fit.rsquared_adj)]
    assert run.row("Residual standard error:")[0] == sig(4, np.sqrt(fit.scale))


@checks("lesson2_07_assumptions.py")
def check_assumptions(run: Run) -> None:
    from scipy import stats
    from statsmodels.stats.diagnostic import het_breuschpagan, linear_reset
    from statsmodels.stats.outliers_influence import variance_inflation_factor
    from statsmodels.stats.stattools import durbin_watson

    data = lesson2_house()
    fit = sm_ols(data["price"], data[FEATURES])
    # RESET does not depend on the units of y; in dollars the cubed fitted values (~1e16)
    # defeat statsmodels' pinv, so test in units of $100k.
    scaled = sm_ols(data["price"] / 1e5, data[FEATURES])
    reset = linear_reset(scaled, power=3, test_type="fitted", use_f=True)
    assert run.after("RESET F = ") == [at(4, reset.fvalue), at(4, reset.pvalue)]
    assert run.after("Durbin-Watson DW = ")[0] == at(4, durbin_watson(fit.resid))
    lm, lm_p, _, _ = het_breuschpagan(fit.resid, fit.model.exog)
    assert run.after("Breusch-Pagan BP = ") == [at(4, lm), at(4, lm_p)]
    w, w_p = stats.shapiro(fit.resid)
    assert run.after("Shapiro-Wilk W = ") == [at(4, w), at(4, w_p)]
    exog = fit.model.exog
    for j, term in enumerate(FEATURES, start=1):
        assert run.after(f"{term:<12} VIF = ")[0] == at(4, variance_inflation_factor(exog, j))
    assert "Overall: ok" in run.lines
    run.figure("assumptions_diagnostics.png")

    broken = script_namespace(run.script)["broken_data"]()
    part2 = run.section("Part 2")
    for assumption, (formula, frame) in broken.items():
        columns = [c.strip() for c in formula.split("~")[1].split("+")]
        bad = sm_ols(frame["y"], frame[columns])
        evidence = {
            "linearity": lambda b: linear_reset(b, power=3, use_f=True).pvalue < 0.001,
            "independence": lambda b: durbin_watson(b.resid) < 1.0,
            "homoscedasticity": lambda b: het_breuschpagan(b.resid, b.model.exog)[1] < 0.001,
            "normality": lambda b: stats.shapiro(b.resid).pvalue < 0.001,
            "multicollinearity": lambda b: variance_inflation_factor(b.model.exog, 1) > 10,
        }[assumption]
        assert evidence(bad), f"the simulated {assumption} data do not break it"
        assert part2.line(assumption).startswith(f"{assumption:<18} verdict: violated")


@checks("lesson2_08_multicollinearity_ridge.py")
def check_multicollinearity(run: Run) -> None:
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    data = script_namespace(run.script)["twins"]()
    X, y = data[["x1", "x2"]].to_numpy(), data["y"].to_numpy()
    assert run.row("corr(x1, x2) =") == [at(4, np.corrcoef(X.T)[0, 1])]
    fit = sm_ols(y, X)
    for j, name in ((1, "x1"), (2, "x2")):
        vif = variance_inflation_factor(fit.model.exog, j)
        assert run.row(f"VIF {name}:") == [at(2, vif)]
        assert vif > 10
        assert "(severe)" in run.line(f"VIF {name}:")
    printed = run.row("OLS on all data: x1")
    assert printed[:4] == [
        at(3, fit.params[1]),
        at(3, fit.bse[1]),
        at(3, fit.params[2]),
        at(3, fit.bse[2]),
    ]
    for name, rows in (("first half", slice(0, 50)), ("second half", slice(50, 100))):
        half = sm_ols(y[rows], X[rows])
        b = half.params
        assert run.row(f"OLS,   {name}") == [
            at(3, b[1]),
            at(3, b[2]),
            at(3, b[1] + b[2]),
            at(3, b.sum()),
        ]
        intercept, coef = standardized_ridge(X[rows], y[rows], alpha=1.0)
        assert run.row(f"Ridge, {name}") == [
            at(3, coef[0]),
            at(3, coef[1]),
            at(3, coef.sum()),
            at(3, intercept + coef.sum()),
        ]


@checks("lesson2_09_metrics.py")
def check_metrics(run: Run) -> None:
    from sklearn.linear_model import LinearRegression
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    from sklearn.model_selection import train_test_split

    data = lesson2_house()
    X, y = data[FEATURES], data["price"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    model = LinearRegression().fit(X_train.to_numpy(), y_train)
    yt, yp = y_test.to_numpy(), model.predict(X_test.to_numpy())
    r2 = r2_score(yt, yp)
    adj = 1 - (1 - r2) * (100 - 1) / (100 - 5 - 1)
    rmse, mae = np.sqrt(mean_squared_error(yt, yp)), mean_absolute_error(yt, yp)
    assert run.row("R²          formula") == [at(6, r2)] * 2
    assert run.row("adjusted R² formula") == [at(6, adj)] * 2
    assert run.row("RMSE        formula") == [at(2, rmse)] * 2
    assert run.row("MAE         formula") == [at(2, mae)] * 2
    fitted = model.predict(X_train.to_numpy())
    train_r2 = r2_score(y_train, fitted)
    training = numbers(run.lines[run.lines.index("Training set (the fit's attributes):") + 1])
    assert training == [
        at(6, train_r2),
        at(6, 1 - (1 - train_r2) * (400 - 1) / (400 - 5 - 1)),
        at(2, np.sqrt(mean_squared_error(y_train, fitted))),
        at(2, mean_absolute_error(y_train, fitted)),
    ]
    bad = yt.copy()
    bad[0] += 300_000
    assert run.rows("RMSE")[-1] == [at(2, rmse), at(2, np.sqrt(mean_squared_error(bad, yp)))]
    assert run.rows("MAE")[-1] == [at(2, mae), at(2, mean_absolute_error(bad, yp))]
    assert run.rows("R²")[-1] == [at(4, r2), at(4, r2_score(bad, yp))]

    noise = np.random.default_rng(5).normal(size=(len(X), 20))
    train_rows = X.index.get_indexer(X_train.index)
    test_rows = X.index.get_indexer(X_test.index)
    Xn = np.c_[X.to_numpy(), noise]
    noisy = LinearRegression().fit(Xn[train_rows], y_train)
    for label, m, Xtr, Xte, p in (
        ("5 features", model, X_train.to_numpy(), X_test.to_numpy(), 5),
        ("25 features", noisy, Xn[train_rows], Xn[test_rows], 25),
    ):
        train = r2_score(y_train, m.predict(Xtr))
        assert run.row(label) == [
            at(5, train),
            at(5, 1 - (1 - train) * 399 / (400 - p - 1)),
            at(5, r2_score(y_test, m.predict(Xte))),
        ]


@checks("lesson2_10_complete_implementation.py")
def check_complete_implementation(run: Run) -> None:
    from sklearn.linear_model import Lasso, LinearRegression, Ridge
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    from sklearn.model_selection import cross_val_score, train_test_split
    from sklearn.preprocessing import StandardScaler

    # The lesson's code, with scikit-learn; the Lasso run to its exact optimum.
    data = lesson2_house()
    X = data.drop("price", axis=1)
    y = data["price"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    scaler = StandardScaler()
    X_train_scaled = scaler.fit_transform(X_train)
    X_test_scaled = scaler.transform(X_test)
    y_pred_lr = LinearRegression().fit(X_train_scaled, y_train).predict(X_test_scaled)
    y_pred_ridge = Ridge(alpha=1.0).fit(X_train_scaled, y_train).predict(X_test_scaled)
    lasso = Lasso(alpha=100, tol=1e-12, max_iter=100_000).fit(X_train_scaled, y_train)
    y_pred_lasso = lasso.predict(X_test_scaled)

    expected = [
        "=== Linear Regression ===",
        f"R² Score: {r2_score(y_test, y_pred_lr):.4f}",
        f"RMSE: ${np.sqrt(mean_squared_error(y_test, y_pred_lr)):,.2f}",
        f"MAE: ${mean_absolute_error(y_test, y_pred_lr):,.2f}",
        "",
        "=== Ridge Regression (L2) ===",
        f"R² Score: {r2_score(y_test, y_pred_ridge):.4f}",
        "",
        "=== Lasso Regression (L1) ===",
        f"R² Score: {r2_score(y_test, y_pred_lasso):.4f}",
    ]
    assert run.out.splitlines()[: len(expected)] == expected
    for name, coef in zip(X.columns, lasso.coef_, strict=True):
        printed = run.rows(f"{name}: $")[0]
        assert printed == [at(2, coef)]
        assert run.line(f"{name}: $").endswith("(selected)" if coef != 0 else "(dropped)")

    models = {
        "Linear": LinearRegression(),
        "Ridge": Ridge(alpha=1.0),
        "Lasso": Lasso(alpha=100, tol=1e-12, max_iter=100_000),
    }
    for name, model in models.items():
        scores = cross_val_score(model, scaler.transform(X), y, cv=5, scoring="r2")
        assert run.row(f"{name}: R² =") == [at(4, scores.mean()), at(4, scores.std())]

    big = Lasso(alpha=15000, tol=1e-12, max_iter=100_000).fit(X_train_scaled, y_train)
    dollars = big.coef_ / scaler.scale_
    tail = run.section("=== Lasso with a larger penalty")
    for name, coef in zip(X.columns, dollars, strict=True):
        assert tail.row(f"{name}: $") == [at(2, coef)]
        assert tail.line(f"{name}: $").endswith("(selected)" if coef != 0 else "(dropped)")
    kept = [n for n, c in zip(X.columns, dollars, strict=True) if c != 0]
    gone = [n for n, c in zip(X.columns, dollars, strict=True) if c == 0]
    assert gone, "alpha = 15000 should drop features"
    assert f"selected: {', '.join(kept)}; dropped: {', '.join(gone)}" in run.lines


@checks("exercise1_manual_calculation.py")
def check_exercise1(run: Run) -> None:
    # By hand, exactly: the points (1, 2), (2, 4), (3, 5), (4, 4), (5, 5).
    xs = [Fraction(v) for v in (1, 2, 3, 4, 5)]
    ys = [Fraction(v) for v in (2, 4, 5, 4, 5)]
    x_bar, y_bar = sum(xs) / 5, sum(ys) / 5
    s_xy = sum((x - x_bar) * (y - y_bar) for x, y in zip(xs, ys, strict=True))
    s_xx = sum((x - x_bar) ** 2 for x in xs)
    b1 = s_xy / s_xx
    b0 = y_bar - b1 * x_bar
    y6 = b0 + b1 * 6
    ss_res = sum((y - b0 - b1 * x) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - y_bar) ** 2 for y in ys)
    r2 = 1 - ss_res / ss_tot
    # The exercise's answer (issue 6): β₀ = 2.2, β₁ = 0.6, ŷ(6) = 5.8, R² = 0.6.
    assert (b0, b1, y6, r2) == (Fraction(11, 5), Fraction(3, 5), Fraction(29, 5), Fraction(3, 5))
    assert run.line("β̂₁ =").endswith(f"= {b1} = {float(b1):g}")
    assert run.line("β̂₀ =").endswith(f"= {b0} = {float(b0):g}")
    assert run.line("ŷ(6) =").endswith(f"= {y6} = {float(y6):g}")
    assert run.line("R² = 1 - SS_res/SS_tot").endswith(f"= {r2} = {float(r2):g}")
    assert run.line("SS_res =") == f"SS_res = {ss_res}, SS_tot = {ss_tot}"
    check = numbers(run.lines[run.lines.index("linmod.ols('y ~ x') agrees:") + 1])
    assert [check[0], check[1], check[3], check[4]] == [
        at(10, float(b0)),
        at(10, float(b1)),
        at(10, float(y6)),
        at(10, float(r2)),
    ]


@checks("exercise2_simple_from_scratch.py")
def check_exercise2(run: Run) -> None:
    from sklearn.linear_model import LinearRegression

    X_ex = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    y_ex = np.array([2.0, 4.0, 5.0, 4.0, 5.0])
    X_house, y_house = lesson1_house()
    references = [LinearRegression().fit(X, y) for X, y in ((X_ex, y_ex), (X_house, y_house))]
    for start in ("SimpleLinearRegression:", "linmod.ols(X, y, solver=simple):"):
        for printed, model in zip(run.rows(start), references, strict=True):
            assert printed == [at(12, model.intercept_), at(12, model.coef_[0])]
    assert all(r[0] < 1e-12 for r in run.rows("largest difference:"))
    assert all(r[0] < 1e-12 for r in run.rows("largest difference of the predictions:"))
    assert run.row("prediction at x = 6:") == [at(4, 5.8)]
    # The first lesson's printed output for its house prices.
    assert run.lines[-2:] == ["Intercept: 4.22", "Slope: 2.77"]


@checks("exercise3_assumptions.py")
def check_exercise3(run: Run) -> None:
    from sklearn.datasets import load_diabetes
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    raw = load_diabetes(as_frame=True, scaled=False).frame
    names = ["age", "sex", "bmi", "bp", "tc", "ldl", "hdl", "tch", "ltg", "glu"]
    X = raw.drop(columns="target").set_axis(names, axis=1)
    X["sex"] = (X["sex"] == 2).astype(float)
    fit = sm_ols(raw["target"], X)
    assert run.after("R² = ")[0] == at(3, fit.rsquared)
    assert run.after("residual standard error ")[0] == at(1, np.sqrt(fit.scale))
    robust = fit.get_robustcov_results("HC3")
    terms = ["Intercept", "age", "C(sex)[T.2.0]", *names[2:]]
    for j, term in enumerate(terms):
        table = next(r for r in run.rows(term) if len(r) == 3)
        assert table == [at(3, fit.params[j]), at(3, fit.bse[j]), at(3, robust.bse[j])]
    vifs = [variance_inflation_factor(fit.model.exog, j) for j in range(1, 11)]
    for term, vif in zip(["age", "C(sex)", *names[2:]], vifs, strict=True):
        assert next(r for r in run.rows(term) if len(r) == 2) == [at(2, vif), at(2, vif)]
    reduced_names = [n for n in names if n not in ("ldl", "tch")]
    reduced = sm_ols(raw["target"], X[reduced_names])
    reduced_vif = max(variance_inflation_factor(reduced.model.exog, j) for j in range(1, 9))
    assert run.after("Dropping ldl and tch: R²") == [
        at(3, fit.rsquared),
        at(3, reduced.rsquared),
        at(1, max(vifs)),
        at(1, reduced_vif),
    ]
    assert "- No multicollinearity: violated" in run.out
    run.figure("exercise3_diagnostics.png")


@checks("exercise4_regularization_effect.py")
def check_exercise4(run: Run) -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Lasso, Ridge
    from sklearn.metrics import r2_score
    from sklearn.model_selection import GridSearchCV, KFold, train_test_split
    from sklearn.preprocessing import StandardScaler

    alphas = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
    house = lesson2_house()
    diabetes = load_diabetes()
    studies = {
        "=== House prices ===": (house[FEATURES].to_numpy(), house["price"].to_numpy()),
        "=== Diabetes ===": (diabetes.data, diabetes.target),
    }
    for heading, (X, y) in studies.items():
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
        scaler = StandardScaler().fit(X_train)
        Xtr, Xte = scaler.transform(X_train), scaler.transform(X_test)
        block = run.section(heading, "Figure written")
        makers: dict[str, Callable[[float], Any]] = {
            "Ridge:": lambda a: Ridge(alpha=a),
            "Lasso:": lambda a: Lasso(alpha=a, tol=1e-12, max_iter=1_000_000),
        }
        for penalty, make in makers.items():
            part = block.section(penalty, "best alpha")
            tests = {}
            for alpha in alphas:
                model = make(alpha).fit(Xtr, y_train)
                train, test = (
                    r2_score(y_train, model.predict(Xtr)),
                    r2_score(y_test, model.predict(Xte)),
                )
                tests[alpha] = test
                assert part.row(f"{alpha:g} ")[:2] == [at(6, train), at(6, test)]
            best, best_test = block.section(penalty).after("best alpha by test R²:")[:2]
            assert tests[best] >= max(tests.values()) - 1e-6
            assert best_test == at(6, tests[best])
        for label, estimator in (("RidgeCV", "Ridge:"), ("LassoCV", "Lasso:")):
            search = GridSearchCV(
                makers[estimator](1.0),
                {"alpha": alphas},
                cv=KFold(5),
                scoring="neg_mean_squared_error",
            ).fit(Xtr, y_train)
            chosen = search.best_params_["alpha"]
            model = makers[estimator](chosen).fit(Xtr, y_train)
            test_r2 = r2_score(y_test, model.predict(Xte))
            printed = block.after(f"{label}(cv=5) on the training set alone picks alpha = ")
            assert printed == [chosen, at(6, test_r2)]
    run.figure("exercise4_house_prices.png")
    run.figure("exercise4_diabetes.png")


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs_and_prints_the_lessons_numbers(script: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    pytest.importorskip("statsmodels")
    run = run_example(script, tmp_path)
    check = CHECKS.get(script)
    if check is None:
        pytest.fail(f"examples/{script} ran, but has no check: add one to CHECKS in {__file__}")
    check(run)


def test_every_script_is_in_the_lesson_table() -> None:
    in_table = {script for *_, script in LESSON_BLOCKS}
    assert sorted(in_table - set(SCRIPTS)) == [], "the table names scripts that do not exist"
    assert sorted(set(SCRIPTS) - in_table) == [], "scripts missing from LESSON_BLOCKS"
    assert sorted(set(CHECKS) - set(SCRIPTS)) == [], "checks of scripts that do not exist"


def lesson_text(lesson: str) -> str:
    files = sorted(LESSONS.glob(f"{lesson}_*.txt"))
    if not files:
        pytest.skip(f"the lesson texts are not available in {LESSONS}")
    return files[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("lesson", [LESSON_1, LESSON_2])
def test_every_block_of_the_table_is_in_the_lesson(lesson: str) -> None:
    text = lesson_text(lesson)
    for _, _, quote, script in (b for b in LESSON_BLOCKS if b[0] == lesson):
        assert quote in text, f"{quote!r} (mapped to {script}) is not in lesson {lesson}"


@pytest.mark.parametrize("lesson", [LESSON_1, LESSON_2])
def test_every_code_block_and_exercise_of_the_lesson_has_a_script(lesson: str) -> None:
    text = lesson_text(lesson)
    rows = [b for b in LESSON_BLOCKS if b[0] == lesson]
    code = [quote for _, kind, quote, _ in rows if kind == "code"]
    lines = [line.strip() for line in text.splitlines()]
    if lesson == LESSON_1:
        # Each code block of the first lesson is introduced by a "🐍 Python" header.
        assert len(code) == text.count("🐍 Python")
    for quote in set(code):  # a block's first line quoted k times opens k blocks
        assert sum(line.startswith(quote) for line in lines) == code.count(quote), quote
    exercises = re.findall(r"^Exercise (\d+):", text, flags=re.MULTILINE)
    mapped = [quote for _, kind, quote, _ in rows if kind == "exercise"]
    assert len(mapped) == len(exercises)
    for number in exercises:
        assert any(quote.startswith(f"Exercise {number}:") for quote in mapped)
