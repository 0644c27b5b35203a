"""The public API as JAX users call it: functions taking ``*args`` (session 10, api10).

1. A lambda taking ``*args`` that transformed code calls (``lam = lambda *a: ...; def f(x):
   return lam(x)``) crashed the transform (an internal error: the inliner of lower/varargs.py
   walked the lambda's expression body as a list of statements).
2. ``srcad.grad(f)`` of ``def f(*args)`` (``def loss(*params)``, ``lambda *a: ...``) was refused
   ("functions with *args or **kwargs are not supported"), and ``wrt=1`` was "out of range".
   JAX's argnums count the call's positional arguments; srcad now does the same: each call is
   differentiated as a function with one parameter per argument (srcad/starargs.py), for grad,
   value_and_grad, jvp, vjp, jacfwd, jacrev, hessian, hvp and their compositions.
3. ``srcad.jacrev`` of a list/tuple of equal-shape arrays or of a namedtuple of them stacked
   them into one array input (an ``(3, 2, 3)`` Jacobian) while ``srcad.jacfwd`` of the same
   function gave one block per item (a tuple of ``(3, 3)`` blocks): both now give JAX's layout,
   the input's structure of blocks, a list for a list input (it was a tuple) and a namedtuple
   for a namedtuple. A rectangular list of numbers stays one block (srcad's convention).
4. ``srcad.checkpoint`` / ``custom_vjp`` / ``custom_jvp`` of a function taking ``*args`` (or
   ``**kwargs``), called with differentiated arguments: the arguments were packed into one
   constant, so the derivative was silently ZERO (``checkpoint(f)(x, x)``: 0 for 2x). Refused
   now (ad/callees.custom_call), in both modes.
5. ``srcad.hessian(f, (0, 1))(params, x)`` with a dict ``params`` nested its blocks as
   ``H[0][1]["a"]`` (the inputs outside the output's structure); JAX's layout, which users index,
   is ``H[0]["a"][1]``: the output's structure outside, one block per input at each leaf.
"""

from __future__ import annotations

import collections
import functools

import numpy as np
import pytest

import srcad

X = np.array([1.0, 2.0, 3.0])
Y = np.array([0.5, -1.0, 2.0])

LAM = lambda *a: np.sum(a[0] * np.sin(a[-1]))  # noqa: E731 - the case: a lambda with *args


def _calls_lam(x):
    return LAM(x, x * 2.0)


def test_lambda_with_star_args_called_from_transformed_code():
    g = srcad.grad(_calls_lam)(X)
    np.testing.assert_allclose(g, np.sin(2 * X) + 2 * X * np.cos(2 * X))


def fva(*args):
    return np.sum(args[0] * args[1]) + np.sum(args[2] ** 2)


def poly(*cs):
    t = 0.0
    for i, c in enumerate(cs):
        t = t + c * c * 1.5**i
    return t


def test_grad_counts_call_positions():
    np.testing.assert_allclose(srcad.grad(fva)(X, Y, X), Y)
    np.testing.assert_allclose(srcad.grad(fva, 1)(X, Y, X), X)
    gx, gz = srcad.grad(fva, (0, 2))(X, Y, Y)
    np.testing.assert_allclose(gx, Y)
    np.testing.assert_allclose(gz, 2 * Y)
    np.testing.assert_allclose(srcad.grad(fva, -1)(X, Y, X), 2 * X)


def test_arity_changes_between_calls():
    g = srcad.grad(poly, 1)
    assert g(1.0, 2.0) == pytest.approx(6.0)
    assert g(1.0, 2.0, 3.0, 4.0) == pytest.approx(6.0)
    a, c = srcad.grad(poly, (0, 2))(1.0, 2.0, 3.0)
    assert (a, c) == (pytest.approx(2.0), pytest.approx(13.5))


