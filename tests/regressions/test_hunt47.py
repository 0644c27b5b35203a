"""Ordinary code hunt47 found refused, now accepted (checked numerically), and the neighbours
that stay refused:

a. ``vc = Win[centers]`` with `centers` an int or bool array argument, then ``Win[centers] -=
   g`` and a read of `vc` (word2vec / matrix-factorisation SGD on a copy of the embedding
   table): an advanced index makes a copy, so the update does not reach `vc`. The transform
   knows the argument is an array of rank >= 1 (a float one would be NumPy's IndexError); the
   lowering's optimistic run takes any parameter index for one. With an int `centers` the row
   is a view that the update changes: still refused.
b. A beam search: ``beams = cand[:k]`` or ``beams = sorted(...)[:k]`` at the end of a loop
   whose body iterates ``for s, seq in beams``: the carried `beams` stays a list (a slice of a
   list, a sum of lists: lower/listkinds.py); so does a moving window ``hist.append(v); hist =
   hist[-3:]`` and a queue ``q = q + [v]; q = q[1:]``. A shared inner list appended to through the
   slice (``beams = beams[:1] + [...]; beams[0].append(v)``) stays refused.
c. A beam search on heaps: ``heapq.heappush(new, (score, seq))`` then ``heapq.nsmallest(k,
   new)`` (or ``nlargest``): the heap kept as a sorted list (lower/heaps.py) may be read by
   them, which read its items, not their order. Iterating the heap stays refused.
"""

from __future__ import annotations

import heapq

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


def _beam(x):
    beams = [(0.0, [])]
    for lp in x:
        lp = lp - np.log(np.sum(np.exp(lp)))
        cand = []
        for s, seq in beams:
            for k in range(len(lp)):
                cand.append((s + lp[k], seq + [k]))
        cand.sort(key=lambda c: -c[0])
        beams = cand[:2]
    return beams[0][0] + beams[1][0]


def _beam_sorted(x):
    beams = [0.0]
    for lp in x:
        beams = sorted([s + lp[0] for s in beams] + [s * lp[1] for s in beams])[:3]
    return sum(beams)


def _beam_concat(x):
    beams = [x[0, 0]]
    for lp in x:
        beams = beams[-2:] + [b * lp[1] for b in beams]
    return sum(beams)


def _moving_window(y):
    hist = []
    out = 0.0
    for v in y:
        hist.append(v)
        hist = hist[-3:]
        out += sum(hist) / len(hist) * v
    return out


def _queue(x):
    q = [x[0]]
    tot = 0.0
    for i in range(1, len(x)):
        q = q + [x[i] * q[-1]]
        if len(q) > 2:
            q = q[1:]
        tot += q[0]
    q.append(1.0)
    return tot + sum(q)


def _paths(x):
    paths = [[x[0]]]
    for v in x[1:]:
        paths = [p + [v * p[-1]] for p in paths] + paths[:1]
        paths.sort(key=len)
    return sum(sum(p) for p in paths)


@pytest.mark.parametrize("fn", [_beam, _beam_sorted, _beam_concat])
def test_beam_search_carry_stays_list(fn):
    x = np.random.default_rng(3).standard_normal((3, 3))
    assert srcad.primal(fn)(x) == pytest.approx(fn(x), rel=1e-14)
    check_grads(fn, (x,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("fn", [_moving_window, _queue, _paths])
def test_window_and_queue_carry_stays_list(fn):
    x = np.random.default_rng(5).standard_normal(6)
    assert srcad.primal(fn)(x) == pytest.approx(fn(x), rel=1e-14)
    check_grads(fn, (x,), modes=("fwd", "rev"), order=2)


def test_shared_inner_list_still_refused():
    def f(x):
        beams = [[x[0]]]
        for i in range(1, 3):
            beams = beams[:1] + [b + [x[i]] for b in beams]
            beams[0].append(x[i] ** 2)
        return sum(sum(b) for b in beams)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, -0.7, 1.1]))


def _heap_beam(x):
    heap = [(0.0, ())]
    for lp in x:
        new = []
        for negs, seq in heap:
            for k in range(len(lp)):
                heapq.heappush(new, (negs - lp[k], seq + (k,)))
        heap = heapq.nsmallest(2, new)
    return -heap[0][0] - heap[1][0]


def _heap_largest(x):
    h = []
    for v in x:
        heapq.heappush(h, v * v)
    return sum(heapq.nlargest(2, h)) + heapq.heappop(h)


@pytest.mark.parametrize("fn", [_heap_beam, _heap_largest])
def test_heap_read_by_nsmallest(fn):
    x = np.random.default_rng(7).standard_normal((3, 3))
    if fn is _heap_largest:
        x = x[0]
    assert srcad.primal(fn)(x) == pytest.approx(fn(x), rel=1e-14)
    check_grads(fn, (x,), modes=("fwd", "rev"), order=2)


def test_heap_iterated_still_refused():
    def f(x):
        h = []
        for v in x:
            heapq.heappush(h, v)
        return sum(v * k for k, v in enumerate(h))

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, -0.7, 1.1]))
