"""perf48l: a loop's carried state or tape item is taken as finite (its reverse product
``h_k.T @ g`` without `matmul_vjp`'s drop of ``0 * inf``) only when it is bounded: ``np.tanh``,
the logistic ``1 / (1 + exp(u))``, products of those, from a finite initial value
(`passes/given_loops.py`); and as a matrix only when every step keeps it one
(`passes/loop_ranks.py`). Each case here is one where that must not be assumed (an unbounded
state holding an inf in a row no read reaches, an item of a user's list that is not bounded, a
state changing rank) or an edge of the rewrite (no step, a break, float32, a bias of shape (1,),
the state aliasing a parameter): the gradient is the right one either way.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.passes.test_perf44g import _args, _check, lstm, rnn


def _where_state(Wx, Wh, xs):
    h = np.zeros((2, 2))
    keep = np.array([[True], [False]])
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh
        # row 1: exp(800) = inf, chosen by the where (no product with it in the reverse)
        h = np.where(keep, np.tanh(z), np.exp(xs[t]))
    return np.sum(h * np.array([[1.0], [0.0]]))


def test_unbounded_state_keeps_the_fix():
    """A carried state holding an inf in a row whose product's cotangent is 0: the state is not
    bounded (a where), so Wh's cotangent keeps `matmul_vjp`'s drop of ``0 * inf``."""
    rng = np.random.default_rng(1)
    Wx, Wh = rng.standard_normal((2, 2, 2)) * 0.3
    xs = rng.standard_normal((3, 2, 2)) * 0.3
    xs2 = xs.copy()
    xs[:, 1] = 800.0
    xs2[:, 1] = 0.25
    src = srcad.source(_where_state, wrt=(0, 1), args=(Wx, Wh, xs))
    assert "matmul_vjp(" in src and "tape[k]" in src
    with np.errstate(all="ignore"):
        g = srcad.grad(_where_state, wrt=1)(Wx, Wh, xs)
    ref = srcad.grad(_where_state, wrt=1)(Wx, Wh, xs2)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, ref, rtol=1e-12, atol=1e-14)


def _pole(W, x):
    a = 1.0 / (-1.0 + np.exp(x))  # not the logistic: 1 / 0 = inf at x = 0
    return np.sum((a @ W) * np.array([[1.0], [0.0]]))


def _bounded_times_unbounded(W, x):
    a = np.tanh(x) * np.exp(x)  # a bounded factor times an unbounded one
    return np.sum((a @ W) * np.array([[1.0], [0.0]]))


def _unbounded_times_bounded_state(W, xs):
    h = np.zeros((2, 2))
    s = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] + h) * np.exp(xs[t] * 2.0)  # the carry: not bounded
        s = s + np.sum((h @ W) * np.array([[1.0], [0.0]]))
    return s


@pytest.mark.parametrize("f, big", [(_pole, 0.0), (_bounded_times_unbounded, 800.0)])
def test_not_bounded_keeps_the_fix(f, big):
    rng = np.random.default_rng(2)
    W = rng.standard_normal((2, 2))
    x = rng.standard_normal((2, 2)) + 2.0
    x2 = x.copy()
    x[1] = big
    x2[1] = 0.5
    assert "matmul_vjp" in srcad.source(f, wrt=0, args=(W, x))  # (or its checked forms: finite50)
    with np.errstate(all="ignore"):
        g = srcad.grad(f, wrt=0)(W, x)
    np.testing.assert_allclose(g, srcad.grad(f, wrt=0)(W, x2), rtol=1e-12, atol=1e-14)


def test_unbounded_carry_keeps_the_fix():
    rng = np.random.default_rng(3)
    W = rng.standard_normal((2, 2))
    xs = rng.standard_normal((3, 2, 2)) * 0.3
    xs2 = xs.copy()
    xs[:, 1] = 400.0  # exp(800): inf in row 1 of every state
    xs2[:, 1] = 0.25
    src = srcad.source(_unbounded_times_bounded_state, wrt=0, args=(W, xs))
    assert "matmul_vjp" in src  # (or its checked forms: finite50)
    with np.errstate(all="ignore"):
        g = srcad.grad(_unbounded_times_bounded_state, wrt=0)(W, xs)
    ref = srcad.grad(_unbounded_times_bounded_state, wrt=0)(W, xs2)
    np.testing.assert_allclose(g, ref, rtol=1e-12, atol=1e-14)


def _user_list(W, xs, ys):
    hist = []
    h = np.zeros((2, 2))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] + h @ W)
        hist.append((h, np.exp(ys[t] * 100.0)))  # item 1 may be inf, item 0 is bounded
    s = 0.0
    for k in range(len(hist)):
        s = s + np.sum((hist[k][1] @ W)[0]) + np.sum(hist[k][0] @ W)
    return s


def test_user_list_item_not_bounded():
    """Item 1 of a list's tuples is not bounded: its product keeps the fix (item 0's may not)."""
    rng = np.random.default_rng(4)
    W = rng.standard_normal((2, 2)) * 0.3
    xs = rng.standard_normal((3, 2, 2)) * 0.3
    ys = rng.standard_normal((3, 2, 2)) * 0.1
    ys2 = ys.copy()
    ys[:, 1] = 10.0  # exp(1000) = inf in row 1 of item 1
    ys2[:, 1] = 0.01
    with np.errstate(all="ignore"):
        g = srcad.grad(_user_list, wrt=0)(W, xs, ys)
    ref = srcad.grad(_user_list, wrt=0)(W, xs, ys2)
    np.testing.assert_allclose(g, ref, rtol=1e-12, atol=1e-14)


def _rnn_1d_start(Wx, Wh, b, xs, y):
    h = np.ones(Wh.shape[0])  # 1-D: (H,) @ Wh; 1-D throughout for xs of (T, D), else 2-D
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


@pytest.mark.parametrize("xshape", [(4, 3), (4, 2, 3)])
def test_state_rank(xshape):
    """Wh's cotangent of a 1-D state is an outer product, not ``h.T @ g``; a state whose rank
    changes after the first step is not taken as a matrix either."""
    rng = np.random.default_rng(3)
    Wx, Wh = rng.standard_normal((2, 3, 3)) * 0.5
    b = rng.standard_normal(3) * 0.1
    xs = rng.standard_normal(xshape)
    y = rng.standard_normal(xshape[1:])
    src = srcad.source(_rnn_1d_start, wrt=(0, 1, 2), args=(Wx, Wh, b, xs, y))
    assert "tape[k]" in src and "matmul_vjp" in src  # (or its checked forms: finite50)
    _check(_rnn_1d_start, [Wx, Wh, b, xs, y], (0, 1, 2))


def _lstm_break(Wx, Wh, b, xs, y):
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
        if t == 1:
            break
    return 0.5 * np.sum((h - y) ** 2)


@pytest.mark.parametrize("T", [0, 1, 3])
def test_lstm_steps_and_break(T):
    args = _args(T=T, gates=4)
    _check(lstm, args, (0, 1, 2))
    _check(_lstm_break, args, (0, 1, 2))
    _check(rnn, _args(T=T), (0, 1, 2))


def test_bias_of_one():
    """A bias of shape (1,) broadcast over the gates (the four widths still H each)."""
    args = _args(gates=4)
    args[2] = np.array([0.3])
    _check(lstm, args, (0, 1, 2))


def test_float32():
    args64 = _args(gates=4)
    args32 = [a.astype(np.float32) for a in args64]
    g32 = srcad.grad(lstm, wrt=(0, 1, 2))(*args32)
    g64 = srcad.grad(lstm, wrt=(0, 1, 2))(*args64)
    for a, b in zip(g32, g64):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=2e-3, atol=1e-5)


def _state_is_param(Wh, xs):
    """The initial state is the parameter itself (a square Wh): Wh's gradient has both parts."""
    h = Wh
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] + h @ Wh)
    return np.sum(h**2)


