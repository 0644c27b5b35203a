"""Generators run when they are consumed, not where they are written (session 7; found by refuse7
and lead).

srcad lowered a generator expression, ``map`` or ``filter`` into a list where it was written. Python
computes the items when they are consumed, so a change in between was lost, silently:
``xs = [x0, x1]; g = (v * 2 for v in xs); xs.append(x2); sum(g)`` gave -0.8 for Python's 1.6 (grad
[2, 2, 0] for [2, 2, 2]), and a ``for`` loop over a generator whose items read a name the body
updates gave 0.48 for 0.235. A named generator is now lowered where it is read, with the bindings
of that moment (lower/lazygen.py); what Python evaluated when it was made (the first iterable, the
function of ``map``) must be unchanged by then or it is refused; a ``for`` loop over a generator runs
its items interleaved with the body, as Python does. ``itertools.accumulate``, lowered as a list,
gave 0.7 for Python's 1.6 when its list changed before the read, and 1.4 for 0.7 when read twice:
it is accepted where it is consumed at once (lower/iterzip.consumed_at_once) and refused elsewhere.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.7, 1.2])


def rebind_free(x):
    s = x[0]
    g = (s * v for v in x)
    s = x[1]
    return sum(g)


def update_free(x):
    w = x.copy()
    g = (v * w[0] for v in x)
    w[0] = 3 * x[1]
    return sum(g)


def map_lambda_late(x):
    s = x[0]
    g = map(lambda v: v * s, x)
    s = x[1]
    return sum(g)


def nested_late(x):
    s = x[0]
    g = (v * s for v in x)
    h = (a + s for a in g)
    s = x[2]
    return sum(h)


def consumed_in_branch(x):
    g = (v * 2 for v in x)
    if x[0] > 0:
        s = sum(g)
    else:
        s = x[1]
    return s


def loop_reads_updated(x):
    s = x[0]
    t = 0.0
    for a in (v * s for v in x if v > -5):
        if a > 100:
            break
        s = s + 0.5 * a
        t = t + a
    else:
        t = t * 2
    return t


def loop_continue(x):
    s = x[0]
    t = 0.0
    for a in (v * s for v in x if v < 1.0):
        s = s + a
        if a < 0:
            continue
        t = t + a**2
    return t + s


def loop_over_named(x):
    s = x[0]
    g = (v * s for v in x)
    t = 0.0
    for a in g:
        s = s + a
        t = t + a * s
    return t


def loop_shadowing(x):
    v = x[2]
    t = 0.0
    for a in (v * 2 for v in x):
        t = t + a * v
    return t


def enumerate_writes_other(x):
    out = np.zeros(3)
    for i, a in enumerate(v * 2 for v in x):
        out[i] = a**2
    return np.sum(out * x)


def passed_to_helper(x):
    s = x[0]
    g = (v * s for v in x)
    return _takes(g, 2.0)


def _takes(it, s):
    return sum(it) * s


def accumulate_in_loop(x):
    t = 0.0
    for c in itertools.accumulate(x, lambda a, b: a * 0.5 + b):
        t = t + c**2
    return t


RIGHT = [passed_to_helper, accumulate_in_loop, rebind_free, update_free, map_lambda_late,
         nested_late, consumed_in_branch, loop_reads_updated, loop_continue, loop_over_named,
         loop_shadowing, enumerate_writes_other]  # fmt: skip


@pytest.mark.parametrize("f", RIGHT)
def test_generator_consumed_later_sees_the_changes_python_sees(f):
    eps = 1e-6
    fd = np.array([(f(X + eps * e) - f(X - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(srcad.primal(f)(X.copy()), f(X.copy()), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X.copy()), fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(srcad.jvp(f, (X,), (np.ones(3),))[1], fd.sum(), rtol=1e-6)
    h = srcad.hessian(f)(X)
    g = srcad.grad(f)
    hfd = np.array([(g(X + eps * e) - g(X - eps * e)) / (2 * eps) for e in np.eye(3)])
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-6)


def source_appended(x):
    xs = [x[0], x[1]]
    g = (v * 2 for v in xs)
    xs.append(x[2])
    return sum(g)


def source_setitem(x):
    xs = [x[0], x[1]]
    g = (v * 2 for v in xs)
    xs[0] = x[2]
    return sum(g)


def map_source_setitem(x):
    xs = [x[0], x[1]]
    g = map(lambda v: v * 2, xs)
    xs[0] = x[2]
    return sum(g)


def filter_source_setitem(x):
    xs = [x[0], x[1]]
    g = filter(lambda v: v > -5, xs)
    xs[1] = x[2] * 3
    return sum(g)


def array_source_setitem(x):
    y = x.copy()
    g = (v * 2 for v in y)
    y[0] = 10 * x[1]
    return sum(g)


def source_through_alias(x):
    xs = [x[0], x[1]]
    ys = xs
    g = (v * 2 for v in xs)
    ys.append(x[2])
    return sum(g)


def map_function_rebound(x):
    f = np.sin
    g = map(f, x)
    f = np.cos
    return sum(g)


def made_in_branch(x):
    if x[0] > 0:
        g = (v * 2 for v in x)
    else:
        g = (v * 3 for v in x)
    return sum(g)


def made_in_loop(x):
    for k in range(2):
        g = (v * k for v in x)
    return sum(g)


def enumerate_body_updates_read(x):
    w = x.copy()
    for _i, a in enumerate(v * w[0] for v in x):
        w[0] = a
    return np.sum(w)


def read_in_nested_function(x):
    s = x[0]
    g = (v * s for v in x)

    def h(s):
        return sum(g)  # Python: the outer s

    return h(5.0)


def read_in_lambda(x):
    s = x[0]
    g = (v * s for v in x)
    return (lambda s: sum(g))(x[1] * 3)


def accumulate_named(x):
    xs = [x[0], x[1], x[2]]
    a = itertools.accumulate(xs)
    xs[2] = x[0] * 7
    return sum(a)


def accumulate_twice(x):
    a = itertools.accumulate(x)
    return sum(a) + sum(a)  # Python's second sum is 0


def accumulate_body_updates(x):
    xs = list(x)
    t = 0.0
    for c in itertools.accumulate(xs):
        xs.append(c) if len(xs) < 4 else None
        t = t + c
    return t


REFUSED = [read_in_nested_function, read_in_lambda, accumulate_named, accumulate_twice,
           accumulate_body_updates, source_appended, source_setitem, map_source_setitem,
           filter_source_setitem, array_source_setitem, source_through_alias,
           map_function_rebound, made_in_branch, made_in_loop,
           enumerate_body_updates_read]  # fmt: skip


@pytest.mark.parametrize("f", REFUSED)
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_generator_whose_source_changes_is_refused(f, mode):
    with pytest.raises(srcad.SrcadError) as e:
        srcad.source(f, mode=mode)
    assert str(e.value).startswith(f"{__file__}:")
