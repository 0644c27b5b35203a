"""Reads of one array in chained slices (srcad/ad/slice_chains.py, srcad/rules/slices.py): an
LSTM's gates ``z[:, :H]``, ``z[:, H:2*H]``, ..., ``z[:, 3*H:]`` give `z` one cotangent, the
gates' cotangents side by side (`_srcad.slices_vjp`); slices that leave a gap, overlap, step
backwards or whose bounds are not the same operands keep one `getitem_vjp`/`add_at` each, and a
chain that overlaps only at run time (its bounds decrease) or whose cotangents are broadcast is
summed one by one by the helper. Each case: the gradient against one computed by hand with the
same slices (exact: the sums are of disjoint or identical terms), the path in the generated
source, and `check_grads`.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.rules.indexing import getitem_vjp
from srcad.rules.slices import slices_vjp
from srcad.testing import check_grads

rng = np.random.default_rng(3)
Z = rng.standard_normal((3, 8))
X = rng.standard_normal(7)
X3 = rng.standard_normal((2, 3, 6))
W = np.array([1.0, 2.0, 3.0, 4.0])  # a weight per slice


def _hand(x, idxs, weights):
    """Gradient of ``sum(w_k * sum(x[idx_k] ** 2))``: ``2 w_k x`` on each slice, summed."""
    g = np.zeros_like(x)
    for idx, w in zip(idxs, weights):
        g[idx] += 2.0 * w * x[idx]
    return g


def gates(z):  # the LSTM's four gates: the bounds from the shape (a run-time H)
    H = z.shape[1] // 4
    i = z[:, :H]
    f = z[:, H : 2 * H]
    o = z[:, 2 * H : 3 * H]
    g = z[:, 3 * H :]
    return np.sum(i**2) + 2.0 * np.sum(f**2) + 3.0 * np.sum(o**2) + 4.0 * np.sum(g**2)


def gates_out_of_order(z):  # read in another order than along the axis
    H = z.shape[1] // 2
    b = z[:, H:]
    a = z[:, :H]
    return np.sum(a**2) + 2.0 * np.sum(b**2)


def gap(z):  # z[:, H] is read by neither: no chain
    H = z.shape[1] // 2
    return np.sum(z[:, :H] ** 2) + 2.0 * np.sum(z[:, H + 1 :] ** 2)


def overlap(x):  # constant bounds that differ: no chain
    return np.sum(x[:4] ** 2) + 2.0 * np.sum(x[3:] ** 2)


def runtime_bounds(x, a, b):  # chained operands; they overlap when b < a (checked at run time)
    return np.sum(x[:a] ** 2) + 2.0 * np.sum(x[a:b] ** 2) + 3.0 * np.sum(x[b:] ** 2)


def negative_bounds(x):
    return np.sum(x[:-2] ** 2) + 2.0 * np.sum(x[-2:] ** 2)


def negative_step(x):  # x[4::-1] and x[:4:-1] tile x, backwards: no chain
    return np.sum(x[4::-1] ** 2) + 2.0 * np.sum(x[:4:-1] ** 2)


def rows(z):  # axis 0, bare slices
    return np.sum(z[:1] ** 2) + 2.0 * np.sum(z[1:] ** 2)


def rows_tuple(z):  # axis 0, whole second axis
    return np.sum(z[:2, :] ** 2) + 2.0 * np.sum(z[2:, :] ** 2)


def last_axis(x):  # `...`: the axis counted from the end
    return np.sum(x[..., :2] ** 2) + 2.0 * np.sum(x[..., 2:] ** 2)


def ones_wide(z):  # slices one wide: the helper cannot tell them from broadcast cotangents
    return np.sum(z[:, :1] ** 2) + 2.0 * np.sum(z[:, 1:2] ** 2) + 3.0 * np.sum(z[:, 2:] ** 2)


def one_unread(z):  # no cotangent reaches the second slice (np.sign): read by read
    H = z.shape[1] // 2
    a = z[:, :H]
    b = z[:, H:]
    return np.sum(a**2) * np.sign(np.sum(b) + 100.0)


def in_a_loop(z):  # the chain inside a loop body: z's stand-in on the tape
    s = 0.0
    for k in range(3):
        y = z * (k + 1.0)
        s = s + np.sum(y[:, :4] ** 2) + 2.0 * np.sum(y[:, 4:] ** 2)
    return s


_H4 = [(slice(None), slice(2 * k, 2 * k + 2)) for k in range(3)] + [(slice(None), slice(6, 8))]
_H2 = [(slice(None), slice(None, 4)), (slice(None), slice(4, None))]
# f, args, differentiated position, the gradient by hand, is the chain in the source
CASES = [
    (gates, (Z,), 0, _hand(Z, _H4, W), True),
    (gates_out_of_order, (Z,), 0, _hand(Z, _H2, W), True),
    (gap, (Z,), 0, _hand(Z, [(slice(None), slice(None, 4)), (slice(None), slice(5, None))], W),
     False),
    (overlap, (X,), 0, _hand(X, [slice(None, 4), slice(3, None)], W), False),
    (runtime_bounds, (X, 2, 5), 0, _hand(X, [slice(None, 2), slice(2, 5), slice(5, None)], W),
     True),
    (runtime_bounds, (X, 5, 2), 0, _hand(X, [slice(None, 5), slice(5, 2), slice(2, None)], W),
     True),
    (runtime_bounds, (X, -3, 100), 0,
     _hand(X, [slice(None, -3), slice(-3, 100), slice(100, None)], W), True),
    (negative_bounds, (X,), 0, _hand(X, [slice(None, -2), slice(-2, None)], W), True),
    (negative_step, (X,), 0, _hand(X, [slice(4, None, -1), slice(None, 4, -1)], W), False),
    (rows, (Z,), 0, _hand(Z, [slice(None, 1), slice(1, None)], W), True),
    (rows_tuple, (Z,), 0, _hand(Z, [(slice(None, 2), slice(None)), (slice(2, None), slice(None))],
                                W), True),
    (last_axis, (X3,), 0, _hand(X3, [(Ellipsis, slice(None, 2)), (Ellipsis, slice(2, None))], W),
     True),
    (ones_wide, (Z[:, :3],), 0, _hand(Z[:, :3], [(slice(None), slice(k, k + 1)) for k in range(3)],
                                      W), True),
    (one_unread, (Z,), 0, _hand(Z, [(slice(None), slice(None, 4))], W), False),
    (in_a_loop, (Z,), 0, 14.0 * _hand(Z, _H2, W), True),
]  # fmt: skip


def _id(case) -> str:
    return f"{case[0].__name__}{case[1][1:]}"


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_gradient_and_path(case) -> None:
    f, args, k, want, chained = case
    got = srcad.grad(f, wrt=k)(*args)
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    src = srcad.source(f, mode="grad", wrt=k, args=args)
    assert ("_srcad.slices_vjp(" in src) is chained, src
    if chained:  # the one cotangent: no zeros filled slice by slice
        assert "getitem_vjp" not in src and "add_at" not in src, src


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_finite_differences(case) -> None:
    f, args, k, *_ = case
    check_grads(f, args, modes=("fwd", "rev"), wrt=k)


@pytest.mark.parametrize("f", [gates, runtime_bounds, in_a_loop])
def test_second_order(f) -> None:
    """Forward over reverse: the helpers' own rules (`slices_vjp` is linear in its cotangents)."""
    args = (X, 5, 2) if f is runtime_bounds else (Z,)
    check_grads(f, args, modes=("fwd",), order=2, wrt=0)


