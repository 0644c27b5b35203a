"""Refusals idiom48 keeps, each at transform time with the call named:

- ``lfilter(..., zi=...)`` along another axis than the last, ``filtfilt`` with another padding
  or method (srcad/libsignal.py writes the last-axis, odd-padding forms only);
- ``rows = [[0.0] * 2] * 2``: the rows are one list, a write through ``rows[0]`` shows in
  ``rows[1]`` (Python's aliasing): refused, never a derivative of unshared rows;
- ``np.nditer(x)`` over a transposed, Fortran-ordered or reversed array (NumPy yields memory
  order; srcad loops in C order): refused when it runs; a write into `x` while or after its
  items (0-d views in NumPy) are read: refused by the mutation check;
- a ``@contextmanager`` whose handler around the ``yield`` does more than ``pass`` (or binds
  ``as e``, or has ``else``/``finally``): refused as before;
- a nested recursive function whose recursive call leaves a default out: refused (the lifted
  function has no defaults);
- reading back an item of a module-level list the function appended a differentiated value to
  (``LOG[-1]``, ``sum(LOG)``): refused (``len(LOG)`` is lifted).
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import srcad
from srcad import libsignal

X6 = np.array([0.31, 0.72, 1.13, 1.64, 0.47, 0.93])


def _refused(f, needle, *args):
    with pytest.raises(srcad.SrcadError, match=needle):
        srcad.grad(f)(*args)


def test_lfilter_state_other_axis_and_filtfilt_options_refused() -> None:  # (axis: done)
    signal = pytest.importorskip("scipy.signal")

    def axis0(x):
        y, _ = signal.lfilter([1.0], [1.0, -0.5], x.reshape(3, 2), axis=0, zi=np.zeros((1, 2)))
        return np.sum(y)

    def even(x):
        return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x, padtype="even"))

    def gust(x):
        return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x, method="gust"))

    val, g = srcad.value_and_grad(axis0)(X6)  # (session 50: the last axis's code, moved)
    np.testing.assert_allclose(val, axis0(X6), rtol=1e-12)
    np.testing.assert_allclose(g, [1.75, 1.75, 1.5, 1.5, 1.0, 1.0], rtol=1e-12)  # (1 + .5 + .25)
    _refused(even, r"scipy\.signal\.filtfilt", X6)
    _refused(gust, r"scipy\.signal\.filtfilt", X6)


def test_shared_rows_stay_refused() -> None:
    def shared(x):
        rows = [[0.0] * 2] * 2
        rows[0][0] = x
        return rows[1][0] * 2.0 + rows[0][0] ** 2

    assert shared(0.7) == pytest.approx(1.4 + 0.49)  # (Python: rows[1] is rows[0])
    _refused(shared, "shares", 0.7)


def test_lfilter_state_shapes_and_leading_zero_raise_as_scipy_or_refuse() -> None:
    """A `zi` SciPy rejects is rejected (no broadcast SciPy would not make); ``lfilter_zi`` with
    ``a[0] == 0`` drops the leading zeros, as SciPy's does (it raised until session 50)."""
    signal = pytest.importorskip("scipy.signal")

    def state(x, zi):
        y, zf = signal.lfilter([0.5, 0.2], [1.0, -0.3], x, zi=zi)
        return np.sum(y) + np.sum(zf)

    def lead_zero(b):
        return np.sum(signal.lfilter_zi(b, [0.0, 1.0, -0.3]))

    for x, zi in ((np.ones((3, 4)), np.zeros(1)), (np.ones((1, 4)), np.zeros((3, 1)))):
        with pytest.raises(ValueError):
            state(x, zi)
        with pytest.raises(ValueError, match="Unexpected shape for zi"):
            srcad.grad(state)(x, zi)
    b = np.array([0.3, 0.2])  # (session 50: srcad drops the leading zeros too, as SciPy)
    if libsignal.LEAD_ZERO_RAISES is not None:  # (SciPy 1.18 raises: so does srcad)
        with pytest.raises(ValueError, match="non-zero"):
            srcad.grad(lead_zero)(b)
        return
    val, g = srcad.value_and_grad(lead_zero)(b)
    np.testing.assert_allclose(val, lead_zero(b), rtol=1e-12)
    fd = [(lead_zero(b + 1e-6 * e) - lead_zero(b - 1e-6 * e)) / 2e-6 for e in np.eye(2)]
    np.testing.assert_allclose(g, fd, rtol=1e-6)


