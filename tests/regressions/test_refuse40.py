"""What fix40a accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
second order where it applies), and the neighbours that stay refused:

a. ``for l in layers: x = l(x)`` where `layers` is a plain list (or tuple) ARGUMENT of user
   objects: the items' classes and the list's length are part of the cache key
   (`Spec.items`), the loop is unrolled for them (ad/layouts.py, which also checks them when
   it runs), so each ``l(x)`` is that class's ``__call__``. Another length or class makes
   another transform; a parameter held in the layers is differentiated through `wrt=1`.
b. (left refused) ``for p in m.parameters(): p -= 0.1 * p``: an in-place update of arrays an
   object's fields hold, through a list a method returns (the argument's: no write-back into
   an object's fields; a local object's: the alias check's "an element of a container (`p`) is
   read after the object it shares with another name is updated"), and two optimizer objects
   sharing one params dict (a dict held by three names, written through one: srcad's values
   are not shared objects).
c. ``self.f = lambda v: v * self.a`` in the ``__init__`` of an object built in the function,
   called in a method: the lambda is kept with ``__init__``'s environment when each variable
   of ``__init__`` it reads is fixed there (lower/objfns.keep with ``__init__`` as the root),
   so ``self`` is the object and ``self.a`` its field when called (a later ``o.a = ...`` is
   seen, as in Python). A lambda reading an ``__init__`` variable assigned after it, or twice,
   and such an object passed as an ARGUMENT (its instance attribute `f` is not in the cache
   key), and ``o.f(x)`` read outside the class's methods (lower/unfollowed.py) stay refused.
d. ``it = iter(xs); first = next(it); rest = sum(it)``: a name lowered as an (items, position)
   pair (lower/iterstate.py) may end with ``sum``/``list``/``tuple``/``sorted``/``max``/``min``
   of it, its last use under no loop: ``items[position:]``. ``iter([x * 1.0, np.sin(x)])``: a
   module's function call in the argument (``np.sin``) no longer counts as a write of ``np``.
   ``sum(itertools.islice(gen(x), 6))`` of a generator function (endless ones too): its body
   builds the first 6 items and returns (lower/generators._full), as Python's islice pulls
   them. ``zip(gen1(x), gen2(x))`` and ``for v in islice(gen(x), k)``: iter41c (test_iter41c.py).
e. ``nonlocal acc`` in a nested function called in a loop: accepted already (the call inlined
   where it is, `acc` a loop carry); checked here, a number, a product and an array with a
   counter.
f. ``while s:`` (and ``if s:``) of an object built here whose class defines ``__bool__``: the
   method inlined as the test (lower/objops.truth), so the object stays one and the body's
   ``s.n -= 1`` is a field write; it was the object used as a value, and the write refused.
   ``while bool(s):``: iter41c (test_iter41c.py).
"""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.2, 0.5])
W = np.array([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [0.7, 0.8, -0.9]])


# -- a. a list of layer objects passed as an argument ------------------------------------------
class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)


class Square:
    def __init__(self, s):
        self.s = s

    def __call__(self, x):
        return self.s * x**2


def run_layers(x, layers):
    for layer in layers:
        x = layer(x)
    return sum(x)


def _layers(n):
    return [Dense(W * (k + 1) * 0.5, X * (k - 1)) for k in range(n)]


def _fd(f, x, *rest, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *rest) - f(x - eps * e, *rest)) / (2 * eps) for e in np.eye(3)]
    )


def test_layer_list_argument():
    check_grads(run_layers, (X, _layers(2)), modes=("fwd", "rev"), order=2, wrt=0)
    check_grads(run_layers, (X, tuple(_layers(2))), modes=("fwd", "rev"), order=2, wrt=0)


def test_layer_list_length_and_class_make_new_transforms():
    g = srcad.grad(run_layers)
    for layers in (_layers(2), _layers(3), [*_layers(1), Square(0.5)], _layers(2)):
        np.testing.assert_allclose(g(X, layers), _fd(run_layers, X, layers), rtol=1e-6, atol=1e-8)
    grown = _layers(1)
    first = g(X, grown)
    grown.append(Dense(W.T, X))  # the same list object, one more layer
    np.testing.assert_allclose(g(X, grown), _fd(run_layers, X, grown), rtol=1e-6, atol=1e-8)
    assert not np.allclose(first, g(X, grown))


def test_layer_list_parameters():
    layers = _layers(2)
    grads = srcad.grad(run_layers, wrt=1)(X, layers)
    eps = 1e-6
    for k, name in [(0, "w"), (0, "b"), (1, "w"), (1, "b")]:
        got = getattr(grads[k], name)
        v = getattr(layers[k], name)
        for idx in np.ndindex(v.shape):
            up, down = copy.deepcopy(layers), copy.deepcopy(layers)
            getattr(up[k], name)[idx] += eps
            getattr(down[k], name)[idx] -= eps
            fd = (run_layers(X, up) - run_layers(X, down)) / (2 * eps)
            assert abs(got[idx] - fd) < 1e-7


