"""Soundness hunt 45: what the session-45 hunt (AD tools' test corpora, ML code, numeric corners)
found wrong, each checked against Python's own run and central differences.

- Reductions over an axis of an array with another axis of length 0 (``np.median(x, axis=0)``,
  ``np.quantile``, the Hessian of ``np.cumprod(x, axis=0)`` for x of shape (2, 0)): Python gives
  an empty result, the derivative helpers reshaped to ``(0, -1)`` and crashed with NumPy's
  ValueError (-1 is ambiguous in an empty array). Likewise ``np.apply_along_axis(f, 1, x)``
  along an empty axis (the rows reshaped to ``(-1, 0)``, in the primal too) and the gradient of
  ``np.pad(x, ..., mode="linear_ramp")`` of an empty x (the ramp's first entry taken from an
  empty axis); ``np.resize`` of an empty array to a non-empty shape is refused as SrcadError
  (it raised a plain ValueError, which Python's own run does not). ``np.take(x, [0, -1], axis=2)``
  of an x of shape (3, 0, 0) (NumPy's result is empty): its cotangent's ``np.add.at`` raised
  IndexError. ``np.logaddexp.reduce``/``.accumulate`` of an empty axis (NumPy: -inf / empty;
  the weights took the maximum of nothing, the carry wrote position 0 of nothing) and
  ``np.maximum.at(y, [], empty)`` (the written values' tags reshaped from one element).
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


def along_empty(x):
    return np.sum(np.apply_along_axis(np.sort, 1, x) ** 2)


def ramp_empty(x):
    return np.sum(np.pad(x, ((1, 1), (0, 0), (0, 1)), mode="linear_ramp", end_values=2.0))


def stat_empty(x):
    return np.sum(np.pad(x, ((1, 0), (0, 0), (2, 1)), mode="maximum") ** 2)


def take_empty(x):
    return np.sum(np.take(x, [0, -1, 0], axis=2) ** 2)


def lae_reduce_empty(x):
    return np.sum(np.exp(np.logaddexp.reduce(x, axis=-1)))


def lae_accumulate_empty(x):
    return np.sum(np.logaddexp.accumulate(x, axis=-1) ** 2)


def max_at_empty(x):
    y = np.zeros(3)
    np.maximum.at(y, [0, 1, 0][: np.size(x)], x.ravel()[:3])
    return np.sum(y**2)


EMPTY_HELPERS = [
    along_empty, ramp_empty, stat_empty, take_empty, lae_reduce_empty, lae_accumulate_empty,
    max_at_empty,
]  # fmt: skip


@pytest.mark.parametrize("fn", EMPTY_HELPERS)
def test_empty_array_helpers(fn):
    empty_last = {take_empty: (3, 0, 0), lae_reduce_empty: (2, 0), lae_accumulate_empty: (2, 0)}
    x = np.ones(empty_last.get(fn, (2, 0, 3)))
    assert srcad.primal(fn)(x) == fn(x)
    assert srcad.grad(fn)(x).shape == x.shape
    out, dout = srcad.jvp(fn, (x,), (np.ones(x.shape),))
    assert out == fn(x) and dout == 0.0
    g, hv = srcad.hvp(fn, (x,), (np.ones(x.shape),))
    assert g.shape == x.shape and hv.shape == x.shape


def resize_empty(x):
    return np.sum(np.resize(x, (3, 5)))


def test_resize_of_empty_is_a_refusal():
    with pytest.raises(srcad.SrcadError, match="np.resize of an empty array"):
        srcad.grad(resize_empty)(np.ones((2, 0)))
