"""What refuse24 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_refuse24.py holds the corpus cases):

- a helper doing ``c *= v`` called with a module-level number ``GS = 0.7`` (or a name bound to
  it, or a closure's number): a Python or NumPy number is immutable, ``c *= v`` rebinds `c`
  (ad/callfacts.global_number; the global's kind is part of the cache key). A global 0-d array or
  list stays refused (the update reaches the caller's object).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])

GS = 0.7
GN = np.float64(1.3)
GI = 2
GA = np.array(0.7)
GL = [0.7]


def _scaled(a, c):
    a3 = a * 1.0
    c *= np.tanh(a3[0])
    return np.sum(a3) * c


def global_float_arg(x):
    return _scaled(x, GS) + x[1]


def global_float_named(x):
    s = GS
    t = _scaled(x, s)
    return t * s + _scaled(x**2, GN) + _scaled(x, GI)


def _make_closure():
    k = 0.4

    def inner(x):
        return _scaled(x, k) * x[2]

    return inner


closure_number_arg = _make_closure()


@pytest.mark.parametrize("f", [global_float_arg, global_float_named, closure_number_arg])
def test_global_number_argument_accepted(f):
    check_scalar(f, X)


def global_array_arg(x):
    return _scaled(x, GA) + x[1]


def global_list_arg(x):
    return _scaled(x, GL[0]) + _scaled(x, GL) + x[1]


@pytest.mark.parametrize("f", [global_array_arg, global_list_arg])
def test_global_object_argument_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(X.copy())


def test_global_rebound_to_array_transforms_anew():
    global GS
    g0 = srcad.grad(global_float_arg)(X.copy())
    saved = GS
    try:
        GS = np.array(0.7)
        with pytest.raises(srcad.SrcadError, match="modifies its argument"):
            srcad.grad(global_float_arg)(X.copy())
    finally:
        GS = saved
    np.testing.assert_allclose(srcad.grad(global_float_arg)(X.copy()), g0)
