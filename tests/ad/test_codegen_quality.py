"""Generated code as a person writes it (issue 11, item 1): the shared cotangent factored out of a
sum of products (srcad/passes/factor.py, ``g*a + (g*b)*c`` -> ``g * (a + b*c)``) and the tape read
with ``for x in reversed(tape):`` (srcad/backend/emit.py). Exact numbers against plain Python and
hand-written derivatives, central differences, and the generated source.
"""

from __future__ import annotations

import math

import numpy as np

import srcad
from srcad.testing import check_grads


def scalar_loop(x):
    for _ in range(50):
        x = math.sin(x) * 1.0001 + 0.1 * x
    return x


def scalar_loop_hand(x):
    xs = []
    for _ in range(50):
        xs.append(x)
        x = math.sin(x) * 1.0001 + 0.1 * x
    b = 1.0
    for v in reversed(xs):
        b = b * (0.1 + 1.0001 * math.cos(v))
    return b


def fill(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i]
    return np.sum(out)


def int_factors(x, k):  # the factors are ints: never multiplied among themselves
    return x * k + (x * k) * k


def twice(x):
    return 0.5 * x * x


def test_scalar_loop_factored_and_reversed():
    src = srcad.source(scalar_loop, args=(0.5,))
    assert "for x_2 in reversed(tape):" in src
    assert "bx = bx * (0.1 + 1.0001 * math.cos(x_2))" in src
    assert "len(tape)" not in src and "range(last" not in src
    value, g = srcad.value_and_grad(scalar_loop)(0.5)
    assert value == scalar_loop(0.5)  # the forward sweep is the user's arithmetic, unchanged
    assert g == scalar_loop_hand(0.5)  # the same operations as the hand-written derivative
    assert g == 9.898968447162875e-05
    h = 1e-6
    fd = (scalar_loop(0.5 + h) - scalar_loop(0.5 - h)) / (2 * h)
    assert math.isclose(g, fd, rel_tol=1e-6)
    check_grads(scalar_loop, (0.5,), modes=("fwd", "rev"), order=2)


def test_fill_factored():
    x = np.linspace(-1.0, 1.0, 7)
    src = srcad.source(fill, args=(x,))
    # factored g * (a + b); g is the sum's ones, so the sum is stored (passes/slots._ones)
    assert "_t8 = _t6 + _t7 * math.cos(_t7)" in src and "bx[k] = _t8" in src
    g = srcad.grad(fill)(x)
    want = np.cos(x) * x + np.sin(x)
    np.testing.assert_allclose(g, want, rtol=1e-15, atol=1e-16)
    check_grads(fill, (x,), modes=("fwd", "rev"))


def test_int_factors_not_multiplied_together():
    src = srcad.source(int_factors, args=(2.0, 3))
    assert "k * k" not in src
    big = np.int64(2**62)  # (k * k) would overflow int64; g * k * k does not
    g = srcad.grad(int_factors)(1.5, big)
    assert g == float(big) + float(big) * float(big)


def test_constant_cotangent_not_factored():  # the seed 1.0 is no Var: nothing shared to factor
    src = srcad.source(twice, args=(3.0,))
    assert srcad.grad(twice)(3.0) == 3.0
    # two parts summed: ``1.0 * _t1`` of the Python float ``_t1 = 0.5 * x`` is `_t1` itself
    assert "bx_1 = _t1 + bx" in src and "1.0 * _t1" not in src, src
    check_grads(twice, (3.0,), modes=("fwd", "rev"), order=2)


def test_reversed_tape_pullback_runs_twice():
    x = np.linspace(0.1, 0.9, 5)
    y, pull = srcad.vjp(fill, x)
    (a,) = pull(1.0)
    (b,) = pull(2.0)
    np.testing.assert_array_equal(2.0 * a, b)
    np.testing.assert_allclose(a, np.cos(x) * x + np.sin(x), rtol=1e-15)


def test_param_named_reversed_keeps_range_loop():
    def f(x, reversed):  # noqa: A002 - the name the emitter would otherwise call
        for _ in range(3):
            x = math.sin(x) * reversed
        return x

    src = srcad.source(f, args=(0.5, 2.0))
    assert "in reversed(" not in src
    g = srcad.grad(f)(0.5, 2.0)
    h = 1e-6
    fd = (f(0.5 + h, 2.0) - f(0.5 - h, 2.0)) / (2 * h)
    assert math.isclose(g, fd, rel_tol=1e-7)


# -- the logistic sigmoid: its derivative from its output (srcad/ad/sigmoid.py) -----------------


def gates(u, w):
    s = 1.0 / (1.0 + np.exp(-u))
    return np.sum(s * w)


def gates_shared(u):  # exp(-u) read twice: the chain rule through the intermediates
    e = np.exp(-u)
    return np.sum(1.0 / (1.0 + e) + e)


