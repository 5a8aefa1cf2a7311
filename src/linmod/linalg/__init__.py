"""Numerics with no notion of a model: scaling, double-double kernels, rank, refinement."""
