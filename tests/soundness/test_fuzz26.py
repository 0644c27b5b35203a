"""Session-26 fuzz findings (tests/fuzz, seeds 26000000+, and fuzz25's open list).

- Spurious refusal (fuzz25's open "dead lambda", control seed 25007007): ``if c: ... else:
  def g(t): ...; q = lambda t: g(t * t)`` with neither `g` nor `q` read after the `if` was
  refused ("`g` names a function or module on one path and something else on another"): the
  names every nested function reads were live to the end of the function, `g` among them
  (`q`'s body reads it) though `q` is never called. lower/liveclosures.py: a ``def``/``q =
  lambda`` whose name nothing reads can never run, so its reads are not live.
- Spurious refusal (fuzz25's open list): ``u = v2 * -1`` (`v2` from `np.where`) then a write
  through a view of `u` (``w = u[::-1]; w[...] = e``): lower/viewbases.py took ``v * <int>`` of
  a value read for a possible list repetition; an int <= 0 repeats a list into an empty one.
- Neighbours that must stay right or refused: the lambda read after the join (`g` is then
  live: refused until session 35, right since: lower/objsplit.py), a closure reading a name
  rebound after it is made (sees the last value), a function reached only through a live
  lambda, a closure called from a class's method.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X4 = np.array([0.31, -0.72, 1.13, 0.57])


def _right(f, x):
    want = f(copy.deepcopy(x))
    got = srcad.primal(f)(copy.deepcopy(x))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=2)


# -- dead closures (fuzz25's open list, control seed 25007007) -----------------------------------
def dead_lambda_over_branch_def(x):
    if x[0] > 0.0:
        s = x * 2.0  # noqa: F841
    else:

        def g(t):
            return np.sin(t) * x

        q = lambda t: g(t * t)  # noqa: E731, F841
    return np.sum(x * x)


def dead_chain_of_closures(x):
    if x[1] < 0.0:
        s = np.sum(x)
    else:

        def g(t):
            return t * x[0]

        def h(t):
            return g(t) + 1.0

        q = lambda t: h(t) * 2.0  # noqa: E731, F841
        s = 1.0
    return s * np.sum(np.cos(x))


def dead_recursive_def(x):
    if x[0] > 0.0:
        s = np.sum(x)
    else:

        def g(t, n):
            return t if n == 0 else g(t * 2.0, n - 1)

        s = 1.0
    return s * np.sum(x * x)


ACCEPTED = [dead_lambda_over_branch_def, dead_chain_of_closures]


@pytest.mark.parametrize("f", ACCEPTED, ids=[f.__name__ for f in ACCEPTED])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_dead_closure_keeps_no_name_alive(f, sign) -> None:
    _right(f, sign * X4)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_dead_recursive_def_stays_right(sign) -> None:
    _right(dead_recursive_def, sign * X4)


def live_lambda_over_branch_def(x):
    if x[0] > 0.0:

        def g(t):
            return np.sin(t) * x[1]

        q = lambda t: g(t * t)  # noqa: E731
    else:
        q = lambda t: t * 3.0  # noqa: E731
    return np.sum(q(x))


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_live_lambda_over_branch_def_is_right(sign) -> None:
    # (refused until session 35; the rest of the function is now lowered in each branch,
    # lower/objsplit.py, so `q` is the lambda of its branch)
    _right(live_lambda_over_branch_def, sign * X4)


def closure_reads_rebound_name(x):
    c = x[0]
    q = lambda t: t * c  # noqa: E731
    if x[1] > 0.0:
        c = x[2]
    else:
        c = x[3]
    return q(2.0) + c


def closure_through_live_lambda(x):
    s = 0.0
    q = lambda t: t  # noqa: E731
    for k in range(3):

        def g(t):
            return t * x[k]  # noqa: B023

        if k == 1:
            q = lambda t: g(t) + 1.0  # noqa: E731
        s = s + q(x[0])
    return s


def closure_called_by_method(x):
    c = x[0] * 2.0

    def g(t):
        return t * c

    class A:
        def run(self, t):
            return g(t) + 1.0

    if x[1] > 0.0:
        c = x[2]
    return A().run(x[3])


NEIGHBOURS = [closure_reads_rebound_name, closure_through_live_lambda, closure_called_by_method]


@pytest.mark.parametrize("f", NEIGHBOURS, ids=[f.__name__ for f in NEIGHBOURS])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_live_closures_stay_right_or_refused(f, sign) -> None:
    try:
        _right(f, sign * X4)
    except srcad.SrcadError:
        pass


# -- `u = v * -1` written through a view (fuzz25's open list) -----------------------------------
# lower/viewbases.py read `v * <int>` of a value read as a possible list repetition, so `u` was
# no new array and the write through `w` was not carried into `u` (refused). A repetition by an
# int <= 0 is an empty list or tuple: `v * -1` is a new array (asserted), a number, or empty.
def neg_where_view_write(x):
    v2 = np.where(x > 0.0, x * x, x)
    u = v2 * -1
    w = u[::-1]
    w[...] = np.sin(w) * 0.5
    return u.sum() + np.sum(w**2)


def neg_item_view_write(x):
    ls = [x * 1.5, x]
    v = ls[0]
    u = v * -1
    w = u[1:]
    w *= 2.0
    return np.sum(u * u) + np.sum(ls[0])


@pytest.mark.parametrize("f", [neg_where_view_write, neg_item_view_write])
def test_times_minus_one_is_a_new_array(f) -> None:
    _right(f, X4)


def repeated_list_view_write(x):
    v = [x * 1.0]
    u = v * 2  # a list holding v's array twice
    w = u[0]
    w[...] = 3.0 * x  # changes v[0] and u[1] too
    return np.sum(v[0]) + np.sum(u[1])


def zero_times_then_write(x):
    v = np.cos(x)
    u = v * 0
    w = u[:2]
    w += x[:2]
    return np.sum(u) + np.sum(v)


@pytest.mark.parametrize("f", [repeated_list_view_write, zero_times_then_write])
def test_repetition_neighbours_stay_right_or_refused(f) -> None:
    try:
        _right(f, X4)
    except srcad.SrcadError:
        pass
