"""Spurious refusals found by porting other AD tools' corpora (tests/corpus/ported*.py), now
differentiated; each checked against exact derivatives and central differences.

- `np.mean(A, 1, None, None, True)`: NumPy's `out` passed positionally as a literal None was
  refused as "an output array argument" (the keyword form `out=None` was accepted).
- `enumerate(reversed(xs))` in a `for` loop: refused as "no derivative rule for `reversed`"
  (`enumerate(zip(...))`, `enumerate(range(...))` and `reversed(xs)` alone were iterated).
- an argument a rule is not differentiable in (`np.quantile`'s `q`) was refused without a hint.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

A = np.array([[0.5, -0.3, 1.2], [0.9, 0.2, -0.8]])


def mean_out_none(A):
    m = np.mean(A, 1, None, None, True)  # axis=1, dtype=None, out=None, keepdims=True
    return np.sum(m * A)


def std_ddof_positional(A):
    return np.std(A, None, None, None, 1)  # ddof=1


def weighted_reversed(x):
    out = 0.0
    for k, v in enumerate(reversed(list(x))):
        out = out * 0.5 + v * (k + 1)
    return out


def test_positional_out_none_is_no_output_array() -> None:
    # d/dA_ij sum_i m_i * sum_j A_ij with m_i = mean_j A_ij: (sum_j A_ij) / 3 + m_i
    row = A.sum(axis=1, keepdims=True)
    expected = 2.0 * row / 3.0 * np.ones_like(A)
    np.testing.assert_allclose(srcad.grad(mean_out_none)(A), expected, rtol=1e-14)
    np.testing.assert_allclose(expected, [[0.9333333333333333] * 3, [0.2] * 3], rtol=1e-14)
    check_grads(mean_out_none, (A,), modes=("fwd", "rev"), order=2)
    d = A - A.mean()
    np.testing.assert_allclose(
        srcad.grad(std_ddof_positional)(A), d / (5.0 * np.std(A, ddof=1)), rtol=1e-13
    )
    check_grads(std_ddof_positional, (A,), modes=("fwd", "rev"))


def _into(x):
    y = np.empty(2)
    np.mean(np.stack([x, x * x]), 1, None, y)
    return y


def test_positional_out_array() -> None:
    # refused until refuse36; now `out=y` as the keyword form (lower/inplace_np.out_keyword)
    x = np.array([0.3, -1.1, 0.8])
    _, t = srcad.jvp(_into, (x,), (np.ones(3),))
    np.testing.assert_allclose(t, [1.0, np.mean(2.0 * x)], rtol=1e-14)
    check_grads(_into, (x,), modes=("fwd", "rev"), order=2)


def test_enumerate_of_reversed() -> None:
    x = np.array([0.3, -1.1, 0.8, 1.7, -0.4])
    # the last element is visited first (k=0) and halved four times afterwards
    expected = [5.0, 4.0 * 0.5, 3.0 * 0.25, 2.0 * 0.125, 1.0 * 0.0625]
    assert weighted_reversed(x) == pytest.approx(np.dot(expected, x), rel=1e-14)
    np.testing.assert_allclose(srcad.grad(weighted_reversed)(x), expected, rtol=1e-14)
    _, dout = srcad.jvp(weighted_reversed, (x,), (np.ones(5),))
    assert dout == pytest.approx(sum(expected), rel=1e-14)
    check_grads(weighted_reversed, (x,), modes=("fwd", "rev"), order=2)


def quantile_of(x, q):
    return np.quantile(x, q)


def test_nondifferentiable_argument_refusal_has_a_hint() -> None:
    x = np.array([0.3, -1.1, 0.8])
    for call in (
        lambda: srcad.jvp(quantile_of, (x, 0.3), (None, 1.0)),
        lambda: srcad.grad(quantile_of, (0, 1))(x, 0.3),
    ):
        with pytest.raises(srcad.SrcadError, match="argument `q`") as e:
            call()
        assert "hint: hold it constant" in str(e.value)
        assert "return np.quantile(x, q)" in str(e.value)
