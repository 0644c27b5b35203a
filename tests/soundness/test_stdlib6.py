"""Dicts in differentiated code (session 6, stdlib):

- Wrong derivatives: dict keys that depend on the inputs (``d = {x[0]: 1.0}``, ``d[x[1]] = 2.0``)
  carry no derivative in srcad's dicts, so ``sum(d)``, ``max(d)`` and ``for k in d: s += k`` gave
  a zero gradient (Python's is 1 per key). Refused at transform time (ad/dictkeys.py).
- Crashes: ``sum(d)`` / ``max(d)`` / ``min(d)`` of a dict (its keys) raised KeyError in grad/jvp;
  their derivative is zero now (keys carry none). A ``collections.defaultdict`` (``d[k] += v``,
  whose reads insert missing keys), ``Counter`` or ``OrderedDict`` crashed grad/jvp (IndexError,
  TypeError): refused with a hint (a plain dict with ``d.get(k, 0.0)``).
"""

from __future__ import annotations

import collections

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.7, 1.1])


def keys_literal(x):
    d = {x[0]: 1.0, x[1]: 2.0}
    return sum(d) + max(d)


def keys_stored(x):
    d = {}
    d[x[0]] = 1.0
    return sum(d)


def keys_looped(x):
    d = {x[0]: 1.0, x[1]: 2.0}
    s = 0.0
    for k in d:
        s = s + k
    return s


def default_dict(x):
    d = collections.defaultdict(float)
    for i in range(len(x)):
        d[i % 2] += x[i] * x[i]
    return d[0] + 2.0 * d[1]


def counter(x):
    c = collections.Counter()
    c["a"] += x[0]
    return c["a"] * x[1]


def ordered(x):
    d = collections.OrderedDict()
    d["a"] = x[0]
    return d["a"] * x[1]


@pytest.mark.parametrize("f", [keys_literal, keys_stored, keys_looped])
def test_varied_keys_refused(f):
    for d in (srcad.grad(f), lambda x: srcad.jvp(f, (x,), (np.ones(3),))):
        with pytest.raises(srcad.SrcadError, match="dict key that depends"):
            d(X)


@pytest.mark.parametrize("f", [default_dict, ordered])
def test_defaultdict_and_ordered_dict_differentiated(f):
    """Their tangents are a defaultdict / OrderedDict of zeros (refuse, session 6)."""
    from srcad.testing import check_grads

    check_grads(f, (X,), modes=("fwd", "rev"))


# (`counter`'s forward mode, refused before session 45: tests/regressions/test_idiom45.py checks
# it by value; its tangent is a Counter of zeros since)


def constant_keys(x):
    d = {1.0: x[0], 2.0: x[1]}
    return sum(d) * x[0] + max(d) * x[1] + min(d) * x[2] + sum(d.values()) * x[2]


def test_sum_max_min_of_dict_keys():
    g = srcad.grad(constant_keys)(X)
    assert np.allclose(g, [3.0 + X[2], 2.0 + X[2], 1.0 + X[0] + X[1]])
    _, t = srcad.jvp(constant_keys, (X,), (np.array([1.0, 2.0, 3.0]),))
    assert np.isclose(t, g @ [1.0, 2.0, 3.0])
    h = srcad.hessian(constant_keys)(X)
    assert np.allclose(h, [[0, 0, 1], [0, 0, 1], [1, 1, 0]])
