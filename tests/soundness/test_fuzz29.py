"""Session 29 (fuzz29): user methods named like NumPy's pure ones, and properties with effects.

- A user class's method named like a pure NumPy method that updates its object (``sum``
  assigning ``self.w``) was refused only when called on a parameter (``q.sum()``); on an object
  read out of another (``h.inner.sum()``), out of a list (``qs[0].sum()``) or a loop's variable
  (``for q in qs: q.sum()``) CSE merged the reads of ``.w`` around the call and DCE dropped it:
  the primal and the gradient used the old field. Such calls are now marked
  ``receiver_may_update`` before the optimiser runs (passes/shadowed_methods.record) and it treats
  them as calls that may update what they reach; on a helper's parameter of a known class
  (``_helper(q)`` calling ``q.sum()``) the call is refused as on the entry point's.
- A property whose getter updates the object (``self.n += 1``) read twice (``q.ticked * x +
  q.ticked * x``) was read once: refused now, on the entry point's parameters and wherever the
  transform calls a known class's getter. On an object of no known class (``h.inner.ticked``,
  ``qs[0].ticked``) the reads are kept apart instead (``read_may_update``): Python's count.
- Found by the wild grammar's new `q_class_list` form: a class defined in the function whose body
  defines a method or constant named like a builtin or global the function reads (``def sum``,
  ``C = 5.0``) made that name a local of the function (lower/survey.py walked the class body as
  the function's own scope): ``sum([...])`` after it was refused as "local variable `sum` is read
  before it is assigned". A class body's names are its attributes, not the function's locals.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad

from .numeric import check_scalar


class Shadowing:
    def __init__(self, w):
        self.w = w
        self.n = 0

    def sum(self):
        self.w = self.w * 2.0
        return 1.0

    @property
    def ticked(self):
        self.n += 1
        return self.n


class Holder:
    def __init__(self, inner):
        self.inner = inner


def inner_sum(x, h):
    a = h.inner.w[0] * x
    h.inner.sum()
    return a + h.inner.w[0] * x


def item_sum(x, qs):
    a = qs[0].w[0] * x
    qs[0].sum()
    return a + qs[0].w[0] * x


def loop_sum(x, qs):
    s = 0.0
    for q in qs:
        a = q.w[0] * x
        q.sum()
        s = s + a + q.w[0] * x
    return s


def _fresh():
    return Shadowing(np.array([1.0, 2.0]))


@pytest.mark.parametrize(
    "fn, arg",
    [(inner_sum, Holder(_fresh())), (item_sum, [_fresh()]), (loop_sum, [_fresh(), _fresh()])],
    ids=["inner", "item", "loop"],
)
def test_numpy_named_method_updating_a_nested_object(fn, arg):
    """primal 1.0 and grad 2.0 (per object) on 8bd654f; Python's 1.5 and 3.0."""
    want = fn(0.5, copy.deepcopy(arg))
    slope = want / 0.5
    assert srcad.primal(fn)(0.5, copy.deepcopy(arg)) == pytest.approx(want)
    assert srcad.grad(fn)(0.5, copy.deepcopy(arg)) == pytest.approx(slope)
    _, t = srcad.jvp(fn, (0.5, copy.deepcopy(arg)), (1.0, None))
    assert t == pytest.approx(slope)


def _helper_sum(q, x):
    a = q.w[0] * x
    q.sum()
    return a + q.w[0] * x


def helper_sum(x, q):
    return _helper_sum(q, x)


def test_numpy_named_method_updating_a_helpers_parameter_refused():
    """grad 2.0 on 8bd654f (Python's 3.0): only the entry point's parameters were checked."""
    q = _fresh()
    assert srcad.primal(helper_sum)(0.5, copy.deepcopy(q)) == pytest.approx(1.5)
    with pytest.raises(srcad.SrcadError, match="may update the object") as e:
        srcad.grad(helper_sum)(0.5, copy.deepcopy(q))
    assert "test_fuzz29.py:" in str(e.value)


def property_read_twice(x, q):
    return q.ticked * x + q.ticked * x


def _ticks(q, x):
    return q.ticked * x + q.ticked * x


def helper_property(x, q):
    return _ticks(q, x)


@pytest.mark.parametrize("fn", [property_read_twice, helper_property])
def test_property_with_effects_refused(fn):
    """grad 2.0 on 8bd654f where Python's is 3.0 (the getter ran once)."""
    q = _fresh()
    with pytest.raises(srcad.SrcadError, match="may update the object when read") as e:
        srcad.grad(fn)(0.5, copy.deepcopy(q))
    assert "test_fuzz29.py:" in str(e.value)
    _ = pytest.raises(srcad.SrcadError, srcad.jvp, fn, (0.5, copy.deepcopy(q)), (1.0, None))


def test_property_with_effects_refused_in_the_round_trip():
    with pytest.raises(srcad.SrcadError, match="may update the object when read"):
        srcad.primal(property_read_twice)(0.5, _fresh())


class Pure:
    def __init__(self, w):
        self.w = w

    def sum(self):
        return float(np.sum(self.w))

    @property
    def scale(self):
        return 2.0 * self.w[0]


def pure_nested(x, h):
    return h.inner.sum() * x + h.inner.scale * x**2 + h.inner.w[1] * x


def pure_property(x, q):
    return q.scale * x + q.scale * x