def test_forward_reverse_jacobians_hessian():
    out, dout = srcad.jvp(fva, (X, Y, X), (Y, X, Y))
    assert out == pytest.approx(fva(X, Y, X))
    assert dout == pytest.approx(np.sum(Y * Y) + np.sum(X * X) + np.sum(2 * X * Y))
    _, pb = srcad.vjp(fva, X, Y, X)
    ga, gb, gc = pb(2.0)
    np.testing.assert_allclose(ga, 2 * Y)
    np.testing.assert_allclose(gb, 2 * X)
    np.testing.assert_allclose(gc, 4 * X)
    J = srcad.jacfwd(lambda *a: a[0] * a[1], 1)(X, Y)
    np.testing.assert_allclose(J, np.diag(X))
    J0, J1 = srcad.jacrev(lambda *a: a[0] * a[1], (0, 1))(X, Y)
    np.testing.assert_allclose(J0, np.diag(Y))
    np.testing.assert_allclose(J1, np.diag(X))
    H = srcad.hessian(lambda *a: np.sum(a[0] ** 2 * a[1]))(X, Y)
    np.testing.assert_allclose(H, np.diag(2 * Y))
    g, hv = srcad.hvp(lambda *a: np.sum(a[0] ** 3 * a[1]), (X, Y), (Y, None))
    np.testing.assert_allclose(g, 3 * X**2 * Y)
    np.testing.assert_allclose(hv, 6 * X * Y * Y)


def test_nested_and_aux():
    assert srcad.grad(srcad.grad(lambda *a: a[0] ** 3 * a[1]))(2.0, 3.0) == pytest.approx(36.0)
    assert srcad.grad(srcad.grad(lambda *a: a[0] ** 3 * a[1]), 1)(2.0, 3.0) == pytest.approx(12.0)
    (v, n), g = srcad.value_and_grad(lambda *a: (np.sum(a[0] * a[1]), len(a)), has_aux=True)(X, Y)
    assert (v, n) == (pytest.approx(4.5), 2)
    np.testing.assert_allclose(g, Y)


def fkw(a, *rest, k=2.0):
    return np.sum(a * rest[0]) * k + len(rest)


def test_keyword_only_and_changed_defaults():
    np.testing.assert_allclose(srcad.grad(fkw)(X, Y), 2 * Y)
    np.testing.assert_allclose(srcad.grad(fkw)(X, Y, k=5.0), 5 * Y)
    np.testing.assert_allclose(srcad.grad(fkw, 1)(X, Y, X), 2 * X)

    def fd(a, *rest, k=2.0):
        return np.sum(a) * k + len(rest)

    g = srcad.grad(fd)
    np.testing.assert_allclose(g(X, 1.0), [2.0, 2.0, 2.0])
    fd.__kwdefaults__ = {"k": 7.0}
    np.testing.assert_allclose(g(X, 1.0), [7.0, 7.0, 7.0])


class _Net:
    def __init__(self, w):
        self.w = w

    def loss(self, *xs):
        return np.sum(self.w * xs[0] ** 2) * len(xs)


def test_methods_and_partials():
    np.testing.assert_allclose(srcad.grad(_Net(3.0).loss)(X, 1.0), 12 * X)
    np.testing.assert_allclose(srcad.grad(functools.partial(fva, X))(Y, Y), X)
    np.testing.assert_allclose(srcad.grad(functools.partial(fva, X), 1)(Y, Y), 2 * Y)


def test_star_kwargs_at_the_top():
    # refused until session 11 (api11): ``**kwargs`` now gets keyword-only shim parameters
    np.testing.assert_allclose(srcad.grad(lambda *a, **k: np.sum(a[0]))(X), np.ones(3))


_NT = collections.namedtuple("_NT", "a b")


def _prod(p):
    return p[0] * p[1]


def test_jacobians_of_lists_and_namedtuples_of_arrays_agree():
    for jac in (srcad.jacfwd, srcad.jacrev):
        j = jac(_prod)([X, Y])
        assert type(j) is list and len(j) == 2
        np.testing.assert_allclose(j[0], np.diag(Y))
        np.testing.assert_allclose(j[1], np.diag(X))
        t = jac(_prod)((X, Y))
        assert type(t) is tuple
        np.testing.assert_allclose(t[1], np.diag(X))
        n = jac(lambda p: p.a * p.b)(_NT(X, Y))
        assert type(n) is _NT
        np.testing.assert_allclose(n.a, np.diag(Y))
        np.testing.assert_allclose(n.b, np.diag(X))
    H = srcad.hessian(lambda p: np.sum(p[0] ** 2 * p[1]))([X, Y])
    assert type(H) is list and type(H[0]) is list
    np.testing.assert_allclose(H[0][0], np.diag(2 * Y))
    np.testing.assert_allclose(H[0][1], np.diag(2 * X))
    np.testing.assert_allclose(H[1][1], np.zeros((3, 3)))
    np.testing.assert_allclose(
        srcad.jacrev(lambda v: v[0] * v[1] * X)([2.0, 3.0]), np.stack([3 * X, 2 * X], -1)
    )


