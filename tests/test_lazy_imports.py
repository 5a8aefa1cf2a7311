"""``import linmod`` and an OLS fit load neither scikit-learn nor matplotlib; names resolve."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

import linmod


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_and_an_ols_fit_leave_sklearn_and_matplotlib_unloaded():
    loaded = _modules_after("import linmod")
    assert "sklearn" not in loaded
    assert "matplotlib" not in loaded
    assert "pandas" not in loaded
    loaded = _modules_after(
        "import linmod\n"
        "res = linmod.ols('y ~ x', data={'x': [1.0, 2, 3, 4], 'y': [1.0, 2.5, 2.9, 4.2]})\n"
        "res.summary()"
    )
    assert "sklearn" not in loaded
    assert "matplotlib" not in loaded


@pytest.mark.parametrize(
    "fit",
    [
        "linmod.ols(x, y).summary()",
        "linmod.LinearRegression().fit(x, y).predict(x)",
        # the coordinate-descent modules are imported with the penalised estimators; their
        # kernels (linmod._lazy.njit) load numba only when a Lasso runs
        "linmod.ridge(x, y, alpha=1.0).summary()",
    ],
)
def test_a_first_small_dense_fit_leaves_numba_unloaded(fit):
    # numba's import and kernel loads take ~0.5-1 s; a small first fit runs the kernels'
    # numpy twins instead (linmod._lazy.interpreted), also for float64 arrays and the
    # estimator, whose sparse and penalised paths are imported only when used.
    loaded = _modules_after(
        "import numpy as np, linmod\n"
        "rng = np.random.default_rng(0)\n"
        "x = rng.standard_normal((200, 3)); y = x @ [1.0, -2.0, 0.5] + rng.standard_normal(200)\n"
        f"{fit}"
    )
    assert "linmod.inference.results" in loaded
    assert "numba" not in loaded


def test_the_cli_fit_leaves_scipy_stats_unloaded(tmp_path):
    # p-values and t quantiles come from scipy.special: scipy.stats costs 0.5 s to import
    data = tmp_path / "small.csv"
    data.write_text("x,y\n1,1\n2,2.5\n3,2.9\n4,4.2\n5,5.1\n", encoding="utf-8")
    loaded = _modules_after(
        "import contextlib, io\n"
        "from linmod.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['fit', {str(data)!r}, '-f', 'y ~ x'])"
    )
    assert "linmod.inference.results" in loaded
    assert "scipy.stats" not in loaded
    assert "matplotlib" not in loaded
    assert "sklearn" not in loaded


def test_the_report_command_leaves_sklearn_and_scipy_stats_unloaded(tmp_path):
    # Issue 13: the mtcars report under 3 s. Its cross-validated comparison and Lasso path
    # fit through linmod.estimators.cv_search: scikit-learn's import (with scipy.stats,
    # 0.7 s) is not paid; the shuffled folds are KFold's (tests/estimators/test_cv_search).
    from pathlib import Path

    mtcars = Path(__file__).resolve().parent / "data" / "mtcars.csv"
    out = tmp_path / "report.html"
    loaded = _modules_after(
        "from linmod.cli.main import main\n"
        f"main(['report', {str(mtcars)!r}, '-f', 'mpg ~ wt + hp + qsec + C(cyl)', "
        f"'-o', {str(out)!r}, '--quiet'])"
    )
    assert {"linmod.analysis", "linmod.report.html", "matplotlib"} <= loaded
    assert "sklearn" not in loaded
    assert "scipy.stats" not in loaded
    assert out.stat().st_size > 100_000


def test_every_public_name_resolves_and_is_listed():
    for name in linmod.__all__:
        assert getattr(linmod, name) is not None, name
    assert set(linmod.__all__) <= set(dir(linmod))
    assert linmod.ridge is linmod.regularization.ridge
    assert linmod.LinearRegression.__module__.startswith("linmod.estimators")
    assert _modules_after("import linmod\nlinmod.exceptions.InputError") >= {"linmod.exceptions"}
    with pytest.raises(AttributeError, match="module 'linmod' has no attribute 'nope'"):
        _ = linmod.nope


def test_convergence_warning_is_sklearns_and_pickles():
    from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning

    from linmod.exceptions import ConvergenceWarning

    assert ConvergenceWarning is linmod.ConvergenceWarning
    assert issubclass(ConvergenceWarning, SklearnConvergenceWarning)
    assert issubclass(ConvergenceWarning, linmod.LinmodWarning)
    again = pickle.loads(pickle.dumps(ConvergenceWarning("stopped")))
    assert type(again) is ConvergenceWarning
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = linmod.exceptions.Nope


def test_threads_that_first_touch_convergence_warning_at_once_share_one_class():
    # Found in review: without a lock each thread could create its own class, and filters
    # or pytest.warns for one would miss warnings of another.
    probe = (
        "import threading, linmod\n"
        "barrier = threading.Barrier(8)\n"
        "got = []\n"
        "def first_use():\n"
        "    barrier.wait()\n"
        "    got.append(linmod.ConvergenceWarning)\n"
        "threads = [threading.Thread(target=first_use) for _ in range(8)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "import linmod.exceptions as ex\n"
        "print(len({id(c) for c in got}), all(c is ex.ConvergenceWarning for c in got))\n"
    )
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        ).stdout
        assert out.split() == ["1", "True"]


def test_odd_names_are_plain_attribute_errors_and_submodules_resolve_on_use():
    # Found in review: hasattr(linmod, "a.b") raised ModuleNotFoundError, and modules that
    # the eager import used to load (linmod.models.ols, ...) were unreachable as attributes.
    probe = (
        "import linmod\n"
        "print(hasattr(linmod, 'a.b'), getattr(linmod, 'x.y', None), hasattr(linmod, ''))\n"
        "print(linmod.models.ols.ols.__name__, linmod.inference.results.OLSResults.__name__,"
        " linmod.linalg.dd.__name__, linmod.report.terminal.__name__)\n"
        "print(hasattr(linmod.models, 'nope'), hasattr(linmod.report, 'nope'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == [
        "False None False",
        "ols OLSResults linmod.linalg.dd linmod.report.terminal",
        "False False",
    ]
    assert "ConvergenceWarning" in dir(linmod.exceptions)
    assert [name for name in dir(linmod) if name not in linmod.__all__] == []


def test_created_on_first_use_makes_one_object_for_every_thread():
    import threading
    import time

    from linmod._lazy import created_on_first_use

    calls = []

    def make() -> object:
        calls.append(1)
        time.sleep(0.01)  # threads arriving meanwhile must wait, not make their own
        return object()

    namespace: dict = {"__name__": "fake.module"}
    getattr_ = created_on_first_use(namespace, "Thing", make)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(getattr_("Thing"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert all(item is namespace["Thing"] for item in seen)
    with pytest.raises(AttributeError, match=r"module 'fake\.module' has no attribute 'Other'"):
        getattr_("Other")