def test_state_aliases_a_parameter():
    rng = np.random.default_rng(4)
    _check(
        _state_is_param, [rng.standard_normal((3, 3)) * 0.5, rng.standard_normal((2, 3, 3))], (0,)
    )


def test_lstm_inf_state_row_unread():
    """An LSTM whose state is taken as bounded, fed an input making a row of z inf: the loss
    reads only row 0, and the gradient equals the one with that row's input harmless."""

    def f(Wx, xs):
        H = 2
        h = np.zeros((xs.shape[1], H))
        c = np.zeros((xs.shape[1], H))
        for t in range(xs.shape[0]):
            z = xs[t] @ Wx + h @ Wx[:H]
            i = 1.0 / (1.0 + np.exp(-z[:, :H]))
            o = 1.0 / (1.0 + np.exp(-z[:, H : 2 * H]))
            c = c + i * np.tanh(z[:, 2 * H :])
            h = o * np.tanh(c)
        return np.sum(h[0])

    rng = np.random.default_rng(5)
    Wx = rng.standard_normal((2, 6)) * 0.3
    xs = rng.standard_normal((3, 2, 2))
    xs[:, 1] = 1e300  # row 1: z overflows (inf, -inf, nan) and h holds nan there
    with np.errstate(all="ignore"):
        g = srcad.grad(f, wrt=0)(Wx, xs)
        xs2 = xs.copy()
        xs2[:, 1] = 0.25
        ref = srcad.grad(f, wrt=0)(Wx, xs2)
    # the arguments are not finite: `_given`'s policy (a parameter is taken as finite) gives
    # whatever the plain products give; the test pins that it is the row-0 gradient or nan,
    # never a finite wrong value
    ok = np.isclose(g, ref, rtol=1e-10, atol=1e-12) | np.isnan(g)
    assert ok.all()


