"""Idioms 15: wrong results and crashes found by probes of everyday Python idioms and library calls
in differentiated code (/tmp/s15/idioms15/probes).

- CRASH (IndexError where Python returns a value): a loop over ``zip(fns, xs)``, `fns` a list of
  functions known when lowering and `xs` a run-time sequence, was unrolled ``len(fns)`` times and
  indexed `xs` that often; Python's zip stops at the shorter one. A shorter `xs` is now refused
  at run time (lower/fnvalues.static_items), a longer one works as before.
- Refusal message: ``except E as err`` read in the handler printed the gast node's repr (with a
  memory address) instead of the name (lower/trys.py).
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

import srcad

X4 = np.array([0.3, -0.7, 1.2, 0.5])


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


def _ops_zip_shorter(x):
    ops = [operator.add, operator.mul, operator.sub, operator.truediv]
    acc = x[0]
    for op, v in zip(ops, x[1:] + 2.0):
        acc = op(acc, v)
    return acc


def _fns_zip_shorter(x):
    fs = [np.sin, np.cos, np.exp, np.tanh, np.sinh]
    return sum(fn(v) for fn, v in zip(fs, x))


def _ops_zip_longer(x):
    ops = [operator.add, operator.mul]
    acc = x[0]
    for op, v in zip(ops, x):
        acc = op(acc, v)
    return acc


@pytest.mark.parametrize("fn", [_ops_zip_shorter, _fns_zip_shorter])
def test_zip_of_functions_with_a_shorter_sequence_is_refused(fn):
    fn(X4)  # Python: zip stops at the shorter sequence
    for t in (srcad.primal(fn), srcad.grad(fn)):
        with pytest.raises(srcad.SrcadError, match="fewer items"):
            t(X4)


def test_zip_of_functions_with_a_longer_sequence():
    v = np.array([0.2, -0.4, 0.9, 0.1])
    assert srcad.primal(_ops_zip_longer)(X4) == pytest.approx(_ops_zip_longer(X4))
    g = srcad.grad(_ops_zip_longer)(X4)
    assert np.dot(g, v) == pytest.approx(_fd(_ops_zip_longer, X4, v), rel=1e-6)
    _, hv = srcad.hvp(_ops_zip_longer, (X4,), (v,))
    hfd = _fd(srcad.grad(_ops_zip_longer), X4, v, 1e-5)
    np.testing.assert_allclose(hv, hfd, rtol=1e-5, atol=1e-7)


def _reraise_from(x):
    try:
        return np.sum(x**2)
    except ValueError as err:
        raise RuntimeError(f"bad input: {err}") from err  # (read as the cause only: lowered)


def test_reading_the_exception_in_the_handler():
    # (refused until idiom43, whose message once printed the gast node, not its name; the
    # handler binds the exception now: lower/trys.py, tests/regressions/test_idiom43.py)
    np.testing.assert_allclose(srcad.grad(_reraise_from)(X4), 2.0 * X4)
