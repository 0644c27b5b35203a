"""Session 10's `objs10` idioms (tests/corpus/users_objects10.py) at second order, and the
neighbours that must stay refused (Python raises there, or srcad cannot see the value)."""

from __future__ import annotations

import copy
import dataclasses
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import check_hvp_and_hessian, scalar_float_cases, users_objects10

X = np.array([0.7, -1.2, 0.4])
HVP = [c for c in users_objects10.CASES if c.extra == "hvp"]


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case) -> None:
    check_grads(case.fn, copy.deepcopy(case.args), modes=("fwd", "rev"), wrt=case.diff, order=2)


SCALAR = scalar_float_cases(HVP)


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian(case) -> None:
    check_hvp_and_hessian(case)


# -- neighbours: refused at transform time, located ---------------------------------------------
class _Lay:
    def __init__(self, w):
        self.w = w * 1.0

    def forward(self, x):
        self.inp = x
        return self.w * x


def read_before_set(x):
    layer = _Lay(x[0])
    return np.sum(layer.inp)  # Python: AttributeError


def set_on_one_branch(x):
    layer = _Lay(x[0])
    if x[1] > 0:
        layer.forward(x)
    return np.sum(layer.inp)  # Python: AttributeError when x[1] <= 0


def set_in_while_loop(x):
    layer = _Lay(x[0])
    k = 0
    while k < 2:
        layer.forward(x * k)
        k += 1
    return np.sum(layer.inp)  # (a while loop may run no round)


def returned_after_new_attribute(x):
    layer = _Lay(x[0])
    layer.forward(x)
    return layer  # rebuilt from its constructor's arguments, `inp` would be lost


@dataclasses.dataclass(frozen=True)
class _Frozen:
    a: float
    b: float


def frozen_dataclass_write(x):
    q = _Frozen(x[0], x[1])
    q.a = x[2]  # Python: FrozenInstanceError
    return q.a


class _NT(NamedTuple):
    a: float
    b: float


def namedtuple_write(x):
    p = _NT(x[0], x[1])
    p.a = x[2]  # Python: AttributeError
    return p.a


class _Shared:
    hist: list = []  # one list, shared by every instance

    def __init__(self, w):
        self.w = w * 1.0

    def add(self, v):
        self.hist.append(v * self.w)


def shared_class_list(x):
    a, b = _Shared(x[0]), _Shared(x[1])
    a.add(x[2])
    b.add(x[0])
    return sum(a.hist) + len(b.hist)


class _Box:
    def __init__(self, v):
        self.v = v


class _Num:
    def __init__(self, a):
        self.a = a * 1.0

    def __add__(self, o):
        return _Num(self.a + o)


def op_assign_object_field(x):
    b = _Box(_Num(x[0]))
    b.v += x[1]  # __iadd__ falls back to __add__: not followed here
    return b.v.a


@pytest.mark.parametrize(
    "fn, words",
    [
        (read_before_set, "reads `inp` of a `_Lay` object, which `__init__` does not set"),
        (set_on_one_branch, "reads `inp` of a `_Lay` object"),
        (set_in_while_loop, "reads `inp` of a `_Lay` object"),
        (returned_after_new_attribute, "uses a `_Lay` object as a value"),
        (frozen_dataclass_write, "assigning to attributes is not supported"),
        (namedtuple_write, "assigning to attributes is not supported"),
        (shared_class_list, "append"),
        (op_assign_object_field, "`op=` on the field `v` holding a `_Num` object"),
    ],
)
def test_neighbours_stay_refused(fn, words) -> None:
    with pytest.raises(srcad.SrcadError, match=words) as e:
        srcad.grad(lambda x: np.sum(fn(x)))(X) if fn is returned_after_new_attribute else (
            srcad.grad(fn)(X)
        )
    assert "test_objs10.py:" in str(e.value)


