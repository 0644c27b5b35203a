"""Lowering regressions from the soundness issue: names bound only on paths that fall through."""

from __future__ import annotations

import numpy as np

import srcad


def after_early_return(x):
    if x > 0:
        return x

    def g(u):  # noqa: E306 - the point of the test: a def after the early return
        return u * u

    return g(x)


def continue_then_lambda(x):
    for i in range(3):
        if i == 1:
            continue
        h = lambda u: u * 3.0
        x = h(x)
    return x


def two_defs(x):
    if x > 0:

        def g(u):
            return u * 2.0
    else:

        def g(u):
            return u * 3.0

    return g(x)


def test_nested_def_after_early_return():
    assert srcad.grad(after_early_return)(-2.0) == -4.0
    assert srcad.grad(after_early_return)(2.0) == 1.0
    assert srcad.jvp(after_early_return, (-2.0,), (1.0,)) == (4.0, -4.0)


def test_lambda_after_continue():
    assert srcad.grad(continue_then_lambda)(1.0) == 9.0
    np.testing.assert_allclose(srcad.jacrev(continue_then_lambda)(np.ones(2)), 9.0 * np.eye(2))


def test_different_defs_per_branch_are_each_branchs():
    # (refused until session 35: the rest of the function is now lowered in each branch,
    # lower/objsplit.py)
    assert srcad.grad(two_defs)(1.0) == 2.0
    assert srcad.grad(two_defs)(-1.0) == 3.0
    assert srcad.jvp(two_defs, (-1.0,), (1.0,)) == (-3.0, 3.0)
