"""Constants of a class body read through an instance (session 8, lead): what stays refused.

``self.scale`` with ``scale = 2.0`` in the class body is a constant (derivative zero:
tests/corpus/users_lead8.py). An attribute of the instance with the same name shadows it and
is no constant: set in the function (a field of the object built there since session 44:
tests/regressions/test_hunt44.py) or before the call on an argument (refused by
`_srcad.field` when the derivative runs, never read as the class's constant).
Properties, methods and descriptors are no constants either.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class Scaled:
    scale = 2.0

    def __init__(self, w):
        self.w = w

    def f(self, x):
        return self.scale * x * self.w


class Lazy:
    def __init__(self, w):
        self.w = w

    def __getattr__(self, name):
        return 5.0

    def f(self, x):
        return self.scale * x * self.w


def loss(b, x):
    return b.f(x) + b.w**2


def test_class_constant_has_zero_derivative():
    gb, gx = srcad.grad(loss, wrt=(0, 1))(Scaled(0.5), 1.5)
    assert gb.w == pytest.approx(2.0 * 1.5 + 1.0) and gx == pytest.approx(1.0)
    assert srcad.jvp(loss, (Scaled(0.5), 1.5), (Scaled(1.0), 0.0)) == (1.75, 4.0)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_instance_attribute_shadowing_the_constant_is_refused(mode):
    b = Scaled(0.5)
    b.scale = 7.0  # the instance's own attribute: not the class's constant, not a field
    with pytest.raises(srcad.SrcadError, match=r"no derivative rule for `\.scale` of a Scaled"):
        if mode == "grad":
            srcad.grad(loss, wrt=(0, 1))(b, 1.5)
        else:
            srcad.jvp(loss, (b, 1.5), (Scaled(1.0), 0.0))


def shadow_here(x):
    b = Scaled(x[1])
    b.scale = x[0]
    return b.f(x[2])


def test_shadowing_in_the_function_is_a_field():
    x = [0.3, -0.8, 0.5]
    assert srcad.grad(shadow_here)(x) == pytest.approx([-0.4, 0.15, -0.24])
    check_grads(shadow_here, (np.array(x),), modes=("fwd", "rev"), order=2)


def lazy_loss(x):
    return Lazy(x).f(1.5)


def test_class_with_getattr_is_not_read_as_constant():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(lazy_loss)(0.5)


# -- derivatives handed to the caller are arrays of their own ---------------------------------------
def total(x):
    return np.sum(x) + np.mean(x[:2])


def test_gradients_are_writable_arrays():
    """The cotangent of ``np.sum(x)`` is a read-only broadcast view inside the generated code;
    the caller gets a writable array, as autograd gives (``g[mask] = 0``, ``g *= lr``)."""
    x = np.array([0.1, 0.2, 0.3])
    for _ in range(2):  # the first call and the cached fast path
        g = srcad.grad(lambda z: np.sum(z))(x)
        assert g.flags.writeable
        g[0] = 5.0
        assert srcad.grad(lambda z: np.sum(z))(x)[0] == 1.0
    assert srcad.value_and_grad(total)(x)[1].flags.writeable
    assert all(
        g.flags.writeable for g in srcad.grad(lambda a, b: np.sum(a) + np.sum(b), wrt=(0, 1))(x, x)
    )
    _, pullback = srcad.vjp(total, x)
    r = pullback(1.0)
    assert (r[0] if isinstance(r, tuple) else r).flags.writeable
    assert srcad.hessian(lambda z: np.sum(z) ** 2)(x).flags.writeable


# -- closure cells of the functions a transform calls -----------------------------------------------
def _make_scaled(k):
    def scaled(v):
        return v * k

    def set_k(new):
        nonlocal k
        k = new

    return scaled, set_k


SCALED, SET_K = _make_scaled(3.0)


def calls_scaled(x):
    return SCALED(x[0]) * 1.0


def _outer():
    k = 3.0

    def inner(v):
        return v * k

    def outer_fn(x):
        return inner(x[0])

    return outer_fn, inner


OUTER, INNER = _outer()


@pytest.mark.parametrize("mode", ["grad", "value_and_grad", "jvp", "hessian"])
def test_rebound_cell_of_a_called_function_is_not_stale(mode):
    """The transform binds the closure values of the functions it calls: a cell rebound since
    (``nonlocal k; k = new``, or a cell of a function held in the caller's own cell) must build
    again, never run the stale code (it gave 3 for 5)."""
    x = np.array([0.5, 1.0])

    def d(f):
        if mode == "grad":
            return srcad.grad(f)(x)[0]
        if mode == "value_and_grad":
            return srcad.value_and_grad(f)(x)[1][0]
        if mode == "jvp":
            return srcad.jvp(f, (x,), (np.array([1.0, 0.0]),))[1]
        return srcad.hessian(lambda z: f(z) * z[0])(x)[0, 0] / 2.0

    try:
        for k in (3.0, 5.0, 7.0, 5.0):
            SET_K(k)
            assert d(calls_scaled) == pytest.approx(k)
            INNER.__closure__[0].cell_contents = k
            assert d(OUTER) == pytest.approx(k)
    finally:
        SET_K(3.0)
        INNER.__closure__[0].cell_contents = 3.0


def _helper_with_default(v, k=3.0):
    return v * k


def calls_helper_with_default(x):
    return _helper_with_default(x[0])


def test_rebound_defaults_of_a_called_function_are_not_stale():
    x = np.array([0.5, 1.0])
    try:
        for k in (3.0, 5.0, 3.0):
            _helper_with_default.__defaults__ = (k,)
            assert srcad.grad(calls_helper_with_default)(x)[0] == pytest.approx(k)
    finally:
        _helper_with_default.__defaults__ = (3.0,)


# -- masked arrays -------------------------------------------------------------------------------
def masked_loss(x):
    return (x**2).sum() + np.mean(x)


def test_masked_array_arguments_are_refused():
    """np.ma reductions skip masked entries; srcad's ndarray rules counted them (hunt8: grad
    [0.85, --, 2.35, 1.15] for [0.933, --, 2.433, 1.233]). Refused like np.matrix, also after
    a cached call with a plain array; srcad.primal runs NumPy's own operators and stays right."""
    x = np.ma.array([0.3, -0.7, 1.05, 0.45], mask=[0, 1, 0, 0])
    srcad.grad(masked_loss)(np.asarray(x.data))  # the fast path is warm
    for run in (
        lambda: srcad.grad(masked_loss)(x),
        lambda: srcad.value_and_grad(masked_loss)(x),
        lambda: srcad.jvp(masked_loss, (x,), (np.ones(4),)),
        lambda: srcad.hessian(masked_loss)(x),
        lambda: srcad.grad(lambda xs: masked_loss(xs[0]))([x]),
    ):
        with pytest.raises(srcad.SrcadError, match="masked array"):
            run()
    assert srcad.primal(masked_loss)(x) == pytest.approx(masked_loss(x))


