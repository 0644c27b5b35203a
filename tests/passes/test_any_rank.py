"""Shape facts that hold whatever the rank (`passes/shape_infer._own_shape`): an elementwise
ufunc of operands of unknown shape (a global's product, ``np.tanh(X @ w)``) is an array of a
shape its elementwise descendants share, so the README's quickstart reads as a person writes it
(``2.0 * _t1``, no `unbroadcast`/`sum_vjp`/`pow_dx`), with or without example arguments, and the
same generated code stays right when the global is rebound to another rank between calls."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.passes.shape_facts import Info
from srcad.passes.shape_ops import renamed as _renamed
from srcad.passes.shape_rules import Bcast
from srcad.ssa.core import Var
from srcad.testing import check_grads

X = np.random.default_rng(0).standard_normal((8, 3))
G = np.random.default_rng(1).standard_normal((4, 3))


def loss(w):
    return np.sum(np.tanh(X @ w) ** 2)


def half_sq(w):
    return 0.5 * np.sum(np.sin(G * w) ** 2)


def cubed(w):
    return np.sum(np.exp(G @ w) ** 3) + np.sum(np.cos(G * w))


def mean_sq(w):
    return np.mean(np.tanh(G * w) ** 2)


@pytest.mark.parametrize("args", [None, (np.ones(3),)])
def test_quickstart_reads_as_written(args) -> None:
    src = srcad.source(loss, **({"args": args} if args else {}))
    assert "unbroadcast" not in src and "sum_vjp" not in src and "pow_dx" not in src, src
    assert "2.0 * _t1" in src, src


@pytest.mark.parametrize("f", [loss, half_sq, cubed, mean_sq])
def test_any_rank_numbers(f) -> None:
    w = np.array([0.5, -0.25, 1.0])
    check_grads(f, (w,), modes=("fwd", "rev"))
    g64 = srcad.grad(f)(w)
    g32 = srcad.grad(f)(w.astype(np.float32))  # (the generic version: not a float64 array)
    np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-5)


def test_global_rebound_to_other_ranks() -> None:
    """`G`'s rank is in no cache key: the one specialization for a 1-D `w` serves a 2-D, 1-D
    and 3-D `G` (``G * w`` of each rank, ``G @ w`` of rank 1 or 2)."""
    global G
    old = G
    w = np.array([0.3, -0.7, 1.1])
    try:
        for shape in [(4, 3), (3,), (2, 5, 3), (1, 3)]:
            G = np.random.default_rng(len(shape)).standard_normal(shape)
            for f in (half_sq, cubed):
                g = srcad.grad(f)(w)
                assert np.shape(g) == (3,)
                check_grads(f, (w,), modes=("fwd", "rev"))
                h = 1e-6
                fd = [(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(3)]
                np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    finally:
        G = old


def test_list_reads_have_shapes_of_their_own() -> None:
    """Two reads of a list whose elements are one loop's values of unknown shape (iterations
    may differ) share no shape; one read keeps the relations inside its tuple."""
    x, r1, r2 = Var(), Var(), Var()
    elem = Info(Bcast({("v", x), ("p", 0)}), True)
    a, b = _renamed(elem, r1), _renamed(elem, r2)
    assert a.shape != b.shape and a.arr and b.arr
    assert ("p", 0) in a.shape
    pair = Info(None, False, (elem, elem))
    ra = _renamed(pair, r1)
    assert ra.parts[0].shape == ra.parts[1].shape == a.shape
    plain = Info((), True)
    assert _renamed(plain, r1) is plain
