"""What refuse33b accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), and the
neighbours that must stay refused or raise Python's error (tests/corpus/users_refuse33b.py holds
the corpus cases):

1. ``NT(*x[1:3])`` of a namedtuple: its generated ``__new__`` names the items
   (lower/starcalls.class_call), with Python's TypeError for a slice of the wrong length and the
   field's default for a short one.
2. ``collections.OrderedDict([(k, v), ...])`` (or keywords) read as a dict: ``dict(pairs)``
   (lower/ordereddicts.py); compared with ``==`` (order matters) or returned, it stays refused.
3. A global list (tuple) of int tags passed to a helper doing ``j = tags[i]; j += 1``: the
   caller tells the helper's mutation check the list holds numbers (ad/callfacts.global_numbers),
   a recorded read: once an item is a list, the transform is made again (and refused); the
   helper extending the list itself (``tags += [3]``) stays refused.
4. ``for i in range(n): setattr(self, f"w{i}", v)`` in ``__init__`` (`n` an argument or a
   literal) and ``getattr(self, f"w{i}")`` in a method over ``range(self.n)``: the loops are
   unrolled (lower/attrloops.py), the names constants; ``setattr(self, "w", v)`` alone in
   ``__init__`` is ``self.w = v`` (lower/objinit._flat). Written through a second name, the
   object is right; a loop reading a layer that was never set stays refused (Python's
   AttributeError).
5. A lambda or nested def given to a user class's constructor (``Integrator(lambda t, y: -k * y,
   y0).run()``) or to a method of an object built here: kept with the environment of the call
   (lower/objfns.py) when every variable of the function around it that it reads is assigned
   once outside loops (Python's late binding then reads the same values). A variable rebound
   after the object is made, a loop making one object per round, or a lambda stored by a method
   and read after a rebinding, stays refused; an in-place update of what it reads is refused
   by the mutation check.
6. ``__init__`` calling a helper that sets attributes of its argument (``init(self, x)`` with
   ``def init(m, x): m.w = x * 2``): the fields it sets are known from its source
   (lower/inithelpers.py) and the call is inlined with the object being built. A helper that
   sets a field conditionally, updates one in place or has another effect stays refused; the
   same helper called on a second name for the object after it is built is right.
"""

from __future__ import annotations

import collections
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. a namedtuple built from a spread array slice --------------------------------------------
class NT(NamedTuple):
    a: float
    b: float


class NTd(NamedTuple):
    a: float
    b: float = 3.0


def nt_slice(x):
    p = NT(*x[1:3])
    return p.a * p.b**2 + x[0]


def nt_default_left(x):
    p = NTd(*x[3:])  # one item: `b` takes its default
    return p.a * p.b + x[0] ** 2


@pytest.mark.parametrize("f", [nt_slice, nt_default_left])
def test_namedtuple_from_spread_slice(f):
    _both(f, X)
    check_scalar(f, X)


def test_namedtuple_spread_of_wrong_length_raises_as_python():
    def f(x):
        p = NT(*x[1:])  # three items for two fields
        return p.a * p.b

    with pytest.raises(TypeError):
        f(X)
    with pytest.raises(TypeError):
        srcad.grad(f)(X)
    assert srcad.grad(f)(X[:3])[1] == X[2]  # two items: fine


# -- 2. an OrderedDict built from pairs ---------------------------------------------------------
def od_pairs(x):
    d = collections.OrderedDict([("a", x[0]), ("b", x[1] * 2.0), ("a", x[2] ** 2)])
    return d["a"] * d["b"] + sum(d.values()) * len(d)


def od_keywords(x):
    d = collections.OrderedDict(u=np.sin(x), v=x * x)
    return np.sum(d["u"] * d["v"]) + np.sum(list(d.values())[0])


@pytest.mark.parametrize("f", [od_pairs, od_keywords])
def test_ordered_dict_from_pairs(f):
    _both(f, X)
    check_scalar(f, X)


def od_compared(x):
    d = collections.OrderedDict([("a", x[1]), ("b", 2.0)])
    e = collections.OrderedDict([("b", 2.0), ("a", x[1])])  # equal as dicts, not as these
    return x[0] * (2.0 if d == e else 3.0)


def od_returned(x):
    d = collections.OrderedDict([("a", x[0]), ("b", x[1])])
    return d


