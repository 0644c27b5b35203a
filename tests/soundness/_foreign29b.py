"""A helper module for test_hunt29b: functions with *args reading this module's dict and list
(another module's globals, which the inlined body holds as values)."""

import numpy as np

CFG = {"k": 2.0}
LST = [2.0]


def helper(x, *rest):
    return np.sum(CFG["k"] * x**2) + len(rest)


def helper_list(x, *rest):
    return np.sum(LST[0] * x**2)
