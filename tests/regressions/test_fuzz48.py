"""Spurious refusals fuzz48 lifted (wild48 seed 107): a nested ``@functools.lru_cache`` function
reading a module (``math.sin(u)``) was refused when the enclosing function also called a
function of that module (``math.sin(a[1])``): lower/lrucache.py took the call for a method call
writing into ``math``."""

from __future__ import annotations

import functools
import math

import numpy as np

from srcad.testing import check_grads


def cached_beside_module_call(x):
    t = float(np.sum(x))

    @functools.lru_cache(maxsize=8)
    def cg(u):
        return math.sin(u) * 1.5 + u * u

    return (cg(t) + cg(t) * 0.5) * math.sin(x[1]) + np.sum(x * x)


def test_cached_function_beside_a_module_call():
    check_grads(
        cached_beside_module_call, (np.array([0.3, -0.2, 0.7]),), modes=("fwd", "rev"), order=2
    )
