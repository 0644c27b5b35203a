"""Ordinary code hunt47 found refused, now accepted (checked numerically), and the neighbours
that stay refused:

a. ``vc = Win[centers]`` with `centers` an int or bool array argument, then ``Win[centers] -=
   g`` and a read of `vc` (word2vec / matrix-factorisation SGD on a copy of the embedding
   table): an advanced index makes a copy, so the update does not reach `vc`. The transform
   knows the argument is an array of rank >= 1 (a float one would be NumPy's IndexError); the
   lowering's optimistic run takes any parameter index for one. With an int `centers` the row
   is a view that the update changes: still refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

W = np.random.default_rng(47).standard_normal((5, 3)) * 0.3


def _w2v_sgd(Win, centers):
    Win = Win.copy()
    for _ in range(2):
        vc = Win[centers]
        Win[centers] -= 0.5 * np.tanh(vc)
        s = vc.sum()
    return np.sum(Win**2) + s


def _rows_update(Win, centers):
    Win = Win.copy()
    vc = Win[centers]
    Win[centers] -= 0.5 * vc
    return np.sum(Win**2) + vc.sum()


def _arg_update(Win, centers):  # the caller's array updated, as Python does
    vc = Win[centers]
    Win[centers] -= 0.5 * vc
    return np.sum(Win**2) + vc.sum()


@pytest.mark.parametrize("fn", [_w2v_sgd, _rows_update])
@pytest.mark.parametrize(
    "idx", [np.array([1, 3, 3]), np.array([0, 0, 4, 2]), np.array([True, False, True, False, True])]
)
def test_advanced_index_argument_copies(fn, idx):
    assert srcad.primal(fn)(W, idx) == pytest.approx(fn(W, idx), rel=1e-14)
    check_grads(fn, (W, idx), modes=("fwd", "rev"), order=2)


def test_advanced_index_argument_updates_caller():
    idx = np.array([1, 3, 3])
    a, b = W.copy(), W.copy()
    want = _arg_update(a, idx)
    g = srcad.grad(_arg_update)(b, idx)
    assert np.array_equal(a, b)
    eps, v = 1e-6, np.random.default_rng(1).standard_normal(W.shape)
    fd = (_arg_update(W + eps * v, idx) - _arg_update(W - eps * v, idx)) / (2 * eps)
    assert np.sum(g * v) == pytest.approx(fd, rel=1e-6)
    assert want == pytest.approx(_arg_update(W.copy(), idx))


def test_int_index_row_view_still_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(_rows_update)(W, 1)
