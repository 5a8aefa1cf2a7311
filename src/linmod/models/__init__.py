"""Model entry points that wire data, solvers and inference together."""
