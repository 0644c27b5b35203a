"""User objects where NumPy rules used to win, dict literals with repeated keys, division by a
Python zero in the reverse sweep: exact derivatives (against the analytic value and central
finite differences) or a located `SrcadError`, never a silently wrong number.

Before the fix each case below gave the number in its comment: a zero gradient when
``o.sum(x)`` took the ``ndarray.sum`` rule (`x` as the axis), 1.0 for ``o * x`` with a user
``__mul__``, 3.0 instead of 2.0 when two keys of a dict literal were equal at run time, and a
ZeroDivisionError in the cotangent ``1.0 / 0.0`` of ``np.float64(x) / 0.0``.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # inf/nan primals


class Obj:
    """Methods named like NumPy's that compute something else."""

    def sum(self, x, axis=None):
        return x * x

    def dot(self, x):
        return 3.0 * x

    def mean(self, x):
        return x**3

    @staticmethod
    def max(x):
        return x**3

    @classmethod
    def min(cls, x):
        return 2.0 * x

    def __getitem__(self, k):
        return k * k

    def __mul__(self, x):
        return x * x

    def __rmul__(self, x):
        return x * x

    def __call__(self, x):
        return self.sum(x) + self.mean(x)

    @property
    def T(self):
        return 5.0


def make():
    return Obj()


def helper(o, x):
    return o.sum(x)


def grad_and_jvp(f, args, wrt):
    """(grad, jvp tangent) of `f` with respect to argument `wrt` (a float)."""
    g = srcad.grad(f, wrt=wrt)(*args)
    tangents = tuple(1.0 if k == wrt else None for k in range(len(args)))
    _, t = srcad.jvp(f, tuple(args), tangents)
    return g, t


def fd(f, args, wrt, h=1e-6):
    up, down = list(args), list(args)
    up[wrt] += h
    down[wrt] -= h
    return (f(*up) - f(*down)) / (2 * h)


def assert_exact(f, args, wrt, expected):
    g, t = grad_and_jvp(f, args, wrt)
    assert g == pytest.approx(expected, rel=1e-12) and t == pytest.approx(expected, rel=1e-12)
    assert fd(f, args, wrt) == pytest.approx(expected, rel=1e-6)


# -- 1. a user method named like a NumPy one --------------------------------------------------
def m_param(o, x):
    return o.sum(x)  # was 0.0 (ndarray.sum rule, x as the axis)


def m_keyword(o, x):
    return o.sum(x, axis=0)


def m_returned(x):
    return make().sum(x)  # was 0.0


def m_constructed(x):
    o = Obj()
    return o.sum(x)  # was 0.0


def m_dot(o, x):
    return o.dot(x)  # was a TypeError in the reverse sweep


def m_mean(o, x):
    return o.mean(x)  # was 0.0


def m_static(o, x):
    return o.max(x)


def m_helper(o, x):
    return helper(o, x)


def m_helper_new(x):
    return helper(Obj(), x)


def m_loop(o, x):
    y = x
    for _ in range(2):
        y = o.sum(y)
    return y


def m_call(o, x):
    return o(x)


def m_property(o, x):
    return o.T * x


@pytest.mark.parametrize(
    "f, args, expected",
    [
        (m_param, (Obj(), 3.0), 6.0),
        (m_keyword, (Obj(), 3.0), 6.0),
        (m_returned, (3.0,), 6.0),
        (m_constructed, (3.0,), 6.0),
        (m_dot, (Obj(), 3.0), 3.0),
        (m_mean, (Obj(), 3.0), 27.0),
        (m_static, (Obj(), 3.0), 27.0),
        (m_helper, (Obj(), 3.0), 6.0),
        (m_helper_new, (3.0,), 6.0),
        (m_loop, (Obj(), 3.0), 108.0),  # (x^2)^2 = x^4: 4 * 27
        (m_call, (Obj(), 3.0), 33.0),  # x^2 + x^3
        (m_property, (Obj(), 3.0), 5.0),
    ],
)
def test_user_method_named_like_numpy(f, args, expected):
    assert_exact(f, args, len(args) - 1, expected)