def _deco(fn):
    @functools.wraps(fn)
    def w(*a):
        return fn(*a)

    return w


@_deco
def _wrapped(x, y):
    return np.sum(x * y**2)


def test_a_decorators_star_wrapper_keeps_the_wrapped_parameters():
    """`def w(*a)` made by functools.wraps(fn) is lowered with fn's parameters (wrt by name)."""
    np.testing.assert_allclose(srcad.grad(_wrapped, "y")(X, Y), 2 * X * Y)
    np.testing.assert_allclose(srcad.grad(_wrapped, 1)(X, Y), 2 * X * Y)
    np.testing.assert_allclose(srcad.grad(_wrapped)(X, y=Y), Y**2)


def _prod_star(*a):
    return np.sum(a[0] * a[1])


_CK = srcad.checkpoint(_prod_star)
_CV = srcad.custom_vjp(_prod_star)
_CV.defvjp(lambda *a: (_prod_star(*a), a), lambda res, g: (g * res[1], g * res[0]))
_CJ = srcad.custom_jvp(_prod_star)
_CJ.defjvp(lambda p, t: (_prod_star(*p), np.sum(t[0] * p[1] + p[0] * t[1])))


def _via_ck(x):
    return _CK(x, x)


def _via_cv(x):
    return _CV(x, x)


def _via_cj(x):
    return _CJ(x, x)


@pytest.mark.parametrize("f", [_via_ck, _via_cv, _via_cj])
def test_rules_of_star_args_functions_refused_not_zero(f):
    with pytest.raises(srcad.SrcadError, match=r"takes \*a"):
        srcad.grad(f)(X)
    with pytest.raises(srcad.SrcadError, match=r"takes \*a"):
        srcad.jvp(f, (X,), (Y,))


def test_hessian_with_a_tuple_wrt_of_trees_has_jaxs_layout():
    H = srcad.hessian(lambda p, q: np.sum(p["a"] * q**2), (0, 1))({"a": X}, Y)
    assert type(H) is tuple and set(H[0]) == {"a"} and type(H[0]["a"]) is tuple
    np.testing.assert_allclose(H[0]["a"][0]["a"], np.zeros((3, 3)))
    np.testing.assert_allclose(H[0]["a"][1], np.diag(2 * Y))
    np.testing.assert_allclose(H[1][0]["a"], np.diag(2 * Y))
    np.testing.assert_allclose(H[1][1], np.diag(2 * X))
    J = srcad.jacfwd(srcad.grad(lambda p, q: np.sum(p["a"] * q**2)), (0, 1))({"a": X}, Y)
    assert set(J) == {"a"}
    np.testing.assert_allclose(J["a"][1], np.diag(2 * Y))


def _with_aux(x):
    return np.sum(np.sin(x)), {"a": x * 2, "n": 3}


def test_jvp_and_vjp_with_has_aux_as_jax():
    out, dout, aux = srcad.jvp(_with_aux, (X,), (Y,), has_aux=True)
    assert out == pytest.approx(np.sum(np.sin(X))) and dout == pytest.approx(np.cos(X) @ Y)
    np.testing.assert_allclose(aux["a"], 2 * X)
    assert aux["n"] == 3
    out, pull, aux = srcad.vjp(_with_aux, X, has_aux=True)
    (g,) = pull(2.0)
    np.testing.assert_allclose(g, 2 * np.cos(X))
    assert aux["n"] == 3
    with pytest.raises(srcad.SrcadError, match="has_aux=True needs"):
        srcad.vjp(lambda x: np.sum(x), X, has_aux=True)
