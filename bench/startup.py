"""CLI start-up and small-data times (issue 13), each as a fresh process, with the ratios.

Every command runs ``--repeats`` times (default 5) as a new ``python`` process, so import
time counts as a user sees it (round-robin, after one unmeasured run that caches bytecode,
as a user's second run finds it); MEDIANS of wall time and of CPU time (user + system of the
child) are printed, with the goals:

* ``linmod fit mtcars.csv -f "mpg ~ wt + hp"`` against ``python -c "import pandas"``
  (goal: at most 1.5x), beside the floor every fit pays: ``import pandas, scipy.linalg,
  scipy.special`` (the factorisations and the t and F tails of every fit come from
  them);
* ``linmod report mtcars.csv -f "mpg ~ wt + hp + qsec + C(cyl)"`` (goal: under 3 s);
* ``linmod cv`` and ``linmod path`` on the diabetes data (442 x 10, from scikit-learn's
  bundled copy, written to a CSV first), ``-f "target ~ ."`` (were 9-13 s).

The commands run ``python -m linmod.cli.main`` equivalents through the ``linmod``
console script's entry point (``from linmod.cli.main import run``), with the current
``PYTHONPATH``.  The machine's other jobs add noise: read medians, rerun when quiet.  On a
loaded machine (the 1-minute load average is printed) wall time measures the queue for a
core; CPU time is the steadier figure, and the ratio is given for both.

Usage::

    python bench/startup.py
    python bench/startup.py --repeats 9
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MTCARS = ROOT / "tests" / "data" / "mtcars.csv"
_LINMOD = "import sys; from linmod.cli.main import run; sys.argv[0] = 'linmod'; run()"


def _linmod(*args: str) -> list[str]:
    return [sys.executable, "-c", _LINMOD, *args]


#: The children's environment: as a user's Python runs, bytecode is cached after the first
#: run.  Some environments (this one's shells among them) set PYTHONDONTWRITEBYTECODE,
#: which makes every run recompile linmod's ~90 modules from source (~0.1 s) while pandas
#: and scipy load their installed bytecode: an unfair comparison, so it is removed here.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run_time(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system of the child) seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _median_times(commands: dict[str, list[str]], repeats: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of each command, run round-robin ``repeats`` times.

    Round-robin, so that a busy spell of the machine falls on every command alike; each
    command runs once first, unmeasured, to cache bytecode and warm the disk cache.
    """
    for command in commands.values():
        _run_time(command)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(_run_time(command))
    return {
        name: (
            statistics.median(wall for wall, _ in runs),
            statistics.median(cpu for _, cpu in runs),
        )
        for name, runs in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--only", help="comma-separated substrings: run only the commands that contain one"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        from sklearn.datasets import load_diabetes

        diabetes = Path(folder) / "diabetes.csv"
        load_diabetes(as_frame=True).frame.to_csv(diabetes, index=False)
        report = Path(folder) / "mtcars.html"
        commands = {
            "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
            "floor: pandas + scipy parts": [
                sys.executable,
                "-c",
                "import pandas, scipy.linalg, scipy.special",
            ],
            "linmod fit mtcars.csv": _linmod("fit", str(MTCARS), "-f", "mpg ~ wt + hp"),
            "linmod report mtcars.csv": _linmod(
                "report", str(MTCARS), "-f", "mpg ~ wt + hp + qsec + C(cyl)", "-o", str(report)
            ),
            "linmod cv diabetes.csv": _linmod("cv", str(diabetes), "-f", "target ~ ."),
            "linmod path diabetes.csv": _linmod("path", str(diabetes), "-f", "target ~ ."),
        }
        wanted = args.only.split(",") if args.only else None
        medians = _median_times(
            {
                name: command
                for name, command in commands.items()
                if wanted is None
                or "pandas" in name
                or "fit" in name
                or any(w in name for w in wanted)
            },
            args.repeats,
        )
    pandas_wall, pandas_cpu = medians["python -c 'import pandas'"]
    fit_wall, fit_cpu = medians["linmod fit mtcars.csv"]
    print(f"load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':<28} {'wall':>8} {'CPU':>8}  goal")
    floor = medians.get("floor: pandas + scipy parts")
    goals = {
        "floor: pandas + scipy parts": ""
        if floor is None
        else f"{floor[0] / pandas_wall:.2f}x (CPU {floor[1] / pandas_cpu:.2f}x) import pandas",
        "linmod fit mtcars.csv": f"{fit_wall / pandas_wall:.2f}x (CPU {fit_cpu / pandas_cpu:.2f}x) "
        "import pandas (goal <= 1.5x)",
        "linmod report mtcars.csv": "goal < 3 s",
        "linmod cv diabetes.csv": "was 9-13 s",
        "linmod path diabetes.csv": "was 9-13 s",
    }
    for name, (wall, cpu) in medians.items():
        print(f"{name:<28} {wall:>7.2f}s {cpu:>7.2f}s  {goals.get(name, '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
