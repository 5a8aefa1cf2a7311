"""glmnet's ``(λ, alpha)`` as scikit-learn's and linmod's ``(alpha, l1_ratio)``, and back.

glmnet (``family = "gaussian"``) minimises ``(1/2n)‖y − b − Xβ‖² + λ[(1 − a)/2·‖β‖² +
a‖β‖₁]`` (``a`` is its ``alpha``, the mixing value) but first divides ``y`` by
``s = sd(y)`` (the ``1/n`` form, weighted with ``weights``), whatever ``standardize``,
and multiplies the coefficients back.  On the original scale that is the elastic net
``(1/2n)‖y − b − Xβ‖² + λa‖β‖₁ + λ(1 − a)/(2s)·‖β‖²``, i.e. scikit-learn's and linmod's
``ElasticNet`` with

* ``alpha = λa + λ(1 − a)/s`` and ``l1_ratio = λa/alpha``;
* back again: ``λ = alpha·l1_ratio + alpha·(1 − l1_ratio)·s`` and ``a = alpha·l1_ratio/λ``.

For the Lasso (``a = 1``) ``s`` drops out (``alpha = λ``).  For glmnet's ridge (``a = 0``)
``ElasticNet(alpha=λ/s, l1_ratio=0)``, which is ``Ridge(alpha=W·λ/s)`` (``Ridge`` has
no ``1/2n``; ``W`` is ``n``, or the sum of the weights).  glmnet's ``standardize=TRUE``
is linmod's ``standardize=True`` (columns divided by their ``1/n`` standard deviation;
coefficients reported on the original scale).  ``docs/regularization.md`` has the table
and tests/regularization/test_glmnet_correspondence.py checks it against R.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from linmod.exceptions import InputError

__all__ = ["glmnet_to_sklearn", "response_scale", "sklearn_to_glmnet"]


def response_scale(y: Any, sample_weight: Any = None) -> float:
    """glmnet's ``s``: the (weighted) standard deviation of ``y`` with the ``1/n`` form.

    Raises
    ------
    InputError
        If ``y`` is constant (glmnet cannot standardise it), empty or not finite.
    """
    yv = np.asarray(y, dtype=float).ravel()
    w = np.ones_like(yv) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if yv.size == 0 or w.shape != yv.shape or not (np.isfinite(yv).all() and np.isfinite(w).all()):
        raise InputError(
            "y (and sample_weight) must be a non-empty finite vector of one length to compute "
            "glmnet's sd(y)"
        )
    centred = yv - np.average(yv, weights=w)
    s = float(np.sqrt(np.average(centred * centred, weights=w)))
    if not s > 0:
        raise InputError("y is constant: glmnet's sd(y) is 0, so its penalty has no scale")
    return s


def _check(name: str, value: float, low: float, high: float) -> float:
    out = float(value)
    if not low <= out <= high:
        raise InputError(f"{name}={value!r} is outside [{low:g}, {high:g}]")
    return out


def glmnet_to_sklearn(
    lambda_: float, a: float, y: Any, sample_weight: Any = None
) -> tuple[float, float]:
    """linmod's and scikit-learn's ``(alpha, l1_ratio)`` of glmnet's ``(lambda, alpha=a)``.

    Parameters
    ----------
    lambda_ : float
        glmnet's ``lambda`` (≥ 0).
    a : float
        glmnet's ``alpha``, the mixing value in [0, 1].
    y : array-like
        The response glmnet was given (its ``sd(y)`` enters the ridge term).
    sample_weight : array-like, optional
        glmnet's ``weights``.

    Returns
    -------
    alpha, l1_ratio : float
        For ``a = 0`` (ridge) ``l1_ratio = 0`` and ``Ridge(alpha=W·alpha)``, ``W = n`` or the
        sum of the weights, is the same fit.

    Examples
    --------
    >>> import numpy as np
    >>> from linmod.regularization import glmnet_to_sklearn
    >>> y = np.array([1.0, 3.0, 5.0, 7.0])
    >>> glmnet_to_sklearn(0.3, 1.0, y)  # the Lasso: the same number
    (0.3, 1.0)
    """
    lam = _check("lambda_", lambda_, 0.0, np.inf)
    mix = _check("a", a, 0.0, 1.0)
    if mix == 1.0:
        return lam, 1.0
    s = response_scale(y, sample_weight)
    alpha = lam * mix + lam * (1.0 - mix) / s
    return alpha, (lam * mix / alpha if alpha > 0 else mix)


def sklearn_to_glmnet(
    alpha: float, l1_ratio: float, y: Any, sample_weight: Any = None
) -> tuple[float, float]:
    """glmnet's ``(lambda, alpha)`` of linmod's and scikit-learn's ``(alpha, l1_ratio)``.

    The inverse of :func:`glmnet_to_sklearn`.
    """
    alp = _check("alpha", alpha, 0.0, np.inf)
    rho = _check("l1_ratio", l1_ratio, 0.0, 1.0)
    if rho == 1.0:
        return alp, 1.0
    s = response_scale(y, sample_weight)
    lam = alp * rho + alp * (1.0 - rho) * s
    return lam, (alp * rho / lam if lam > 0 else rho)
