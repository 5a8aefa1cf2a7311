"""Inference for fitted linear models: covariances, tests, intervals, results."""
