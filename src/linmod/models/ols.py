"""``linmod.ols``: ordinary least squares from a formula or from arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np

from linmod.data.arrays import array_design, fast_array_design
from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_dask_collection, to_pandas
from linmod.data.missing import check_policy
from linmod.data.row_names import set_id_column
from linmod.data.sparse_input import is_sparse
from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError
from linmod.inference.results import OLSResults
from linmod.linalg.scaling import Magnitudes
from linmod.models.conditioning import check_fit_options, report_conditioning
from linmod.models.multi_ols import MultiOLSResults, fit_multi, is_multi_response
from linmod.solvers import LeastSquaresProblem, solve

__all__ = ["fit_design", "ols"]


def _validate(design: Design, magnitudes: Magnitudes | None = None) -> None:
    n, p = design.x.shape
    if n < p:
        raise InputError(
            f"{n} rows but {p} parameters ({', '.join(design.column_names[:8])}"
            f"{', …' if p > 8 else ''}): least squares needs at least as many rows as "
            "parameters; drop terms or use a regularised fit (Ridge or Lasso)"
        )
    y = design.y
    constant = None
    if magnitudes is not None and magnitudes.of(design.x, y):  # measured with the copy
        constant = magnitudes.constant_response
    if constant is None:
        constant = n > 1 and bool(np.all(y == y[0]))
    if n > 1 and constant:
        raise InputError(
            f"the response {design.response_name!r} is constant (every value is {y[0]:g}); "
            "there is no variation to explain and R² is undefined"
        )


def fit_design(
    design: Design,
    solver: str = "auto",
    on_singular: str = "drop",
    progress: bool | None = False,
    magnitudes: Magnitudes | None = None,
) -> OLSResults:
    """Fit OLS to a prepared design (used by :func:`ols` and the estimators).

    ``magnitudes`` are the largest magnitudes of the design's columns and response when
    they are known (see :func:`linmod.data.arrays.fast_array_design`).
    """
    check_fit_options(solver, on_singular)
    _validate(design, magnitudes)
    problem = LeastSquaresProblem(
        x=design.x,
        y=design.y,
        names=design.column_names,
        x_lo=design.x_lo,
        intercept=design.intercept,
        progress=progress,
        magnitudes=magnitudes,
    )
    result = solve(problem, solver)
    report_conditioning(design, result, on_singular)
    return OLSResults(design=design, solution=result, solver=solver)


def refuse_levels_in_memory(levels: Any) -> None:
    """``levels=`` declares categories before a stream's first chunk; in memory it would
    be ignored, and the reference level it implies with it."""
    if levels is not None:
        raise InputError(
            "levels= is for streamed or Dask data, where categories are declared before the "
            "first chunk; in memory they come from the data: write C(x, levels=[...]) in the "
            "formula to set their order"
        )


def _refuse_refine_in_memory(refine: bool | None) -> None:
    if refine is not None:
        raise InputError(
            f"refine={refine!r} is for streamed or Dask data; an in-memory fit is refined by "
            "its solver (solver='qr' reaches the float64 limit), so leave refine=None"
        )


def _plain_arrays_design(
    x: Any, y: Any, fit_intercept: bool, missing: str, data: Any, engine: str
) -> tuple[Design, Magnitudes] | None:
    """The design of ``ols(X, y)`` for a float64 matrix and a 1-D response array, taken
    before the dispatch on every other kind of input (frames, formulas, files, sparse,
    Dask, several responses), which then need not be looked for; None otherwise."""
    if type(x) is not np.ndarray or type(y) is not np.ndarray or y.ndim != 1:
        return None
    if data is not None or engine != "auto":
        return None
    check_policy(missing)
    return fast_array_design(x, y, fit_intercept)


def ols(
    formula_or_x: Any = None,
    y: Any = None,
    *,
    data: Any = None,
    fit_intercept: bool = True,
    missing: Literal["raise", "drop"] = "raise",
    solver: str = "auto",
    on_singular: Literal["drop", "raise"] = "drop",
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
    second_pass: bool = False,
    hac_lags: int | None = None,
    engine: Literal["auto", "dask"] = "auto",
    progress: bool | None = None,
    refine: bool | None = None,
    timeout: float | None = None,
    read_options: Mapping[str, Any] | None = None,
    id: str | None = None,
    weights: Any = None,
    weights_type: str = "precision",
) -> OLSResults | MultiOLSResults:
    """Fit a linear model by ordinary least squares.

    Parameters
    ----------
    formula_or_x : str or array-like or DataFrame or scipy.sparse matrix
        A formula such as ``"price ~ sqft + C(garage) + np.log(age)"`` (with ``data=``), or
        a feature matrix (with ``y``).  Several responses (``"mpg + qsec ~ wt"`` or R's
        ``"cbind(mpg, qsec) ~ wt"``) fit them all on one design (R's ``mlm``, see
        :mod:`linmod.models.multi_ols`).  A sparse matrix is never densified: see
        :mod:`linmod.models.sparse_ols` (the Gram matrix's R factor, refined; LSQR beyond
        5000 columns).
    y : array-like, optional
        The response when ``formula_or_x`` is a feature matrix; a 2-D array or a data
        frame of several columns fits each column as a response.
    data : DataFrame, optional
        pandas or polars DataFrame (or dict of columns) for a formula.
    fit_intercept : bool
        With arrays: add an intercept column.  With a formula use ``0 +`` or ``- 1`` instead.
    missing : {"raise", "drop"}
        ``"raise"`` (default) refuses data with missing values and says where they are;
        ``"drop"`` removes incomplete rows, as R's ``na.omit``.
    solver : {"auto", "qr", "cholesky", "svd", "normal", "simple"}
        ``"auto"`` is accurate and fast (see :mod:`linmod.solvers.auto`); ``"qr"`` reaches the
        float64 limit on any full-rank problem; ``"cholesky"`` is fastest for
        well-conditioned data; ``"svd"`` gives the minimum-norm solution; ``"normal"`` is the
        textbook ``inv(X'X) X'y``; ``"simple"`` the closed form for one predictor.
    on_singular : {"drop", "raise"}
        Aliased columns get NaN coefficients (``"drop"``, as R) or raise
        :class:`~linmod.exceptions.SingularDesignError`.
    chunksize, levels, second_pass, hac_lags, read_options
        For data given as a file (``.parquet``, ``.csv``, ``.tsv``), a list of files or an
        iterator of DataFrames: the fit streams the data (see
        :func:`linmod.models.ols_folded.fit_streaming`) and returns the same results.
        For Dask collections (and with ``engine="dask"``) partitions are folded on the
        workers (see :mod:`linmod.outofcore.dask_sources`).
    engine : {"auto", "dask"}
        ``"dask"`` opens a Parquet path (or a ``.csv``/``.tsv`` path) as a Dask DataFrame.
    progress : bool or None
        Progress bar for long work (streamed chunks, gradient-descent iterations) on
        standard error; None shows it only when that is a terminal.
    refine : bool or None
        For streamed and Dask data: read the data again (one to three passes) to refine
        the coefficients to the float64 limit by the corrected semi-normal equations.
        None (default) refines when the data can be read again and either has at most
        a million values or the estimated relative error of some one-pass coefficient
        exceeds 1e-10.  In-memory fits are always refined by their solver,
        so there it must stay None.
    timeout : float or None
        For Dask data on a ``dask.distributed`` cluster: seconds to wait while the cluster
        has no workers before raising :class:`~linmod.exceptions.LinmodError` (None: 60 s).
        It does not limit a fit that is making progress.
    id : str, optional
        With a formula and in-memory data: a column whose values label the rows (as
        ``rownames(df) <- df$id`` in R), in ``check()``, the influence measures, the
        diagnostic plots and the report.  It becomes the index of ``res.residuals`` and
        ``res.fitted`` and is not a data column (``"y ~ ."`` leaves it out).  Its values
        must be present and unique.  Without it, rows are shown by the frame's own index
        labels, or by 1-based row numbers when the frame has the default index.
    weights : str or array-like, optional
        Observation weights: a column of ``data`` (not a predictor; ``"y ~ ."`` leaves it
        out) or one weight per row.  Zero weights drop their row from the fit (counted in
        the summary), as R; with ``missing="drop"`` a missing weight drops its row too.
        Streamed and Dask data take a column, read with every chunk (see
        :mod:`linmod.models.weighted_folded`).  See :mod:`linmod.inference.weighted`.
    weights_type : {"precision", "frequency", "sampling"}
        The declared meaning of the weights: ``"precision"`` (1/variance, as R's ``lm``
        and statsmodels' ``WLS``), ``"frequency"`` (a row stands for ``w`` identical
        rows: the fit of the repeated rows) or ``"sampling"`` (inverse-probability
        weights: robust HC1 standard errors, as Stata's pweights).

    Returns
    -------
    OLSResults or MultiOLSResults
        :class:`~linmod.inference.multi_results.MultiOLSResults` for several responses.

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices_simple()
    >>> res = linmod.ols("price ~ size", data=data)
    >>> round(res.coef["Intercept"], 2), round(res.coef["size"], 2)
    (4.22, 2.77)
    """
    if formula_or_x is None:  # ols(data="sales.csv"): say what is missing, not a TypeError
        raise InputError(
            "ols() needs a formula, e.g. linmod.ols('y ~ .', data=...) for y on every other "
            "column, or a feature matrix and a response: linmod.ols(X, y)"
        )
    plain = weights is None and id is None and weights_type == "precision" and refine is None
    if plain and levels is None and timeout is None and not read_options:
        fast = _plain_arrays_design(formula_or_x, y, fit_intercept, missing, data, engine)
        if fast is not None:
            return fit_design(fast[0], solver, on_singular, progress, magnitudes=fast[1])
    if engine not in ("auto", "dask"):
        raise InputError(f"engine={engine!r} is not known; use 'auto' or 'dask'")
    if weights is None and weights_type != "precision":
        check_weights_type(weights_type)
        raise InputError(f"weights_type={weights_type!r} needs weights=: the column or array")
    if id is not None:
        if not isinstance(formula_or_x, str) or data is None:
            raise InputError(
                "id= labels the rows of a formula fit: ols('y ~ x', data=df, id='name'); "
                "with arrays, give X a pandas index instead"
            )
        if engine == "dask" or is_dask_collection(data) or is_chunked_source(data):
            raise InputError("id= is for data in memory; streamed and Dask fits keep no row labels")
        data = set_id_column(to_pandas(data), id, formula_or_x)
    if is_sparse(formula_or_x):  # the Gram matrix's R factor, refined (models/sparse_ols.py)
        from linmod.models.sparse_ols import fit_sparse_ols, refuse_sparse_options

        refuse_sparse_options(y, data, solver, second_pass, refine, (levels, weights, timeout))
        return fit_sparse_ols(formula_or_x, y, fit_intercept=fit_intercept)  # type: ignore[return-value]
    if is_multi_response(formula_or_x, y):
        out_of_core: dict[str, Any] = {"levels": levels, "second_pass": second_pass}
        out_of_core |= {"hac_lags": hac_lags, "refine": refine, "timeout": timeout}
        out_of_core["read_options"] = read_options
        return fit_multi(
            formula_or_x,
            y,
            data,
            fit_intercept=fit_intercept,
            missing=missing,
            solver=solver,
            on_singular=on_singular,
            progress=progress,
            engine=engine,
            weights=weights,
            out_of_core=out_of_core,
        )
    if weights is not None:
        if (
            engine == "dask"
            or is_dask_collection(data)
            or is_dask_collection(formula_or_x)
            or is_chunked_source(data)
        ):
            from linmod.models.weighted_folded import fit_weighted_out_of_core

            options = {
                "chunksize": chunksize, "missing": missing, "levels": levels,
                "second_pass": second_pass, "hac_lags": hac_lags, "progress": progress,
                "refine": refine, "timeout": timeout, "read_options": read_options,
            }  # fmt: skip
            return fit_weighted_out_of_core(
                formula_or_x, y, data, weights, weights_type, engine=engine, solver=solver,
                options=options,
            )  # fmt: skip
        if isinstance(formula_or_x, str) and (y is not None or data is None):
            raise InputError("a formula needs data=: ols('y ~ x', data=df, weights='w')")
        if not isinstance(formula_or_x, str) and (y is None or data is not None):
            raise InputError("with arrays call ols(X, y, weights=w)")
        _refuse_refine_in_memory(refine)
        refuse_levels_in_memory(levels)
        if timeout is not None or read_options:
            raise InputError("timeout= and read_options= are for streamed or Dask data")
        from linmod.models.weighted_ols import fit_weighted

        return fit_weighted(
            formula_or_x,
            y,
            data,
            weights,
            weights_type,
            fit_intercept=fit_intercept,
            missing=missing,
            solver=solver,
            on_singular=on_singular,
            progress=progress,
        )
    if isinstance(formula_or_x, str) and (engine == "dask" or is_dask_collection(data)):
        if read_options:
            raise InputError("read_options= is not available with Dask; use chunksize= streaming")
        from linmod.models.ols_folded import fit_dask_frame
        from linmod.outofcore.dask_sources import read_parquet

        frame = read_parquet(data) if engine == "dask" and not is_dask_collection(data) else data
        return fit_dask_frame(
            formula_or_x,
            frame,
            missing=missing,
            levels=levels,
            second_pass=second_pass,
            hac_lags=hac_lags,
            refine=refine,
            timeout=timeout,
        )
    if is_dask_collection(formula_or_x):
        from linmod.models.ols_folded import fit_dask_arrays

        return fit_dask_arrays(
            formula_or_x,
            y,
            fit_intercept=fit_intercept,
            second_pass=second_pass,
            hac_lags=hac_lags,
            refine=refine,
            timeout=timeout,
        )
    if timeout is not None:
        raise InputError(f"timeout={timeout!r} is for Dask data; leave it None here")
    if isinstance(formula_or_x, str):
        if y is not None:
            raise InputError("with a formula, pass the data as data=..., not as y")
        if data is None:
            raise InputError("a formula needs data=: ols('y ~ x', data=df)")
        if is_chunked_source(data):
            if solver not in ("auto", "tsqr"):
                raise InputError(
                    f"solver={solver!r} is not available for streamed data, which is always "
                    "fitted by merging R factors (TSQR); leave solver='auto'"
                )
            from linmod.models.ols_folded import fit_streaming

            return fit_streaming(
                formula_or_x,
                data,
                chunksize=chunksize,
                missing=missing,
                levels=levels,
                second_pass=second_pass,
                hac_lags=hac_lags,
                progress=progress,
                refine=refine,
                read_options=read_options,
            )
        if read_options:
            raise InputError(
                "read_options= applies to files read in chunks (data='file.csv'); for a data "
                "frame, pass them to pandas.read_csv"
            )
        _refuse_refine_in_memory(refine)
        refuse_levels_in_memory(levels)
        design = design_from_formula(formula_or_x, data, missing=missing, least_squares=True)
    else:
        _refuse_refine_in_memory(refine)
        refuse_levels_in_memory(levels)
        if y is None:
            raise InputError(
                "ols(X, y) needs y; or pass a formula string with data=, e.g. ols('y ~ x', data=df)"
            )
        if data is not None:
            raise InputError("data= is for formulas; with arrays call ols(X, y)")
        design, magnitudes = array_design(formula_or_x, y, fit_intercept, missing)
        return fit_design(design, solver, on_singular, progress, magnitudes=magnitudes)
    return fit_design(design, solver=solver, on_singular=on_singular, progress=progress)