def _weighted(w):
    s, k = 0.0, 0.0
    for v in np.nditer(w):
        k += 1.0
        s += v * k
    return s


def nditer_transposed(m):
    return _weighted(m.T * 2.0)


def nditer_reversed(x):
    return _weighted(x[::-1])


def nditer_fortran(m):
    return _weighted(np.asfortranarray(m))


def nditer_kept_views(x):
    x = x.copy()
    vs = [v for v in np.nditer(x)]
    x[0] = 5.0  # (NumPy's items are views: vs[0] is 5.0 now)
    return vs[0] * 2.0


def nditer_written_in_loop(x):
    x = x.copy()
    s = 0.0
    for v in np.nditer(x):
        x[2] = 9.0
        s += v * v
    return s


@pytest.mark.parametrize(
    ("f", "arg", "needle"),
    [
        (nditer_transposed, np.arange(6.0).reshape(2, 3), "not C order"),
        (nditer_reversed, X6, "not C order"),
        (nditer_fortran, np.arange(6.0).reshape(2, 3), "not C order"),
        (nditer_kept_views, X6[:3], "shares"),
        (nditer_written_in_loop, X6[:3], "shares"),
    ],
)
def test_nditer_other_orders_and_writes_refused(f, arg, needle) -> None:
    f(arg)
    _refused(f, needle, arg)


@contextlib.contextmanager
def _logging():
    try:
        yield
    except ValueError:
        print("swallowed")


@contextlib.contextmanager
def _named():
    try:
        yield
    except ValueError as e:
        del e


def test_managers_doing_more_than_pass_stay_refused() -> None:
    def logged(x):
        with _logging():
            s = np.sum(x)
        return s

    def named(x):
        with _named():
            s = np.sum(x)
        return s

    _refused(logged, "with", X6)
    _refused(named, "with", X6)


def test_nested_recursion_omitting_a_default_refused() -> None:
    def short(x):
        n = len(x)

        def go(i, acc=0.0):
            return acc if i >= n else x[i] + go(i + 1)

        return go(0)

    _refused(short, "defaults its recursive calls do not all pass", X6)


LOG: list = []


def test_reading_back_a_logged_value_stays_refused() -> None:
    def last(x):
        LOG.append(x)
        return x * LOG[-1] + len(LOG)

    def total(x):
        LOG.append(x)
        return sum(LOG) + len(LOG)

    _refused(last, "reading it back would give a wrong one", 0.7)
    _refused(total, "reading it back would give a wrong one", 0.7)


class _OwnTop(__import__("collections").Counter):
    def most_common(self, n=None):
        return [("q", 1.0)]


def test_most_common_of_a_rebound_counter_refused_when_it_runs() -> None:
    """A local bound to ``Counter()`` and later to a subclass with its own ``most_common``: the
    rewrite's run-time check refuses rather than sorting the subclass's items."""
    import collections

    def rebound(x, other):
        c = collections.Counter()
        c["a"] += x
        if x > 0:
            c = other
        return c.most_common(1)[0][1] * x

    assert rebound(0.5, _OwnTop(a=3.0)) == 0.5
    _refused(lambda x: rebound(x, _OwnTop(a=3.0)), "most_common", 0.5)


def test_nditer_of_several_operands_refused() -> None:
    """``np.nditer([x, y])`` iterates two operands together (tuples): never x and y stacked."""

    def pairs(x):
        s = 0.0
        for v in np.nditer([x, x * 2.0]):
            s += v[0] * v[1]
        return s

    assert pairs(X6) == pytest.approx(2.0 * np.sum(X6**2))
    _refused(pairs, "several operands", X6)