def test_new_attribute_per_instance() -> None:
    """`self.inp` of two layers are two values; a class constant is each instance's start."""

    def f(x):
        a, b = _Lay(x[0]), _Lay(x[1])
        a.forward(x)
        b.forward(x * x)
        return np.sum(a.inp * b.inp) + np.sum(a.forward(x[2]))

    g = srcad.grad(f)(X)
    eps = 1e-6
    fd = np.array([(f(X + eps * e) - f(X - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    assert srcad.primal(f)(X) == pytest.approx(f(X), rel=1e-12)


def test_written_new_attribute_is_not_seen_by_a_fresh_object() -> None:
    """A second object of the class, built after the first's attribute was written, has none."""

    def f(x):
        a = _Lay(x[0])
        a.forward(x)
        b = _Lay(x[1])
        return np.sum(a.inp) + np.sum(b.inp)  # Python: AttributeError on b

    with pytest.raises(srcad.SrcadError, match="reads `inp` of a `_Lay`"):
        srcad.grad(f)(X)


# -- WRONG before: a parameter's default list, shared by every object built without that argument,
# was a fresh value per object here (primal 1.42 for Python's 2.12): now the class is called when
# the code runs (then its methods' writes are refused, or run by Python)
class _Hist:
    def __init__(self, w, hist=[]):  # noqa: B006 - the shared default is the point
        self.w = w * 2.0
        self.hist = hist

    def add(self, v):
        self.hist.append(v * self.w)


def shared_default_list(x):
    a = _Hist(x[0])
    a.add(x[1])
    b = _Hist(x[2])
    b.add(x[0])
    return sum(b.hist) * 1.0 + len(a.hist)


def test_shared_default_argument_is_right_or_refused() -> None:
    want = shared_default_list(X.copy())
    _Hist.__init__.__defaults__[0].clear()
    try:
        got = srcad.primal(shared_default_list)(X.copy())
    except srcad.SrcadError:
        return
    finally:
        _Hist.__init__.__defaults__[0].clear()
    assert got == pytest.approx(want, rel=1e-12)


class _Tally:
    n = 5

    def __init__(self, w):
        self.w = w * 1.0

    def tick(self, v):
        self.n += 1
        return self.w * v * self.n


def test_class_constant_start_is_read_when_it_runs() -> None:
    """`self.n += 1` starts from the class's `n` as it is at the call, not when transformed."""

    def f(x):
        a = _Tally(x[0])
        return a.tick(x[1]) + a.tick(x[2])

    g = srcad.grad(f)
    for n in (5, 0, 2):
        _Tally.n = n
        assert srcad.primal(f)(X) == pytest.approx(f(X), rel=1e-12)
        np.testing.assert_allclose(g(X), [X[1] * (n + 1) + X[2] * (n + 2), X[0] * (n + 1),
                                          X[0] * (n + 2)], rtol=1e-12)  # fmt: skip
    _Tally.n = 5


# -- what the transforms of global objects read at transform time: rebound, a new transform ------
def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


class _Enc:
    def forward(self, x):
        return 1.1 * x * x


class _Enc2:
    def forward(self, x):
        return 0.7 * x**3


class _Net:
    def __init__(self):
        self.enc = _Enc()
        self.k = 1.1

    def loss(self, x):
        return np.sum(self.enc.forward(x)) * self.k


_MD = _Net()


class _V:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return _V(self.a + o.a, self.b + o.b)

    def __mul__(self, k):
        return _V(self.a * k, self.b * k * k)

    def dot(self, o):
        return self.a * o.a + self.b * o.b


class _W(_V):
    def __mul__(self, k):
        return _W(self.a * k * 3.0, self.b)


class _Holder:
    def __init__(self, c):
        self.c = c

    def go(self, p):
        d = self.c * p
        return (d + self.c).dot(d)


_HG = _Holder(_V(1.5, -0.5))
_NS = __import__("types").SimpleNamespace(act=np.tanh)


class _Sq:
    def __init__(self, a):
        self.a = a

    def __call__(self, x):
        return self.a * x * x

    def cube(self, x):
        return self.a * x**3


_H = _Sq(2.0).__call__


def test_global_objects_rebound_between_calls() -> None:
    global _H

    def model(x):
        return _MD.loss(x)

    def holder(x):
        return _HG.go(x[0]) + x[1]

    def namespace(x):
        return np.sum(_NS.act(x) ** 2)

    def bound(x):
        return np.sum(_H(x))

    x = np.array([0.6, -0.8])
    grads = {f: srcad.grad(f) for f in (model, holder, namespace, bound)}

    def check():
        for f, g in grads.items():
            np.testing.assert_allclose(g(x), _fd(f, x), rtol=1e-6, atol=1e-8)
            assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-12)

    check()
    _MD.enc, _MD.k = _Enc2(), 3.0
    _HG.c = _W(2.0, 1.0)
    _NS.act = np.sin
    _H = _Sq(5.0).cube
    check()
    _HG.c.a = 4.0
    _Net.loss = lambda self, x: np.sum(x) * 5.0
    check()


def test_global_method_updating_state_runs_as_python() -> None:
    """A global object's method that updates its state is not inlined: its primal is Python's
    call (the derivative stays refused, as before)."""

    class Acc:
        def __init__(self):
            self.enc = _Enc()
            self.w = np.array([1.0, 2.0])

        def loss(self, x):
            w = self.w
            w *= 2.0
            return np.sum(self.enc.forward(x) * w)

    acc = Acc()

    def f(x):
        return acc.loss(x)

    want = f(X[:2].copy())
    acc.w = np.array([1.0, 2.0])
    assert srcad.primal(f)(X[:2].copy()) == pytest.approx(want, rel=1e-12)


def test_comprehension_names_are_its_own() -> None:
    """`sum(... for p in ps)` after `for p in ps:` loops does not make the loops carry `p` (an
    object with written fields, which could not be a run-time value)."""
    case = next(c for c in users_objects10.CASES if c.fn.__name__ == "particles_pairwise_forces")
    x = case.args[0]
    g = srcad.grad(case.fn)(x.copy())
    np.testing.assert_allclose(g, _fd(case.fn, x), rtol=1e-5, atol=1e-7)

    def shadow(x):
        p = x[0] * 2.0
        ys = [p * v for p in x for v in x]
        return p + sum(ys)

    np.testing.assert_allclose(srcad.grad(shadow)(X), _fd(shadow, X), rtol=1e-6, atol=1e-8)
