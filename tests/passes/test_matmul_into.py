"""passes/matmul_into.py and rules/accumulate.py: a reverse loop's ``bW += x.T @ g`` computed
into a scratch array of the thread, ``add_matmul_into(bW, x.T, g)``, instead of a new array per
step (issue 11, item 1: an LSTM's per-step weight products were fresh pages, page faults).
Values checked against finite differences and, exactly, against the plain sum; the helper's
other cases keep ``add_into(acc, a @ b)``; the pass leaves a product alone when something that
writes stands between it and the accumulation.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import srcad
from srcad.passes.matmul_into import matmul_into
from srcad.rules import accumulate
from srcad.runtime import add_into, add_matmul_into
from srcad.ssa.core import Block, Const, Function, Op, Var
from srcad.testing import check_grads

RNG = np.random.default_rng(49)
T, B, D, H = 4, 3, 5, 6


def _args(gates: int, seed: int = 0) -> tuple:
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((D, gates * H)) / np.sqrt(D),
        rng.standard_normal((H, gates * H)) / np.sqrt(H),
        0.1 * rng.standard_normal(gates * H),
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
    )


def rnn(Wx, Wh, b, xs, y):
    h = np.zeros((xs.shape[1], Wh.shape[0]))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


def lstm(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    c = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        i = 1.0 / (1.0 + np.exp(-z[:, :H]))
        f = 1.0 / (1.0 + np.exp(-z[:, H : 2 * H]))
        o = 1.0 / (1.0 + np.exp(-z[:, 2 * H : 3 * H]))
        g = np.tanh(z[:, 3 * H :])
        c = f * c + i * g
        h = o * np.tanh(c)
    return 0.5 * np.sum((h - y) ** 2)


def rnn_hand(Wx, Wh, b, xs, y):
    h, tape = np.zeros((xs.shape[1], Wh.shape[0])), []
    for t in range(xs.shape[0]):
        tape.append(h)
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    dh, dWx, dWh = h - y, np.zeros_like(Wx), np.zeros_like(Wh)
    for t in range(xs.shape[0] - 1, -1, -1):
        hn = np.tanh(xs[t] @ Wx + tape[t] @ Wh + b)
        dz = dh * (1.0 - hn * hn)
        dWx = dWx + xs[t].T @ dz
        dWh = dWh + tape[t].T @ dz
        dh = dz @ Wh.T
    return dWx, dWh


def test_products_accumulated_into():
    """Both weight gradients of an RNN and of an LSTM take the fused accumulation (the checked
    product's: rules/checked_products.py)."""
    for f, gates in ((rnn, 1), (lstm, 4)):
        src = srcad.source(f, wrt=(0, 1, 2), args=_args(gates))
        assert "bWx = _srcad.add_matmul_vjp_into(bWx, " in src, src
        assert "bWh = _srcad.add_matmul_vjp_into(bWh, " in src, src
        assert "bWh = _srcad.add_into(bWh, " not in src, src


def test_values():
    check_grads(rnn, _args(1), modes=("rev",), wrt=(0, 1, 2))
    check_grads(lstm, _args(4), modes=("rev",), wrt=(0, 1, 2))
    args = _args(1, seed=3)
    gWx, gWh = srcad.grad(rnn, wrt=(0, 1))(*args)
    hWx, hWh = rnn_hand(*args)
    np.testing.assert_allclose(gWx, hWx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(gWh, hWh, rtol=1e-12, atol=1e-14)


def test_threads():
    """Each thread has its own scratch arrays: gradients computed at once agree with alone."""
    g = srcad.grad(lstm, wrt=(0, 1, 2))
    inputs = [_args(4, seed=s) for s in range(4)]
    want = [g(*a) for a in inputs]
    got: dict[int, list] = {}

    def work(k: int) -> None:
        got[k] = [g(*inputs[k]) for _ in range(20)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        for run in got[k]:
            for a, b in zip(run, want[k]):
                np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "acc, a, b",
    [
        (np.ones((2, 3)), RNG.standard_normal((2, 4)), RNG.standard_normal((4, 3))),
        (np.ones((2, 3), np.float32), np.ones((2, 4), np.float32), np.ones((4, 3), np.float32)),
        (np.ones((2, 3)), RNG.standard_normal((2, 4)) + 1j, RNG.standard_normal((4, 3))),
        (np.ones(3), RNG.standard_normal(4), RNG.standard_normal((4, 3))),  # a vector
        (np.ones((5, 2, 3)), RNG.standard_normal((5, 2, 4)), RNG.standard_normal((4, 3))),
        (np.ones((1, 3)), RNG.standard_normal((2, 4)), RNG.standard_normal((4, 3))),  # broadcast
        (np.ones((2, 3)), RNG.standard_normal((1, 4)), RNG.standard_normal((4, 3))),
        (1.0, RNG.standard_normal(4), RNG.standard_normal(4)),
    ],
)
def test_helper_as_add_into(acc, a, b):
    """The helper's result is ``add_into(acc, a @ b)``'s in every case, the scratch path's and
    the others' (dtypes, ranks, broadcasting, numbers)."""
    copy = acc.copy() if isinstance(acc, np.ndarray) else acc
    want = add_into(copy, a @ b)
    got = add_matmul_into(acc, a, b)
    np.testing.assert_array_equal(got, want)
    assert np.asarray(got).dtype == np.asarray(want).dtype


def test_helper_in_place_and_errors():
    acc = np.zeros((2, 3))
    a, b = RNG.standard_normal((2, 4)), RNG.standard_normal((4, 3))
    assert add_matmul_into(acc, a, b) is acc
    assert add_matmul_into(acc, a, b) is acc  # the same scratch, reused
    np.testing.assert_array_equal(acc, (a @ b) + (a @ b))
    frozen = np.zeros((2, 3))
    frozen.setflags(write=False)
    out = add_matmul_into(frozen, a, b)
    assert out is not frozen and not frozen.any()
    with pytest.raises(ValueError):
        add_matmul_into(np.zeros((2, 3)), a, RNG.standard_normal((5, 3)))


def test_scratch_taken_while_in_use():
    """A product computed while another holds the thread's scratch (a signal handler running a
    gradient in between) gets its own array; the first is kept once given back."""
    s1, pool = accumulate.take((2, 3))
    s2, _ = accumulate.take((2, 3))
    assert s1 is not s2
    accumulate.give(pool, s1)
    s3, _ = accumulate.take((2, 3))
    assert s3 is s1


def _fn(between: Op | None) -> tuple[Function, Op]:
    """``p = matmul(a, b); [between]; acc.1 = add_into(acc, p)``, yielding acc.1."""
    acc, a, b, x = Var("acc"), Var("a"), Var("b"), Var("x")
    p, r = Var("p"), Var("acc")
    ops = [Op("matmul", [a, b], results=[p])]
    if between is not None:
        ops.append(between)
    ops.append(Op("srcad.runtime.add_into", [acc, p], results=[r]))
    fn = Function("f", [acc, a, b, x], ["acc", "a", "b", "x"], Block([], ops, [r]))
    return fn, ops[-1]


def test_pass_conditions():
    fn, op = _fn(None)
    assert matmul_into(fn)
    assert op.prim == "srcad.runtime.add_matmul_into" and len(fn.body.ops) == 1
    a = fn.params[1]
    fn, op = _fn(Op("mul", [a, Const(2.0)], results=[Var("u")]))  # reads only: moved past it
    assert matmul_into(fn) and op.prim == "srcad.runtime.add_matmul_into"
    write = Op("setitem", [a, Const(0), Const(1.0)], results=[Var("a")], params={"inplace": True})
    fn, op = _fn(write)  # ``a[0] = 1.0`` in place between: the product read the old `a`
    assert not matmul_into(fn) and op.prim == "srcad.runtime.add_into"
    fn, op = _fn(Op("srcad.runtime.add_into", [a, Const(1.0)], results=[Var("a")]))
    assert not matmul_into(fn) and op.prim == "srcad.runtime.add_into"
    fn, op = _fn(None)
    p = fn.body.ops[0].result
    fn.body.yields.append(p)  # the product read again: stays
    assert not matmul_into(fn) and op.prim == "srcad.runtime.add_into"
