"""A second module for tests: its functions read its own globals."""

import math

K = 3.0


def helper(x):
    return K * x * x


def ln(x, a):
    return math.log(x) * a + x