def od_constant_compared(x):
    d = collections.OrderedDict([("a", 1.0), ("b", 2.0)])  # constants: run as Python runs them
    e = collections.OrderedDict([("b", 2.0), ("a", 1.0)])
    return x[0] * (2.0 if d == e else 3.0)


def test_ordered_dict_compared_stays_refused():
    assert srcad.grad(od_constant_compared)(X)[0] == 3.0
    with pytest.raises(srcad.SrcadError, match="OrderedDict"):
        srcad.grad(od_compared)(X)
    with pytest.raises(srcad.SrcadError, match="OrderedDict"):
        srcad.jacrev(od_returned)(X)


# -- 3. a global list of int tags passed to a helper --------------------------------------------
TAGS = [0, 2, 1]
TAGS_T = (3, 1)


def _shift_sum(tags, x):
    s = 0.0
    for i in range(len(tags)):
        j = tags[i]
        j += 1
        s = s + x[j % 4] ** 2
    return s


def _first_last(tags, x):
    k = tags[0]
    for t in tags[1:]:
        k += t
    return x[k % 4] * x[tags[-1]]


def tags_list(x):
    return _shift_sum(TAGS, x) * x[0]


def tags_tuple(x):
    return _first_last(TAGS_T, x) + _shift_sum(TAGS_T, x)


@pytest.mark.parametrize("f", [tags_list, tags_tuple])
def test_global_int_tags_passed_to_a_helper(f):
    _both(f, X)
    check_scalar(f, X)


MIXED = [1.0, 2.0]


def _doubles_first(tags, x):
    j = tags[0]
    j *= 2  # a number: rebinds `j`; a list: extends `tags[0]` in place
    return np.sum(x[:2]) * np.sum(tags[0]) + j * x[2]


def mixed_tags(x):
    return _doubles_first(MIXED, x)


def test_global_tags_whose_item_becomes_a_list_are_transformed_again():
    g = srcad.grad(mixed_tags)(X)
    np.testing.assert_allclose(g, [1.0, 1.0, 2.0, 0.0])
    MIXED[0] = [1.0]
    try:
        with pytest.raises(srcad.SrcadError, match="modifies its argument `tags`"):
            srcad.grad(mixed_tags)(X)
    finally:
        MIXED[0] = 1.0
    np.testing.assert_allclose(srcad.grad(mixed_tags)(X), g)


def _extends(tags, x):
    tags += [3]
    return sum(x[t] for t in tags)


def tags_extended(x):
    return _extends(TAGS, x)


def test_helper_extending_global_tags_stays_refused():
    with pytest.raises(srcad.SrcadError, match="modifies its argument `tags`"):
        srcad.grad(tags_extended)(X)


# -- 4. layers stored with setattr(self, f"w{i}", ...) and read with getattr -----------------------
class Layers:
    def __init__(self, x, n):
        self.n = n
        for i in range(n):
            setattr(self, f"w{i}", x * (i + 1.0))

    def out(self):
        s = 0.0
        for i in range(self.n):
            s = s + np.sum(getattr(self, f"w{i}") ** 2)
        return s


class Named:
    def __init__(self, x):
        setattr(self, "w", x * 2.0)  # noqa: B010 (the form under test)
        setattr(self, "b", np.sum(x))  # noqa: B010

    def out(self):
        return np.sum(getattr(self, "w") ** 3) + self.b  # noqa: B009


def layers_out(x):
    return Layers(x, 3).out()


def layers_second_name(x):
    a = Layers(x, 2)
    b = a
    setattr(b, "w0", x * 5.0)  # noqa: B010 (`a` is the same object)
    return a.out()


def layers_scaled_in_a_loop(x):
    a = Layers(x, 2)
    for i in range(2):
        setattr(a, f"w{i}", getattr(a, f"w{i}") * x[0])
    return a.out()


def named_out(x):
    return Named(x).out()


@pytest.mark.parametrize("f", [layers_out, layers_second_name, layers_scaled_in_a_loop, named_out])
def test_setattr_layers(f):
    _both(f, X)
    check_scalar(f, X)


def layers_read_past_the_end(x):
    a = Layers(x, 2)
    a.n = 3  # Python: AttributeError for `w2`
    return a.out()


