"""The function the "How it works" page follows through every build stage (docs/_gen/hooks.py)."""

import numpy as np


def f(x, n):
    """A loop, a branch and NumPy calls: enough to see each stage do something."""
    y = x
    for _ in range(n):
        y = np.sin(y) * 0.5 + x
    if np.sum(y) > 0:
        y = y * y
    return np.sum(y)
