"""Cluster-robust covariance of OLS coefficients: one-way and multi-way, CR0-CR3.

The estimator is sandwich's ``vcovCL`` (Zeileis, Köll and Graham 2020) with its default
arguments (``cadjust = TRUE``, ``multi0 = FALSE``, ``fix = FALSE``):

``V = (X'X)^-1 [ sum over s of sign(s) c(G_s) sum_g u_g u_g' ] (X'X)^-1``

where ``s`` runs over the non-empty subsets of the clustering dimensions (for two-way
clustering: firm, year and the firm-year intersection, Cameron, Gelbach and Miller 2011),
``sign(s) = (-1)^(|s|+1)``, ``G_s`` is the number of clusters of ``s`` and ``u_g`` the sum
of the scores ``x_i e_i`` of the rows of cluster ``g``.  The types:

- ``CR0``: ``c = 1``, no adjustment (``vcovCL(type = "HC0", cadjust = FALSE)``,
  clubSandwich's CR0, statsmodels with ``use_correction=False``).
- ``CR1``: ``c = G/(G-1)`` and the whole sum times ``(n-1)/(n-k)`` (``vcovCL``'s default
  for ``lm``, ``type = "HC1"``; Stata's and statsmodels' default, clubSandwich's CR1S).
- ``CR2``: Bell and McCaffrey's bias-reduced linearisation, ``e_g`` replaced by
  ``(I - H_gg)^(-1/2) e_g`` (``vcovCL(type = "HC2")``, clubSandwich's CR2 for OLS).
- ``CR3``: ``(I - H_gg)^(-1) e_g``, the approximate jackknife (``vcovCL(type = "HC3")``,
  clubSandwich's CR3).

A multi-way covariance is not positive semi-definite in general; like ``vcovCL``
(``fix = FALSE``) it is returned as it is, and a negative variance gives a NaN standard
error with a warning.  Where ``I - H_gg`` is singular (a cluster fitted exactly, as with
cluster fixed effects), CR2 and CR3 use its pseudo-inverse, eigenvalues below 1e-12
counting as zero, as clubSandwich does (``vcovCL`` gives NaN or an error there).
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.data.design import Design
from linmod.data.frames import to_pandas_series
from linmod.data.missing import describe_rows
from linmod.exceptions import InputError, LinmodWarning

__all__ = [
    "CLUSTER_TYPES",
    "Clusters",
    "cluster_covariance",
    "clustered",
    "resolve_groups",
    "used_labels",
]

Float = NDArray[np.float64]
Codes = NDArray[np.intp]

CLUSTER_TYPES: tuple[str, ...] = ("CR0", "CR1", "CR2", "CR3")

#: Eigenvalues of ``I - H_gg`` at or below this count as zero (clubSandwich's tolerance).
SINGULAR_TOLERANCE = 1e-12
#: Most numbers the per-cluster Gram matrices of CR2/CR3 may take at once (128 MB).
BATCH_ELEMENTS = 2**24


@dataclass(frozen=True)
class Clusters:
    """The clustering of the rows of a fit.

    Attributes
    ----------
    codes : tuple of ndarray of int
        One array per dimension: the cluster (0 … G-1) of each row used by the fit.
    names : tuple of str
        What each dimension is called in summaries (a column name, or ``"groups"``).
    type : {"CR0", "CR1", "CR2", "CR3"}
        The small-sample adjustment.
    """

    codes: tuple[Codes, ...]
    names: tuple[str, ...]
    type: str = "CR1"

    @property
    def counts(self) -> tuple[int, ...]:
        """Number of clusters of each dimension."""
        return tuple(int(c.max()) + 1 for c in self.codes)

    def describe(self) -> str:
        """E.g. ``"cluster-robust (CR1), 12 clusters by firm and 10 by year"``."""
        parts = [f"{g} clusters by {name}" for g, name in zip(self.counts, self.names, strict=True)]
        if len(parts) > 1:
            parts[1:] = [p.replace(" clusters", "", 1) for p in parts[1:]]
            listed = ", ".join(parts[:-1]) + " and " + parts[-1]
        else:
            listed = parts[0]
        return f"cluster-robust ({self.type}), {listed}"

    def intersections(self) -> list[tuple[int, Codes, int]]:
        """``(sign, codes, G)`` for every non-empty subset of the dimensions, in vcovCL's
        order (single dimensions first, then pairs, …)."""
        out = []
        dims = range(len(self.codes))
        for size in range(1, len(self.codes) + 1):
            for subset in itertools.combinations(dims, size):
                codes = self.codes[subset[0]]
                for j in subset[1:]:
                    combined = codes.astype(np.int64) * (int(self.codes[j].max()) + 1)
                    combined += self.codes[j]
                    codes = np.unique(combined, return_inverse=True)[1].astype(np.intp)
                out.append(((-1) ** (size + 1), codes, int(codes.max()) + 1))
        return out


def _dimensions(groups: Any, n_rows: int) -> list[Any]:
    """Split ``groups`` into one entry per clustering dimension."""
    if isinstance(groups, str):
        return [groups]
    if isinstance(groups, pd.DataFrame):
        return [groups[c] for c in groups.columns]
    if isinstance(groups, np.ndarray) and groups.ndim == 2:
        return [groups[:, j] for j in range(groups.shape[1])]
    if (
        isinstance(groups, (list, tuple))
        and len(groups) != n_rows  # else one label per row
        and all(isinstance(g, str) or np.ndim(g) == 1 for g in groups)
    ):
        return list(groups)  # names or label arrays, one per dimension
    return [groups]


def _word(parameter: str) -> str:
    """What one entry of ``parameter`` is called in messages."""
    return "label" if parameter == "groups" else "value"


def _labels(entry: Any, design: Design, parameter: str) -> tuple[pd.Series, str]:
    """The labels of one dimension for the rows of the original data, and its name."""
    source = design.source
    if isinstance(entry, str):
        if source is None or source.frame is None:
            raise InputError(
                f"{parameter}={entry!r} names a column, but this fit was not given a data "
                f"frame with a formula; pass the {_word(parameter)}s instead: {parameter}=array "
                f"with one {_word(parameter)} per row"
            )
        frame = source.frame
        keys = list(frame.columns if hasattr(frame, "columns") else frame)
        columns = [str(c) for c in keys]
        if entry in columns:
            column = to_pandas_series(frame[keys[columns.index(entry)]])
            if isinstance(column, pd.DataFrame):
                raise InputError(
                    f"{parameter}={entry!r}: the data has several columns of that name"
                )
            return pd.Series(column).reset_index(drop=True), entry
        if isinstance(frame, pd.DataFrame) and entry == frame.index.name:
            return pd.Series(frame.index).reset_index(drop=True), entry  # ols(..., id=entry)
        shown = ", ".join(map(repr, columns[:12])) + (", …" if len(columns) > 12 else "")
        raise InputError(
            f"{parameter}={entry!r}: no such column in the data; its columns are {shown}"
        )
    values = to_pandas_series(entry)
    if isinstance(values, pd.DataFrame) or np.ndim(values) != 1:
        raise InputError(
            f"{parameter} must be a column name or one {_word(parameter)} per row; got an "
            f"object of shape {np.shape(values)}"
        )
    series = pd.Series(np.asarray(values, dtype=object) if not hasattr(values, "dtype") else values)
    name = getattr(values, "name", None)
    return series.reset_index(drop=True), str(name) if name is not None else parameter


def used_labels(design: Design, entry: Any, parameter: str = "groups") -> tuple[pd.Series, str]:
    """The labels of one clustering for the rows a fit used, and what it is called.

    Parameters
    ----------
    design : Design
        The fit's design (its :attr:`~linmod.data.design.Design.source` resolves column
        names and maps labels given for every row of the original data).
    entry : str or array-like
        A column name of the data the formula was fitted on, or one label per row (of the
        original data, or of the rows used).
    parameter : str
        The argument's name, for messages (``"groups"``, ``"order_by"``).

    Raises
    ------
    InputError
        For an unknown column or labels of the wrong length.
    """
    n_used = design.x.shape[0]
    source = design.source
    n_rows = source.n_rows if source is not None else n_used
    labels, name = _labels(entry, design, parameter)
    if len(labels) == n_rows and source is not None and source.rows is not None:
        return labels.iloc[source.rows].reset_index(drop=True), name
    if len(labels) != n_used:
        also = f" (or {n_rows}, the rows of the data)" if n_rows != n_used else ""
        raise InputError(
            f"{parameter} {name!r} has {len(labels)} {_word(parameter)}s, but the fit used "
            f"{n_used} rows{also}: give one {_word(parameter)} per row"
        )
    return labels, name


def resolve_groups(design: Design, groups: Any, type: str = "CR1") -> Clusters:
    """Turn ``groups=`` into cluster codes for the rows a fit used.

    Parameters
    ----------
    design : Design
        The fit's design (its :attr:`~linmod.data.design.Design.source` resolves column
        names and maps labels given for every row of the original data).
    groups : str, array-like, or a list of them
        A column name of the data the formula was fitted on, or one label per row (of the
        original data, or of the rows used); a list of these for multi-way clustering.
    type : {"CR0", "CR1", "CR2", "CR3"}

    Returns
    -------
    Clusters

    Raises
    ------
    InputError
        For an unknown column, labels of the wrong length, missing labels (the rows are
        named), a single cluster, or an unknown type.
    """
    if type not in CLUSTER_TYPES:
        raise InputError(
            f"type={type!r} is not a cluster-robust type; use one of {', '.join(CLUSTER_TYPES)}"
        )
    if groups is None:
        raise InputError(
            "robust('cluster') needs groups=: a column name such as groups='firm', one label "
            "per row, or a list such as groups=['firm', 'year'] for two-way clustering"
        )
    source = design.source
    n_rows = source.n_rows if source is not None else design.x.shape[0]
    dims = _dimensions(groups, n_rows)
    if not dims:
        raise InputError("groups=[] names no clustering dimension; give at least one")
    codes, names = [], []
    for entry in dims:
        labels, name = used_labels(design, entry)
        missing = labels.isna().to_numpy()
        if missing.any():
            rows = design.row_labels[missing]
            how = f" (e.g. on df.dropna(subset=[{entry!r}]))" if isinstance(entry, str) else ""
            raise InputError(
                f"groups {name!r} is missing in {describe_rows(rows, design.numbered_rows)}; "
                f"give every row a cluster, or drop those rows and refit{how}"
            )
        try:
            dim_codes = pd.factorize(labels, sort=False)[0].astype(np.intp)
        except TypeError:
            raise InputError(
                f"groups {name!r} holds values such as {labels.iloc[0]!r} that cannot label "
                "clusters; use numbers or text"
            ) from None
        count = int(dim_codes.max()) + 1
        if count < 2:
            raise InputError(
                f"groups {name!r} has a single cluster ({labels.iloc[0]!r}) among the rows "
                "used: cluster-robust errors need at least two clusters"
            )
        codes.append(dim_codes)
        names.append(name)
    return Clusters(tuple(codes), tuple(names), type)


def _adjustment(eigenvalues: Float, power: float) -> Float:
    """``(1 - s²)^-p - 1`` for the eigenvalues ``s²`` of ``Q_g'Q_g``; -1 (the pseudo-inverse
    drops the direction) where ``1 - s²`` is below :data:`SINGULAR_TOLERANCE`."""
    gap = np.maximum(1.0 - eigenvalues, SINGULAR_TOLERANCE)
    return np.where(gap > SINGULAR_TOLERANCE, gap ** (-power) - 1.0, -1.0)


def _adjusted_score_sums(q: Float, residuals: Float, codes: Codes, g: int, power: float) -> Float:
    """Sums over each cluster of ``Q_g' (I - Q_g Q_g')^-power e_g``, shape (g, k).

    With ``Q_g = U diag(s) V'``, ``(I - Q_g Q_g')^-p = I + U diag((1 - s²)^-p - 1) U'``,
    so the n_g × n_g matrix is never formed and, as ``U' e = diag(1/s) V' Q_g' e``,
    ``Q_g' (I - Q_g Q_g')^-p e = u + V diag((1 - s²)^-p - 1) V' u`` with ``u = Q_g' e``:
    only the k × k Gram matrices ``Q_g'Q_g = V diag(s²) V'`` are needed, summed for all
    clusters at once and decomposed in one batched ``eigh``.  When the ``g`` Gram matrices
    would not fit in :data:`BATCH_ELEMENTS` numbers, each cluster gets its own SVD.
    """
    k = q.shape[1]
    if g * k * k > BATCH_ELEMENTS:
        return _adjusted_score_sums_looped(q, residuals, codes, g, power)
    scores = q * residuals[:, None]
    sums = np.stack([np.bincount(codes, scores[:, j], minlength=g) for j in range(k)], 1)
    gram = np.empty((g, k, k))
    for a in range(k):
        for b in range(a, k):
            gram[:, a, b] = gram[:, b, a] = np.bincount(codes, q[:, a] * q[:, b], minlength=g)
    eigenvalues, vectors = np.linalg.eigh(gram)
    along = np.einsum("gja,gj->ga", vectors, sums)  # V' u
    return sums + np.einsum("gja,ga->gj", vectors, _adjustment(eigenvalues, power) * along)


def _adjusted_score_sums_looped(
    q: Float, residuals: Float, codes: Codes, g: int, power: float
) -> Float:
    """:func:`_adjusted_score_sums` one cluster at a time, from the thin SVD of ``Q_g``."""
    k = q.shape[1]
    sums = np.zeros((g, k))
    sizes = np.bincount(codes, minlength=g)
    single = sizes[codes] == 1
    if single.any():  # a 1 x k block: s² is the leverage, no SVD needed
        qs = q[single]
        scale = 1.0 + _adjustment(np.einsum("ij,ij->i", qs, qs), power)
        sums[codes[single]] = qs * (residuals[single] * scale)[:, None]
    rest = np.flatnonzero(~single)
    order = rest[np.argsort(codes[rest], kind="stable")]
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    for rows in np.split(order, bounds) if order.size else ():
        qg, eg = q[rows], residuals[rows]
        u, s, vt = np.linalg.svd(qg, full_matrices=False)
        sums[codes[rows[0]]] = qg.T @ eg + vt.T @ (s * _adjustment(s * s, power) * (u.T @ eg))
    return sums


def cluster_covariance(q: Float, r: Float, residuals: Float, clusters: Clusters) -> Float:
    """Return the cluster-robust covariance from the QR factors of the design.

    Parameters
    ----------
    q : ndarray of shape (n, k)
        Orthonormal factor of the estimable columns of the (column-scaled) design.
    r : ndarray of shape (k, k)
        Upper-triangular factor.
    residuals : ndarray of shape (n,)
    clusters : Clusters

    Returns
    -------
    ndarray of shape (k, k)
        ``R^-1 M R^-T`` with the meat ``M`` formed from the orthonormal scores ``q * e``
        (no explicit ``(X'X)^-1``, as :func:`linmod.inference.covariance.robust_covariance`).
    """
    n, k = q.shape
    total = np.zeros((k, k))
    for sign, codes, g in clusters.intersections():
        if clusters.type in ("CR2", "CR3"):
            power = 0.5 if clusters.type == "CR2" else 1.0
            sums = _adjusted_score_sums(q, residuals, codes, g, power)
            factor = 1.0
        else:
            scores = q * residuals[:, None]
            sums = np.stack([np.bincount(codes, scores[:, j], minlength=g) for j in range(k)], 1)
            factor = g / (g - 1.0) if clusters.type == "CR1" and g > 1 else 1.0
        t = sla.solve_triangular(r, sums.T, check_finite=False)
        total += (sign * factor) * (t @ t.T)
    if clusters.type == "CR1":
        total *= (n - 1.0) / (n - k)
    return (total + total.T) / 2


def clustered(res: Any, kind: str | None, groups: Any, type: str | None, lags: Any = None) -> Any:
    """``res.robust("cluster", groups=..., type=...)``: the same fit, cluster-robust.

    Parameters
    ----------
    res : OLSResults
    kind : {"cluster", None}
    groups, type
        See :meth:`linmod.inference.results.OLSResults.robust`.
    lags : None
        HAC's lag; refused here.

    Returns
    -------
    OLSResults
        With ``cov_type="cluster"`` and :class:`Clusters`; a warning names any
        coefficient whose (multi-way) variance came out negative, so its standard
        error is NaN.
    """
    if kind not in (None, "cluster"):
        given = "groups=" if groups is not None else f"type={type!r}"
        raise InputError(
            f"{given} is for cluster-robust errors, not kind={kind!r}: use "
            "res.robust('cluster', groups='firm'), or drop it"
        )
    if lags is not None:
        raise InputError(f"lags={lags!r} applies to kind='HAC' only, not 'cluster'")
    if res.totals is not None:
        raise refuse_streamed_clusters()
    clusters = resolve_groups(res.design, groups, "CR1" if type is None else type)
    result = replace(res, cov_type="cluster", hac_lags=None, clusters=clusters)
    negative = np.isnan(result.std_err.to_numpy()) & ~res.solution.aliased
    if negative.any():
        terms = ", ".join(map(repr, result.names[negative]))
        warnings.warn(
            f"the {len(clusters.codes)}-way cluster-robust covariance is not positive "
            f"semi-definite: the variance of {terms} is negative, so its standard error is "
            "NaN (as sandwich::vcovCL with fix = FALSE); cluster by fewer dimensions or use "
            "the coarser one",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
    return result


def refuse_streamed_clusters() -> InputError:
    """The error for cluster-robust errors of a fit whose rows are not held."""
    return InputError(
        "cluster-robust errors need each row's cluster and per-cluster sums of the scores, "
        "which a streamed or distributed fit does not keep: fit the data in memory "
        "(linmod.ols(formula, data=frame)) to cluster"
    )