# -- d. iterators: the rest of ``iter(xs)`` at once, ``islice`` of a generator function --------
def next_then_sum(x):
    xs = [x[0], x[1], x[2]]
    it = iter(xs)
    first = next(it)
    rest = sum(it)
    return first * rest


def next_then_list(x):
    it = iter([x * 1.0, x**2, np.sin(x)])
    first = next(it)
    rest = list(it)
    return np.sum(first * rest[0]) + np.sum(rest[1] ** 2)


def next_then_max_sorted(x):
    it = iter(x)
    a = next(it)
    b = sorted(it)
    return a * b[0] + b[-1]


def endless(x):
    v = x[0]
    while True:
        yield v
        v = v * 0.5 + x[1]


def finite(x):
    for i in range(3):
        yield x[i] ** 2
        yield from [x[i], 2.0 * x[i]]


def islice_endless(x):
    return sum(itertools.islice(endless(x), 6))


def islice_stepped(x):
    return sum(itertools.islice(endless(x), 1, 7, 2))


def islice_finite(x):
    return sum(itertools.islice(finite(x), 5)) + max(itertools.islice(finite(x), 20))


@pytest.mark.parametrize(
    "f",
    [
        next_then_sum,
        next_then_list,
        next_then_max_sorted,
        islice_endless,
        islice_stepped,
        islice_finite,
    ],
)
def test_iterators(f):
    assert np.allclose(srcad.primal(f)(X), f(X))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


# -- c. a lambda stored in ``self.f`` by ``__init__`` ---------------------------------------------
class Scaled:
    def __init__(self, a):
        self.a = a
        self.f = lambda v: v * self.a

    def run(self, x):
        return np.sum(self.f(x) ** 2)

    def bump(self):
        self.a = self.a * 2.0


class Shifted:
    def __init__(self, a):
        self.f = lambda v: np.sin(v) * a

    def __call__(self, x):
        return np.sum(self.f(x))


class LateName:
    def __init__(self, a):
        self.f = lambda v: v * b
        b = a * 2.0


def lambda_field(x):
    return Scaled(x[0]).run(x)


def lambda_field_rewritten(x):
    o = Scaled(2.0)
    o.a = x[1]
    o.bump()
    return o.run(x)


def lambda_closure_param(x):
    return Shifted(x[2])(x) * x[0]


def lambda_late_name(x):
    return np.sum(LateName(x[0]).f(x))


@pytest.mark.parametrize("f", [lambda_field, lambda_field_rewritten, lambda_closure_param])
def test_lambda_in_init(f):
    assert np.allclose(srcad.primal(f)(X), f(X))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_lambda_in_init_reading_a_later_name_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(lambda_late_name)(X)


# -- f. ``while s:`` of an object with ``__bool__`` ---------------------------------------------
class Countdown:
    def __init__(self, n):
        self.n = n

    def __bool__(self):
        return self.n > 0


def while_object(x):
    s = Countdown(3)
    t = x
    while s:
        t = np.sin(t) * x[0]
        s.n -= 1
    return np.sum(t)


def while_object_tolerance(x):
    s = Countdown(2)
    t = x * 1.0
    while s:
        t = t - 0.1 * np.tanh(t)
        s.n = s.n - 1
    if s:
        t = t * 100.0
    return np.sum(t**2)


@pytest.mark.parametrize("f", [while_object, while_object_tolerance])
def test_while_object_bool(f):
    assert np.allclose(srcad.primal(f)(X), f(X))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


# -- e. ``nonlocal`` in a nested function called in a loop (accepted already) -------------------
def nonlocal_sum(x):
    acc = 0.0

    def add(v):
        nonlocal acc
        acc += v

    for i in range(3):
        add(x * i)
    return np.sum(acc)


def nonlocal_product(x):
    acc = x[0]

    def mul(v):
        nonlocal acc
        acc = acc * v

    for i in range(3):
        mul(x[i] + 1.0)
    return acc


def nonlocal_two(x):
    acc = np.zeros(3)
    n = 0

    def add(v):
        nonlocal acc, n
        acc = acc + np.sin(v)
        n += 1

    for i in range(3):
        add(x * i)
    return np.sum(acc) / n


@pytest.mark.parametrize("f", [nonlocal_sum, nonlocal_product, nonlocal_two])
def test_nonlocal_in_loop(f):
    assert np.allclose(srcad.primal(f)(X), f(X))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)