def m_classmethod(o, x):
    return o.min(x)


def test_class_method_is_the_users():
    """``o.min(x)``, a class method named like NumPy's: the class's method, bound to the class
    (session 6 lifted the refusal), never NumPy's rule."""
    assert_exact(m_classmethod, (Obj(), 3.0), 1, 2.0)


def m_unknown(objs, x):
    t = 0.0
    for o in objs:
        t = t + o.sum(x)  # the elements' class is not in the cache key
    return t


def test_unknown_receiver_that_is_a_user_object_is_its_method():
    """The list's items' classes are in the cache key (session 51, hunt51b): the user's `sum` is
    called, as Python does (it was refused when it ran); a list of another class recompiles."""
    assert srcad.grad(m_unknown, wrt=1)([Obj(), Obj()], 3.0) == 12.0  # 2 * d(x^2)/dx
    assert srcad.jvp(m_unknown, ([Obj()], 3.0), (None, 1.0))[1] == 6.0


def arrays_in_list(xs, x):
    t = 0.0
    for a in xs:
        t = t + a.sum() * x
    return t


def array_method(x, w):
    return np.tanh(x * w).sum()


def test_arrays_keep_their_rules_and_clean_code():
    xs = [np.array([1.0, 2.0]), np.array([0.5, 0.25, 0.25])]
    assert_exact(arrays_in_list, (xs, 3.0), 1, 4.0)
    x, w = np.array([0.3, -0.2]), np.array([1.5, 2.0])
    check_grads(array_method, (x, w), modes=("fwd", "rev"))
    for mode in ("grad", "jvp"):
        assert "plain_receiver" not in srcad.source(array_method, mode=mode, args=(x, w))


# -- user operators ------------------------------------------------------------------------------
def op_left(o, x):
    return o * x  # was 1.0 (the mul rule)


def op_right(o, x):
    return x * o


def test_user_operator():
    assert_exact(op_left, (Obj(), 3.0), 1, 6.0)
    # a Python float on the left: float.__mul__ returns NotImplemented, Obj.__rmul__ runs
    assert_exact(op_right, (Obj(), 3.0), 1, 6.0)
    # an array (or NumPy scalar) on the left may handle the object itself: still refused
    for x in (np.array([3.0]), np.float64(3.0)):
        with pytest.raises(srcad.SrcadError, match="defines `__rmul__`"):
            srcad.grad(lambda o, x: np.sum(op_right(o, x)), wrt=1)(Obj(), x)


# -- 2. getitem of a user object with an active index -------------------------------------------
def gi_param(obj, x):
    return obj[x]  # was 0.0


def gi_constructed(x):
    return Obj()[x] + make()[2.0 * x]  # x^2 + 4 x^2


def gi_nested(fs, x):
    return fs[0][x]  # was 0.0


def gi_dict(d, x):
    return d[x] * x  # a lookup: piecewise constant in the key


def test_getitem_of_user_object():
    assert_exact(gi_param, (Obj(), 3.0), 1, 6.0)
    assert_exact(gi_constructed, (3.0,), 0, 30.0)
    # (a listed object's class is in the cache key since session 51: its __getitem__ runs)
    assert srcad.grad(gi_nested, wrt=1)([Obj()], 3.0) == 6.0
    assert srcad.jvp(gi_nested, ([Obj()], 3.0), (None, 1.0))[1] == 6.0
    # built-in containers indexed by a float: the index gets no derivative, and no refusal
    assert grad_and_jvp(gi_dict, ({3.0: 5.0}, 3.0), 1) == (5.0, 5.0)


# -- 3. dict literals with keys equal at run time ------------------------------------------------
def d_names(a):
    k1 = "a"
    k2 = "a"
    d = {k1: a, k2: 2 * a}  # only the last value survives
    return d["a"]


def d_loop_keys(a):
    ks = []
    for _ in range(2):
        ks.append("k")
    d = {ks[0]: a, ks[1]: 2 * a}
    return d["k"]


def d_literal(a):
    d = {"a": a, "a": 2 * a}  # noqa: F601
    return d["a"]


