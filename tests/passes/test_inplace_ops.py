"""Arithmetic into dead buffers (srcad/passes/inplace_ops.py): where it must not happen, and where
it does, each function's gradient checked numerically, its arguments left unchanged.

The rewrite writes ``a * b`` into `b` (``np.multiply(a, b, out=b)``) only when nothing can tell:
`b` a new float64 array of the result's shape, read before only by operations whose results
cannot hold it, never afterwards. Each case below breaks one of those conditions (a view, an
argument, a global, a broadcast that grows the result, an int or float32 or complex operand, a
later read, a container, a loop), so its generated code must keep ``b * a``; the positive
cases pin where it happens.
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

G32 = np.linspace(0.5, 1.5, 4).astype(np.float32)
GLD = np.linspace(0.5, 1.5, 4).astype(np.longdouble)
C = 0.5 + 0.25j
GX = np.linspace(-1.0, 1.0, 4)

# -- must not be rewritten --------------------------------------------------------------------


def view_read_later(x):
    t = np.exp(x)
    v = t[1:]  # a view of `t`: writing into `t` would change it
    r = t * 2.0
    return np.sum(r * r) + np.sum(v * v)


def argument_buffer(x):
    r = x * 2.0  # `x` is the caller's array
    return np.sum(np.sin(r) * r)


def global_buffer(x):
    r = GX * x  # a global: never a buffer
    return np.sum(np.sin(r) * r)


def broadcast_grows(x, A):
    t = np.exp(x)  # (4,)
    s = np.sum(t)
    r = t * A  # (3, 4): larger than `t`
    return np.sum(np.sin(r) * r) + s


def float32_operand(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * G32  # float64 either way, but G32's dtype is not known to be float64
    return np.sum(np.sin(r) * r) + s


def longdouble_operand(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * GLD  # longdouble: the result would lose precision in a float64 buffer
    return float(np.sum(np.sin(r) * r) + s)


def complex_operand(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * C  # complex: NumPy refuses to write it into a float64 buffer
    return np.sum(np.abs(np.sin(r) * r)) + s


def bool_buffer(x):
    t = x > 0.0
    n = np.sum(t)
    r = t * x  # `t` is a bool array
    return np.sum(np.sin(r) * r) + n


def read_after(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * x
    return np.sum(np.sin(r) * r) + np.sum(t) * s  # `t` read after `r`


def stored_in_list(x):
    t = np.exp(x)
    keep = [t]
    r = t * x
    return np.sum(np.sin(r) * r) + np.sum(keep[0])


def made_before_loop(x, n):
    t = np.exp(x)
    s = np.sum(t)
    acc = 0.0
    for _ in range(n):
        r = t * x  # `t` read again by the next iteration
        acc = acc + np.sum(np.sin(r) * r)
    return acc + s


def returned_buffer(x):
    t = np.exp(x)
    s = np.sum(t)
    r = t * x
    return np.sum(np.sin(r) * r) + s, t


def asarray_reader(x):
    t = np.exp(x)
    u = np.asarray(t)  # `u` is `t`
    r = t * x
    return np.sum(np.sin(r) * r) + np.sum(u)


def reshaped_reader(x):
    t = np.exp(x)
    u = t.reshape(2, 2)  # a view of `t`
    r = t * x
    return np.sum(np.sin(r) * r) + np.sum(u * u)


A34 = np.linspace(0.1, 1.2, 12).reshape(3, 4)
X4 = np.array([0.3, -0.4, 0.8, 0.1])

NOT_REWRITTEN = [
    (view_read_later, (X4,)),
    (argument_buffer, (X4,)),
    (global_buffer, (X4,)),
    (broadcast_grows, (X4, A34)),
    (float32_operand, (X4,)),
    (longdouble_operand, (X4,)),
    (complex_operand, (X4,)),
    (bool_buffer, (X4,)),
    (read_after, (X4,)),
    (stored_in_list, (X4,)),
    (made_before_loop, (X4, 3)),
    (asarray_reader, (X4,)),
    (reshaped_reader, (X4,)),
]

# -- rewritten: the buffer (a name's) written by the operation --------------------------------


def softmax_weights(x):
    e = np.exp(x - np.max(x))
    s = np.sum(e)
    p = e / s
    return np.sum(np.sin(p) * p)


def scaled_exp(x, A):
    t = np.exp(A)  # (3, 4)
    s = np.sum(t)
    r = t * x  # x (4,) broadcasts into t's shape
    return np.sum(np.sin(r) * r) + s


def centered(x, A):
    t = A * 2.0  # (3, 4): its derivatives read its shape only
    s = np.sum(t, axis=0)
    u = t - s  # (4,) broadcasts into t's shape
    return np.sum(np.sin(u) * x)


REWRITTEN = [  # (the reverse sweeps' sums: ``br_1 = br + <expression>``)
    (softmax_weights, (X4,), "bp += _t1"),  # (``np.add(bp, _t1, out=bp)``)
    (scaled_exp, (X4, A34), "br += _t1"),
    (centered, (X4, A34), "u = np.subtract(t, s, out=t)"),
]


def _wrt(args: tuple) -> tuple[int, ...]:
    return tuple(k for k, a in enumerate(args) if isinstance(a, np.ndarray))


def _into(name: str, src: str) -> bool:
    """`src` writes into the array named `name`: ``np.multiply(g, t, out=t)``, or as the
    emitter writes it when the result takes the buffer's name, ``t *= g``."""
    return f"out={name})" in src or re.search(rf"(?m)^ *{name} [-+*/]= ", src) is not None


