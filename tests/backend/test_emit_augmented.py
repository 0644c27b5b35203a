"""Arithmetic written into a dead buffer (passes/inplace_ops.py) reads as a person writes it:
``bx += g`` for ``bx_1 = np.add(bx, g, out=bx)``, ``t *= g`` for ``np.multiply(g, t, out=t)``
(a product of floats commutes), the call kept where the order matters (``np.subtract(g, t,
out=t)``) or where the result has a name of its own (``bz = np.multiply(g, z, out=z)``),
unless it is only summed into a value of its name (``_t2 *= g; bx += _t2``)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.backend.compile import compile_emitted
from srcad.backend.emit import emit_function
from srcad.testing import check_grads
from tests.backend.test_emit import make


def _into(prim, t_first, hint_t="", hint_r=""):
    """``t = exp(x); r = prim(t, g, out=t)`` (or ``prim(g, t, out=t)``); returns r."""

    def build(b, x, g):
        t = b.op("numpy.exp", [x], hint=hint_t)
        args = [t, g] if t_first else [g, t]
        return b.op(prim, args, {"out": t}, params={"inplace": True}, hint=hint_r)

    return make("f", ["x", "g"], build)


WANT = {  # (prim, buffer first, hints) -> the statement written
    ("numpy.add", True, ""): "_t1 += g",
    ("numpy.add", False, ""): "_t1 += g",
    ("numpy.multiply", False, ""): "_t1 *= g",
    ("numpy.subtract", True, ""): "_t1 -= g",
    ("numpy.divide", True, ""): "_t1 /= g",
    ("numpy.subtract", False, ""): "_t1 = np.subtract(g, _t1, out=_t1)",
    ("numpy.divide", False, ""): "_t1 = np.divide(g, _t1, out=_t1)",
    ("numpy.multiply", True, "bz"): "bz = np.multiply(_t1, g, out=_t1)",
    ("numpy.add", True, "bx"): "bx += g",
}
_NP = {"numpy.add": np.add, "numpy.multiply": np.multiply, "numpy.subtract": np.subtract,
       "numpy.divide": np.divide}  # fmt: skip


@pytest.mark.parametrize("key", list(WANT), ids=lambda k: f"{k[0]}-{k[1]}-{k[2] or 'temp'}")
def test_statement_and_value(key):
    prim, first, hint = key
    hint_t = hint if hint == "bx" else ""
    fn = _into(prim, first, hint_t, hint)
    em = emit_function(fn)
    assert WANT[key] in em.source.splitlines()[2], em.source
    f = compile_emitted(em, {}, "aug")["f"]
    x, g = np.linspace(0.1, 0.9, 5), np.linspace(1.5, 2.5, 5)
    want = _NP[prim](*((np.exp(x), g) if first else (g, np.exp(x))))
    np.testing.assert_array_equal(f(x, g), want)


def numpy_alias(x):
    return np.sum(np.tanh(x) * np.exp(-(x**2)))


def two_products(x, y):
    a = np.exp(x) * np.sin(y)
    b = np.cos(x) / np.exp(y)
    return np.sum(a * b) + np.sum((a - b) ** 2)


def sin_of_exp(x):
    u = np.exp(x)
    return np.sum(np.sin(u) * u)


@pytest.mark.parametrize(
    "f, nargs, want",
    [
        # (a product made in a dead buffer, then summed into the adjoint: ``_t2 *= g; bx += _t2``)
        (numpy_alias, 1, ["bx += _t2", "_t2 *= 1.0 - "]),
        # (x's cotangent through exp(x) from `a` itself: passes/factor_products.py)
        (two_products, 2, ["ba += ", "bb += ", "bx += ", "np.multiply(ba, a, out=ba)"]),
        (sin_of_exp, 1, ["bu += "]),
    ],  # fmt: skip
)
def test_gradients_sum_into_named_adjoints(f, nargs, want):
    args = tuple(np.linspace(0.1 + 0.2 * k, 0.9, 5) for k in range(nargs))
    src = srcad.source(f, mode="grad", args=args)
    for w in want:
        assert w in src, src
    assert "np.add(" not in src, src
    check_grads(f, args)
    g = srcad.grad(f, wrt=tuple(range(nargs)))(*args)
    h = srcad.grad(f, wrt=tuple(range(nargs)))(*args)  # a second call: no buffer shared
    for a, b in zip(g, h):
        np.testing.assert_array_equal(a, b)
