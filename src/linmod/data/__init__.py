"""Turning raw inputs into design matrices: arrays, frames, formulas, missing values."""