def _grad_source(f, args: tuple) -> str:
    return srcad.source(f, mode="grad", wrt=_wrt(args), args=args)


def _check(f, args: tuple) -> None:
    """Gradient against central differences and the JVP; the arguments unchanged."""
    before = copy.deepcopy(args)
    check_grads(f, args, modes=("fwd", "rev"), wrt=_wrt(args))
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(("f", "args"), NOT_REWRITTEN, ids=[f.__name__ for f, _ in NOT_REWRITTEN])
def test_not_rewritten(f, args) -> None:
    src = _grad_source(f, args)
    for name in ("t", "x", "GX", "A"):  # (the reverse sweeps have buffers of their own)
        assert not _into(name, src), src
    _check(f, args)


def test_returned_buffer() -> None:
    src = srcad.source(returned_buffer, mode="vjp", args=(X4,))
    assert not _into("t", src), src
    out, pull = srcad.vjp(returned_buffer, X4)
    np.testing.assert_allclose(out[1], np.exp(X4))
    check_grads(lambda x: returned_buffer(x)[0], (X4,), modes=("fwd", "rev"))


@pytest.mark.parametrize(("f", "args", "line"), REWRITTEN, ids=[f.__name__ for f, *_ in REWRITTEN])
def test_rewritten(f, args, line) -> None:
    src = _grad_source(f, args)
    assert line in src, src
    _check(f, args)
    g1 = srcad.grad(f, _wrt(args))(*args)  # twice: no buffer is shared between calls
    g2 = srcad.grad(f, _wrt(args))(*args)
    for a, b in zip(g1, g2):
        np.testing.assert_array_equal(a, b)


def test_vjp_pullback_twice() -> None:
    """The pullback's residuals are never buffers: calling it twice gives the same."""
    out, pull = srcad.vjp(scaled_exp, X4, A34)
    g = np.ones(())
    a = pull(g)
    b = pull(g)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)


def fanout(x):
    y = np.sin(x)
    return y * y + y * x + np.cos(y)


def test_operand_read_twice() -> None:
    """``y * y`` reads `y` twice: `y` is still live after ``y * x`` (an early version counted the
    op once per operand as a reader, twice, and wrote ``y * x`` into `y`: wrong Jacobians)."""
    src = srcad.source(fanout, mode="vjp", args=(X4,))
    assert not _into("y", src), src
    np.testing.assert_allclose(
        srcad.jacrev(fanout)(X4), srcad.jacfwd(fanout)(X4), rtol=1e-12, atol=1e-12
    )
