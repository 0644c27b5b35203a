"""Helpers of another module for tests/soundness/test_refuse9.py: their global `W` and `C` are
not the test module's."""

import numpy as np

C = 3.0
W = np.array([1.0, 2.0, 3.0])


def total(*xs):
    return sum(xs) * C + np.sum(W * xs[0])


class Lin:
    def __init__(self, s):
        self.w = W * s

    def __call__(self, x):
        return np.sum(self.w * x)
