"""What fix39b accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
second order where it applies), and the neighbours that stay refused:

1. ``functools.reduce(lambda a, b: a + b, objs)`` (or ``operator.add``) without an initial
   value, and the loop it is (``acc = objs[0]; for o in objs[1:]: acc = acc + o``), over a
   run-time list of one user class (a comprehension, a helper's list): ad/objsumloop._folds
   checks the first item and each item read in the loop to be of that class when they run, so
   ``+`` is the class's ``__add__``. A list mixing classes or numbers, and an ``__add__``
   returning a number, stay as before.
2. ``sum([V(v) for v in x])`` of a run-time list of user objects whose ``__radd__`` returns
   ``self`` for ``0 + v`` (the usual way to make `sum` work): ad/objsumloop's loop checks each
   item's class when it runs, and the transform now knows the checked item is of that class
   (receivers.object_kinds seeded with it), so ``0 + item``'s result is one too.

4. ``for layer in net`` (and comprehensions over it) where `net` is an ARGUMENT whose class's
   ``__iter__`` is ``return iter(self.layers)``: its layout class (the cache key's) tells the
   layers' classes, so ``as_sequence(net)`` reads ``net.layers`` and the loop is unrolled as
   ``for layer in net.layers`` was (ad/layouts._iterated_fields). A plain list argument, an
   ``__iter__`` that yields or reverses, stay refused.
5. ``pts[k].x = ...`` with ``pts[(k + 1) % 2]`` read in the same unrolled loop: the index of a
   constant `k` was an op (``mod`` was not folded), so the list became a run-time value and
   its items unknown; ``%`` and ``//`` of literal numbers now fold as ``+``/``-``/``*`` did.
7. ``cmath.log`` (with a constant base) and ``cmath.log10`` (rules/math.py): ``1 / z``, as
   NumPy's complex log. On the branch cut (a negative real part, a zero imaginary part) the
   derivative is the slope of the branch cmath's value is on, which the sign of the zero picks
   (one-sided differences from that side agree); a varied base is refused.
8. ``scipy.special.sici`` and ``fresnel`` (both outputs) and ``voigt_profile`` in ``x``
   (rules/scipy_special39.py); a varied ``sigma`` or ``gamma`` is refused.
"""

from __future__ import annotations

import cmath
import functools
import operator

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

sp = pytest.importorskip("scipy.special")

X = np.array([0.3, -0.5, 0.7, 1.1])


def _both(f, *args, order=2):
    check_grads(f, args, modes=("fwd", "rev"), order=order)


# -- 1. functools.reduce over objects, no initial value -------------------------------------------
class H:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return H(self.v + o.v * 0.5)


def _make_h(x):
    return [H(x[0]), H(x[1] * x[2]), H(np.sin(x[3]))]


def reduce_comprehension(x):
    return functools.reduce(lambda a, b: a + b, [H(v) for v in x]).v ** 2


def reduce_helper_list(x):
    return functools.reduce(lambda a, b: a + b, _make_h(x)).v ** 2


def reduce_operator_add(x):
    return np.exp(functools.reduce(operator.add, [H(v) for v in x]).v)


def fold_loop(x):
    objs = [H(np.tanh(v)) for v in x]
    acc = objs[0]
    for o in objs[1:]:
        acc = acc + o
    return acc.v * x[1]


def reduce_one_item(x):
    return functools.reduce(lambda a, b: a + b, [H(v) for v in x[:1]]).v * 3.0


@pytest.mark.parametrize(
    "f", [reduce_comprehension, reduce_helper_list, reduce_operator_add, fold_loop, reduce_one_item]
)
def test_reduce_objects(f):
    _both(f, X)


class N:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return self.v + o.v  # a number, not an N: `+` is not closed over the class


def reduce_not_closed(x):
    return functools.reduce(lambda a, b: a + b, [N(v) for v in x])


def test_reduce_not_closed_refused():
    with pytest.raises(srcad.SrcadError, match="could not tell the type"):
        srcad.grad(reduce_not_closed)(X)


# -- 2. sum of objects whose __radd__ returns self ----------------------------------------------
class V:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return V(self.v + o.v)

    def __radd__(self, o):
        if o == 0:
            return self
        return V(self.v + o.v)


class V3:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return V3(self.v * 0.5 + o.v)

    def __radd__(self, o):
        return self if o == 0 else self.__add__(o)


def _make(x):
    return [V(x[0]), V(x[1] * x[2]), V(np.sin(x[3]))]


def sum_comprehension(x):
    return sum([V(v * v) for v in x]).v ** 2


def sum_generator(x):
    return np.sin(sum(V(v) for v in x).v)


def sum_helper_list(x):
    return sum(_make(x)).v ** 3


def sum_radd_conditional(x):
    return sum([V3(np.tanh(v)) for v in x]).v * x[0]


@pytest.mark.parametrize(
    "f", [sum_comprehension, sum_generator, sum_helper_list, sum_radd_conditional]
)
def test_sum_radd_self(f):
    _both(f, X)


def test_sum_radd_self_one_item():  # `0 + item` is the item itself: Python's value
    def one(x):
        return sum([V(v) for v in x[:1]]).v * 2.0

    _both(one, X)


def test_sum_radd_self_empty_refused():  # Python's sum is the start 0, a number
    def empty(x):
        return sum([V(v) for v in x[:0]]).v

    with pytest.raises(srcad.SrcadError, match="empty list"):
        srcad.grad(empty)(X)