def test_layer_never_set_stays_refused():
    with pytest.raises(AttributeError):
        layers_read_past_the_end(X)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(layers_read_past_the_end)(X)


# -- 5. a lambda given to a user class's constructor or method ------------------------------------
class Integrator:
    def __init__(self, f, y0):
        self.f = f
        self.y = y0

    def run(self):
        y = self.y
        for i in range(4):
            y = y + 0.1 * self.f(0.1 * i, y)
        return y


class Holder:
    def set(self, f):
        self.f = f

    def go(self, z):
        return self.f(z)

    def apply(self, f, z):
        return f(z) * 2.0


def integ_lambda(x):
    k = x[0]
    return np.sum(Integrator(lambda t, y: -k * y + t, x[1:]).run() ** 2)


def integ_nested_def(x):
    k = np.sin(x[0])

    def rhs(t, y):
        return -k * y * y

    integ = Integrator(rhs, x[1:])
    return np.sum(integ.run())


def method_given_lambda(x):
    c = x[0] * 2.0
    h = Holder()
    return np.sum(h.apply(lambda z: np.tanh(z) * c, x) + h.apply(lambda z: z**3, x))


@pytest.mark.parametrize("f", [integ_lambda, integ_nested_def, method_given_lambda])
def test_lambda_given_to_a_class(f):
    _both(f, X)
    check_scalar(f, X)


def integ_rebound(x):
    k = x[0]
    integ = Integrator(lambda t, y: -k * y, x[1:])
    k = x[1]  # Python's lambda reads this one
    return np.sum(integ.run())


def integ_per_round(x):
    objs = []
    for j in range(2):
        k = x[j]
        objs.append(Integrator(lambda t, y: -k * y, x[1:]))  # noqa: B023 (all read the last `k`)
    return sum(np.sum(o.run()) for o in objs)


def holder_rebound(x):
    k = x[0]
    h = Holder()
    h.set(lambda z: k * z)
    k = x[1]
    return np.sum(h.go(x))


@pytest.mark.parametrize("f", [integ_rebound, integ_per_round, holder_rebound])
def test_lambda_reading_a_rebound_name_stays_refused(f):
    with pytest.raises(srcad.SrcadError, match="nested function `<lambda>` is used as a value"):
        srcad.grad(f)(X)


def integ_updated_in_place(x):
    k = x * 1.0
    integ = Integrator(lambda t, y: -k[0] * y, x[1:])
    k[0] = 5.0  # Python's lambda reads the updated array
    return np.sum(integ.run())


def test_lambda_reading_an_updated_array_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(integ_updated_in_place)(X)


# -- 6. __init__ calling a helper that sets attributes of its argument ----------------------------
def init(m, x):
    m.w = x * 2.0
    m.b = np.sum(x)


def init_if_positive(m, x):
    if x[0] > 0:
        m.w = x


def init_in_place(m, x):
    m.w[0] = x[0]


EVENTS = []


def init_logged(m, x):
    m.w = x
    EVENTS.append(1)


class ByHelper:
    def __init__(self, x):
        self.w = x * 1.0
        init(self, x * 3.0)
        self.c = self.w * self.b

    def f(self):
        return np.sum(self.c + self.w**2)


class ByHelperIf:
    def __init__(self, x):
        init_if_positive(self, x)


class ByHelperInPlace:
    def __init__(self, x):
        self.w = x * 1.0
        init_in_place(self, x * 3.0)


class ByHelperLogged:
    def __init__(self, x):
        init_logged(self, x)


def by_helper(x):
    return ByHelper(x).f()


def by_helper_second_name(x):
    a = ByHelper(x)
    b = a
    init(b, x * 5.0)  # `a` sees the new fields
    return a.f() + np.sum(a.w)


@pytest.mark.parametrize("f", [by_helper, by_helper_second_name])
def test_init_calling_a_helper_on_self(f):
    _both(f, X)
    check_scalar(f, X)


@pytest.mark.parametrize("cls", [ByHelperIf, ByHelperInPlace, ByHelperLogged])
def test_init_helpers_not_followed_stay_refused(cls):
    def f(x):
        return np.sum(cls(x).w)

    with pytest.raises(srcad.SrcadError, match="run-time value"):
        srcad.grad(f)(X)
