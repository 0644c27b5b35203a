"""`srcad.checkpoint_loop`: segment checkpointing of `for` loops in reverse mode.

Each checkpointed function has an unchecked twin (the same loop without the marker); their
gradients must agree to rounding, and both must match central differences (`check_grads`).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import srcad
from srcad import checkpoint_loop
from srcad.testing import check_grads

EVERY = 3


def _step(h, w):
    return np.tanh(h * w) + 0.1 * h


def rnn_ck(x, w, T):
    h = x
    for _t in srcad.checkpoint_loop(range(T), every=EVERY):
        a = np.tanh(h * w)
        h = h + 0.1 * a * a
    return np.sum(h * h)


def rnn_plain(x, w, T):
    h = x
    for _t in range(T):
        a = np.tanh(h * w)
        h = h + 0.1 * a * a
    return np.sum(h * h)


def rnn_auto(x, w, T):
    h = x
    for _t in srcad.checkpoint_loop(range(T)):
        a = np.tanh(h * w)
        h = h + 0.1 * a * a
    return np.sum(h * h)


def branches_ck(x, w, T):
    h = x
    s = 0.0
    for t in srcad.checkpoint_loop(range(T), every=4):
        if t % 3 == 0:
            h = _step(h, w)
        else:
            h = np.sin(h) * w
        if np.sum(h) > 0:
            s = s + np.sum(h**2)
        else:
            s = s - np.sum(h)
    return s


def branches_plain(x, w, T):
    h = x
    s = 0.0
    for t in range(T):
        if t % 3 == 0:
            h = _step(h, w)
        else:
            h = np.sin(h) * w
        if np.sum(h) > 0:
            s = s + np.sum(h**2)
        else:
            s = s - np.sum(h)
    return s


def setitem_ck(x, T):
    out = np.zeros(T)
    h = x
    for t in checkpoint_loop(range(T), every=3):
        h = np.cos(h) * 0.5 + x
        out[t] = np.sum(h * x)
    return np.sum(out**2)


def setitem_plain(x, T):
    out = np.zeros(T)
    h = x
    for t in range(T):
        h = np.cos(h) * 0.5 + x
        out[t] = np.sum(h * x)
    return np.sum(out**2)


def break_ck(x, T):
    h = x
    s = 0.0
    for _t in srcad.checkpoint_loop(range(T)):
        h = np.sin(h) * 1.3 + 0.2
        if np.sum(h) > 1.2:
            break
        s = s + np.sum(h * h)
    return s + np.sum(h)


def break_plain(x, T):
    h = x
    s = 0.0
    for _t in range(T):
        h = np.sin(h) * 1.3 + 0.2
        if np.sum(h) > 1.2:
            break
        s = s + np.sum(h * h)
    return s + np.sum(h)


def return_ck(x, T):
    h = x
    for t in srcad.checkpoint_loop(range(2, T, 3), every=2):
        h = np.sin(h) * 1.3 + 0.02 * t
        if np.sum(h) > 1.0:
            return np.sum(h * h)
    return np.sum(h)


def return_plain(x, T):
    h = x
    for t in range(2, T, 3):
        h = np.sin(h) * 1.3 + 0.02 * t
        if np.sum(h) > 1.0:
            return np.sum(h * h)
    return np.sum(h)


def down_ck(x, T):  # a negative step; the index is read by the body
    s = x
    for t in srcad.checkpoint_loop(range(T, 0, -2), every=2):
        s = np.sin(s) * (1.0 + 0.1 * t)
    return np.sum(s)


def down_plain(x, T):
    s = x
    for t in range(T, 0, -2):
        s = np.sin(s) * (1.0 + 0.1 * t)
    return np.sum(s)


def scalar_ck(x, T):  # Python floats carried
    y = 0.0
    for t in srcad.checkpoint_loop(range(T), every=5):
        x = 0.9 * x + 0.1 * np.sin(x + t)
        y = y + x * x
    return y


def scalar_plain(x, T):
    y = 0.0
    for t in range(T):
        x = 0.9 * x + 0.1 * np.sin(x + t)
        y = y + x * x
    return y


def enumerate_ck(xs, w):
    s = 0.0
    for i, x in srcad.checkpoint_loop(enumerate(xs), every=2):
        s = s + np.sin(x * w) * (i + 1)
    return s


def enumerate_plain(xs, w):
    s = 0.0
    for i, x in enumerate(xs):
        s = s + np.sin(x * w) * (i + 1)
    return s


def nested_ck(x, T):  # a plain loop in a checkpointed one, a checkpointed one in a plain one
    h = x
    for _t in srcad.checkpoint_loop(range(T), every=2):
        for j in range(3):
            h = np.sin(h) + 0.1 * j
    for _u in range(2):
        for _t in srcad.checkpoint_loop(range(T)):
            h = np.cos(h) * 0.9
    return np.sum(h)


def nested_plain(x, T):
    h = x
    for _t in range(T):
        for j in range(3):
            h = np.sin(h) + 0.1 * j
    for _u in range(2):
        for _t in range(T):
            h = np.cos(h) * 0.9
    return np.sum(h)


def twice_ck(x, T):  # a checkpointed loop in a checkpointed loop
    h = x
    for t in srcad.checkpoint_loop(range(T), every=2):
        for j in srcad.checkpoint_loop(range(3)):
            h = np.sin(h) * (1.0 + 0.1 * j) + 0.01 * t
    return np.sum(h * h)


def twice_plain(x, T):
    h = x
    for t in range(T):
        for j in range(3):
            h = np.sin(h) * (1.0 + 0.1 * j) + 0.01 * t
    return np.sum(h * h)


def helper_ck(x, w, T):  # checkpointed loop in a user function called from differentiated code
    return rnn_ck(x * 2.0, w, T) + np.sum(x)


def helper_plain(x, w, T):
    return rnn_plain(x * 2.0, w, T) + np.sum(x)


def misc_ck(x, T):  # `continue`, a list carry with appends, a `while`, the target after the loop
    hs = []
    h = x
    t = 0
    for t in srcad.checkpoint_loop(range(T), every=2):
        h = np.sin(h) + 0.3
        if t == 2:
            continue
        k = 0
        while k < t % 3:
            h = h * 0.9
            k += 1
        hs.append(np.sum(h * h))
    return np.sum(np.array(hs) ** 2) * t + np.sum(h)


def misc_plain(x, T):
    hs = []
    h = x
    t = 0
    for t in range(T):
        h = np.sin(h) + 0.3
        if t == 2:
            continue
        k = 0
        while k < t % 3:
            h = h * 0.9
            k += 1
        hs.append(np.sum(h * h))
    return np.sum(np.array(hs) ** 2) * t + np.sum(h)


X = np.array([0.3, -0.7, 1.1, 0.2])
W = np.array([0.9, -1.2, 0.4, 1.5])

CASES = [
    (rnn_ck, rnn_plain, (X, W, 10), (0, 1)),
    (rnn_ck, rnn_plain, (X, W, 9), (0, 1)),  # segments of 3, the last one full
    (rnn_ck, rnn_plain, (X, W, 2), (0, 1)),  # fewer steps than `every`
    (rnn_ck, rnn_plain, (X, W, 0), (0, 1)),  # no step at all
    (rnn_auto, rnn_plain, (X, W, 17), (0, 1)),
    (branches_ck, branches_plain, (X, W, 11), (0, 1)),
    (setitem_ck, setitem_plain, (X, 7), (0,)),
    (break_ck, break_plain, (0.1 * X, 30), (0,)),  # breaks at step 3 (a segment of 5)
    (break_ck, break_plain, (0.1 * X - 3.0, 30), (0,)),  # never breaks
    (return_ck, return_plain, (X - 0.5, 30), (0,)),
    (return_ck, return_plain, (X - 5.0, 30), (0,)),
    (down_ck, down_plain, (X, 9), (0,)),
    (scalar_ck, scalar_plain, (0.3, 13), (0,)),
    (enumerate_ck, enumerate_plain, ([0.1, 0.2, 0.3, 0.5, 0.7], 1.5), (1,)),
    (nested_ck, nested_plain, (X, 5), (0,)),
    (helper_ck, helper_plain, (X, W, 7), (0, 1)),
    (misc_ck, misc_plain, (X, 7), (0,)),
    (twice_ck, twice_plain, (X, 5), (0,)),
]


@pytest.mark.parametrize("ck,plain,args,wrt", CASES, ids=lambda v: getattr(v, "__name__", None))
def test_gradient_equals_the_unchecked_loop(ck, plain, args, wrt):
    np.testing.assert_allclose(srcad.primal(ck)(*args), plain(*args), rtol=1e-15)
    got = srcad.grad(ck, wrt=wrt)(*args)
    want = srcad.grad(plain, wrt=wrt)(*args)
    for g, e in zip(got, want):
        np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-15)
    check_grads(ck, args, wrt=wrt, modes=("fwd", "rev"))


def test_exact_values():
    # scalar_ck at x = 0.3, T = 13 by hand-written backprop over a stored trajectory
    x, T = 0.3, 13
    xs = [x]
    for t in range(T):
        xs.append(0.9 * xs[-1] + 0.1 * np.sin(xs[-1] + t))
    bx = 0.0
    for t in reversed(range(T)):
        bx = (bx + 2.0 * xs[t + 1]) * (0.9 + 0.1 * np.cos(xs[t] + t))
    got = srcad.grad(scalar_ck)(x, T)
    assert abs(got - bx) <= 1e-14 * abs(bx)
    # break_ck breaks at t = 3: three full steps summed, then h after the 4th
    h0 = 0.1 * X
    h1 = np.sin(h0) * 1.3 + 0.2
    assert np.sum(h1) <= 1.2
    np.testing.assert_allclose(srcad.grad(break_ck)(h0, 30), srcad.grad(break_plain)(h0, 30))


def test_vjp_pullback_runs_twice():
    out, pull = srcad.vjp(rnn_ck, X, W, 8, wrt=(0, 1))
    a = pull(1.0)
    b = pull(2.0)
    want = srcad.grad(rnn_plain, wrt=(0, 1))(X, W, 8)
    for u, v, e in zip(a, b, want):
        np.testing.assert_allclose(u, e, rtol=1e-12)
        np.testing.assert_allclose(v, 2.0 * e, rtol=1e-12)


def test_forward_mode_and_plain_calls_ignore_the_marker():
    assert list(checkpoint_loop(range(4), every=2)) == [0, 1, 2, 3]
    assert rnn_ck(X, W, 6) == rnn_plain(X, W, 6)
    dx = np.array([1.0, 0.5, -0.25, 2.0])
    out, dout = srcad.jvp(rnn_ck, (X, W, 6), (dx, np.zeros(4), None))
    out2, dout2 = srcad.jvp(rnn_plain, (X, W, 6), (dx, np.zeros(4), None))
    assert out == out2
    np.testing.assert_allclose(dout, dout2, rtol=1e-14)


@pytest.mark.parametrize("ck,plain,args", [
    (rnn_ck, rnn_plain, (X, W, 7)),
    (branches_ck, branches_plain, (X, W, 6)),
    (break_ck, break_plain, (0.1 * X, 30)),
    (setitem_ck, setitem_plain, (X, 5)),
    (twice_ck, twice_plain, (X, 4)),
])  # fmt: skip
def test_hessian(ck, plain, args):
    H = srcad.hessian(ck, wrt=0)(*args)
    np.testing.assert_allclose(H, srcad.hessian(plain, wrt=0)(*args), rtol=1e-11, atol=1e-13)
    g = srcad.grad(ck, wrt=0)
    eps, n = 1e-5, len(args[0])
    fd = np.array(
        [
            (g(args[0] + eps * e, *args[1:]) - g(args[0] - eps * e, *args[1:])) / (2 * eps)
            for e in np.eye(n)
        ]
    )
    np.testing.assert_allclose(H, fd.T, rtol=1e-6, atol=1e-7)


def test_generated_code_recomputes_segments():
    text = srcad.source(rnn_ck, mode="grad")
    assert text == srcad.source(rnn_ck, mode="grad")  # deterministic
    head, rev = text.split("# reverse sweep")
    assert "for seg in range(segments)" in head and "tape.append" in head
    assert "np.tanh" in rev  # the forward pass of a segment runs again in the reverse sweep
    plain = srcad.source(rnn_plain, mode="grad").split("# reverse sweep")[1]
    assert "np.tanh" not in plain


def test_memory_at_2000_steps():
    # 2,000 steps with 1e3-element temporaries: peak memory at least 5x lower, same gradient
    n, T = 1000, 2000
    x = np.linspace(-1.0, 1.0, n)
    w = np.cos(np.arange(n, dtype=float))
    peaks, grads = [], []
    for f in (rnn_plain, rnn_auto):
        g = srcad.grad(f, wrt=(0, 1))
        g(x, w, 3)  # transform outside the measurement
        tracemalloc.start()
        grads.append(g(x, w, T))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    for a, b in zip(*grads):
        np.testing.assert_allclose(b, a, rtol=1e-12)
    assert peaks[1] * 5 < peaks[0], peaks


def runtime_every(x, k):
    for _t in srcad.checkpoint_loop(range(4), every=k):
        x = np.sin(x)
    return np.sum(x)


def bad_every(x):
    for _t in srcad.checkpoint_loop(range(4), every=0):
        x = np.sin(x)
    return np.sum(x)


def marker_as_value(x):
    it = srcad.checkpoint_loop(range(4))
    for _t in it:
        x = np.sin(x)
    return np.sum(x)


RNG = np.random.default_rng(0)


def _noisy(h):
    return h + np.random.normal(size=h.shape)


def random_in_body(x):
    for _t in srcad.checkpoint_loop(range(4), every=2):
        x = np.sin(x) * np.random.normal(size=x.shape)
    return np.sum(x)


def random_in_helper(x):
    for _t in srcad.checkpoint_loop(range(4), every=2):
        x = np.sin(_noisy(x))
    return np.sum(x)


def random_generator(x):
    for _t in srcad.checkpoint_loop(range(4), every=2):
        x = np.sin(x) * RNG.normal(size=x.shape)
    return np.sum(x)


@pytest.mark.parametrize("f,msg", [
    # the body runs again in the reverse sweep: other random numbers, another derivative
    (random_in_body, "`numpy.random.normal` may give another value when it runs again"),
    (random_in_helper, "`numpy.random.normal` may give another value when it runs again"),
    (random_generator, "cannot tell which function this call"),
    (runtime_every, "must be known when srcad transforms"),
    (bad_every, "must be at least 1"),
    (marker_as_value, "srcad.checkpoint_loop"),
])  # fmt: skip
def test_refusals_are_located(f, msg):
    with pytest.raises(srcad.SrcadError, match=msg) as e:
        srcad.grad(f, wrt=0)(X, 2) if f is runtime_every else srcad.grad(f)(X)
    assert "test_checkpoint_loop.py:" in str(e.value) and "^" in str(e.value)
    assert f is not random_in_helper or "return h + np.random.normal" in str(e.value)


def test_plain_call_checks_every():
    with pytest.raises(srcad.SrcadError, match="positive int or None"):
        checkpoint_loop(range(3), every=2.5)


GW = np.array([0.5, 1.5, -0.3])


def _cell(h):
    return np.sin(h * GW)


def global_ck(x):
    for _t in srcad.checkpoint_loop(range(4), every=2):
        x = np.sin(x * GW)
    return np.sum(x)


def global_plain(x):
    for _t in range(4):
        x = np.sin(x * GW)
    return np.sum(x)


def global_in_callee_ck(x):
    for _t in srcad.checkpoint_loop(range(4), every=2):
        x = _cell(x)
    return np.sum(x)


def _pull_after_rebinding(f):
    global GW
    x = np.array([0.3, 0.2, 0.9])
    saved = GW
    try:
        out, pull = srcad.vjp(f, x)
        GW = GW * 3.0  # rebound between the forward sweep and the pullback
        return pull(1.0)[0]
    finally:
        GW = saved


def test_pullback_after_a_global_is_rebound():
    # the recomputation reads the global read before the loop (a residual), as the plain reverse
    # sweep does, not the derivative at 3 GW
    want = _pull_after_rebinding(global_plain)
    np.testing.assert_allclose(want, [0.0615721243040691, 2.173332774151026, 0.0077791259565433])
    np.testing.assert_allclose(_pull_after_rebinding(global_ck), want, rtol=1e-14)


def test_pullback_after_a_global_a_callee_reads_is_rebound():
    # a called function reads the global when the segment is recomputed: it recomputed with the
    # new value ([3.55, -39.8, 0.358] instead of want), now a located refusal at pullback time
    global GW
    x = np.array([0.3, 0.2, 0.9])
    want = [0.0615721243040691, 2.173332774151026, 0.0077791259565433]
    np.testing.assert_allclose(srcad.grad(global_in_callee_ck)(x), want, rtol=1e-14)
    _, pull = srcad.vjp(global_in_callee_ck, x)
    np.testing.assert_allclose(pull(1.0)[0], want, rtol=1e-14)  # nothing rebound
    saved = GW
    try:
        GW = GW * 3.0  # rebound between the forward sweep and the pullback
        with pytest.raises(srcad.SrcadError, match="`GW`.*rebound") as e:
            pull(1.0)
        assert "test_checkpoint_loop.py:" in str(e.value) and "checkpoint_loop" in str(e.value)
        GW = saved  # the forward sweep's value again
        np.testing.assert_allclose(pull(1.0)[0], want, rtol=1e-14)
    finally:
        GW = saved