def test_pure_methods_and_properties_still_differentiated():
    h = Holder(Pure(np.array([1.0, 2.0])))
    assert srcad.grad(pure_nested)(0.5, h) == pytest.approx(3.0 + 2.0 + 2.0)
    assert srcad.grad(pure_property)(0.5, Pure(np.array([1.0, 2.0]))) == pytest.approx(4.0)


def nested_property(x, h):
    return h.inner.ticked * x + h.inner.ticked * x


def item_property(x, qs):
    return qs[0].ticked * x + qs[0].ticked * x


@pytest.mark.parametrize(
    "fn, arg", [(nested_property, Holder(_fresh())), (item_property, [_fresh()])]
)
def test_property_with_effects_of_a_nested_object_read_as_often_as_python(fn, arg):
    """primal 1.0, grad 2.0 on 8bd654f (the two reads merged); Python's 1.5 and 3.0: reads of
    attributes of objects of no known class are no longer merged (`read_may_update`). Since
    session 51 (hunt51b) the nested object's class is known, and its property with effects was
    refused at transform time (a spurious refusal); since idiom52 (ad/properties.py) such a
    read, kept apart before the optimiser, stays Python's attribute read."""
    assert srcad.primal(fn)(0.5, copy.deepcopy(arg)) == pytest.approx(1.5)
    assert srcad.grad(fn)(0.5, copy.deepcopy(arg)) == pytest.approx(3.0)
    _, t = srcad.jvp(fn, (0.5, copy.deepcopy(arg)), (1.0, None))
    assert t == pytest.approx(3.0)


C = 2.0


def builtin_after_local_class(x):
    class K:
        def sum(self):
            return 2.0

    return sum([x[0], x[1]]) * K().sum()


def global_after_local_class(x):
    class K:
        C = 5.0

    return np.sum(x * C) + K.C


@pytest.mark.parametrize("fn", [builtin_after_local_class, global_after_local_class])
def test_class_body_names_are_not_locals(fn):
    """Refused on 8bd654f ("local variable `sum` is read before it is assigned")."""
    x = np.array([0.3, -0.4, 0.9])
    assert srcad.primal(fn)(x) == pytest.approx(fn(x))
    check_scalar(fn, x)


class Stepper:
    def __init__(self, w):
        self.w = w

    def step(self):
        self.w = self.w * 2.0


def read_around_step(x, m):
    a = m.w[0] * np.sum(x**2)
    m.step()
    return a + m.w[0] * np.sum(x**3)


def read_around_step_elementwise(x, m):
    a = m.w[0] * x**2
    m.step()
    return a + m.w[0] * x**3


class Counted:
    def __init__(self, w):
        self.n, self.w = 0, w

    def predict(self, x):
        return self.w[0] * x


def count_then_read(x, m):
    m.n += 1  # (srcad's own write into the argument: applied once, srcad/columns.py)
    return m.predict(x**2) + m.w[1] * x


@pytest.mark.parametrize(
    "op, fn",
    [(srcad.hessian, read_around_step), (srcad.jacfwd, read_around_step_elementwise)],
    ids=["hessian", "jacfwd"],
)
def test_columns_of_a_function_whose_method_updates_its_argument_refused(op, fn):
    """8bd654f: hessian [[8, 0], [0, 8.8]] (Python's: diag(8, 4.4)), jacfwd's second column
    2x too: each column ran `m.step()` on the same object. Refused at the first call now."""
    x = np.array([0.5, 0.2])
    m = Stepper(np.array([1.0, 2.0]))
    with pytest.raises(srcad.SrcadError, match=r"\.step\(\)` of a `Stepper` may update"):
        op(fn)(x, m)
    np.testing.assert_array_equal(m.w, [1.0, 2.0])  # (refused before anything ran)


def test_one_pass_derivatives_of_a_function_whose_method_updates_its_argument():
    """jacrev, grad and hvp run the function once: differentiated, `m` stepped once."""
    x = np.array([0.5, 0.2])
    m = Stepper(np.array([1.0, 2.0]))
    J = srcad.jacrev(read_around_step_elementwise)(x, m)
    np.testing.assert_allclose(J, np.diag(2.0 * x + 6.0 * x**2))
    np.testing.assert_array_equal(m.w, [2.0, 4.0])
    m = Stepper(np.array([1.0, 2.0]))
    g, hv = srcad.hvp(read_around_step, (x, m), (np.array([1.0, 0.0]), None))
    np.testing.assert_allclose(g, 2.0 * x + 6.0 * x**2)
    np.testing.assert_allclose(hv, [2.0 + 12.0 * x[0], 0.0])


def test_columns_with_own_writes_and_pure_methods_still_differentiated():
    """An update srcad writes itself (``m.n += 1``: once, whatever the columns) and a pure
    method: jacfwd and hessian as before."""
    x = np.array([0.5, 0.2, -0.3])
    m = Counted(np.array([1.5, -0.5]))
    J = srcad.jacfwd(count_then_read)(x, m)
    np.testing.assert_allclose(J, np.diag(3.0 * x - 0.5))
    assert m.n == 1

    def f(x, m):
        return np.sum(count_then_read(x, m) ** 2)

    m = Counted(np.array([1.5, -0.5]))
    H = srcad.hessian(f)(x, m)
    u = 1.5 * x**2 - 0.5 * x
    np.testing.assert_allclose(H, np.diag(2.0 * (3.0 * x - 0.5) ** 2 + 2.0 * u * 3.0))
    assert m.n == 1
