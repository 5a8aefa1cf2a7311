"""Cross-validated Lasso on a Parquet file: linmod out of core against scikit-learn in memory.

    python bench/penalized_streaming.py                 # 2e6 rows x 20 predictors
    python bench/penalized_streaming.py --rows 200000   # a quicker run

The same task on the same file: choose the Lasso penalty among 100 by 5-fold
cross-validation and refit at the minimum.

- linmod: ``linmod.lasso(formula, data=path, alpha="cv")``: one pass over the file, one R
  factor per fold (folds by a seeded hash of the row position), coordinate descent on the
  Gram matrices read from the factors.  Peak memory: one chunk plus five (p+2)² factors.
- scikit-learn: ``pandas.read_parquet`` then ``LassoCV(cv=KFold(5, shuffle=True),
  alphas=100)``, the data in memory (the read is timed too; both sides read the file).

The folds differ (a hash against a shuffled KFold), so the chosen penalties differ within
the CV noise; the script prints both and the largest coefficient difference relative to
the largest coefficient.  Medians of ``--repeats`` interleaved runs, one BLAS thread on
both sides (``threadpoolctl``), and the ratio scikit-learn / linmod (> 1: linmod faster).
The file is generated once under bench/_data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
P = 20


def generate(path: Path, rows: int, row_group: int = 250_000) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(1)
    beta = np.zeros(P)
    beta[:6] = [2.0, -1.5, 1.0, 0.5, -0.25, 0.1]  # sparse truth
    names = [f"x{j}" for j in range(P)] + ["y"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, pa.schema([(n, pa.float64()) for n in names])) as writer:
        for start in range(0, rows, row_group):
            m = min(row_group, rows - start)
            x = rng.normal(size=(m, P))
            x[:, 1] += 0.5 * x[:, 0]  # some correlation
            y = 3.0 + x @ beta + rng.normal(size=m) * 2.0
            writer.write_table(pa.table({**{f"x{j}": x[:, j] for j in range(P)}, "y": y}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunksize", type=int, default=250_000)
    args = parser.parse_args()

    import pandas as pd
    from sklearn.linear_model import LassoCV
    from sklearn.model_selection import KFold
    from threadpoolctl import threadpool_limits

    import linmod

    path = HERE / "_data" / f"lasso_{args.rows}x{P}.parquet"
    if not path.exists():
        generate(path, args.rows)
    formula = "y ~ " + " + ".join(f"x{j}" for j in range(P))
    names = [f"x{j}" for j in range(P)]

    def run_linmod():
        return linmod.lasso(formula, data=path, alpha="cv", chunksize=args.chunksize)

    def run_sklearn():
        frame = pd.read_parquet(path)
        model = LassoCV(cv=KFold(5, shuffle=True, random_state=0), alphas=100)
        return model.fit(frame[names].to_numpy(), frame["y"].to_numpy())

    times: dict[str, list[float]] = {"linmod": [], "sklearn": []}
    results = {}
    with threadpool_limits(1):
        run_linmod()  # warm-up: JIT kernels
        for _ in range(args.repeats):
            for name, run in (("linmod", run_linmod), ("sklearn", run_sklearn)):
                start = time.perf_counter()
                results[name] = run()
                times[name].append(time.perf_counter() - start)
    ours, theirs = results["linmod"], results["sklearn"]
    coef_ours = ours.coef.to_numpy()
    coef_theirs = np.concatenate([[theirs.intercept_], theirs.coef_])
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"file: {path.name}  rows={args.rows}  p={P}  load average {os.getloadavg()[0]:.2f}")
    print(f"linmod  lasso(alpha='cv') out of core : {median['linmod']:.3f} s (median)")
    print(f"sklearn read_parquet + LassoCV        : {median['sklearn']:.3f} s (median)")
    print(f"ratio sklearn / linmod                : {median['sklearn'] / median['linmod']:.2f}x")
    print(f"chosen alpha: linmod {ours.alpha:.6g}, sklearn {theirs.alpha_:.6g}")
    spread = np.max(np.abs(coef_ours - coef_theirs)) / np.max(np.abs(coef_theirs))
    print(f"largest coefficient difference / largest coefficient: {spread:.2e}")


if __name__ == "__main__":
    main()
