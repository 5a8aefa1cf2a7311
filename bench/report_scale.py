"""The HTML report at scale (issue 13): wall time and peak memory, 1e4 ... 1e6 rows.

Each size runs in a fresh child process (so its peak RSS is its own): Gaussian X with
``--predictors`` columns (default 10), coefficients U(0.5, 2), noise sd 1, then
``analyse("y ~ x0 + ... + x9", frame)`` and ``render_html`` of the result, timed with
``time.perf_counter`` from after the data are built (CPU time, user + system of the
child over the same span, is printed too: on a shared machine it is the steadier
figure); peak RSS is the child's
``ru_maxrss`` (data included).  The goal is under 30 s and 2 GB at 1e6 rows.

``--cli`` times the command instead, ``linmod report`` as a fresh process per run, on small
files (``tests/data/mtcars.csv`` with ``mpg ~ wt + hp + C(cyl)`` and a seeded 200-row
``y ~ x`` CSV): one unmeasured run of each first (bytecode and numba caches warm), then
``--repeats`` rounds round-robin, medians of wall and CPU (user + system of the child) time
printed; ``--src`` names source trees to compare, run alternately (``PYTHONPATH`` switched
run by run, so a busy spell of the machine falls on every tree alike).

Usage::

    python bench/report_scale.py                    # 1e4 and 1e5 rows
    python bench/report_scale.py --cli --repeats 5 --src /tmp/before/src,src
    python bench/report_scale.py --slow             # also 1e6 (minutes on a loaded machine)
    python bench/report_scale.py --rows 2e5 --predictors 20
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def _child(n: int, p: int) -> None:
    import numpy as np
    import pandas as pd

    from linmod.analysis import analyse
    from linmod.report import render_html

    rng = np.random.default_rng(20240601)
    x = rng.standard_normal((n, p))
    frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
    frame["y"] = x @ rng.uniform(0.5, 2.0, p) + rng.standard_normal(n)
    del x
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(p))
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    start = time.perf_counter()
    analysis = analyse(formula, frame)
    analysed = time.perf_counter()
    page = render_html(analysis)
    done = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": n,
                "predictors": p,
                "analyse_s": analysed - start,
                "render_s": done - analysed,
                "total_s": done - start,
                "cpu_s": usage.ru_utime + usage.ru_stime - cpu_before,
                "peak_rss_mb": peak_mb,
                "page_kb": len(page.encode()) / 1024,
            }
        )
    )


def _cli_runs(sources: list[str], repeats: int) -> None:
    """Median wall and CPU seconds of ``linmod report`` on small files, per source tree."""
    import os
    import statistics
    import tempfile
    from pathlib import Path

    import numpy as np
    import pandas as pd

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        rng = np.random.default_rng(20240601)
        x = rng.standard_normal(200)
        small = Path(folder) / "small.csv"
        pd.DataFrame({"x": x, "y": 1.0 + 2.0 * x + rng.standard_normal(200)}).to_csv(
            small, index=False
        )
        cases = {
            "mtcars.csv, mpg ~ wt + hp + C(cyl)": (
                root / "tests/data/mtcars.csv",
                "mpg ~ wt + hp + C(cyl)",
            ),
            "200 rows, y ~ x": (small, "y ~ x"),
        }
        out = str(Path(folder) / "out.html")

        def once(src: str, data: Path, formula: str) -> tuple[float, float]:
            command = [sys.executable, "-m", "linmod.cli.main", "report", str(data), "-f", formula]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                [*command, "-o", out],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**env, "PYTHONPATH": str(Path(src).resolve())},
            )
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for case, (data, formula) in cases.items():
            for src in sources:
                once(src, data, formula)  # unmeasured: caches warm
                runs[case, src] = []
        for _ in range(repeats):
            for case, (data, formula) in cases.items():
                for src in sources:
                    runs[case, src].append(once(src, data, formula))
    print(f"1-minute load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'case':<36} {'source':<28} {'wall':>7} {'CPU':>7}")
    for (case, src), times in runs.items():
        wall = statistics.median(w for w, _ in times)
        cpu = statistics.median(c for _, c in times)
        print(f"{case:<36} {src[-28:]:<28} {wall:>6.2f}s {cpu:>6.2f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default=None, help="comma-separated row counts, e.g. 1e4,1e5")
    parser.add_argument("--predictors", type=int, default=10)
    parser.add_argument("--slow", action="store_true", help="include 1e6 rows")
    parser.add_argument("--cli", action="store_true", help="time `linmod report` on small files")
    parser.add_argument("--repeats", type=int, default=5, help="runs per case with --cli")
    parser.add_argument("--src", default="src", help="comma-separated source trees (--cli)")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cli:
        _cli_runs(args.src.split(","), args.repeats)
        return 0
    if args.child:
        _child(*args.child)
        return 0
    sizes = (
        [int(float(r)) for r in args.rows.split(",")]
        if args.rows
        else [10_000, 100_000] + ([1_000_000] if args.slow else [])
    )
    print(
        f"{'rows':>10} {'p':>3} {'analyse':>9} {'render':>8} {'total':>8} {'CPU':>8} "
        f"{'peak RSS':>10}"
    )
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), str(args.predictors)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{n:>10,} {args.predictors:>3} {r['analyse_s']:>8.1f}s {r['render_s']:>7.1f}s "
            f"{r['total_s']:>7.1f}s {r['cpu_s']:>7.1f}s {r['peak_rss_mb']:>8,.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
