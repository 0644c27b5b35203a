"""Session 34 (fuzz34): what the fuzzer (tests/fuzz, seeds 34100000+, and the new ``wild34``
grammar's forms written out by hand) found.

- Spurious refusal: ``np.add.reduce(a, axis=0, where=m)`` (also ``np.multiply.reduce``,
  ``np.maximum.reduce(.., where=m, initial=v)``, ``np.minimum.reduce``) was refused ("cannot
  differentiate through `reduce`: it is not a Python function"), while ``np.sum(a, axis=0,
  where=m)``, which NumPy documents as the same reduction, was differentiated. The lowering
  rewrites these ufunc methods as np.sum/prod/max/min but let only ``axis``, ``dtype`` and
  ``keepdims`` through; ``initial=`` and ``where=`` now go through too.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

A3 = np.array([[0.3, -0.7, 1.2], [-0.1, 0.5, 0.8], [0.9, -0.4, 0.2]])


# -- ufunc reductions with where= / initial= ----------------------------------------------------


def add_reduce_where(a):
    return np.sum(np.add.reduce(a**2, axis=0, where=a > 0) * a[0])


def multiply_reduce_where(a):
    return np.sum(np.multiply.reduce(np.tanh(a) + 1.5, axis=1, where=a > 0, keepdims=True) * a)


def maximum_reduce_where(a):
    return np.sum(np.maximum.reduce(a**2, axis=0, where=a > 0, initial=0.0) * a[1])


def minimum_reduce_where(a):
    return np.sum(np.minimum.reduce(a, axis=None, where=a < 0.6, initial=5.0) * a)


def add_reduce_initial(a):
    return np.sum(np.add.reduce(a, axis=1, initial=2.0) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        add_reduce_where,
        multiply_reduce_where,
        maximum_reduce_where,
        minimum_reduce_where,
        add_reduce_initial,
    ],
)
def test_ufunc_reduce_where_initial(f):
    check_grads(f, (A3,), modes=("fwd", "rev"), order=2)
    g = srcad.grad(f)(A3)
    assert g.shape == A3.shape


def test_ufunc_reduce_out_still_refused():
    def f(a):
        out = np.zeros(3)
        np.add.reduce(a, 0, None, out)
        return np.sum(out)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(A3)
