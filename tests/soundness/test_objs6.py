"""Session 6's `objs` idioms (tests/corpus/users_objects6.py) at second order, and their
neighbours that must stay refused (located, at the user's line) or be exact: a property replaced
on the class re-makes the transform; a class with its own ``__getattribute__`` keeps its
properties refused; ``dataclasses.replace`` of a dataclass that is no record is refused at the
``replace``, not at a later attribute read."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import check_hvp_and_hessian, scalar_float_cases, users_objects6

X = np.array([0.3, -0.7, 1.2])
HVP = [c for c in users_objects6.CASES if c.extra == "hvp"]


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case) -> None:
    check_grads(case.fn, copy.deepcopy(case.args), modes=("fwd", "rev"), wrt=case.diff, order=2)


SCALAR = scalar_float_cases(HVP)


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian(case) -> None:
    check_hvp_and_hessian(case)


class _Prop:
    def __init__(self, a):
        self.a = a

    @property
    def sq(self):
        return self.a * self.a


def _prop_user(x):
    return _Prop(x[0]).sq * x[1]


def test_property_replaced_on_the_class_remakes_the_transform() -> None:
    g = srcad.grad(_prop_user)
    np.testing.assert_allclose(g(X), [2 * X[0] * X[1], X[0] ** 2, 0.0])
    old = _Prop.sq
    try:
        _Prop.sq = property(lambda self: self.a * 3.0)
        np.testing.assert_allclose(g(X), [3.0 * X[1], 3.0 * X[0], 0.0])
    finally:
        _Prop.sq = old
    np.testing.assert_allclose(g(X), [2 * X[0] * X[1], X[0] ** 2, 0.0])


class _OwnAccess:
    def __init__(self, a):
        self.a = a

    def __getattribute__(self, name):
        return object.__getattribute__(self, name)

    @property
    def sq(self):
        return self.a * self.a


def _own_access_user(x):
    return _OwnAccess(x[0]).sq * x[1]


def test_property_of_class_with_own_attribute_access_stays_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="test_objs6.py:.*"):
        srcad.grad(_own_access_user)(X)


@dataclasses.dataclass
class _Post:
    p: float
    q: float

    def __post_init__(self):
        self.r = 2.0


def _replace_post(x, s):
    s = dataclasses.replace(s, q=x[0])
    return s.p * s.q


def test_replace_of_non_record_dataclass_is_refused_at_the_replace() -> None:
    with pytest.raises(srcad.SrcadError, match=r"test_objs6\.py:\d+:\d+: .*replaces fields") as e:
        srcad.grad(_replace_post)(X, _Post(1.0, 2.0))
    assert "dataclasses.replace(s, q=x[0])" in str(e.value)


class _Built:
    def __init__(self, a):
        self.a2 = a * 2.0  # computed: built in the lowered code (lower/objects.py)

    @property
    def sq(self):
        return self.a2 * self.a2

    @staticmethod
    def f(v):
        return v * 3.0

    def g(self, v):
        return self.f(v) * self.a2


def _built_user(x):
    m = _Built(x[0])
    return m.sq * x[1] + m.g(x[2])


def _built_grad(x, k):
    return [8 * x[0] * x[1] + 2.0 * k * x[2], 4 * x[0] ** 2, 2 * k * x[0]]


def _times5(v):
    return v * 5.0


def test_methods_of_built_objects_replaced_on_the_class_remake_the_transform() -> None:
    g = srcad.grad(_built_user)
    np.testing.assert_allclose(g(X), _built_grad(X, 3.0))
    info = srcad.cache_info()
    np.testing.assert_allclose(g(X), _built_grad(X, 3.0))  # a hit: the reads are current
    assert srcad.cache_info().misses == info.misses
    old = _Built.__dict__["f"]
    try:
        _Built.f = staticmethod(_times5)
        np.testing.assert_allclose(g(X), _built_grad(X, 5.0))
        _Built.f = staticmethod(lambda v: v * 5.0)  # of the object built again: refused
        with pytest.raises(srcad.SrcadError, match="cannot differentiate through `_Built"):
            g(X)
    finally:
        _Built.f = old
    np.testing.assert_allclose(g(X), _built_grad(X, 3.0))


# -- objects whose fields are written (lower/objstate.py): the neighbours that stay refused ----
class _Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total += v
        self.n += 1
        return self.n


def _total(a):
    return a.total


def stored_after_write(x):
    a = _Acc()
    a.add(x[0])
    lst = [a, 0.0]  # a run-time list (a list of objects only is known: lower/objseq.py)
    return lst[0].total


def stored_before_write(x):
    a = _Acc()
    lst = [a, 0.0]
    a.add(x[0])  # Python: lst[0] sees the write
    return lst[0].total


def returned_after_write(x):
    a = _Acc()
    a.add(x[0])
    return a


def argument_object(a, x):
    a.total = x * 2.0
    return a.total


def while_condition_writes(x):
    a = _Acc()
    while a.add(x[1]) < 3:
        pass
    return a.total


def lazy_generator_writes(x):
    a = _Acc()
    g = (a.add(v) for v in x)
    t = a.total
    return sum(g) + t


class _Holds:
    def __init__(self, v):
        self.buf = v  # the argument itself: `+=` updates it in Python
        self.n = 0

    def push(self, v):
        self.buf += v
        self.n += 1


def field_aliases_argument(x):
    h = _Holds(x)
    h.push(x * 2.0)
    return np.sum(h.buf) + np.sum(x)


@pytest.mark.parametrize(
    "fn, words",
    [
        (stored_after_write, "uses a `_Acc` object as a value"),
        (stored_before_write, "already used as a value"),
        (returned_after_write, "uses a `_Acc` object as a value"),
        (while_condition_writes, "`while` condition writes the field"),
        (lazy_generator_writes, "writes the field `n`"),
        (field_aliases_argument, "argument `x` is updated"),
    ],
)
def test_field_writes_python_would_see_elsewhere_are_refused(fn, words) -> None:
    with pytest.raises(srcad.SrcadError, match=words) as e:
        srcad.grad(fn)(X)
    assert "test_objs6.py:" in str(e.value)


def test_field_write_of_an_argument_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="the attribute `total`") as e:
        srcad.grad(argument_object, wrt=1)(_Acc(), 2.0)
    assert "return a.total" in str(e.value)
