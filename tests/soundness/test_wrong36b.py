"""Session 36 (wrong36b): NaN derivatives where the true derivative is finite.

- NaN gradient, forward mode right: ``np.nanmax(np.log(x))`` (nanmin alike, over the whole array
  or an axis) with a zero entry of `x`: the max's rule gives the -inf entry it does not take an
  exact 0, which the log's local derivative (1/0) made NaN. `ad/selmasks.py` now reads nanmax and
  nanmin as max and min (their rule is the same; a NaN entry never equals a finite extreme).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x, want, *rest):
    """grad and jvp of the scalar ``f(x, *rest)`` at the 1-D `x` against `want`."""
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(x.copy(), *rest)
        _, t = srcad.jvp(
            f, (x.copy(), *rest), (np.cos(np.arange(len(x)) + 1.0),) + (None,) * len(rest)
        )
    assert np.all(np.isfinite(g)), g
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        t, np.dot(want, np.cos(np.arange(len(x)) + 1.0)), rtol=1e-5, atol=1e-6
    )


# -- 1. np.nanmax / np.nanmin of a log with -inf entries -----------------------------------------


def nanmax_log(x):
    return np.nanmax(np.log(x))


def nanmin_neglog(x):
    return np.nanmin(-2.0 * np.log(x))


def nanmax_log_shifted(x):
    return np.nanmax(np.log(x - 0.5))  # (x = 0 gives NaN, x = 0.5 gives -inf)


def nanmax_rows(x):
    return np.sum(np.nanmax(np.log(x.reshape(2, 3)), axis=1) * np.array([1.0, 3.0]))


def nanmin_keepdims(x):
    return np.sum(np.nanmin(-np.sqrt(x.reshape(2, 3)), axis=0, keepdims=True))


X6 = np.array([1.0, 0.0, 4.0, 0.0, 2.0, 0.5])
CASES = [
    (nanmax_log, np.array([1.0, 0.0, 4.0]), np.array([0.0, 0.0, 0.25])),
    (nanmin_neglog, np.array([1.0, 0.0, 4.0]), np.array([0.0, 0.0, -0.5])),
    (nanmax_log_shifted, np.array([1.0, 0.0, 0.5, 4.0]), np.array([0.0, 0.0, 0.0, 1 / 3.5])),
    (nanmax_rows, X6, np.array([0.0, 0.0, 0.25, 0.0, 1.5, 0.0])),
    (nanmin_keepdims, X6, np.array([-0.5, 0.0, -0.25, 0.0, -0.5 / np.sqrt(2.0), 0.0])),
]


@pytest.mark.parametrize("f, x, want", CASES, ids=lambda a: getattr(a, "__name__", ""))
def test_nanmax_of_singular_values(f, x, want):
    """The entries nanmax/nanmin does not take are -inf (log 0) or roots at 0: their derivative
    is 0. Forward mode was right; the gradient was NaN there."""
    _check(f, x, want)
    away = x + 0.25 * (x == 0)  # (away from the singular points: central differences agree)
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(srcad.grad(f)(away), _fd(f, away), rtol=1e-5, atol=1e-6)


def test_nanmax_hessian_of_singular_values():
    with np.errstate(all="ignore"):
        h = srcad.hessian(nanmax_log)(np.array([1.0, 0.0, 4.0]))
    np.testing.assert_allclose(h, np.diag([0.0, 0.0, -1 / 16]), atol=1e-12)


def test_nanmax_taking_the_singular_entry_keeps_it():
    """Where the extreme IS the singular entry the infinite derivative stays."""
    f = lambda x: np.nanmax(-np.log(x))  # noqa: E731
    with np.errstate(all="ignore"):
        g = srcad.grad(f)(np.array([1.0, 0.0, 4.0]))
    assert np.isinf(g[1]) and g[0] == 0.0 and g[2] == 0.0
