"""Folding blocks (file chunks, Dask partitions) into the same sufficient statistics."""