# -- 4. iterating a model passed as an argument ------------------------------------------------
class Dense:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w * x)


class Net:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        return iter(self.layers)


class Yields(Net):
    def __iter__(self):
        yield from self.layers


def _net(cls=Net):
    return cls([Dense(np.array([0.5, 1.0, -0.3, 2.0])), Dense(1.5), Dense(-0.7)])


def net_loop(x, net):
    for layer in net:
        x = layer(x)
    return np.sum(x**2)


def net_comprehensions(x, net):
    out = [layer(x) for layer in net]
    return np.sum(out[0] * out[-1]) + sum(np.sum(layer(x)) for layer in net)


@pytest.mark.parametrize("f", [net_loop, net_comprehensions])
def test_model_argument_iterated(f):
    check_grads(f, (X, _net()), modes=("fwd", "rev"), order=2, wrt=0)
    net = _net()
    _, (_, gnet) = srcad.value_and_grad(f, wrt=(0, 1))(X, net)
    w0, fd = net.layers[0].w.copy(), []
    for e in np.eye(4) * 1e-6:
        net.layers[0].w = w0 + e
        up = f(X, net)
        net.layers[0].w = w0 - e
        fd.append((up - f(X, net)) / 2e-6)
    net.layers[0].w = w0
    np.testing.assert_allclose(gnet.layers[0].w, fd, rtol=1e-5, atol=1e-7)


def test_model_argument_yields_refused():
    with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
        srcad.grad(net_loop)(X, _net(Yields))


# -- 5. objects updated at a loop position, a neighbour read by a modular index ----------------
class P:
    def __init__(self, x, y):
        self.x = x
        self.y = y


def field_written_in_loop(x):
    pts = [P(x[0], x[1]), P(x[1], x[2]), P(x[2], x[3])]
    s = 0.0
    for k in range(3):
        pts[k].x = pts[k].x * 2.0 + x[3]
        s = s + pts[k].x * pts[(k + 1) % 3].y - pts[k // 2].y
    return s + pts[0].x


def test_field_written_in_loop():
    _both(field_written_in_loop, X)


# -- 7. cmath.log ---------------------------------------------------------------------------------
def clog_parts(x):
    z = complex(x[0] + 2.0, x[1])
    return cmath.log(z).real + cmath.log(z * x[2]).imag * x[3]


def clog_base(x):
    z = complex(-(x[0] ** 2) - 1.0, x[1])  # the left half-plane, off the cut
    w = cmath.log(z, 10) + cmath.log10(z * z)
    return abs(w) + w.imag


def clog_negative_real(x):  # a real argument below 0: log|x| + pi i
    return cmath.log(x[1] - 2.0).imag * x[0] + cmath.log(x[2] - 3.0).real


@pytest.mark.parametrize("f", [clog_parts, clog_base, clog_negative_real])
def test_cmath_log(f):
    _both(f, X)


def clog_on_cut(x):
    return cmath.log(complex(x[0], x[1])).imag


@pytest.mark.parametrize("zero", [0.0, -0.0])
def test_cmath_log_branch_cut(zero):
    # on the cut: cmath's value is pi (imaginary part +0.0) or -pi (-0.0); the derivative in the
    # imaginary part is the slope of that side's branch, 1 / x0, as one-sided differences say
    x = np.array([-2.0, zero])
    g = srcad.grad(clog_on_cut)(x)
    side = np.copysign(1.0, zero)
    one_sided = (clog_on_cut(x + [0.0, side * 1e-7]) - clog_on_cut(x)) / (side * 1e-7)
    np.testing.assert_allclose(g, [0.0, -0.5], atol=1e-12)
    np.testing.assert_allclose(g[1], one_sided, rtol=1e-6)


def clog_varied_base(x):
    return cmath.log(complex(x[0], 1.0), x[1] + 3.0).real


def test_cmath_log_varied_base_refused():
    with pytest.raises(srcad.SrcadError, match="base"):
        srcad.grad(clog_varied_base)(X)


# -- 8. scipy.special -------------------------------------------------------------------------
def sici_both(x):
    s, c = sp.sici(x * 2.0)
    return np.sum(s * c)


def sici_one(x):
    return np.sum(sp.sici(x)[0] ** 2) + float(sp.sici(x[3])[1])


def fresnel_both(x):
    s, c = sp.fresnel(x * 2.0)
    return np.sum(s**2 + c * x)


def voigt(x):
    return np.sum(sp.voigt_profile(x, 0.7, 0.3) ** 2) + np.sum(sp.voigt_profile(x, 0.0, 0.4) * x)


def voigt_limits(x):  # a Gaussian (gamma 0) and scipy's negative sigma
    return sp.voigt_profile(x[0], 0.5, 0.0) + np.sum(sp.voigt_profile(x, -0.6, 0.3))


@pytest.mark.parametrize("f", [sici_both, sici_one, fresnel_both, voigt, voigt_limits])
def test_scipy_special(f):
    _both(f, X)


def voigt_varied_width(x):
    return np.sum(sp.voigt_profile(x, x[0] + 1.0, 0.3))


def test_voigt_varied_width_refused():
    with pytest.raises(srcad.SrcadError, match="sigma"):
        srcad.grad(voigt_varied_width)(X)