def test_sigmoid_from_its_output():
    u = np.array([-800.0, -3.0, 0.0, 0.5, 40.0])
    w = np.array([1.0, 2.0, -1.0, 0.5, 3.0])
    src = srcad.source(gates, args=(u, w))
    assert "1.0 - s" in src and "np.exp" in src.split("# reverse sweep")[0]
    assert "np.exp" not in src.split("# reverse sweep")[1]
    with np.errstate(over="ignore"):
        g = srcad.grad(gates)(u, w)
        s = 1.0 / (1.0 + np.exp(-u))
    # exp(800) overflows: the exact derivative there is 0, which the output's formula gives
    # (the chain through the intermediates gave 0 / inf * inf = nan)
    np.testing.assert_array_equal(g, w * (s * (1.0 - s)))
    assert g[0] == 0.0 and np.all(np.isfinite(g))
    v = np.array([-3.0, 0.0, 0.5, 2.0])
    check_grads(gates, (v, w[:4]), modes=("fwd", "rev"), order=2)


def test_sigmoid_with_shared_intermediate_uses_the_chain_rule():
    v = np.array([-1.0, 0.25, 2.0])
    src = srcad.source(gates_shared, args=(v,))
    assert "np.exp" in src.split("# reverse sweep")[0]
    e = np.exp(-v)
    want = e / (1.0 + e) ** 2 - e
    np.testing.assert_allclose(srcad.grad(gates_shared)(v), want, rtol=1e-14)
    check_grads(gates_shared, (v,), modes=("fwd", "rev"), order=2)


# -- chained slices of one array: one cotangent (ad/slice_chains.py); tapes of stand-ins --------


def lstm_like(W, xs):
    H = W.shape[1] // 2
    h = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        z = xs[t] @ W + 0.1
        i = 1.0 / (1.0 + np.exp(-z[:, :H]))
        g = np.tanh(z[:, H:])
        h = i * g + 0.5 * h
    return np.sum(h * h)


def lstm_like_hand(W, xs):
    H = W.shape[1] // 2
    h = np.zeros((xs.shape[1], H))
    saved = []
    for t in range(xs.shape[0]):
        z = xs[t] @ W + 0.1
        i = 1.0 / (1.0 + np.exp(-z[:, :H]))
        g = np.tanh(z[:, H:])
        saved.append((i, g))
        h = i * g + 0.5 * h
    bh = 2.0 * h
    bW = np.zeros_like(W)
    for t in range(xs.shape[0] - 1, -1, -1):
        i, g = saved[t]
        bz = np.concatenate([bh * g * i * (1.0 - i), bh * i * (1.0 - g * g)], axis=1)
        bW += xs[t].T @ bz
        bh = 0.5 * bh
    return bW


def test_slice_cotangents_side_by_side_and_tape_holds_stand_ins():
    rng = np.random.default_rng(3)
    W, xs = rng.standard_normal((3, 8)) / 2, rng.standard_normal((4, 5, 3))
    src = srcad.source(lstm_like, args=(W, xs))
    assert "bz = _srcad.slices_vjp((" in src  # the gates' cotangents side by side, as by hand
    assert "_srcad.getitem_vjp(" not in src and "_srcad.add_at(" not in src
    assert "_srcad.shape_like(z)" in src  # z is read back only for its shape
    got = srcad.grad(lstm_like)(W, xs)
    np.testing.assert_allclose(got, lstm_like_hand(W, xs), rtol=1e-12, atol=1e-14)
    check_grads(lstm_like, (W, xs), modes=("fwd", "rev"), wrt=0)
    check_grads(lstm_like, (W, xs), modes=("rev",), wrt=0, order=2)


def big_steps(W, x):
    for _ in range(40):
        x = np.tanh(x @ W + 0.5)
    return np.sum(x)


def test_tape_keeps_no_temporaries_alive():
    import tracemalloc

    n = 200  # one n x n array is 320 kB; the tape needs the 40 outputs (tanh' reads them)
    rng = np.random.default_rng(0)
    W, x = rng.standard_normal((n, n)) / n, rng.standard_normal((n, n))
    gf = srcad.grad(big_steps)
    gf(W, x)
    tracemalloc.start()
    try:
        g = gf(W, x)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # 49 arrays' worth; it was 88: the tape also kept x @ W and x @ W + 0.5 (read for their shapes)
    assert peak < 60 * n * n * 8
    h = 1e-6
    d = rng.standard_normal((n, n))
    fd = (big_steps(W + h * d, x) - big_steps(W - h * d, x)) / (2 * h)
    assert math.isclose(np.sum(g * d), fd, rel_tol=1e-6)


def list_pair(p):
    return p[0] * p[1] + p[0] * 3.0


def test_list_cotangent_added_in_place_is_fresh():
    p = [1.5, -2.0]
    assert srcad.grad(list_pair)(p) == [p[1] + 3.0, p[0]]
    assert p == [1.5, -2.0]


def walk_dict(x):  # walks a dict back to front by index: reversed(d) would give its keys
    d = {0: x, 1: 2.0 * x}
    s = 0.0
    for k in range(len(d) - 1, -1, -1):
        v = d[k]
        s = s * 0.5 + v
    return s


def test_only_tapes_are_walked_with_reversed():
    assert "reversed(" not in srcad.source(walk_dict, mode="primal", args=(1.5,))
    assert "reversed(" not in srcad.source(walk_dict, args=(1.5,))
    assert srcad.primal(walk_dict)(1.5) == walk_dict(1.5) == 3.0
    assert srcad.grad(walk_dict)(1.5) == 2.0
