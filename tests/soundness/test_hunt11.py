"""Soundness hunt 11: what the idioms random programs (tests/fuzz/gen_idioms.py: control flow and
NumPy idioms of users' code) found.

- Crash: a `collections.defaultdict` updated in a loop (``acc[i % 2] += e``) whose entries do not
  reach the output: the reverse sweep starts from the zero cotangent of a defaultdict (a
  defaultdict, rules/trees.zeros_like), which `setitem_vjp_x` took for an array ("'float' object
  is not iterable"); dict subclasses are now plain dicts there, as the other cotangents of dicts.
"""

from __future__ import annotations

import collections

import numpy as np

import srcad

X = np.array([-1.1276, -1.4719, 0.3])


def _defaultdict_unused(x):
    acc = collections.defaultdict(float)
    for i, e in enumerate(x):
        acc[i % 2] += np.cos(e) * e
    return np.sin(e)


def _defaultdict_used(x):
    acc = collections.defaultdict(float)
    for i, e in enumerate(x):
        acc[i % 2] += np.cos(e) * e
    return np.sin(e) + acc[0] - 2.0 * acc[1]


def test_defaultdict_accumulator_gradient() -> None:
    for f in (_defaultdict_unused, _defaultdict_used):
        g = srcad.grad(f)(X)
        _, t = srcad.jvp(f, (X,), (np.ones(3),))
        np.testing.assert_allclose(np.sum(g), t, rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(_defaultdict_unused)(X), [0.0, 0.0, np.cos(0.3)])
