"""Run scikit-learn's own linear-model tests with linmod's estimators substituted.

Usage (from the repository root, in the project's environment)::

    python scripts/sklearn_parity.py   # test_base, test_ridge, test_coordinate_descent
    python scripts/sklearn_parity.py --files test_ridge.py -- -k positive
    python scripts/sklearn_parity.py --src /other/checkout/src   # another linmod, to compare

A pytest plugin replaces ``LinearRegression``, ``Ridge``, ``Lasso``, ``ElasticNet``,
``RidgeCV``, ``LassoCV`` and ``ElasticNetCV`` in :mod:`sklearn.linear_model` by linmod's
before the test modules are imported (``RidgeCV`` through a subclass that accepts
scikit-learn's ``gcv_mode``, which ``test_ridge.py`` passes at import), so every test
that builds one of them through ``from sklearn.linear_model import ...`` fits linmod's
(tests of scikit-learn's private helpers, of other estimators, or that import from
private modules, still run scikit-learn's code).  The tests run from an empty temporary
directory (scikit-learn's own ``conftest.py`` applies, linmod's pytest settings do not)
and the script prints pytest's summary line and the counts.  Failures are expected
where linmod differs on purpose (for instance sparse X, multi-output y, or
scikit-learn's exact iteration counts); read them with ``-- -rf``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import sklearn

NAMES = ("LinearRegression", "Ridge", "Lasso", "ElasticNet", "RidgeCV", "LassoCV", "ElasticNetCV")
DEFAULT_FILES = ("test_base.py", "test_ridge.py", "test_coordinate_descent.py")
PLUGIN = f"""
import sklearn.linear_model as _lm
import linmod as _linmod

for _name in {NAMES!r}:
    setattr(_lm, _name, getattr(_linmod, _name))


class _RidgeCV(_linmod.RidgeCV):
    # test_ridge.py builds RidgeCV(gcv_mode="svd") at import: without this the module does
    # not collect.  gcv_mode only picks scikit-learn's decomposition for leave-one-out;
    # linmod's RidgeCV always uses one SVD (exact), so the keyword is accepted and unused.
    def __init__(self, *, gcv_mode=None, **params):
        super().__init__(**params)
        self.gcv_mode = gcv_mode

    @classmethod
    def _get_param_names(cls):
        return sorted(set(_linmod.RidgeCV._get_param_names()) | {{"gcv_mode"}})


_RidgeCV.__name__ = _RidgeCV.__qualname__ = "RidgeCV"
_lm.RidgeCV = _RidgeCV
"""


def run(files: list[str], src: Path, extra: list[str]) -> dict[str, int]:
    """Run the files under the substitution; return pytest's counts by outcome."""
    tests = Path(sklearn.__file__).parent / "linear_model" / "tests"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "linmod_substitute.py").write_text(PLUGIN, encoding="utf-8")
        Path(tmp, "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([tmp, str(src)]))
        command = [
            sys.executable, "-m", "pytest", "-p", "linmod_substitute", "-p", "no:cacheprovider",
            "-q", "--continue-on-collection-errors", "--rootdir", tmp,
            "-c", str(Path(tmp, "pytest.ini")),
            *[str(tests / f) for f in files], *extra,
        ]  # fmt: skip
        done = subprocess.run(command, cwd=tmp, env=env, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else done.stderr.strip().splitlines()[-1]
    print(summary)
    return {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", summary)}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="+", default=list(DEFAULT_FILES))
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parents[1] / "src")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed to pytest")
    args = parser.parse_args(argv)
    counts = run(args.files, args.src, args.pytest_args)
    total = sum(v for k, v in counts.items() if k in ("passed", "failed", "error", "errors"))
    print(f"linmod from {args.src}: {counts.get('passed', 0)} of {total} passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
