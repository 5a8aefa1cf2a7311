"""CLI start-up and small-data times (issue 13), each as a fresh process, with the ratios.

Every command runs ``--repeats`` times (default 5) as a new ``python`` process, so import
time counts as a user sees it; MEDIANS of wall time are printed, with the goals:

* ``linmod fit mtcars.csv -f "mpg ~ wt + hp"`` against ``python -c "import pandas"``
  (goal: at most 1.5x);
* ``linmod report mtcars.csv -f "mpg ~ wt + hp + qsec + C(cyl)"`` (goal: under 3 s);
* ``linmod cv`` and ``linmod path`` on the diabetes data (442 x 10, from scikit-learn's
  bundled copy, written to a CSV first), ``-f "target ~ ."`` (were 9-13 s).

The commands run ``python -m linmod.cli.main`` equivalents through the ``linmod``
console script's entry point (``from linmod.cli.main import main``), with the current
``PYTHONPATH``.  The machine's other jobs add noise: read medians, rerun when quiet.

Usage::

    python bench/startup.py
    python bench/startup.py --repeats 9
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MTCARS = ROOT / "tests" / "data" / "mtcars.csv"
_LINMOD = "import sys; from linmod.cli.main import main; sys.argv[0] = 'linmod'; sys.exit(main())"


def _linmod(*args: str) -> list[str]:
    return [sys.executable, "-c", _LINMOD, *args]


def _median_time(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        from sklearn.datasets import load_diabetes

        diabetes = Path(folder) / "diabetes.csv"
        load_diabetes(as_frame=True).frame.to_csv(diabetes, index=False)
        report = Path(folder) / "mtcars.html"
        commands = {
            "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
            "linmod fit mtcars.csv": _linmod("fit", str(MTCARS), "-f", "mpg ~ wt + hp"),
            "linmod report mtcars.csv": _linmod(
                "report", str(MTCARS), "-f", "mpg ~ wt + hp + qsec + C(cyl)", "-o", str(report)
            ),
            "linmod cv diabetes.csv": _linmod("cv", str(diabetes), "-f", "target ~ ."),
            "linmod path diabetes.csv": _linmod("path", str(diabetes), "-f", "target ~ ."),
        }
        _median_time(commands["linmod fit mtcars.csv"], 1)  # warm caches (numba, disk)
        medians = {name: _median_time(command, args.repeats) for name, command in commands.items()}
    pandas_s = medians["python -c 'import pandas'"]
    print(f"{'command':<28} {'median':>8}  goal")
    goals = {
        "linmod fit mtcars.csv": f"{medians['linmod fit mtcars.csv'] / pandas_s:.2f}x import "
        "pandas (goal <= 1.5x)",
        "linmod report mtcars.csv": "goal < 3 s",
        "linmod cv diabetes.csv": "was 9-13 s",
        "linmod path diabetes.csv": "was 9-13 s",
    }
    for name, seconds in medians.items():
        print(f"{name:<28} {seconds:>7.2f}s  {goals.get(name, '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
