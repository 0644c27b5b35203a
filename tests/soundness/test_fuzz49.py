"""Session 49's adversarial review of session 48's code (fuzz49): each case gave a wrong value, a
wrong derivative or a crash on 9ed6ce48.

1. ``np.sqrt(o.var())`` of an object of a user class: passes/stdroots.py made it ``o.std()``
   whatever `o`'s class, so srcad called the class's own ``std`` (42.0 answered for 2.71, a
   gradient of 0) or raised AttributeError where the class has no ``std``; now the transforms
   undo the rewrite for a user class's receiver (`stdroots.var_roots_back`), and so does
   ``srcad.primal`` (which answered 42.0 too: wild49 seed 49010), reusing the ``o.var()`` call
   (a ``var`` counting its calls ran twice). A receiver of a kind the transforms cannot tell
   (``objs[0]`` of a list argument) is checked when the code runs (`stdroots.guard_var_roots`:
   a user object whose class defines ``var`` refused; the gradient was its ``std``, 92.7 for
   5.14); arrays there keep np.std's rules. Likewise ``np.sqrt(np.var(o))``, which NumPy
   computes by ``o.var(...)`` (made ``np.std(o)``, it called ``o.std``: 21.0 for 1.22).
2. ``scipy.signal.lfilter_zi(b, a)`` of a pure gain (``max(len(a), len(b)) == 1``): SciPy 1.15
   to 1.17 raise ValueError (the companion matrix needs two coefficients); srcad/libsignal.py
   answered an empty state and the gradient went on; now it does what the installed SciPy does
   (1.18 answers the empty state).
3. An unused read past the end of a list the function shortened by ``t.pop(0)`` twice, by
   ``t.remove(v)``, by ``t[1:] = []`` or by ``t.insert(0, v)`` then two pops: Python raises
   IndexError, srcad answered (passes/raising.py knew the length after one ``pop(0)`` only:
   its walk stopped 8 definitions deep; slice assignments and ``remove`` were not followed).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal as ss

import srcad
import srcad.testing


class Stats:
    def __init__(self, v):
        self.v = v

    def var(self):
        return np.sum(self.v**2) + 1.0

    def std(self):  # (not the root of its var)
        return 42.0


class VarOnly:
    def __init__(self, v):
        self.v = v

    def var(self):
        return np.sum(self.v**2) + 1.0


CALLS: list = []


class Counting:
    def __init__(self, v):
        self.v = v

    def var(self):
        CALLS.append(1)
        return np.sum(self.v**2) + 1.0 * len(CALLS)

    def std(self):
        return 42.0


def root_of_counting_var(x):
    return np.sqrt(Counting(x).var()) * 2.0


def root_of_user_var(x):
    return np.sqrt(Stats(x).var())


def root_of_user_var_no_std(x):
    o = VarOnly(x * 2.0)
    return np.sqrt(o.var()) * x[0]


class Scored:
    def __init__(self, v):
        self.v = v

    def var(self):
        return np.sum(self.v**2) + 0.5

    def std(self):
        return -1.0

    def score(self):
        return np.sqrt(self.var()) * 2.0  # (its own var: -4.0 answered for 15.4, gradient 0)


def root_in_own_method(x):
    return Scored(x).score() + Scored(x * 2.0).score()


def _spread(o):
    return np.sqrt(o.var())


def root_in_a_helper(x):
    return _spread(Stats(x)) + _spread(x)


def root_of_listed_user_var(x):
    objs = [Stats(x), Stats(x * 2.0)]
    return sum(np.sqrt(o.var()) for o in objs)


@pytest.mark.parametrize(
    "f",
    [
        root_of_user_var,
        root_of_user_var_no_std,
        root_of_listed_user_var,
        root_in_own_method,
        root_in_a_helper,
    ],  # fmt: skip
    ids=lambda f: f.__name__,
)
def test_root_of_a_user_class_var_is_its_var(f):
    x = np.array([0.5, 1.3, 2.1])
    out, _ = srcad.jvp(f, (x,), (np.ones(3),))
    assert np.allclose(out, f(x))
    assert np.allclose(srcad.primal(f)(x), f(x))
    srcad.testing.check_grads(f, (x,), modes=("fwd", "rev"), order=2)


def root_of_listed_var(x, objs):
    return np.sqrt(objs[0].var()) * x[0]


def root_of_listed_arrays(xs):
    return np.sqrt(xs[0].var()) * np.sum(xs[1]) + np.sqrt(xs[1].var(ddof=1))


def test_root_of_var_of_an_unknown_receiver_is_checked_when_it_runs():
    x = np.array([0.5, 1.3, 2.1])
    # (the list's items' classes are in the cache key since session 51, hunt51b: the user's
    # ``var`` is called, as Python does; it was refused when it ran)
    _user_var_matches_differences(root_of_listed_var, x, [Stats(x * 2.0)])
    xs = [x, np.array([0.2, -0.3, 0.9])]
    srcad.testing.check_grads(root_of_listed_arrays, (xs,), modes=("fwd", "rev"), order=2)


class Reducible:
    def __init__(self, v):
        self.v = v

    def var(self, axis=None, dtype=None, out=None, ddof=0, **kw):
        return np.sum(self.v**2) + 1.0

    def std(self, axis=None, dtype=None, out=None, ddof=0, **kw):
        return 42.0


def root_of_np_var_of_an_object(x):
    return np.sqrt(np.var(Reducible(np.array([1.0, 2.0])))) * x[0]


def root_of_np_var_of_a_listed_object(x, objs):
    return np.sqrt(np.var(objs[0])) * x[0]


def test_root_of_np_var_of_a_user_object_is_its_var():
    x = np.array([0.5, 1.3, 2.1])
    f = root_of_np_var_of_an_object
    assert np.allclose(srcad.primal(f)(x), f(x))
    srcad.testing.check_grads(f, (x,), modes=("fwd", "rev"))
    _user_var_matches_differences(root_of_np_var_of_a_listed_object, x, [Reducible(x)])


def _user_var_matches_differences(f, x, objs):
    v = np.array([0.3, -0.2, 0.7])
    fd = (f(x + 1e-6 * v, objs) - f(x - 1e-6 * v, objs)) / 2e-6
    np.testing.assert_allclose(srcad.grad(f)(x, objs) @ v, fd, rtol=1e-6)
    np.testing.assert_allclose(srcad.jvp(f, (x, objs), (v, None))[1], fd, rtol=1e-6)


def test_root_of_a_user_var_calls_it_once():
    x = np.array([0.5, 1.3, 2.1])
    CALLS.clear()
    want = root_of_counting_var(x)
    for run in (
        srcad.primal(root_of_counting_var),
        lambda x: srcad.value_and_grad(root_of_counting_var)(x)[0],
    ):
        CALLS.clear()
        assert np.allclose(run(x), want)
        assert len(CALLS) == 1


def gain_zi(x):
    zi = ss.lfilter_zi([2.0], [1.0])
    y, zf = ss.lfilter([2.0], [1.0], x, zi=zi)
    return np.sum(y * y) + np.sum(zf)


def test_lfilter_zi_of_a_gain_raises_as_scipy():
    x = np.array([0.5, 1.3, 2.1])
    try:
        want = gain_zi(x)
    except ValueError:  # (SciPy 1.15 to 1.17; 1.18 answers an empty state)
        want = None
    if want is None:
        with pytest.raises(ValueError, match="at least 2"):
            srcad.grad(gain_zi)(x)
        with pytest.raises(ValueError, match="at least 2"):
            srcad.jvp(gain_zi, (x,), (np.ones(3),))
    else:
        assert np.allclose(srcad.primal(gain_zi)(x), want)
        srcad.testing.check_grads(gain_zi, (x,), modes=("fwd", "rev"))


def two_pops_at_front(x):
    t = [x[0], x[1]]
    t.pop(0)
    t.pop(0)
    t[0]
    return x[0] * 2.0


def removed(x):
    t = [x[0], x[1], x[2]]
    t.remove(t[0])
    t[2]
    return t[0] * 2.0


def slice_emptied(x):
    t = [x[0], x[1], x[2]]
    t[1:] = []
    t[1]
    return t[0] * 3.0


def inserted_then_popped(x):
    t = [x[0]]
    t.insert(0, x[1])
    t.pop()
    t.pop()
    t[0]
    return x[0]


def removed_then_read_in_range(x):
    t = [x[0], x[1], x[2]]
    t.remove(t[1])
    t[1]
    t[-2]
    u = [x[0]]
    u[1:] = [x[1], x[2]]
    u[2]
    return t[0] * 2.0 + u[2]


@pytest.mark.parametrize(
    "f",
    [two_pops_at_front, removed, slice_emptied, inserted_then_popped],
    ids=lambda f: f.__name__,
)
def test_dead_read_past_the_end_raises_as_python(f):
    x = np.array([0.5, 1.3, 2.1])
    with pytest.raises(IndexError):
        f(x)
    with pytest.raises(IndexError):
        srcad.grad(f)(x)
    # (reads in range after the same updates still answer)
    srcad.testing.check_grads(removed_then_read_in_range, (x,), modes=("fwd", "rev"))
