"""Session 47's review of passes/raising.py: an unused item read that Python raises on.

- ``(1.0, 2.0)[k]`` unused, with a run-time `k` (a helper's parameter, ``int(...)``): the tuple
  display is a constant, which `_missing_item` did not take as a display, so DCE dropped the
  read and the derivative answered where the function raises IndexError. A run-time key of a
  constant tuple, list, string or dict is kept now.
- A ``@contextlib.contextmanager`` generator with a ``pass`` around its ``yield`` was not
  inlined (lower/withgens.py took assignments only), so the ``with`` given a differentiated value
  was refused; ``pass`` runs nothing and is skipped now.
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import srcad


def _pick(v, k):
    (1.0, 2.0)[k]
    return v * 2.0


def helper_key(x):
    return np.sum(_pick(x, 1)) + np.sum(_pick(x, 2))


def runtime_key(x):
    k = int(x[2] * 2)
    (1.0, 2.0)[k]
    return np.sum(x * 2.0)


X = np.array([0.3, -0.7, 1.1])


@pytest.mark.parametrize("fn", [helper_key, runtime_key])
def test_unused_read_of_a_constant_tuple_raises_as_python(fn):
    with pytest.raises(IndexError):
        fn(X)
    with pytest.raises(IndexError):
        srcad.grad(fn)(X)
    with pytest.raises(IndexError):
        srcad.jvp(fn, (X,), (np.ones(3),))


def test_key_in_range_still_answers():
    def f(x):
        k = int(x[0] * 2)
        (1.0, 2.0)[k]
        return np.sum(x * 2.0)

    np.testing.assert_allclose(srcad.grad(f)(X), np.full(3, 2.0))


@contextlib.contextmanager
def _gain(c):
    k = c * 2.0
    yield k
    pass


@contextlib.contextmanager
def _gain_pre(c):
    pass
    yield c * 3.0


def with_pass(x):
    with _gain(x[0]) as g:
        a = x * g
    with _gain_pre(x[1]) as h:
        a = a + h
    return np.sum(a)


def test_contextmanager_with_pass_is_inlined():
    np.testing.assert_allclose(
        srcad.grad(with_pass)(X), [2 * X[0] + np.sum(X) * 2, 2 * X[0] + 3 * 3, 2 * X[0]]
    )
    srcad.check_grads(with_pass, (X,), modes=("fwd", "rev"), order=2)
