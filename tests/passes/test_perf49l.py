"""perf49l (issue 11, item 1): ``W[:, :k]`` of a float array of known rank has that rank
(passes/ranks.py: an index tuple of slices only), so a GRU's weight blocks sliced from one
parameter get the reverse sweep's in-place accumulators (``add_into``, then
``add_matmul_into``: passes/matmul_into.py) instead of a new sum per step. Values of the GRU,
and of slice indices that do change the rank, checked against finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.passes.ranks import float_ranks
from srcad.passes.scalars import scalar_facts
from srcad.ssa.core import walk_ops
from srcad.testing import check_grads
from tests.passes.irtext import lower

T, B, D, H = 4, 3, 5, 6


def gru(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    Wrz, Wn = Wh[:, : 2 * H], Wh[:, 2 * H :]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        a = xs[t] @ Wx + b
        u = h @ Wrz
        r = 1.0 / (1.0 + np.exp(-(a[:, :H] + u[:, :H])))
        z = 1.0 / (1.0 + np.exp(-(a[:, H : 2 * H] + u[:, H:])))
        n = np.tanh(a[:, 2 * H :] + (r * h) @ Wn)
        h = (1.0 - z) * n + z * h
    return 0.5 * np.sum((h - y) ** 2)


def _gru_args(seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((D, 3 * H)) / np.sqrt(D),
        rng.standard_normal((H, 3 * H)) / np.sqrt(H),
        0.1 * rng.standard_normal(3 * H),
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
    )


def sliced(W, k):
    A = W[:, :k]
    C = W[1:, ::2]
    E = W[()]
    F = W[:, 0]
    G = W[0:1]
    return A, C, E, F, G


def test_slice_tuples_keep_the_rank():
    fn = lower(sliced)
    ranks = float_ranks(fn, {fn.params[0]: 2}, scalar_facts(fn, set()).scal)
    got = {}
    for op in walk_ops(fn.body):
        if op.prim == "getitem" and op.args[0] is fn.params[0]:
            got[len(got)] = ranks.get(op.result)
    # W[:, :k], W[1:, ::2]: 2-D; W[()]: no slice (not decided here); W[:, 0]: 1-D; W[0:1]: 2-D
    assert got == {0: 2, 1: 2, 2: None, 3: None, 4: 2}, got


def test_gru_accumulators_in_place():
    src = srcad.source(gru, wrt=(0, 1, 2), args=_gru_args())
    rev = src[src.index("# reverse sweep") :]
    assert "bWn = _srcad.add_matmul_vjp_into(bWn, " in rev, src  # (in place: perf50l, finite50)
    assert "bWrz = _srcad.add_matmul_vjp_into(bWrz, " in rev, src
    assert "_srcad.add(bW" not in rev, src


@pytest.mark.parametrize("seed", [0, 1])
def test_gru_values(seed):
    check_grads(gru, _gru_args(seed), modes=("rev",), wrt=(0, 1, 2))


def test_sliced_values():
    W = np.random.default_rng(3).standard_normal((4, 6))

    def loss(W):
        A, C, E, F, G = sliced(W, 3)
        return np.sum(A**2) + np.sum(np.sin(C)) + np.sum(E * F[:, None]) + np.sum(G @ W.T)

    check_grads(loss, (W,), modes=("fwd", "rev"))
