"""``linmod fit small.csv`` loads neither numba, formulaic, scikit-learn, matplotlib nor
scipy.stats (issue 13's start-up goal), and prints what the full machinery prints.

Each command runs in a fresh interpreter, as a user's would; what is checked is the set
of modules loaded, never a time (the machine's load would make that flaky).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

MTCARS = Path(__file__).resolve().parents[1] / "data" / "mtcars.csv"
HEAVY = ("numba", "formulaic", "sklearn", "matplotlib", "scipy.stats", "scipy.sparse")

_RUN = (
    "import contextlib, io, sys\n"
    "{setup}\n"
    "from linmod.cli.main import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    "    code = main({argv!r})\n"
    "print(repr(out.getvalue()))\n"
    "print(code)\n"
    "print(' '.join(sorted(sys.modules)))\n"
)
#: Switches the small-data paths off: formulaic parses every formula, and the compiled
#: double-double kernels run (numba imported) as for large data.
_FULL_MACHINERY = (
    "from linmod import _lazy\n"
    "from linmod.data import formula\n"
    "_lazy._jit_loaded[0] = True\n"
    "formula.parse_simple = lambda text: None\n"
)


def _run(argv: list[str], setup: str = "") -> tuple[str, str, set[str]]:
    code = _RUN.format(setup=setup, argv=argv)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    output, status, modules = result.stdout.splitlines()[-3:]
    return output, status, set(modules.split())


@pytest.fixture(scope="module")
def small_csv(tmp_path_factory) -> Path:
    rng = np.random.default_rng(13)
    n = 200
    frame = pd.DataFrame(
        {
            "price": rng.normal(300.0, 40.0, n).round(2),
            "sqft": rng.integers(600, 4000, n),
            "age": rng.uniform(0, 80, n).round(1),
            "region": rng.choice(["north", "south", "west"], n),
        }
    )
    frame["price"] += 0.05 * frame["sqft"]
    path = tmp_path_factory.mktemp("startup") / "small.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("data", "formula"),
    [
        ("mtcars", "mpg ~ wt + hp"),
        ("mtcars", "mpg ~ wt + hp + qsec + C(cyl)"),
        ("mtcars", "mpg ~ ."),
        ("small", "price ~ sqft + age + C(region)"),
        ("small", "price ~ ."),
    ],
)
def test_a_small_fit_loads_no_heavy_module_and_prints_the_same(data, formula, small_csv):
    path = str(MTCARS if data == "mtcars" else small_csv)
    output, status, modules = _run(["fit", path, "-f", formula])
    assert status == "0"
    assert "Coefficients:" in output
    assert not [name for name in HEAVY if name in modules]
    full_output, full_status, full_modules = _run(["fit", path, "-f", formula], _FULL_MACHINERY)
    assert {"numba", "formulaic"} <= full_modules  # the switch did switch
    assert (full_output, full_status) == (output, status)


def test_a_formula_beyond_the_plain_ones_still_fits(small_csv):
    output, status, modules = _run(["fit", str(small_csv), "-f", "price ~ np.log(sqft) * age"])
    assert status == "0"
    assert "np.log(sqft):age" in output
    assert "formulaic" in modules


_ENTRY = (
    "import sys\n"
    "sys.argv = ['linmod', {args}]\n"
    "import atexit\n"
    "atexit.register(lambda: print('modules:', ' '.join(sorted(sys.modules))))\n"
    "from linmod.cli.main import run\n"
    "run()\n"
)


def _entry(*args: str) -> subprocess.CompletedProcess[str]:
    code = _ENTRY.format(args=", ".join(repr(a) for a in args))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_program_prints_what_main_prints_and_exits_with_its_code():
    result = _entry("fit", str(MTCARS), "-f", "mpg ~ wt + hp")
    output, status, _ = _run(["fit", str(MTCARS), "-f", "mpg ~ wt + hp"])
    assert result.returncode == int(status) == 0
    assert result.stdout.split("modules:")[0] == ast.literal_eval(output)
    failed = _entry("fit", str(MTCARS), "-f", "mpg ~ nosuchcolumn")
    assert failed.returncode == 1
    assert "nosuchcolumn" in failed.stderr
    assert _entry("fit", "--no-such-flag").returncode == 2


def test_the_program_never_runs_numpys_fortran_wrapper_generator():
    """scipy touches numpy.f2py/testing/polynomial at import; their code is deferred."""
    result = _entry("fit", str(MTCARS), "-f", "mpg ~ wt + hp")
    modules = set(result.stdout.split("modules:")[1].split())
    assert "scipy.linalg" in modules  # scipy was imported, and with it the names
    assert not {"numpy.f2py.crackfortran", "numpy.testing._private.utils"} & modules


def test_deferred_numpy_modules_load_in_full_on_first_use():
    code = (
        "import sys\n"
        "from linmod.cli.startup import defer_unused_numpy_modules\n"
        "defer_unused_numpy_modules()\n"
        "import scipy.linalg, scipy.special\n"
        "assert 'numpy.testing._private.utils' not in sys.modules\n"
        "import numpy as np\n"
        "from numpy.testing import assert_allclose\n"
        "assert_allclose(np.polynomial.Polynomial([1.0, 2.0])(3.0), 7.0)\n"
        "import numpy.testing.overrides\n"
        "assert np.testing is sys.modules['numpy.testing']\n"
        "assert callable(np.f2py.run_main)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
