"""perf44g (issue 11's LSTM): the facts that let an RNN's reverse sweep take plain products.

- arithmetic and ``@`` of two arrays of unknown shapes (an RNN's carried state) are arrays of
  a shape of their own (`shape_infer._unknown_shape`, `_new_array`), and so are
  ``slices_vjp``'s cotangents and ``unbroadcast`` of two such values;
- a loop's tape keeps the facts the fixpoint's last round gave what it appends
  (`shape_infer._last_round_lists`), so ``shape_like(h @ Wh)`` keeps ``("v", m)``;
- ``matmul_vjp(g, h_k, Wh, 0)`` of a tape entry's `h_k` whose `g` has that entry's product's
  shape is ``g @ Wh.T`` (`shapes_matmul._taped_product`), and ``xs[k] @ Wx``'s cotangent in
  `Wx` is ``xs[k].T @ g``.

Each gradient is checked against central differences.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def rnn(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
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


def _args(T=3, B=2, D=3, H=2, gates=1, seed=0):
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal((D, gates * H)) * 0.5,
        rng.standard_normal((H, gates * H)) * 0.5,
        rng.standard_normal(gates * H) * 0.1,
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
    ]


def _fd(f, args, k, h=1e-6):
    out = np.zeros_like(args[k])
    for i in np.ndindex(out.shape):
        up, dn = [a.copy() for a in args], [a.copy() for a in args]
        up[k][i] += h
        dn[k][i] -= h
        out[i] = (f(*up) - f(*dn)) / (2 * h)
    return out


def _check(f, args, wrt):
    gs = srcad.grad(f, wrt=wrt)(*args)
    for k, g in zip(wrt, gs):
        np.testing.assert_allclose(g, _fd(f, args, k), rtol=1e-6, atol=1e-8)


def test_reverse_products_plain():
    args = _args(gates=4)
    src = srcad.source(lstm, wrt=(0, 1, 2), args=args)
    assert "@ WhT" in src  # h's cotangent: the product (by a copy: perf46l), no helper
    assert "matmul_vjp(" not in src  # Wh's: h_k.T @ g, checked at run time (finite50)
    assert "add_matmul_vjp_into(bWx, " in src  # Wx's: xs[k].T @ g (passes/matmul_into)
    _check(lstm, args, (0, 1, 2))


def test_rnn_gradient():
    """The loss's cotangent of the last state, ``sum_vjp(0.5, t) * pow_dx(h - y, 2)``, is an
    array (`shape_infer._OF_LIKE`, `_pow_arrayish`): the reverse carry too, and its product."""
    args = _args()
    src = srcad.source(rnn, wrt=(0, 1, 2), args=args)
    assert "@ WhT" in src and "matmul_vjp(" not in src  # (h = tanh(..): bounded, perf48l)
    _check(rnn, args, (0, 1, 2))


def _pow_loss(W, xs, p):
    h = np.ones((2, 3))
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t])
    return np.sum(np.abs(h) ** p)


@pytest.mark.parametrize("p", [0.5, 1.0, 3.0])
def test_pow_of_state(p):
    """``pow_dx(x, k)`` for k below 1 may give a Python float (of a NumPy scalar 0): not taken
    for an array; the gradients hold for each k."""
    rng = np.random.default_rng(8)
    args = [rng.standard_normal((3, 3)) * 0.6, rng.standard_normal((3, 2, 3))]
    f = lambda W, xs: _pow_loss(W, xs, p)  # noqa: E731
    _check(f, args, (0, 1))


@pytest.mark.parametrize("gates", [1, 4])
@pytest.mark.parametrize("h0", [[[0.3, -0.2]], [0.3, -0.2]])
def test_state_broadcast_first_step(gates, h0):
    """The state starts as one row (or a 1-D vector) broadcast against the batch: the first
    step's ``h @ Wh`` has shape (1, n) (or (n,)), the others (B, n); each step's cotangent
    keeps its own."""
    args = [*_args(gates=gates, seed=1), np.array(h0)]
    if gates == 4:  # (the rewritten product's values are the ones checked)
        assert "@ WhT" in srcad.source(_with_h0(gates), wrt=(0, 1, 2, 5), args=args)
    _check(_with_h0(gates), args, (0, 1, 2, 5))


def _with_h0(gates):
    if gates == 1:

        def rnn0(Wx, Wh, b, xs, y, h0):
            h = h0
            for t in range(xs.shape[0]):
                h = np.tanh(xs[t] @ Wx + h @ Wh + b)
            return 0.5 * np.sum((h - y) ** 2)

        return rnn0

    def lstm0(Wx, Wh, b, xs, y, h0):
        H = Wh.shape[0]
        h = h0
        c = h0 * 0.5
        for t in range(xs.shape[0]):
            z = xs[t] @ Wx + h @ Wh + b
            i = 1.0 / (1.0 + np.exp(-z[:, :H]))
            f = 1.0 / (1.0 + np.exp(-z[:, H : 2 * H]))
            o = 1.0 / (1.0 + np.exp(-z[:, 2 * H : 3 * H]))
            g = np.tanh(z[:, 3 * H :])
            c = f * c + i * g
            h = o * np.tanh(c)
        return 0.5 * np.sum((h - y) ** 2)

    return lstm0


def test_two_tapes_entries_differ():
    """Two products per step whose left operands differ (``h @ W`` and ``u @ W``): each
    cotangent is that product's, never the other's."""

    def f(W, xs):
        h = np.ones((2, 3))
        u = np.ones((1, 3)) * 0.5
        for t in range(xs.shape[0]):
            a = h @ W
            v = u @ W
            h = np.tanh(a + xs[t])
            u = np.sin(v * xs[t][:1])
        return np.sum(h**2) + np.sum(u**3)

    rng = np.random.default_rng(4)
    args = [rng.standard_normal((3, 3)) * 0.6, rng.standard_normal((4, 2, 3))]
    _check(f, args, (0, 1))


def test_rank_changes_between_steps():
    """The state is 1-D in the first step and 2-D after: the products' cotangents follow."""

    def f(W, xs):
        h = np.ones(3) * 0.2
        for t in range(xs.shape[0]):
            h = np.tanh(h @ W + xs[t])
        return np.sum(h**2)

    rng = np.random.default_rng(5)
    _check(f, [rng.standard_normal((3, 3)) * 0.6, rng.standard_normal((3, 2, 3))], (0, 1))


def test_nested_loops_tape():
    def f(W, xs):
        h = np.zeros((2, 3))
        for _s in range(2):
            for t in range(xs.shape[0]):
                h = np.tanh(h @ W + xs[t])
            h = h * 0.5
        return np.sum(h**2)

    rng = np.random.default_rng(6)
    args = [rng.standard_normal((3, 3)) * 0.6, rng.standard_normal((3, 2, 3))]
    _check(f, args, (0, 1))
