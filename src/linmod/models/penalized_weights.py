"""``weights=`` of ``linmod.ridge``, ``linmod.lasso`` and ``linmod.elastic_net`` on data
that is not in memory.

In memory the weights follow the rows as :mod:`linmod.models.row_weights` says (one rule
for every fit); streamed and Dask data do not take weights in the penalised fits yet.
"""

from __future__ import annotations

from typing import Any

from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError

__all__ = ["refuse_out_of_core_weights"]


def refuse_out_of_core_weights(weights: Any, weights_type: str) -> None:
    """Raise :class:`InputError` when weights come with streamed or Dask data."""
    check_weights_type(weights_type)
    if weights is not None:
        raise InputError(
            "weights= is not supported yet for streamed or Dask data in ridge/lasso/"
            "elastic_net; load the data into a DataFrame, or fit without weights"
        )