def d_numbers(a):
    k = 1
    d = {1.0: a, k: 2 * a, True: 3 * a}  # noqa: F601
    return d[1]


def d_args(a, ks):
    d = {ks[0]: a, ks[1]: 2 * a, "z": 5 * a}
    return d["k"] + d["z"]


def d_setitem_loop(a):
    d = {}
    for i in range(3):
        d["k"] = a * (i + 1)
    return d["k"]


def d_comprehension(a):
    d = {k: a * (i + 1) for i, k in enumerate(["k", "k"])}
    return d["k"]


@pytest.mark.parametrize(
    "f, args, expected",
    [
        (d_names, (3.0,), 2.0),  # was 3.0
        (d_loop_keys, (3.0,), 2.0),  # was 3.0
        (d_literal, (3.0,), 2.0),  # was 3.0
        (d_numbers, (3.0,), 3.0),  # was 6.0
        (d_args, (3.0, ["k", "k"]), 7.0),  # was 8.0
        (d_args, (3.0, ["k", "j"]), 6.0),  # distinct keys: a survives under "k"
        (d_setitem_loop, (3.0,), 3.0),
        (d_comprehension, (3.0,), 2.0),
    ],
)
def test_dict_literal_with_equal_keys(f, args, expected):
    assert_exact(f, args, 0, expected)


def d_split(a, b):
    return {"x": a, "x": b, "y": a * b}  # noqa: F601


def test_dict_literal_vjp():
    _, pullback = srcad.vjp(d_split, 2.0, 5.0)
    assert pullback({"x": 1.0, "y": 10.0}) == (50.0, 21.0)


def d_update(a):
    d = {"k": a}
    d.update({"k": 2 * a})
    return d["k"]


def test_dict_update():
    # d.update(...) on a local dict rebinds it (lower/idioms.py): d["k"] is 2a
    assert srcad.primal(d_update)(3.0) == d_update(3.0) == 6.0
    assert srcad.grad(d_update)(3.0) == 2.0


# -- 4. division by a Python zero in the reverse sweep ------------------------------------------
def z_const(x):
    return np.float64(x) / 0.0  # inf; its cotangent 1.0 / 0.0 raised ZeroDivisionError


def z_param(x, y):
    return np.sin(x) / y


def z_scalar_chain(x):
    return (np.float64(x) * 2.0) / (x - x)


def test_division_by_python_zero_gives_numpy_values():
    with np.errstate(all="ignore"):
        expect_const = np.divide(1.0, 0.0)  # inf, as NumPy gives
        expect_param = np.cos(0.5) / np.float64(0.0)
    assert grad_and_jvp(z_const, (3.0,), 0) == (expect_const, expect_const)
    assert grad_and_jvp(z_param, (0.5, 0.0), 0) == (expect_param, expect_param)
    g = srcad.grad(z_param, wrt=1)(0.5, 0.0)
    assert np.isinf(g) or np.isnan(g)  # -sin(0.5) * inf / 0.0, as NumPy computes it
    _, pullback = srcad.vjp(z_const, 3.0)
    assert pullback(2.0) == (np.inf,)
    g, t = grad_and_jvp(z_scalar_chain, (3.0,), 0)
    assert np.isnan(g) and np.isnan(t)  # 2 / 0 - 2x * 0 / 0^2: NumPy's nan, no exception


def q_const(x):
    return x / 2.0


def q_arrays(a, b):
    return np.sum(a / b)


def q_python(x, y):
    return x / y


def test_ordinary_divisions_keep_plain_code():
    a, b = np.array([1.0, 2.0]), np.array([4.0, 5.0])
    for mode in ("grad", "jvp"):
        assert "fdiv" not in srcad.source(q_const, mode=mode, args=(3.0,))
        assert "fdiv" not in srcad.source(q_arrays, mode=mode, args=(a, b))
        assert "fdiv" not in srcad.source(q_python, mode=mode, args=(3.0, 4.0))
    assert srcad.grad(q_arrays, wrt=(0, 1))(a, b)[0].tolist() == [0.25, 0.2]
