"""Session 38 (nan38): NaN derivatives where the true derivative is finite.

- NaN gradient, forward mode right: ``if lst:`` (``if [0]:``) on a non-empty list choosing the
  branch that does not read a root's zero: nan37's truth-value mask was `UNKNOWN` (masking
  nothing) for a list. ``_srcad.recomputed('truth', c)`` of a list, tuple or dict is now whether
  it is empty (Python's truth value, whatever the entries).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _check(f, x, want, *rest):
    """grad and jvp of the scalar ``f(x, *rest)`` at the 1-D `x` against `want` (jvp: only where
    `want` is finite; else its NaN or inf is checked to stay)."""
    v = np.cos(np.arange(len(x)) + 1.0)
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy(), *rest)
        _, t = srcad.jvp(f, (x.copy(), *rest), (v,) + (None,) * len(rest))
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    if np.all(np.isfinite(want)):
        np.testing.assert_allclose(t, np.dot(want, v), rtol=1e-5, atol=1e-6)
    else:
        assert not np.isfinite(t)


def _fd(f, x, *rest, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *rest) - f(x - eps * e, *rest)) / (2 * eps) for e in np.eye(len(x))]
    )


# -- 5. the truth value of a list -----------------------------------------------------------------


def if_list_literal(x):
    r = np.sqrt(x)
    if [0]:
        r = 2.0 * x
    return np.sum(r)


def if_list_param(x, lst):
    r = np.sqrt(x)
    if lst:
        r = 2.0 * x
    return np.sum(r)


def if_tuple_param(x, t):
    r = np.log(x)
    if t:
        y = x * x
    else:
        y = r
    return np.sum(y)


def test_if_list_literal():
    _check(if_list_literal, np.array([0.0, 1.0, 4.0]), np.full(3, 2.0))


@pytest.mark.parametrize("lst", [[0], [0.0, 1.0], [[]]])
def test_if_nonempty_list(lst):
    _check(if_list_param, np.array([0.0, 1.0, 4.0]), np.full(3, 2.0), lst)


def test_if_empty_list_keeps_inf():
    """An empty list takes the root: its infinite derivative at 0 is the truth."""
    _check(if_list_param, np.array([0.0, 1.0, 4.0]), np.array([np.inf, 0.5, 0.25]), [])


def test_if_tuple():
    x = np.array([0.0, 1.0, 3.0])
    _check(if_tuple_param, x, 2.0 * x, (0,))
    _check(if_tuple_param, x, 1.0 / x, ())


def test_if_list_hessian():
    x = np.array([0.0, 1.0, 4.0])
    with np.errstate(all="ignore"):
        h = srcad.hessian(if_list_param)(x, [0])
    np.testing.assert_allclose(h, np.zeros((3, 3)))
