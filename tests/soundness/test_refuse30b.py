"""What refuse30b accepts, checked numerically (value and gradient against Python and central
differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian; and
`srcad.testing.check_grads` forward and reverse), and the neighbours that must stay refused
(tests/corpus/users_refuse30b.py holds the corpus cases):

1. ``np.einsum`` subscripts held by a global or closure string, or built from one by ``+``
   (lower/library.einsum_sublists): the string, read when transforming (and keyed);
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])
M = np.array([[2.0, 0.3, 0.1, 0.0], [0.2, 1.5, -0.4, 0.3], [0.1, 0.3, 3.0, 0.2]])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. einsum subscripts from a global string ----------------------------------------------------
DOT = "i,i"
MATVEC = "ij,j->i"


def einsum_global(x):
    return np.einsum(DOT, x, np.sin(x))


def einsum_global_built(x):
    s = DOT + "->"
    return np.einsum(s, x, x) * np.einsum(MATVEC, M, x)[1]


def einsum_closure(x):
    sub = "ij,j->i"

    def inner(y):
        return np.sum(np.einsum(sub, M, y) ** 2)

    return inner(x)


@pytest.mark.parametrize("f", [einsum_global, einsum_global_built, einsum_closure])
def test_einsum_static_subscripts(f):
    check_scalar(f, X)
    _both(f, X)


def test_einsum_global_rebound_transforms_again():
    global DOT
    g1 = srcad.grad(einsum_global_built)(X.copy())
    np.testing.assert_allclose(g1, check_grads_fd(einsum_global_built, X), rtol=1e-5)
    try:
        DOT = "i,j"  # an outer product summed: a new transform, not the cached one
        got = srcad.grad(einsum_global_built)(X.copy())
        np.testing.assert_allclose(got, check_grads_fd(einsum_global_built, X), rtol=1e-5)
        assert not np.allclose(got, g1)
    finally:
        DOT = "i,i"


def check_grads_fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


SUBLIST = [0, 0]


def test_einsum_runtime_list_stays_refused():
    def f(x):
        return np.einsum(x, SUBLIST)

    with pytest.raises(srcad.SrcadError, match="sublists"):
        srcad.grad(f)(X.copy())
