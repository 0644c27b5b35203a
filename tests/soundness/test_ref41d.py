"""A wrong result found by ref41d's fuzz campaign (control grammar, seed 41400579), fixed.

The private copy of an argument the function updates in place (lower/argcopy.py) escaped into
an object the caller sees: ``xs.append(x)`` of a list argument written back, ``return [x]``,
``return (x,)[0]``, ``xs[0] = x[1:]``, ``xs.append(x); return x``. Python's list or result
holds the caller's array (or a view of it) there; srcad's held its copy, an array with the
same values but another object (the fuzz oracle's `primal_alias`: the caller's arguments
shared no memory after srcad's call, they did after Python's). Now ``_srcad.copies_kept``
(rules/argcopies.py), emitted after the write-backs, refuses at run time when the result,
another written-back value, or another argument or global the function reads holds such a
copy. What is written back or returned as Python would (``return x``, ``return x, s``, a
copy stored) is unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

V = np.array([0.3, -0.5, 0.7])


def appended(p, x):
    x *= 2.0
    p.append(x)  # Python: p[-1] is the caller's x
    return np.sum(x)


def in_a_list(p, x):
    x *= 2.0
    y = [x, 1.0]
    return y


def view_appended(p, x):
    x *= 2.0
    p.append(x[1:])
    return np.sum(x)


def stored(p, x):
    x -= 1.0
    p[0] = x
    return np.sum(x * x)


def through_a_tuple(p, x):
    x *= 2.0
    y = (x,)
    return y[0]


def nested(p, x):
    x *= 2.0
    p.append([x])
    return np.sum(x)


def appended_and_returned(p, x):
    x *= 2.0
    p.append(x)  # Python: p[-1] and the result are both the caller's x
    return x


def fuzz_41400579(p2, xv3):
    xv3 -= xv3
    s4 = 1.25
    if s4 >= 0.3:
        s4 += sum([-0.75 * k for k in range(3)])
        p2.append(xv3)
    p2[0] = np.sin(xv3)
    return np.exp(-xv3 * xv3)[2] + np.sum(xv3) + s4


@pytest.mark.parametrize(
    "f",
    [
        appended,
        in_a_list,
        view_appended,
        stored,
        through_a_tuple,
        nested,
        appended_and_returned,
        fuzz_41400579,
    ],
)
def test_a_copy_held_where_python_holds_the_callers_object_is_refused(f):
    p, x = [np.zeros(3)], V.copy()
    with pytest.raises(srcad.SrcadError, match="holds the argument `(x|xv3)`"):
        srcad.primal(f)(p, x)
    with pytest.raises(srcad.SrcadError, match="holds the argument"):
        srcad.jvp(f, ([np.zeros(3)], V.copy()), ([np.zeros(3)], np.ones(3)))


def copy_appended(p, x):
    x *= 2.0
    p.append(x.copy())
    return np.sum(x * x)


def returned_itself(p, x):
    x *= 2.0
    return x


def returned_in_a_tuple(p, x):
    x *= 2.0
    return x, np.sum(x)


def renamed(p, x):
    x *= 2.0
    y = x
    return y


def _holding_x(out, p, x):
    """Where `out` and `p` hold `x` itself or a view of it."""
    got = []

    def walk(o, path):
        if isinstance(o, np.ndarray):
            if o is x or np.shares_memory(o, x):
                got.append((path, o is x))
        elif isinstance(o, (list, tuple)):
            for k, e in enumerate(o):
                walk(e, (*path, k))

    walk(out, ("out",))
    walk(p, ("p",))
    return got


@pytest.mark.parametrize("f", [copy_appended, returned_itself, returned_in_a_tuple, renamed])
def test_what_python_holds_is_still_accepted(f):
    p1, x1 = [np.zeros(3)], V.copy()
    want = f(p1, x1)
    p2, x2 = [np.zeros(3)], V.copy()
    got = srcad.primal(f)(p2, x2)
    assert _holding_x(got, p2, x2) == _holding_x(want, p1, x1)
    assert np.array_equal(x2, x1) and all(np.array_equal(a, b) for a, b in zip(p2, p1))
    p3, x3 = [np.zeros(3)], V.copy()
    out, _ = srcad.jvp(f, (p3, x3), ([np.zeros(3)], np.ones(3)))
    assert _holding_x(out, p3, x3) == _holding_x(want, p1, x1)
    check_grads(f, ([np.zeros(3)], V.copy()), modes=("fwd", "rev"), wrt=1)
