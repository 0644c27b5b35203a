"""Session 37 (iter37): the `plain_items` check only where a helper's list may hold objects.

- wrong36a read every NumPy reduction or array of a helper's result through
  ``_srcad.plain_items(xs, 'np.sum')`` when no class was seen in the helper's list, also for
  helpers returning an array or a number (``np.sum(normal_lpdf(theta, mu, tau))``): ~200 corpus
  sources carried the check. The caller's value kinds already hold the helper's return kind
  (ad/receivers.return_kind); a result known to hold no user object (DEEP) is read as it is.
  A list read through more helpers than the kinds follow keeps the check (tests/soundness/
  test_wrong36.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([1.0, 2.0, 3.0])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x):
    want = _fd(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(srcad.jacfwd(f)(x.copy()), want, rtol=1e-6, atol=1e-7)


# -- 1. a helper's return kind tells the caller its result holds no object ----------------------


def lpdf(y, mu, sigma):
    z = (y - mu) / sigma
    return -0.5 * z * z - np.log(sigma)


def rows(x):
    return [np.sin(v) * x for v in x]


def rows2(x):
    return rows(x)


def rows3(x):
    return rows2(x)


def sum_of_helper_array(x):
    return np.sum(lpdf(x, 0.5, 2.0)) + np.prod(lpdf(x, x[0], 1.5))


def array_of_helper_rows(x):
    return np.sum(np.array(rows3(x)) ** 2) + np.sum(np.asarray(rows(x)))


@pytest.mark.parametrize("f", [sum_of_helper_array, array_of_helper_rows])
def test_no_item_check_on_a_helper_returning_numbers(f):
    # wrong36a: `xs = _srcad.plain_items(_t, 'np.sum')` before each; the kinds say DEEP
    for mode in ("grad", "jvp"):
        assert "plain_items" not in srcad.source(f, mode=mode, wrt=0, args=(X3,))
    _check(f, X3)