def _unbounded_start(Wx, Wh, x0, xs):
    h = np.exp(x0)  # row 1 is [inf, 0]: the first tape entry holds an inf
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh)
    return np.sum(h * np.array([[1.0], [0.0]]))


def test_unbounded_initial_state_keeps_the_fix():
    """A bounded step from an initial state that is not: the carry is not taken as finite."""
    rng = np.random.default_rng(6)
    Wx, Wh = rng.standard_normal((2, 2, 2)) * 0.5
    xs = rng.standard_normal((3, 2, 2)) * 0.5
    x0 = rng.standard_normal((2, 2)) * 0.5
    x02 = x0.copy()
    x0[1] = [800.0, -1e308]
    x02[1] = [0.25, -0.25]
    src = srcad.source(_unbounded_start, wrt=(0, 1), args=(Wx, Wh, x0, xs))
    # (every product checked at run time now, finite50: the first step's too)
    assert "_srcad.add_matmul_vjp_into(bWh, " in src and "tape[k]" in src
    with np.errstate(all="ignore"):
        g = srcad.grad(_unbounded_start, wrt=1)(Wx, Wh, x0, xs)
    ref = srcad.grad(_unbounded_start, wrt=1)(Wx, Wh, x02, xs)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, ref, rtol=1e-12, atol=1e-14)


def _sliced_list(W, xs):
    hist = []
    h = np.zeros((2, 2))
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] + h @ W)
        hist.append((h, np.exp(xs[t] * 100.0)))
    a = hist[1:][0]  # a slice of the list, then its first entry: the tuple (h, exp(..)), 3-D
    return np.sum((np.asarray(a) @ W) ** 2)


def test_sliced_list_is_not_an_entry():
    """``hist[1:][0]`` is an entry, not item 0 of every entry: neither its rank nor its
    finiteness is taken from the items."""
    rng = np.random.default_rng(8)
    W = rng.standard_normal((2, 2)) * 0.5
    _check(_sliced_list, [W, rng.standard_normal((3, 2, 2)) * 0.01], (0,))
