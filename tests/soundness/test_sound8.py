"""Wrong results left from session 7 (sound8): each case is right or refused, never silently wrong."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([1.06, 1.0, 0.5])


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def _right_or_refused(f, x=X3):
    """primal, grad and jvp of `f` at `x` agree with Python / central differences, or refuse."""
    want, fd = f(x.copy()), _fd(f, x)
    for name, call, expect in (
        ("primal", lambda: srcad.primal(f)(x.copy()), want),
        ("grad", lambda: srcad.grad(f)(x.copy()), fd),
        ("jvp", lambda: srcad.jvp(f, (x.copy(),), (np.ones_like(x),))[1], fd.sum()),
    ):
        try:
            got = call()
        except srcad.SrcadError:
            continue
        np.testing.assert_allclose(got, expect, rtol=1e-6, atol=1e-8, err_msg=name)


# -- 1. `a op= v` on a user object runs `a.__iop__(v)`; srcad.primal ran `a + v` (1.06 for 3.06)
class Acc:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Acc(self.v + o)

    def __iadd__(self, o):
        return Acc(self.v + 2 * o)

    def __sub__(self, o):
        return Acc(self.v - o)

    def __isub__(self, o):
        return Acc(self.v - 3 * o)

    def __mul__(self, o):
        return Acc(self.v * o)

    def __imul__(self, o):
        return Acc(self.v * o * 2)

    def __truediv__(self, o):
        return Acc(self.v / o)

    def __itruediv__(self, o):
        return Acc(self.v / o / 2)


class OnlyAdd:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return OnlyAdd(self.v + o)


def iadd(x):
    a = Acc(x[0])
    a += x[1]
    return a.v


def isub(x):
    a = Acc(x[0])
    a -= x[1]
    return a.v


def imul(x):
    a = Acc(x[0])
    a *= x[1]
    return a.v


def idiv(x):
    a = Acc(x[0])
    a /= x[1]
    return a.v


def iadd_loop(x):
    a = Acc(x[0])
    for v in x:
        a += v
    return a.v


def iadd_item(x):  # `ls[0] += v`: grad/jvp ran __add__ too ([1, 0, 1] for [1, 0, 2])
    ls = [Acc(x[0]), Acc(x[1])]
    ls[0] += x[2]
    return ls[0].v * ls[1].v


def only_add(x):  # no __iadd__: `a += v` is `a = a + v`
    a = OnlyAdd(x[0])
    a += x[1]
    return a.v


@pytest.mark.parametrize("f", [iadd, isub, imul, idiv, iadd_loop, iadd_item, only_add])
def test_augmented_assignment_runs_the_inplace_method(f):
    want = f(X3.copy())
    assert srcad.primal(f)(X3.copy()) == pytest.approx(want, rel=1e-12)
    fd = _fd(f, X3)
    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), fd, rtol=1e-6, atol=1e-8)
    y, t = srcad.jvp(f, (X3.copy(),), (np.ones(3),))
    assert y == pytest.approx(want) and t == pytest.approx(fd.sum(), rel=1e-6)


# -- 2. `u[:, -2] = u[1, :]`: NumPy writes element by element and reads u[1, 2] after writing it
# (fuzz seed 12800900, arrays grammar); srcad wrote the old row: a wrong primal and derivative
X44 = np.arange(16.0).reshape(4, 4) * 0.3 - 1.0


def col_from_row(x):
    u = x * 1.0
    u[:, -2] = u[1, :]
    return np.sum(u * x)


def row_from_col(x):
    u = x * 1.0
    u[1, :] = u[:, 2]
    return np.sum(u * x)


def col_from_row_alias(x):
    u = x * 1.0
    w = u
    u[:, -2] = w[1, :]
    return np.sum(u * x)


def col_from_row_loop(x):
    u = x * 1.0
    for i in range(2):
        u[:, i + 2] = u[i + 1, :]
    return np.sum(u * x)


@pytest.mark.parametrize("f", [col_from_row, row_from_col, col_from_row_alias, col_from_row_loop])
def test_write_of_a_view_that_numpy_reads_after_writing_is_refused(f):
    for call in (
        lambda: srcad.primal(f)(X44.copy()),
        lambda: srcad.grad(f)(X44.copy()),
        lambda: srcad.jvp(f, (X44.copy(),), (np.ones((4, 4)),)),
    ):
        with pytest.raises(srcad.SrcadError, match="NumPy's write changes some of its elements"):
            call()


def shift_down(x):  # NumPy copies the value first (a 2-D target): same result as srcad's
    u = x * 1.0
    u[1:] = u[:-1]
    return np.sum(u * x)


def shift_row(x):  # a 1-D write whose value starts before it runs backwards: also the same
    u = x * 1.0
    u[0, 1:] = u[0, :-1]
    return np.sum(u * x)


def col_from_same_row(x):  # u[:, 2] = u[2, :] reads u[2, 2] before any write changes it
    u = x * 1.0
    u[:, 2] = u[2, :]
    return np.sum(u * u)


def add_from_row(x):  # a ufunc (`+=`) handles overlap as if the value were copied
    u = x * 1.0
    u[:, -2] += u[1, :]
    return np.sum(u * x)


@pytest.mark.parametrize("f", [shift_down, shift_row, col_from_same_row, add_from_row])
def test_write_of_a_view_numpy_reads_before_writing_is_differentiated(f):
    assert srcad.primal(f)(X44.copy()) == pytest.approx(f(X44.copy()), rel=1e-12)
    fd = _fd(lambda v: f(v.reshape(4, 4)), X44.ravel()).reshape(4, 4)
    np.testing.assert_allclose(srcad.grad(f)(X44.copy()), fd, rtol=1e-6, atol=1e-6)


# -- 3. generator expressions computed where written although Python runs them when consumed
from collections.abc import Iterator  # noqa: E402


def _ident(g):
    return g


def _gen_of(xs, s):
    return (v * s for v in xs)


def through_helper(x):  # Python 1.6; srcad -0.8
    xs = [x[0], x[1]]
    g = _ident(v * 2 for v in xs)
    xs.append(x[2])
    return sum(g)


def made_by_helper(x):  # Python 1.0; srcad -0.8
    xs = [x[0], x[1]]
    g = _gen_of(xs, 2.0)
    xs[0] = x[2]
    return sum(g)


def annotated(x):  # Python 1.0; srcad -0.8
    xs = [x[0], x[1]]
    g: Iterator = (v * 2 for v in xs)
    xs[0] = x[2]
    return sum(g)


def unpacked(x):  # Python -0.56; srcad 0.24
    s = x[0]
    g, k = (s * v for v in x), 1.0
    s = x[1]
    return sum(g) * k


def enumerate_alias(x):  # the body updates the generator's list through another name
    xs = [x[0], x[1], x[2]]
    ys = xs
    g = (v * 2 for v in xs)
    out = 0.0
    for i, v in enumerate(g):
        ys[2] = x[0] * 5
        out = out + v * (i + 1)
    return out


def zip_alias_inline(x):
    xs = [x[0], x[1], x[2]]
    ys = xs
    out = 0.0
    for v, w in zip((v * 2 for v in xs), [1.0, 2.0, 3.0]):
        ys[2] = x[0] * 5
        out = out + v * w
    return out


def in_a_list(x):
    xs = [x[0], x[1]]
    gs = [(v * 2 for v in xs)]
    xs[0] = x[2]
    return sum(gs[0])


def map_through_helper(x):
    xs = [x[0], x[1]]
    g = _ident(map(lambda v: v * 2, xs))
    xs[0] = x[2]
    return sum(g)


def walrus_in_test(x):
    xs = [x[0], x[1]]
    if (g := (v * 2 for v in xs)) is not None:
        xs[0] = x[2]
    return sum(g)


X3B = np.array([0.3, -0.7, 1.2])


@pytest.mark.parametrize(
    "f",
    [through_helper, made_by_helper, annotated, unpacked, enumerate_alias, zip_alias_inline,
     in_a_list, map_through_helper, walrus_in_test],
)  # fmt: skip
def test_generator_changed_before_it_is_consumed_is_refused(f):
    for call in (lambda: srcad.primal(f)(X3B.copy()), lambda: srcad.grad(f)(X3B.copy())):
        with pytest.raises(srcad.SrcadError):
            call()


def consumed_by_library(x):  # np.fromiter takes it at once: the later update is not seen
    xs = [x[0], x[1]]
    a = np.fromiter((v * 2 for v in xs), float)
    xs[0] = x[2]
    return np.sum(a) * xs[0]


def zip_then_update(x):  # the loop takes the generator whole before the list changes
    xs = [x[0], x[1]]
    out = 0.0
    for a, b in zip((v * 2 for v in xs), xs):
        out = out + a * b
    xs.append(out)
    return out + xs[-1]


def returned_over_locals(x):
    return sum(_squares_of_copies(x))


def _squares_of_copies(x):
    ys = [x[0] * 2, x[1]]
    return (np.sin(v) for v in ys)


@pytest.mark.parametrize("f", [consumed_by_library, zip_then_update, returned_over_locals])
def test_generator_consumed_before_any_change_is_differentiated(f):
    assert srcad.primal(f)(X3B.copy()) == pytest.approx(f(X3B.copy()), rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X3B.copy()), _fd(f, X3B), rtol=1e-6, atol=1e-8)


# -- 4. `ls[0.0](x)`: Python raises TypeError (a list index is an int); srcad compared with `==`
_FNS = [np.sin, np.cos]


def pick_global(x, k):
    return _FNS[k](x)


def pick_local(x, k):
    fs = [np.sin, np.tanh]
    return fs[k](x)


@pytest.mark.parametrize("f", [pick_global, pick_local])
@pytest.mark.parametrize("k", [0.0, np.float64(1.0), 1.5])
def test_function_list_index_must_be_an_int(f, k):
    with pytest.raises(TypeError):
        f(0.5, k)
    with pytest.raises(TypeError):
        srcad.primal(f)(0.5, k)
    with pytest.raises(TypeError):
        srcad.grad(f)(0.5, k)


@pytest.mark.parametrize("f", [pick_global, pick_local])
@pytest.mark.parametrize("k", [1, -1, True, np.int64(1)])
def test_function_list_index_of_int_kinds(f, k):
    assert srcad.primal(f)(0.5, k) == pytest.approx(f(0.5, k))
    assert srcad.grad(f)(0.5, k) == pytest.approx((f(0.5 + 1e-6, k) - f(0.5 - 1e-6, k)) / 2e-6)


# -- 5. containers srcad has no tangent for: a clean refusal in every mode (jvp of a deque
# raised TypeError from zeros_like; array.array crashed with AttributeError on `a.copy()`)
import array  # noqa: E402
from collections import deque  # noqa: E402


def deque_window(x):
    q = deque(maxlen=3)
    for v in x:
        q.append(v)
    return sum(q)


def array_write(x):
    a = array.array("d", [0.0, 0.0])
    a[0] = x[0]
    return a[0] * x[1]


def array_sum(x):
    return sum(array.array("d", x))


def test_a_deque_used_as_a_list_is_right_in_every_mode():
    """lower/deques.py (refuse20): a local deque read only as a list reads is one."""
    f, x = deque_window, X3.copy()
    fd = np.array([(f(x + 1e-6 * e) - f(x - 1e-6 * e)) / 2e-6 for e in np.eye(3)])
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()))
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), fd, rtol=1e-6)
    np.testing.assert_allclose(srcad.jvp(f, (x.copy(),), (np.ones(3),))[1], fd.sum(), rtol=1e-6)
    np.testing.assert_allclose(srcad.vjp(f, x.copy())[1](1.0)[0], fd, rtol=1e-6)
    np.testing.assert_allclose(srcad.hessian(f)(x.copy()), np.zeros((3, 3)), atol=1e-12)


def deque_window_passed(x):
    q = deque(maxlen=3)
    for v in x:
        q.append(v)
    return sum(q) + len(_listed(q))


def _listed(q):
    return [v for v in q]


@pytest.mark.parametrize("f", [deque_window_passed, array_write, array_sum])
def test_unsupported_containers_are_refused_in_every_mode(f):
    for call in (
        lambda: srcad.primal(f)(X3.copy()),
        lambda: srcad.grad(f)(X3.copy()),
        lambda: srcad.jvp(f, (X3.copy(),), (np.ones(3),)),
        lambda: srcad.vjp(f, X3.copy())[1](1.0),
        lambda: srcad.hessian(f)(X3.copy()),
    ):
        with pytest.raises(srcad.SrcadError):
            call()


# -- 6. float32/float16 inputs: every derivative in the input's dtype (grad kept float32, the
# Hessian and the Jacobians came back float64)
def _loss(x):
    return np.sum(np.sin(x) * x**2)


def _vec(x):
    return np.sin(x) * x


@pytest.mark.parametrize("dt", [np.float32, np.float16])
def test_low_precision_inputs_keep_their_dtype(dt):
    x = X3.astype(dt)
    for name, got, want in (
        ("grad", srcad.grad(_loss)(x), srcad.grad(_loss)(X3)),
        ("hessian", srcad.hessian(_loss)(x), srcad.hessian(_loss)(X3)),
        ("hvp", srcad.hvp(_loss, (x,), (np.ones(3, dt),))[1], srcad.hvp(_loss, (X3,), (np.ones(3),))[1]),
        ("jacfwd", srcad.jacfwd(_vec)(x), srcad.jacfwd(_vec)(X3)),
        ("jacrev", srcad.jacrev(_vec)(x), srcad.jacrev(_vec)(X3)),
        ("jacfwd(grad)", srcad.jacfwd(srcad.grad(_loss))(x), srcad.hessian(_loss)(X3)),
        ("hessian dict", srcad.hessian(lambda p: _loss(p["w"]))({"w": x})["w"]["w"],
         srcad.hessian(_loss)(X3)),
    ):  # fmt: skip
        assert np.asarray(got).dtype == dt, name
        np.testing.assert_allclose(got, want, rtol=5e-3 if dt is np.float16 else 1e-5, atol=1e-2)
    h = srcad.hessian(lambda s: np.sin(s) * s)(dt(0.5))
    assert np.asarray(h).dtype == dt


# -- siblings of 1: the bitwise operators of a user class (`|`, `&`, `^`, `<<`, `>>`, `~`, and
# their `op=` forms) ran as NumPy's with a zero derivative (grad [0, 0, 0] for [1, 1, 0])
class Bits:
    def __init__(self, v):
        self.v = v

    def __or__(self, o):
        return Bits(self.v + o)

    def __ror__(self, o):
        return Bits(self.v * 3 + o)

    def __ior__(self, o):
        return Bits(self.v + 2 * o)

    def __and__(self, o):
        return Bits(self.v * o)

    def __xor__(self, o):
        return Bits(self.v - o)

    def __lshift__(self, o):
        return Bits(self.v * o)

    def __ilshift__(self, o):
        return Bits(self.v * o * 3)

    def __rshift__(self, o):
        return Bits(self.v / o)

    def __invert__(self):
        return Bits(-2 * self.v)


def bits_or(x):
    return (Bits(x[0]) | x[1]).v


def bits_ror(x):
    return (2.0 | Bits(x[0])).v


def bits_ior(x):
    a = Bits(x[0])
    a |= x[1]
    return a.v


def bits_ilshift(x):
    a = Bits(x[0])
    a <<= x[1]
    return a.v


def bits_mixed(x):
    return (Bits(x[0]) & x[1]).v + (Bits(x[1]) ^ x[2]).v + (Bits(x[2]) >> x[0]).v


def bits_invert(x):
    return (~Bits(x[0])).v * x[1]


@pytest.mark.parametrize("f", [bits_or, bits_ror, bits_ior, bits_ilshift, bits_mixed, bits_invert])
def test_bitwise_operators_of_a_user_class_run_its_methods(f):
    want, fd = f(X3.copy()), _fd(f, X3)
    assert srcad.primal(f)(X3.copy()) == pytest.approx(want, rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X3.copy()), fd, rtol=1e-6, atol=1e-8)
    y, t = srcad.jvp(f, (X3.copy(),), (np.ones(3),))
    assert y == pytest.approx(want) and t == pytest.approx(fd.sum(), rel=1e-6)
