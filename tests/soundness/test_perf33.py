"""Session 33 (perf33t): the transform-speed shortcuts skip work only where it finds nothing.
Input: small functions holding (or not) a written infinity, a singular value read by index and
in a branch; output: the shortcut's answer equals the full analysis', and the derivatives
(tests/soundness/numeric.py) stay finite where the math is."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import srcad
from srcad.ad import branchmasks, infvals, partreads
from srcad.backend import driver
from srcad.backend.request import Mode, Request
from srcad.ssa.census import ops_of
from srcad.ssa.core import Function
from tests.soundness.numeric import check_scalar

INF_GLOBAL = np.array([1.0, np.inf])
FINITE_GLOBAL = np.array([1.0, 2.0])


def _ir(f) -> Function:
    """The primal IR of `f` after `optimise` (what the transforms read)."""
    return driver.build(Request(f, Mode.PRIMAL), stop_after="optimise").fns[0]


def _full(fn: Function, params=()) -> frozenset:
    """`may_inf` without the precheck: the sweep to its fixpoint."""
    out = set(params)
    while True:
        n = len(out)
        infvals._sweep(fn, fn.body, out)
        if len(out) == n:
            return frozenset(out)


# -- infvals.may_inf's precheck (`_may_start`): an empty answer only when the sweep finds none --


def const_inf(x):
    r2 = x * x
    return np.sum(1.0 / np.where(r2 > 1.0, np.inf, r2) ** 3)


def float_text_inf(x):
    m = float("inf") if x[0] > 5 else x[0]
    return np.exp(-m) * x[1]


def math_inf(x):
    r = np.minimum(x, math.inf) * 2.0  # a neutral bound: starts nothing, still not skipped
    return np.sum(np.exp(np.array([-math.inf, x[0]]) / r[1]))


def tuple_inf(x):
    lo, hi = (0.0, np.inf)
    return np.sum(np.clip(x, lo, hi) ** 2) + 0 * hi


def global_inf(x):
    return np.sum(np.exp(-INF_GLOBAL * x[0]))


def loop_yield_inf(x):
    m = x[0]
    for k in range(3):
        m = np.inf if k == 1 else m * x[1]
    return np.exp(-m)


def finite_only(x):
    return np.sum(np.sqrt(x * x + 1.0) * FINITE_GLOBAL[0]) + len(x)


@pytest.mark.parametrize(
    "f", [const_inf, float_text_inf, math_inf, tuple_inf, global_inf, loop_yield_inf]
)
def test_may_inf_precheck_never_skips_a_source(f):
    fn = _ir(f)
    assert infvals._may_start(fn, ops_of(fn.body))
    assert infvals.may_inf(fn) == _full(fn)


def test_may_inf_precheck_skips_a_function_without_infinity():
    fn = _ir(finite_only)
    assert not infvals._may_start(fn, ops_of(fn.body))
    assert infvals.may_inf(fn) == _full(fn) == frozenset()


def test_may_inf_parameter_given_an_infinity_is_not_skipped():
    fn = _ir(finite_only)  # no source inside, but the caller passes an infinity
    p = fn.params[0]
    got = infvals.may_inf(fn, [p])
    assert p in got and got == _full(fn, [p])


def _helper(r2, s):
    return np.sum(1.0 / r2**3) * s


def helper_given_inf(x):
    r2 = x * x
    r2 = np.where(r2 > 1.0, np.inf, r2)  # the written infinity reaches `_helper`'s parameter
    return _helper(r2, x[0])


def inf_argument(x, y):
    return np.sum(np.exp(-y) * x)


def test_inf_reaches_a_helper_through_its_parameter():
    x = np.array([0.5, 2.0, 0.7])
    for mode_grad in (srcad.grad, None):
        if mode_grad is None:
            dy = srcad.jvp(helper_given_inf, (x,), (np.ones(3),))[1]
            assert np.isfinite(dy)
        else:
            g = mode_grad(helper_given_inf)(x)
            assert np.all(np.isfinite(g))
    check_scalar(helper_given_inf, x)


@pytest.mark.parametrize("f", [const_inf, math_inf, global_inf, loop_yield_inf])
def test_written_infinities_keep_finite_derivatives(f):
    x = np.array([0.5, 2.0, 0.7])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(f)(x)
        dy = srcad.jvp(f, (x,), (np.array([0.3, -0.2, 0.4]),))[1]
    assert np.all(np.isfinite(g)) and np.isfinite(dy)
    check_scalar(f, x)


def test_an_infinite_argument_is_as_before():
    # an infinity the caller passes the entry point is not a written one (infvals' docstring):
    # the precheck may skip, the derivative is the plain term's, as JAX's forward mode gives
    x, y = np.array([1.0, 2.0]), np.array([np.inf, 1.0])
    g = srcad.grad(inf_argument)(x, y)
    assert g[0] == 0.0 and g[1] == pytest.approx(math.exp(-1.0))


# -- branchmasks/partreads: the values made from a singular op, walked once for both ----------


def branch_and_index(x):
    r = np.sqrt(x)
    if x[0] < 0:
        y = 2.0 * x[0]
    else:
        y = r[1]
    return y + r[2]


def test_made_values_shared_equals_separate():
    fn = _ir(branch_and_index)
    memo: dict = {}
    assert branchmasks.branch_values(fn.body, ()) == branchmasks.branch_values(
        fn.body, (), memo=memo
    )
    prims = {op.prim for op in ops_of(fn.body)}
    shared = partreads.partial_reads(fn.body, (), prims, memo)
    assert shared == partreads.partial_reads(fn.body, (), prims) and shared
    assert "made" in memo


def test_branch_and_index_gradient():
    x = np.array([-1.0, -2.0, 3.0])  # r[0], r[1] nan: neither is read where it is
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(branch_and_index)(x)
    np.testing.assert_allclose(g, [2.0, 0.0, 0.5 / math.sqrt(3.0)], rtol=1e-12)