# -- results that may be views of an operand --------------------------------------------------------
def einsum_diagonal_then_update(x):
    u = x.copy()
    t = np.einsum("aac->ac", u)  # NumPy returns a view of u's diagonal
    u[1] += 1.0  # ... so Python's t sees this update
    return np.sum(t)


def einsum_product(x):
    u = x.copy()
    t = np.einsum("abc,abc->a", u, u)
    return np.sum(t)


def test_einsum_result_may_be_a_view():
    """pback8, fuzz seed 13350038: srcad.primal 33.0 for Python's 36.0 (and a wrong gradient):
    einsum's result was taken for a new array. It may be a view (like np.diagonal): refused
    when the operand is updated and the result read after; plain einsum unchanged."""
    x = np.arange(12.0).reshape(2, 2, 3)
    with pytest.raises(srcad.SrcadError, match="Python would see the change"):
        srcad.primal(einsum_diagonal_then_update)(x)
    np.testing.assert_allclose(srcad.grad(einsum_product)(x), 2 * x)


def einsum_products_then_update(h):
    A = np.outer(h, h)
    C = np.einsum("ij,jk->ik", A, A)  # two operands: always a new array
    C += 1.0
    return np.sum(C) + np.sum(A)


def test_einsum_of_two_operands_is_a_new_array():
    h = np.array([0.37, -0.71, 0.23])
    assert srcad.primal(einsum_products_then_update)(h) == pytest.approx(
        einsum_products_then_update(h)
    )
    check_grads(einsum_products_then_update, (h,), modes=("fwd", "rev"))
