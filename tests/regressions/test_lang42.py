"""What lang42 lifts in ordinary Python, checked against central differences (forward, reverse,
second order), the primal and the cached call; and the neighbours that stay refused, cleanly:

a. a list (tuple) of objects a loop rebinds, ``ps = [p.moved(dt) for p in ps]``: carried item by
   item (lower/seqcarry.py); array fields, a ``while`` loop, ``tuple(...)``, index reads,
   ``break``, ``enumerate``. Shared items, a second name of the list, a changing length, an
   item assignment stay refused, with a message saying what is not supported (it said "`ps`
   is rebound to a function or module").
b. an unrolled loop over a list/dict of objects that writes into it while iterating
   (``for k, p in ps.items(): ps["b"] = ...``) is refused (lower/unrollwrites.py): it gave
   the snapshot's value, a silently wrong one.
c. ``**opts`` of a parameter with a dict default (``def f(x, opts={"scale": 2.0})``): the
   default's keys, checked when the code runs, whatever dict the caller passes
   (lower/varargs.param_defaults); other keys are refused at run time.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([1.0, 2.0, 3.0])


@dataclass
class P:
    x: float
    v: float

    def moved(self, dt):
        return P(self.x + dt * self.v, self.v)


@dataclass
class A:
    x: np.ndarray
    v: np.ndarray

    def step(self, dt):
        return A(self.x + dt * np.sin(self.v), self.v * 0.9)


def particles(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps]
    return sum(p.x * p.x for p in ps)


def arrays(x):
    ps = [A(x, x * x), A(x[::-1], x)]
    for _ in range(3):
        ps = [p.step(0.1) for p in ps]
    return sum(np.sum(p.x * p.v) for p in ps)


def while_loop(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    k = 0
    while k < 3:
        ps = [p.moved(0.1) for p in ps]
        k += 1
    return sum(p.x * p.x * p.v for p in ps)


def appended(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    for _ in range(3):
        new = []
        for p in ps:
            new.append(p.moved(0.1))
        ps = new
    return sum(p.x * p.x for p in ps)


def tupled(x):
    ps = (P(x[0], x[1]), P(x[1], x[2]))
    for i in range(3):
        ps = tuple(p.moved(0.1 * i) for p in ps)
    return ps[0].x * ps[1].x


def indexed(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for _ in range(3):
        ps = [ps[1].moved(0.1), ps[0].moved(0.2)]
    return ps[0].x * ps[1].x + len(ps)


def reversed_slice(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for _ in range(3):
        ps = ps[::-1]
        ps = [ps[0].moved(0.1), ps[1]]
    return ps[0].x * ps[1].x * 3 + ps[1].x


def broken(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for _ in range(5):
        ps = [p.moved(0.1) for p in ps]
        if ps[0].x > 1.15:
            break
    return ps[0].x * ps[1].x


def enumerated(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for _ in range(3):
        ps = [p.moved(0.1 * k) for k, p in enumerate(ps)]
    return ps[0].x * ps[1].x


def in_place(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    for _ in range(3):
        for p in ps:
            p.x += 0.1 * p.v * p.x
    return sum(p.x * p.x for p in ps)


def dict_of_objects(x):
    ps = {"a": P(x[0], x[1]), "b": P(x[1], x[0])}
    for _ in range(3):
        ps = {k: p.moved(0.1) for k, p in ps.items()}
    return ps["a"].x * ps["b"].x + sum(p.v * p.x for p in ps.values())


def chosen_per_item(x):  # (the hint of the refusal of `rebuilt_on_one_path`)
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for i in range(3):
        ps = [p.moved(0.1) if p.x < 1.5 else p.moved(0.2 * i) for p in ps]
    return ps[0].x * ps[1].x


class N(NamedTuple):
    x: float
    v: float

    def moved(self, dt):
        return N(self.x + dt * self.v * self.x, self.v)


def named_tuples(x):
    ps = [N(x[0], x[1]), N(x[1], x[2])]
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps]
    return sum(p.x * p.x for p in ps)


def named_tuples_aliased(x):
    ps = [N(x[0], x[1]), N(x[1], x[2])]
    qs = ps
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps]
    return sum(p.x * p.x for p in ps) + qs[0].x


def kick_then_drift(x):  # two rebuilds per iteration, namedtuples in a dict
    ps = {"a": N(x[0], x[1]), "b": N(x[1], x[2])}
    for _ in range(3):
        ps = {k: N(p.x, p.v - 0.1 * np.sin(p.x)) for k, p in ps.items()}
        ps = {k: p.moved(0.2) for k, p in ps.items()}
    return ps["a"].x * ps["b"].v


def kick_then_drift_list(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    k = 0
    while k < 3:
        ps = [P(p.x, p.v - 0.1 * np.sin(p.x)) for p in ps]
        ps = [p.moved(0.2) for p in ps]
        k += 1
    return sum(p.x * p.v for p in ps)


LIFTED = [particles, arrays, while_loop, appended, tupled, indexed, reversed_slice, broken,
          enumerated, in_place, dict_of_objects, chosen_per_item, named_tuples, kick_then_drift,
          kick_then_drift_list]  # fmt: skip


@pytest.mark.parametrize("f", LIFTED, ids=lambda f: f.__name__)
def test_object_list_carried(f):
    v, g = srcad.value_and_grad(f)(X)
    v2, g2 = srcad.value_and_grad(f)(X)  # the cached path
    assert v == v2 == f(X)
    np.testing.assert_array_equal(g, g2)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_particles_value():
    # d/dx0 of (x0 + .3 x1)^2 + (x1 + .3 x0)^2 at (1, 2)
    np.testing.assert_allclose(srcad.grad(particles)(X), [4.58, 5.56, 0.0])


def shared(x):
    a = P(x[0], x[1])
    ps = [a, a]
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps]
    return sum(p.x * p.x for p in ps)


def aliased(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    qs = ps
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps]
    return sum(p.x * p.x for p in ps) + qs[0].x


def item_stored(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for _ in range(3):
        ps[0] = ps[0].moved(0.1)
        ps = [p.moved(0.1) for p in ps]
    return ps[0].x * ps[1].x


def growing(x):
    ps = [P(x[0], x[1]), P(x[1], x[0])]
    for _ in range(3):
        ps = [p.moved(0.1) for p in ps] + [P(x[2], x[2])]
    return sum(p.x * p.x for p in ps)


def dict_reordered(x):
    ps = {"a": P(x[0], x[1]), "b": P(x[1], x[0])}
    for _ in range(3):
        ps = {"b": ps["a"].moved(0.1), "a": ps["b"]}
    return ps["a"].x * ps["b"].x


def rebuilt_on_one_path(x):
    ps = [P(x[0], x[1]), P(x[1], x[2])]
    for i in range(3):
        if i % 2:
            ps = [p.moved(0.1) for p in ps]
    return ps[0].x * ps[1].x


@pytest.mark.parametrize(
    "f, match",
    [
        (rebuilt_on_one_path, "all paths bind the same one"),
        (dict_reordered, "same keys in the same order"),
        (shared, "holds distinct objects"),
        (aliased, "holds distinct objects"),
        (item_stored, "no item assignment"),
        (growing, "keep the number of items"),
    ],
    ids=lambda v: getattr(v, "__name__", "m"),
)
def test_object_list_refused(f, match):
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X)


def store_while_iterating(x):
    ps = {"a": P(x[0], x[1]), "b": P(x[1], x[0])}
    for _k, p in ps.items():
        ps["b"] = p.moved(0.1)
    return ps["a"].x * ps["b"].x


def test_unrolled_loop_writing_its_items_refused():
    assert store_while_iterating(X) == pytest.approx(1.4)  # (the second round reads the new b)
    with pytest.raises(srcad.SrcadError, match="changes `ps` in place while it iterates"):
        srcad.grad(store_while_iterating)(X)


def model(x, scale=1.0, shift=0.0):
    return np.sum(x * scale + shift)


def with_opts(x, opts={"scale": 2.0, "shift": 1.0}):  # noqa: B006 - the user's idiom
    return model(np.sin(x), **opts) * x[0]


def with_kw_opts(x, *, opts={"shift": 2.0}):  # noqa: B006
    return model(x * x, **opts)


def test_double_star_default_dict():
    check_grads(with_opts, (X,), modes=("fwd", "rev"), order=2)
    check_grads(with_kw_opts, (X,), modes=("fwd", "rev"), order=2)
    v, g = srcad.value_and_grad(with_opts)(X)
    assert v == srcad.value_and_grad(with_opts)(X)[0] == with_opts(X)
    opts = {"scale": 3.0, "shift": 0.5}  # the caller's dict, same keys
    check_grads(with_opts, (X, opts), modes=("fwd", "rev"), order=2)  # both differentiated
    g0, gopts = srcad.grad(with_opts, argnums=(0, 1))(X, opts)
    assert gopts["shift"] == pytest.approx(3.0 * X[0])
    assert opts == {"scale": 3.0, "shift": 0.5}


def test_double_star_default_dict_other_keys_refused():
    with pytest.raises(srcad.SrcadError, match="keys of the dict passed as `\\*\\*kwargs`"):
        srcad.grad(with_opts)(X, {"scale": 3.0})


# -- d. generator idioms: enumerate(zip(gen1, gen2)), islice(gen, k) in a comprehension --------
def squares(x):
    for v in x:
        yield v * v


def range_squares(x):
    for i in range(len(x)):
        yield x[i] * x[i]


def enumerate_zip_loop(x):
    s = 0.0
    for i, (a, b) in enumerate(zip(range_squares(x), range_squares(x[::-1]))):
        s = s + i * a * b
    return s


def enumerate_zip_comp(x):
    return sum(i * a * b for i, (a, b) in enumerate(zip(range_squares(x), range_squares(x[:2]))))


def zip_comp(x):
    return sum(a * b for a, b in zip(range_squares(x), range_squares(x[:2])))


def islice_sum(x):
    return sum(v * v for v in itertools.islice(squares(x), 2))


def islice_list(x):
    return [v * v for v in itertools.islice(squares(x), 1, 3)][1]


def islice_lazy(x):
    g = (v * v for v in itertools.islice(squares(x), 2))
    return sum(g)


GENERATORS = [enumerate_zip_loop, enumerate_zip_comp, zip_comp, islice_sum, islice_list,
              islice_lazy]  # fmt: skip


@pytest.mark.parametrize("f", GENERATORS, ids=lambda f: f.__name__)
def test_generator_idioms(f):
    v, g = srcad.value_and_grad(f)(X)
    assert v == srcad.value_and_grad(f)(X)[0] == f(X)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def islice_updated(x):
    y = x * 1.0
    g = (v * v for v in itertools.islice(squares(y), 2))
    y[0] = 5.0  # Python's generator reads the new y[0] when sum pulls
    return sum(g)


# (`zip` of generators looping over their argument, `zip_unbounded`: lower/genzip.py's run-time
# check, tests/regressions/test_idiom44.py)


@pytest.mark.parametrize("f", [islice_updated], ids=lambda f: f.__name__)
def test_generator_idioms_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- e. a class attribute as a counter: refused, saying why ------------------------------------
class Counter:
    n = 0


def counted(x):
    Counter.n += 1
    return x[0] * Counter.n


COUNTS = {"n": 0}


def counted_in_dict(x):
    COUNTS["n"] += 1
    return x[0] * COUNTS["n"]


def test_class_attribute_counter_refused():
    with pytest.raises(srcad.SrcadError, match="attribute `n` of the class `Counter`"):
        srcad.grad(counted)(X)
    assert Counter.n == 0


def test_dict_counter_once_per_call():  # (the hint's idiom: Python's semantics, each call)
    COUNTS["n"] = 0
    assert srcad.grad(counted_in_dict)(X)[0] == 1.0
    assert srcad.grad(counted_in_dict)(X)[0] == 2.0
    assert COUNTS["n"] == 2


# -- f. a generator expression handed to a helper, then `return`: later statements never run ----
def total(it):
    s = 0.0
    for v in it:
        s = s + v
    return s


def scaled(x, c=None):  # the shape of statistics._ss: `if c is not None: ...; return`
    if c is not None:
        t = total(v * c for v in x)
        return t
    c = 2.0
    return total(x) * c


def returned_before_rebind(x):
    return scaled(x, 3.0) + scaled(x)


def test_generator_then_return():
    v, g = srcad.value_and_grad(returned_before_rebind)(X)
    assert v == srcad.value_and_grad(returned_before_rebind)(X)[0] == returned_before_rebind(X)
    check_grads(returned_before_rebind, (X,), modes=("fwd", "rev"), order=2)


def continued(x, c=1.5):
    for k in range(2):
        g = total(v * c for v in x)
        if k == 1:
            continue  # (back to the loop: the rebinding below may run)
        return g
    c = 2.0
    return c


def finally_after(x):
    c = 1.5
    try:
        if c > 0:
            g = total(v * c for v in x)
            return g
    finally:
        c = 3.0  # (runs after the return)
    return c


@pytest.mark.parametrize("f", [continued, finally_after], ids=lambda f: f.__name__)
def test_generator_then_jump_refused(f):
    with pytest.raises(srcad.SrcadError, match="after `c` is rebound"):
        srcad.grad(f)(X)


def excepted(x):
    c = 1.5
    try:
        g = (v * c for v in x)
        k = int(x[0] > 0.5) // int(x[0] > 5.0)  # raises ZeroDivisionError here
        return float(k)
    except ZeroDivisionError:
        pass
    c = 2.0  # Python's items, consumed below, read this c
    return total(g)


def test_generator_then_except_refused():
    assert excepted(X) == pytest.approx(12.0)
    with pytest.raises(srcad.SrcadError):  # (the `try` around a `return` is refused anyway)
        srcad.grad(excepted)(X)


def test_named_tuples_aliased_refused():  # (a clean refusal: no rule for `.moved()` of an item)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(named_tuples_aliased)(X)
