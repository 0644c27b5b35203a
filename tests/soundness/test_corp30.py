"""Session-30 corpus port (corp30) findings: spurious refusals of the mutation check on programs
whose meaning does not depend on shared objects, each checked against Python's values and
numeric derivatives; and the aliases that must still be refused.

- A helper returning a tuple of new arrays (pg-pong's episode buffers: ``return epx, eph,
  epdlogp, epr``, each from ``np.vstack``): its summary had one object standing for every
  array it made, so ``epx, eph, epdlogp, epr = run_episode(model); epdlogp *= adv`` made the
  later read of `epx` a hazard. passes/alias_calls.py `fresh_positions` gives one new object per
  position (as for ``np.linalg.svd``) when each position holds a distinct new leaf array.
- A row view updated in an inner loop (word2vec's SGD: ``for epoch ...: for c, o in pairs: u =
  W_out[o]; ...; W_out[o] -= lr * g``): the lowering carries `u` out of the inner loop (Python
  keeps the name after a loop), and the yield of the stale `u` at the end of the body counted
  as a read, though nothing reads that carry. passes/alias_control.py `unread_carries`.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X3 = np.array([0.3, -0.7, 1.1])
W32 = np.array([[0.5, -0.2], [0.1, 0.9], [-0.4, 0.3]])


def _buffers(x):
    xs, hs = [], []
    for t in range(2):
        xs.append(x * (t + 1.0))
        hs.append(np.tanh(x) * t)
    return np.vstack(xs), np.vstack(hs), float(np.sum(x))


def _episode(x):
    epx, eph, s = _buffers(x)
    eph *= 3.0  # `epx` is another array
    return np.sum(epx**2) + np.sum(eph) + s


def _pair(x):
    return x * 2.0, x * 5.0


def _kept(x):
    keep = []
    for i in range(2):
        a, b = _pair(x * (i + 1.0))
        keep.append(a)
        b *= 3.0
    keep[0] *= 2.0
    return np.sum(keep[0]) + np.sum(keep[1] ** 2)


def _rows(W):
    W = W.copy()
    for epoch in range(2):
        for o in [1, 2, 0]:
            u = W[o]
            g = np.sum(u**2)
            W[o] -= 0.3 * g * u
    return np.sum(W**2)


def _rows_while(W):
    W = W.copy()
    i = 0
    while i < 2:
        for o in [0, 2]:
            u = W[o]
            W[o] -= 0.2 * np.sin(u)
        i += 1
    return np.sum(W**3)


@pytest.mark.parametrize(
    "fn, args",
    [(_episode, (X3,)), (_kept, (X3,)), (_rows, (W32,)), (_rows_while, (W32,))],
    ids=["tuple_of_new_arrays", "tuple_in_loop", "row_view_nested_loop", "row_view_while"],
)
def test_accepted_and_right(fn, args) -> None:
    assert np.allclose(srcad.primal(fn)(*copy.deepcopy(args)), fn(*copy.deepcopy(args)))
    check_grads(fn, args, modes=("fwd", "rev"))


def _dup(x):
    a = np.vstack([x])
    return a, a


def _use_dup(x):
    a, b = _dup(x)
    b *= 3.0
    return np.sum(a)


def _view(x):
    a = np.vstack([x, x])
    return a, a[0]


def _use_view(x):
    a, b = _view(x)
    b *= 3.0
    return np.sum(a)


def _stash(lst, x):
    a = x * 2.0
    lst.append(a)
    return a, x * 3.0


def _use_stash(x):
    lst = []
    a, b = _stash(lst, x)
    a *= 3.0
    return np.sum(lst[0]) + np.sum(b)


def _read_before(W):
    W = W.copy()
    t = 0.0
    u = W[0]
    for epoch in range(2):
        for o in [1, 2]:
            t = t + np.sum(u)  # the previous pass's `u`, changed by `W[o] -= ...` in Python
            u = W[o]
            W[o] -= 0.3 * u
    return np.sum(W**2) + t


def _read_after(W):
    W = W.copy()
    for epoch in range(2):
        for o in [1, 2]:
            u = W[o]
            W[o] -= 0.3 * u
    return np.sum(W**2) + np.sum(u)


@pytest.mark.parametrize(
    "fn, args",
    [(_use_dup, (X3,)), (_use_view, (X3,)), (_use_stash, (X3,)), (_read_before, (W32,)),
     (_read_after, (W32,))],
    ids=["same_array_twice", "array_and_its_row", "stored_in_argument", "carry_read", "result_read"],
)  # fmt: skip
def test_still_refused(fn, args) -> None:
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(fn)(*copy.deepcopy(args))
