"""Spurious refusals the session-45 hunt lifted, checked by value.

- Second order through a loop over a dict's keys (``for k in d``, ``d.keys()``, ``d.items()``)
  where the keys are numbers made from the inputs by a piecewise-constant function (``round``):
  `dict_keys` carried a (zero) derivative, so in the reverse sweep differentiated again the key
  was a varied float index of ``vals[k]``'s cotangent and `srcad.hvp` refused it. Dict keys never
  carry a derivative (a key that depends on the inputs is refused where the dict is built).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.24, 0.58])


def keys_loop(x):
    vals = {}
    for v in x:
        vals[round(float(v), 1)] = v
    s = 0.0
    for k in vals:
        s = s + vals[k] ** 2 * k
    return s


def keys_method(x):
    vals = {}
    for i, v in enumerate(x):
        vals[round(float(v))] = v * (i + 1)
    s = 0.0
    for k in vals.keys():
        s = s + np.sin(vals[k]) * (k + 1)
    return s


def items_loop(x):
    d = {"a": x[0] * x[1], "b": x[2] ** 2}
    for k in d:
        d[k] = d[k] * x[3]
    return sum(v**2 for v in d.values())


@pytest.mark.parametrize("fn", [keys_loop, keys_method, items_loop])
def test_hvp_through_dict_keys(fn):
    v = np.array([0.3, -0.5, 0.2, 0.7])
    g, hv = srcad.hvp(fn, (X,), (v,))
    grad = srcad.grad(fn)
    eps = 1e-5
    fd = (grad(X + eps * v) - grad(X - eps * v)) / (2 * eps)
    np.testing.assert_allclose(g, grad(X), rtol=1e-12)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-8)
    check_grads(fn, (X,), modes=("fwd", "rev"), order=2)
