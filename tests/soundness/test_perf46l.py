"""perf46l: the copy of ``Wh.T`` made before a loop (`passes/transposes.py`) gives the values the
view gives, whatever the parameter's memory layout (C, Fortran, a strided view, empty axes), and
is never made where the loop could change the parameter (a global the loop updates that is the
same array: refused at the call, as before).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.passes.test_perf44g import _args, _fd, lstm, rnn

G = np.eye(2) * 0.5


def _layout(a: np.ndarray, kind: str) -> np.ndarray:
    if kind == "F":
        return np.asfortranarray(a)
    if kind == "strided":  # a view of every other column of a wider array
        wide = np.zeros((a.shape[0], 2 * a.shape[1]))
        wide[:, ::2] = a
        return wide[:, ::2]
    if kind == "transposed":
        return np.ascontiguousarray(a.T).T
    return a


@pytest.mark.parametrize("kind", ["C", "F", "strided", "transposed"])
@pytest.mark.parametrize("f,gates", [(lstm, 4), (rnn, 1)])
def test_layouts(kind, f, gates):
    args = _args(gates=gates, seed=5)
    args[1] = _layout(args[1], kind)
    assert "@ WhT" in srcad.source(f, wrt=(0, 1, 2), args=args)
    gs = srcad.grad(f, wrt=(0, 1, 2))(*args)
    for k, g in zip((0, 1, 2), gs):
        np.testing.assert_allclose(g, _fd(f, [np.array(a) for a in args], k), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("T,B", [(0, 2), (3, 0), (1, 2)])
def test_empty_and_single_step(T, B):
    """No step (the copy is made, never read), an empty batch, one step."""
    args = _args(T=T, B=B, gates=4, seed=6)
    gs = srcad.grad(lstm, wrt=(0, 1, 2))(*args)
    for k, g in zip((0, 1, 2), gs):
        assert g.shape == args[k].shape
        np.testing.assert_allclose(g, _fd(lstm, args, k), rtol=1e-6, atol=1e-8)


def _rnn_global(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        G[0, 0] = G[0, 0] * 0.5
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


def test_global_updated_in_loop():
    """The loop updates a global in place: no copy before the loop; the global passed as `Wh`
    is refused at the call (srcad updates a private copy of the global)."""
    args = _args(seed=7)
    assert ".copy()" not in srcad.source(_rnn_global, wrt=(0, 1, 2), args=args)
    args[1] = G
    with pytest.raises(srcad.SrcadError, match="shares memory"):
        srcad.grad(_rnn_global, wrt=(0, 1, 2))(*args)
