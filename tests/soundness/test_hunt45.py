"""Soundness hunt 45: what the session-45 hunt (AD tools' test corpora, ML code, numeric corners)
found wrong, each checked against Python's own run and central differences.

- Reductions over an axis of an array with another axis of length 0 (``np.median(x, axis=0)``,
  ``np.quantile``, the Hessian of ``np.cumprod(x, axis=0)`` for x of shape (2, 0)): Python gives
  an empty result, the derivative helpers reshaped to ``(0, -1)`` and crashed with NumPy's
  ValueError (-1 is ambiguous in an empty array).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def median_rows(x):
    return np.sum(np.median(x, axis=0))


def quantile_rows(x):
    return np.sum(np.quantile(x, 0.3, axis=0))


def cumprod_rows(x):
    return np.sum(np.cumprod(x, axis=0) ** 2)


def percentile_pair(x):
    return np.sum(np.percentile(x, [20.0, 70.0], axis=0))


@pytest.mark.parametrize("fn", [median_rows, quantile_rows, cumprod_rows, percentile_pair])
@pytest.mark.parametrize("shape", [(2, 0), (3, 0, 2)])
def test_empty_axis_reductions(fn, shape):
    x = np.ones(shape)
    want = fn(x)
    g = srcad.grad(fn)(x)
    assert g.shape == shape
    out, dout = srcad.jvp(fn, (x,), (np.ones(shape),))
    assert out == want and dout == 0.0
    g2, hv = srcad.hvp(fn, (x,), (np.ones(shape),))
    assert g2.shape == shape and hv.shape == shape