def _one_by_one(gs, x, idxs):
    z = np.zeros(x.shape)
    for g, idx in zip(gs, idxs):
        z += getitem_vjp(g, x, idx)
    return z


_COLS = [(slice(None), slice(None, 2)), (slice(None), slice(2, None))]


@pytest.mark.parametrize(
    ("gs", "x", "idxs"),
    [
        ((np.ones((3, 2)), np.full((3, 3), 2.0)), np.empty((3, 5)), _COLS),  # side by side
        # widths 0 and 2 broadcast from 1 + 1: the total is the width, yet one by one
        ((np.ones((3, 1)), np.full((3, 1), 2.0)), np.empty((3, 2)),
         [(slice(None), slice(None, 0)), (slice(None), slice(0, None))]),
        ((np.ones((1, 2)), np.full((3, 3), 2.0)), np.empty((3, 5)), _COLS),  # broadcast rows
        ((1.0, np.full((3, 3), 2.0)), np.empty((3, 5)), _COLS),  # a number
        ((np.ones(2), np.full(3, 2.0)), np.empty((3, 5)), _COLS),  # fewer axes
        ((np.ones((3, 2), complex), np.ones((3, 3))), np.empty((3, 5)), _COLS),  # complex
        ((np.ones((3, 2)), np.ones((3, 3))), np.empty((3, 5), int), _COLS),  # an int x
    ],
)  # fmt: skip
def test_helper_is_the_sum_of_getitem_vjps(gs, x, idxs) -> None:
    np.testing.assert_array_equal(slices_vjp(gs, x, 1, idxs), _one_by_one(gs, x, idxs))
