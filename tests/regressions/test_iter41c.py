"""What iter41c accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
second order), and the neighbours that stay refused:

a. ``for a, b in zip(gen1(x), gen2(x))``: generator calls among the arguments of the ``zip`` a
   ``for`` loop iterates are lowered as the loop's own generator (its items computed first,
   the loop's checks applied: no early exit, no write the items read) when each generator ends
   and changes nothing when run further than Python's zip pulls it (lower/genzip.finite_pure:
   no ``while``, ``for`` over ``range``, calls of builtins and NumPy/math only); an endless
   one, a ``for`` over ``itertools.count()``, or one drawing random numbers stays refused.
b. ``for v in itertools.islice(gen(x), k)``: the generator's first `k` items (its body
   returns at the `k`-th yield, as Python's islice pulls), then the loop's checks.
c. ``while bool(s):`` of an object built here whose class defines ``__bool__``: the method
   inlined, as ``while s:`` (lower/objitems.object_dunder).
d. ``for a, b in zip((x * k for ..), (np.cos(x) + k for ..))``: a call of a NumPy function in
   the body (``np.sum``) is no update of `np` the generator expressions read (a statement
   reaching ``random`` still counts: ``np.random.seed`` changes what their draws give).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.2, 0.5])


def _check(f):
    assert np.allclose(srcad.primal(f)(X.copy()), f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)


def _refused(f, words):
    with pytest.raises(srcad.SrcadError, match=words):
        srcad.grad(f)(X.copy())


# -- a. zip of generator calls -----------------------------------------------------------------
def gen1(x):
    for k in range(3):
        yield x * (k + 1.0)


def gen2(x):
    for k in range(4):
        yield np.sin(x) + k


def gen_end(x):
    v = x
    while True:
        yield v
        v = v * 0.9 + 0.1


def gen_noisy(x):
    for _ in range(5):
        yield x + np.random.normal()


def gen_count(x):
    for k in itertools.count():
        yield x * k


def zip_gens(x):
    t = 0.0
    for a, b in zip(gen1(x), gen2(x)):
        t = t + np.sum(a * b)
    return t


def zip_gen_expr(x):
    t = 0.0
    for a, b in zip(gen2(x), (np.cos(x) * k for k in range(5))):
        t = t + np.sum(a * b)
    return t


def zip_nested(x):
    c = 2.0

    def g(n):
        for k in range(n):
            yield np.sin(x) * c + k

    t = 0.0
    for a, b in zip(g(3), g(5)):
        t = t + np.sum(a * b)
    return t


def zip_endless(x):
    t = 0.0
    for a, b in zip(gen_end(x), gen1(x)):
        t = t + np.sum(a * b)
    return t


def zip_noisy(x):
    t = 0.0
    for a, k in zip(gen_noisy(x), range(3)):
        t = t + np.sum(a) * k
    return t


def zip_count(x):
    t = 0.0
    for a, k in zip(gen_count(x), range(3)):
        t = t + np.sum(a) * k
    return t


def zip_break(x):
    t = 0.0
    for a, b in zip(gen1(x), gen2(x)):
        t = t + np.sum(a * b)
        if t > 1.0:
            break
    return t


def zip_rebinds(x):
    c = 1.0

    def g():
        for _ in range(3):
            yield x * c

    t = 0.0
    for a, b in zip(g(), g()):
        t = t + np.sum(a * b)
        c = c + 1.0
    return t


@pytest.mark.parametrize("f", [zip_gens, zip_gen_expr, zip_nested])
def test_zip_of_generators(f):
    _check(f)


@pytest.mark.parametrize(
    "f, words",
    [
        (zip_endless, "`zip` pulls items"),
        (zip_noisy, "`zip` pulls items"),
        (zip_count, "`zip` pulls items"),
        (zip_break, "may leave early"),
        (zip_rebinds, "after `c` is rebound"),
    ],
)
def test_zip_of_generators_refused(f, words):
    _refused(f, words)


# -- b. a loop over islice of a generator call -------------------------------------------------
def islice_loop(x):
    t = 0.0
    for v in itertools.islice(gen_end(x), 5):
        t = t + np.sum(v * v)
    return t


def islice_loop_start(x):
    t = 0.0
    for v in itertools.islice(gen_end(x), 1, 4):
        t = t * 0.5 + np.sum(np.sin(v))
    return t


def islice_finite(x):
    t = 0.0
    for v in itertools.islice(gen1(x), 2):
        t = t + np.sum(v**2)
    return t


def islice_break(x):
    t = 0.0
    for v in itertools.islice(gen_end(x), 4):
        t = t + np.sum(v)
        if t > 10.0:
            break
    return t


def islice_rebinds(x):
    t = 0.0
    for v in itertools.islice(gen_end(x), 4):
        t = t + np.sum(v)
        x = x + 1.0
    return t + np.sum(x)


@pytest.mark.parametrize("f", [islice_loop, islice_loop_start, islice_finite])
def test_islice_loop(f):
    _check(f)


@pytest.mark.parametrize("f", [islice_break, islice_rebinds])
def test_islice_loop_refused(f):
    _refused(f, "")


# -- c. while bool(s) ----------------------------------------------------------------------------
class Countdown:
    def __init__(self, n):
        self.n = n

    def __bool__(self):
        return self.n > 0


def while_bool(x):
    s = Countdown(3)
    t = x
    while bool(s):
        t = np.sin(t) * 1.1
        s.n -= 1
    return np.sum(t)


def bool_value(x):
    s = Countdown(2)
    flag = bool(s)
    s.n = 0
    return np.sum(x * x) if flag and not bool(s) else np.sum(x)


@pytest.mark.parametrize("f", [while_bool, bool_value])
def test_bool_of_object(f):
    _check(f)


# -- d. zip of generator expressions, np.sum in the body ----------------------------------------
def zip_gen_exprs(x):
    t = 0.0
    for a, b in zip((x * k for k in range(3)), (np.cos(x) + k for k in range(4))):
        t = t + np.sum(a * b)
    return t


def zip_gen_exprs_seeded(x):
    t = 0.0
    for a, b in zip((x + np.random.normal() for _ in range(3)), range(3)):
        np.random.seed(b)
        t = t + np.sum(a) * b
    return t


def test_zip_of_generator_expressions():
    _check(zip_gen_exprs)
    _refused(zip_gen_exprs_seeded, "`np`")

