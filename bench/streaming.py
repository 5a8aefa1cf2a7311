"""Out-of-core OLS: throughput and peak memory against reading the same file with pyarrow.

    python bench/streaming.py                      # 5e7 rows x 20 predictors (~8 GB file)
    python bench/streaming.py --rows 5000000       # a quicker run
    python bench/streaming.py --quick              # smoke test

The Parquet file is generated once under bench/_data/ (git-ignored).  Each measurement
runs in a fresh subprocess so that its peak RSS (``ru_maxrss``) is its own.  Prints rows
per second, the ratio linmod / pyarrow-read (goal >= 0.5) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
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
    """Run one measurement in this process (called in a subprocess)."""
    import resource

    start = time.perf_counter()
    if kind == "pyarrow":
        import pyarrow.parquet as pq

        rows = 0
        for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=chunksize):
            rows += len(batch.to_pandas())
    else:
        import linmod

        formula = "y ~ " + " + ".join(f"x{j}" for j in range(P))
        res = linmod.ols(formula, data=path, chunksize=chunksize)
        rows = res.n_obs
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "rows": rows, "seconds": seconds, "peak_mib": peak_mib}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--chunksize", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], args.measure[1], args.chunksize)))
        return
    if args.quick:
        args.rows, args.chunksize = 200_000, 50_000
    path = HERE / "_data" / f"stream_{args.rows}x{P}.parquet"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, args.rows)
    size_gib = path.stat().st_size / 2**30
    print(f"file {path.name}: {args.rows:,} rows x {P + 1} columns, {size_gib:.2f} GiB on disk")
    results = {}
    for kind in ("pyarrow", "linmod", "pyarrow", "linmod"):  # alternate to share any noise
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                kind,
                str(path),
                "--chunksize",
                str(args.chunksize),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.setdefault(kind, []).append(row)
    for kind, rows in results.items():
        best = min(rows, key=lambda r: r["seconds"])
        print(
            f"{kind:8s} {best['rows'] / best['seconds'] / 1e6:7.2f} M rows/s   "
            f"{best['seconds']:7.2f} s   peak RSS {best['peak_mib']:8.0f} MiB"
        )
    rate = {k: min(r["seconds"] for r in v) for k, v in results.items()}
    print(
        f"throughput ratio linmod / pyarrow read: {rate['pyarrow'] / rate['linmod']:.2f} "
        "(goal >= 0.5)"
    )
    data_mib = args.rows * (P + 1) * 8 / 2**20
    print(f"data size in memory would be {data_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
