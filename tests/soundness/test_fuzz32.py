"""Session 32 (fuzz32): what the fuzzer (tests/fuzz, seeds 32500000+) found.

- Crash (wild seed 32500066): the cotangent of ``np.diff(a, n, axis)`` when ``n`` is at least the
  length of ``a`` along ``axis`` (NumPy's output is then empty: ``np.diff(x[:1], n=2)``, a
  ``keepdims`` mean differenced twice) padded the empty cotangent back ``n`` times, to a length
  other than ``a``'s, and raised a broadcast ``ValueError`` in the generated code. Such an ``a``
  reaches no output element: its cotangent is now zeros of its shape.
- Crash under ``SRCAD_VERIFY=1`` (control seed 32508034, wild30 seed 32507013): "branch masks:
  leaving out ... changed the masks" (an `IRVerifyError`, which aborted the fuzz campaign) for
  an ``if`` on a comparison of a division's result (a value `ad/branchmasks.py` masks). The check
  runs the mask analysis twice and compares the masks, but a mask's recomputed condition
  (`ad/maskcarry.Expr`) compared by identity: two equal masks were never equal. Exprs now compare
  (and hash) by their primitive and operands.
- Spurious refusal (wild32 seed 32522005): a row of ``np.tile(a, (2, 1))`` (times a float, plus
  a number, or alone) named and updated in place, ``r = A[-1]; r += v``, was refused ("`A` is
  read after the object it shares with another name is updated"): lower/viewbases.py did not
  know that ``np.tile`` makes a new array (of ``len(reps)`` dimensions at least), so the write
  through the view was never rewritten into ``A[-1] += v``. It does now; a ``np.tile`` of fewer
  known dimensions (``np.tile(a, 2)``, whose ``A[0]`` may be a number) stays refused.
- Spurious refusal (wild32 seed 32523007): state threaded through a helper that appends to a list
  inside its dict or list argument (``def step(s, z): s["h"] = ...; s["hist"].append(v)``) was
  refused ("`g` modifies its argument `s` in place", or "`s` is read after ... appended to"):
  lower/argwrites.py counted ``p[k].append(v)`` as changing an object other names may hold and
  left the call a call. It is now the caller's own ``st[k].append(v)`` once inlined, as a row
  write ``p[i][j] = v`` already was; the mutation check still refuses a caller name holding that
  list read afterwards, and the differentiated function's own argument so updated.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

GS = 0.7


def _const(a, b):
    return 0.1


def branch_on_division(x):
    s = _const(x, x)
    t = s
    s = t / 2.0
    u, w = (GS * s if np.ones(3)[1] > 0.9 else 3.0, np.float64(s))
    if s < 0.9:
        return u + w + np.sum(x * x)
    return np.sum(x)


def where_in_loop_after_division(x):
    v1 = x / True
    v4 = v1
    for t in range(3):
        try:
            v4 = v1 * t
        except KeyError:
            pass
    rows = [x, x, x]
    cols = [c for c in zip(*rows)]

    class Cell:
        def __init__(self, h):
            self.hs = []

    c = Cell(v4)
    v25 = sum(c.hs) * 0.5
    acc = 0.0
    for _k, _e in enumerate(v1):
        acc = acc + np.where(v1 > -1.2524, v25, v4)
    d = {k: cols for k in ("w", "b")}
    for _ in range(3):
        for k in d:
            d[k] = np.tanh(d[k])
    return np.sum(acc * acc) + np.sum(d["w"])


X5 = np.array([0.0204, 1.3645, 0.6553, 0.2015, 0.9891])
M23 = np.array([[0.3, -0.7, 1.1], [0.5, 0.9, -1.2]])


def diff_past_length(x):
    return np.sum(np.diff(x[:1], n=2)) + np.sum(x * x)


def diff_keepdims_mean(x):
    y = np.diff((x**2).mean(axis=0, keepdims=True), axis=-1, n=2)
    return np.sum(np.tanh(y)) + np.sum(np.sin(x))


def diff_equal_length(x):
    return np.sum(np.diff(x[:3], n=3) ** 2) + np.sum(x[3:])


def diff_axis0_past(m):
    return np.sum(np.diff(m, n=3, axis=0) ** 2) + np.sum(np.diff(m, n=2, axis=1) ** 2)


CASES = [
    (diff_past_length, (X5,)),
    (diff_keepdims_mean, (X5,)),
    (diff_equal_length, (X5,)),
    (diff_axis0_past, (M23,)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_diff_longer_than_axis(f, args):
    check_grads(f, args, modes=("fwd", "rev"))
    g = srcad.grad(f)(*args)
    assert np.shape(g) == np.shape(args[0])


def test_diff_past_length_grad_value():
    np.testing.assert_allclose(srcad.grad(diff_past_length)(X5), 2.0 * X5)


@pytest.mark.parametrize("f", [branch_on_division, where_in_loop_after_division])
def test_branch_masks_verify(f):
    args = (np.array([1.1095, -0.1869, 1.179]),)
    srcad.source(f, mode="grad", args=args)  # (raised IRVerifyError under SRCAD_VERIFY)
    check_grads(f, args, modes=("fwd", "rev"))


def tile_row_scaled(a):
    A = np.tile(a, (2, 1)) * 1.0
    r = A[-1]
    r += np.tanh(a)
    return np.sum(A.sum(axis=0) * 0.5 + A[-1] ** 2)


def tile_row_alone(a):
    A = np.tile(a, (2, 1))
    r = A[-1]
    r -= np.sin(a) * a[0]
    return np.sum(A**2)


def tile_rows_loop(a):
    A = np.tile(a, (3, 1)) + 0.5
    for i in range(3):
        row = A[i]
        row *= 0.5 + i * a[1]
    return np.sum(A**3)


def tile_ones_reps(a):
    A = np.tile(a, (1, 1))
    r = A[0]
    r -= np.sin(a)
    return np.sum(A**2) + np.sum(a)


@pytest.mark.parametrize(
    "f", [tile_row_scaled, tile_row_alone, tile_rows_loop, tile_ones_reps], ids=lambda f: f.__name__
)
def test_tile_row_written_through_view(f):
    a = np.array([0.3, -0.5, 0.9])
    check_grads(f, (a,), modes=("fwd", "rev"))


def tile_one_dim(a):
    A = np.tile(a, 2)
    r = A[0]
    r += 1.0
    return np.sum(A * A)


def test_tile_one_dim_row_is_a_number():
    # `A[0]` of a 1-D tile is a number: `r += 1.0` rebinds `r` only (refused before session 33,
    # now lower/viewbranch.py's test of `A.ndim` takes Python's branch)
    a = np.array([0.3, -0.5, 0.9])
    check_grads(tile_one_dim, (a,), modes=("fwd", "rev"))
    assert srcad.primal(tile_one_dim)(a) == tile_one_dim(a)


def _step(s, z):
    s["h"] = np.tanh(s["h"] * 0.5 + z)
    s["hist"].append(s["h"] * 1.0)
    s["n"] += 1


def _push(s, z):
    s["hist"].append(z * 1.0)


def _push_rows(p, z):
    p[0].append(z * 2.0)
    p[1][0] = p[1][0] + z


def state_through_helper(x):
    st = {"h": x * 0.1, "hist": [], "n": 0}
    for t in range(3):
        _step(st, x * (t + 1) * 0.3)
    return np.sum(st["h"] * st["n"] + sum(st["hist"]))


def rows_through_helper(x):
    rows = [[], [x]]
    _push_rows(rows, x)
    _push_rows(rows, x * x)
    return np.sum(sum(rows[0]) * rows[1][0])


def pushed_then_written(x):
    st = {"hist": [x * 0.5]}
    for t in range(3):
        _push(st, np.sin(x) * t)
        st["hist"][0] = st["hist"][0] * 1.5
    return np.sum(sum(st["hist"]) ** 2)


def nested_helper_pushes(x):
    st = {"hist": []}

    def inner(s, z):
        s["hist"].append(z**2)

    inner(st, x)
    inner(st, x + 1.0)
    return np.sum(st["hist"][0] * st["hist"][1])


@pytest.mark.parametrize(
    "f",
    [state_through_helper, rows_through_helper, pushed_then_written, nested_helper_pushes],
    ids=lambda f: f.__name__,
)
def test_helper_appends_inside_argument(f):
    check_grads(f, (np.array([0.3, -0.5]),), modes=("fwd", "rev"))


def list_held_by_caller(x):
    h = []
    st = {"hist": h}
    _push(st, x)
    return np.sum(sum(h))


def list_read_through_other_name(x):
    st = {"hist": [x]}
    other = st["hist"]
    _push(st, x * 3.0)
    return np.sum(sum(other))


def list_under_two_keys(x):
    lst = [x]
    st = {"hist": lst, "b": lst}
    _push(st, x)
    return np.sum(sum(st["b"]))


def argument_pushed(x, st):
    _push(st, x * 2.0)
    return np.sum(sum(st["hist"]))


@pytest.mark.parametrize(
    "f", [list_held_by_caller, list_read_through_other_name, list_under_two_keys]
)
def test_helper_append_seen_through_other_names_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, -0.5]))


def test_helper_append_into_argument_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(argument_pushed)(np.array([0.3, -0.5]), {"hist": [np.ones(2)]})
