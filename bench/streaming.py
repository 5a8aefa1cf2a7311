"""Out-of-core OLS: throughput and peak memory against reading the same file with pyarrow.

    python bench/streaming.py                      # 5e7 rows x 20 predictors (~8 GB file)
    python bench/streaming.py --rows 5000000       # a quicker run
    python bench/streaming.py --quick              # smoke test

The Parquet file is generated once under bench/_data/ (git-ignored).  Each measurement
runs in a fresh subprocess so that its peak RSS (``ru_maxrss``) is its own; linmod and the
pyarrow read run in interleaved pairs (``--pairs``) and the ratio is that of the median
times, timed after the imports.  Prints rows per second, the ratio linmod / pyarrow-read
(goal >= 0.5), the ratio to Arrow decoding alone, peak RSS and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
P = 20


def generate(path: Path, rows: int, row_group: int = 1_000_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    beta = np.linspace(-1, 1, P)
    names = [f"x{j}" for j in range(P)] + ["y"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, pa.schema([(n, pa.float64()) for n in names])) as writer:
        for start in range(0, rows, row_group):
            m = min(row_group, rows - start)
            x = rng.normal(size=(m, P))
            y = 1.0 + x @ beta + rng.normal(size=m)
            table = pa.table({**{f"x{j}": x[:, j] for j in range(P)}, "y": y})
            writer.write_table(table)


def measure(kind: str, path: str, chunksize: int) -> dict:
    """Run one measurement in this process (called in a subprocess).

    The clock starts after the imports, pyarrow's on both sides (linmod's streaming
    module pulls in pandas, scipy, numba and formulaic: about a second that does not
    depend on the file; ``import linmod`` alone loads them lazily, so the module is
    imported explicitly), and the import time is reported on its own.
    """
    import resource

    start = time.perf_counter()
    import pyarrow.parquet as pq

    if kind == "linmod":
        import linmod
        import linmod.models.ols_folded  # the lazy imports, before the clock
    elif kind == "pyarrow":
        import pandas  # noqa: F401 - to_pandas imports it on first use: before the clock
    imported = time.perf_counter()
    cpu_start = resource.getrusage(resource.RUSAGE_SELF)
    if kind == "linmod":
        formula = "y ~ " + " + ".join(f"x{j}" for j in range(P))
        res = linmod.ols(formula, data=path, chunksize=chunksize)
        rows = res.n_obs
    else:
        rows = 0
        for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=chunksize):
            # "pyarrow": what a user streaming the file into pandas does; "arrow": decoding
            # alone, no conversion (an upper bound for any consumer of the data).
            rows += len(batch.to_pandas()) if kind == "pyarrow" else batch.num_rows
    seconds = time.perf_counter() - imported
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_start.ru_utime - cpu_start.ru_stime
    peak_mib = usage.ru_maxrss / 1024
    return {
        "kind": kind,
        "rows": rows,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "import_seconds": imported - start,
        "peak_mib": peak_mib,
    }


def _run(kind: str, path: Path, chunksize: int) -> dict:
    command = [sys.executable, __file__, "--measure", kind, str(path)]
    out = subprocess.run(
        [*command, "--chunksize", str(chunksize)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--chunksize", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=3, help="interleaved pyarrow/linmod pairs")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1], args.chunksize)))
        return
    if args.quick:
        args.rows, args.chunksize, args.pairs = 200_000, 50_000, 1
    path = HERE / "_data" / f"stream_{args.rows}x{P}.parquet"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, args.rows)
    size_gib = path.stat().st_size / 2**30
    print(f"file {path.name}: {args.rows:,} rows x {P + 1} columns, {size_gib:.2f} GiB on disk")
    print(f"chunksize {args.chunksize:,}; load average before: {os.getloadavg()}")
    results: dict[str, list[dict]] = {}
    for pair in range(args.pairs):  # alternate, and alternate the order, to share any noise
        kinds = ["pyarrow", "linmod", "arrow"] if pair % 2 == 0 else ["linmod", "pyarrow", "arrow"]
        for kind in kinds:
            row = _run(kind, path, args.chunksize)
            results.setdefault(kind, []).append(row)
            print(
                f"  pair {pair + 1} {kind:8s} {row['seconds']:7.2f} s  "
                f"(CPU {row['cpu_seconds']:6.2f} s)  peak RSS "
                f"{row['peak_mib']:6.0f} MiB  (import {row['import_seconds']:.1f} s)",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()}")
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
    cpu = {k: statistics.median(r["cpu_seconds"] for r in v) for k, v in results.items()}
    for kind, rows in results.items():
        print(
            f"{kind:8s} median {rows[0]['rows'] / median[kind] / 1e6:7.2f} M rows/s  "
            f"{median[kind]:7.2f} s  CPU {cpu[kind]:7.2f} s  "
            f"peak RSS {max(r['peak_mib'] for r in rows):8.0f} MiB"
        )
    print(
        f"throughput ratio linmod / pyarrow read (medians): "
        f"{median['pyarrow'] / median['linmod']:.2f} (goal >= 0.5); "
        f"linmod / arrow decode alone: {median['arrow'] / median['linmod']:.2f}; "
        f"ratio of median CPU times (less sensitive to other load): "
        f"{cpu['pyarrow'] / cpu['linmod']:.2f}"
    )
    data_mib = args.rows * (P + 1) * 8 / 2**20
    print(f"data size in memory would be {data_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
