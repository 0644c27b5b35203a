"""Jacobians of functions returning structures, `has_aux` on jacfwd/jacrev, ``**kwargs`` at the
top level, and a derivative of a ``*args`` function called inside transformed code (session 11,
api11). The layouts are JAX's (checked against jax 0.10 on the same programs:
/tmp/s11/api11/t_aux2.py): the output's structure outside, the input's inside."""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad

X = np.array([1.0, 2.0, 3.0])
Y = np.array([0.5, -1.0, 2.0])
NT = collections.namedtuple("NT", "a b")
JACS = [srcad.jacfwd, srcad.jacrev]


def _close(a, b):
    assert type(a) is type(b) or not isinstance(a, (dict, list, tuple))
    if isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _close(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for p, q in zip(a, b):
            _close(p, q)
    else:
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("jac", JACS)
def test_structured_outputs(jac):
    d = np.diag
    _close(jac(lambda x: NT(x * 2, np.sum(x)))(X), NT(d(2 * np.ones(3)), np.ones(3)))
    _close(jac(lambda x: [x * 2, np.sum(x)])(X), [d(2 * np.ones(3)), np.ones(3)])
    got = jac(lambda x: {"a": x * Y, "n": {"s": np.sum(x**2), "t": (x[:2] * 3, 2.0)}})(X)
    want = {"a": d(Y), "n": {"s": 2 * X, "t": (3 * np.eye(3)[:2], np.zeros(3))}}
    _close(got, want)
    got = jac(lambda x, y: {"a": x * y}, (0, 1))(X, Y)
    _close(got, {"a": (d(Y), d(X))})


@pytest.mark.parametrize("jac", JACS)
def test_has_aux(jac):
    def f(x):
        return x * 2 + np.sin(x), {"n": 3, "v": np.sum(x)}

    J, aux = jac(f, has_aux=True)(X)
    _close(J, np.diag(2 + np.cos(X)))
    assert aux["n"] == 3 and aux["v"] == pytest.approx(6.0)

    def g(x, y):
        return {"p": x * y, "q": np.sum(x**2)}, NT(x[0], "label")

    J, aux = jac(g, (0, 1), has_aux=True)(X, Y)
    _close(J, {"p": (np.diag(Y), np.diag(X)), "q": (2 * X, np.zeros(3))})
    assert aux.a == 1.0 and aux.b == "label"
    with pytest.raises(srcad.SrcadError, match="must return a pair"):
        jac(lambda x: x * 2, has_aux=True)(X)


def test_keyword_arguments_at_the_top():
    np.testing.assert_allclose(srcad.grad(lambda *a, **k: np.sum(a[0]))(X), np.ones(3))

    def f(x, **k):
        return np.sum(x**2) * k.get("scale", 1.0)

    np.testing.assert_allclose(srcad.grad(f)(X), 2 * X)
    np.testing.assert_allclose(srcad.grad(f)(X, scale=3.0), 6 * X)
    np.testing.assert_allclose(srcad.hessian(f)(X, scale=0.5), np.eye(3))

    def g(*a, **k):
        return np.sum(a[0] * a[1]) * k["s"]

    np.testing.assert_allclose(srcad.grad(g, 1)(X, Y, s=2.0), 2 * X)


def fva(*args):
    return np.sum(args[0] * args[1]) + np.sum(args[2] ** 2)


def test_star_args_derivative_called_inside():
    def outer(x):
        return srcad.grad(fva, 1)(x, x, Y) @ x  # = x @ x

    def outer2(x):
        return np.sum(srcad.grad(fva, 2)(x, Y, x * 2)) * x[0]  # = 4 sum(x) x0

    assert srcad.primal(outer)(X) == pytest.approx(14.0)
    np.testing.assert_allclose(srcad.grad(outer)(X), 2 * X)
    np.testing.assert_allclose(srcad.grad(outer2)(X), 4 * X[0] + 4 * np.sum(X) * np.eye(3)[0])
    srcad.testing.check_grads(outer2, (X,), modes=("fwd", "rev"), order=2)
