"""``for k, v in d.items(): d[k] += v * x`` over a dict of arrays made in the function
(lower/itemslots.py): refused before (the snapshot of the items read after an entry was
updated in place), now each `v` read as ``d[k]`` when its step starts, Python's meaning.

Lifted: distinct arrays per key, numbers, a plain write ``d[k] = ...``; differentiated in both
modes (and to second order). Neighbours, right or refused, never wrong: two keys sharing one
array, `v` read after its entry was updated in place (arrays: Python sees the change; numbers:
not), a key's entry kept in another name."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.lower.rightref import right_or_refused

X = np.array([0.5, 1.2, -2.0])


def _scaled(x):
    m = {"a": np.zeros(3) + x, "b": np.ones(3)}
    for k, v in m.items():
        m[k] += v * x
    return np.sum(m["a"] * m["b"])


def _numbers(x):
    m = {"a": x[0], "b": x[1] * 2.0, "c": 3.0}
    for k, v in m.items():
        m[k] += v * x[2]
    return m["a"] * m["b"] + m["c"]


def _plain_write(x):
    m = {"p": np.sin(x), "q": np.cos(x)}
    for k, v in m.items():
        m[k] = v * x + 1.0
    return np.sum(m["p"] ** 2) + np.sum(m["q"])


def _loop_of_steps(x):
    params = {"w": x * 1.0, "b": x[:2] * 2.0}
    for _ in range(3):
        for name, p in params.items():
            params[name] -= 0.1 * p * p
    return np.sum(params["w"]) + np.sum(params["b"] ** 2)


LIFTED = [_scaled, _numbers, _plain_write, _loop_of_steps]


@pytest.mark.parametrize("f", LIFTED, ids=lambda f: f.__name__)
def test_lifted(f):
    check_grads(f, (X,), modes=("fwd", "rev"))
    np.testing.assert_allclose(srcad.primal(f)(X), f(X.copy()), rtol=1e-13)


def test_lifted_second_order():
    check_grads(_scaled, (X,), modes=("fwd", "rev"), order=2)
    h = srcad.hessian(_scaled)(X)
    assert h.shape == (3, 3)


def _shared(x):
    z = np.ones(3) + x
    m = {"a": z, "b": z}
    for k, v in m.items():
        m[k] += v * x
    return np.sum(m["a"] * m["b"])


def _read_after(x):
    m = {"a": np.ones(3) + x, "b": x * 2.0}
    t = 0.0
    for k, v in m.items():
        m[k] += x
        t = t + np.sum(v * v)
    return t


def _read_after_numbers(x):
    m = {"a": x[0], "b": x[1]}
    t = 0.0
    for k, v in m.items():
        m[k] += x[2]
        t = t + v * v
    return t + m["a"]


def _kept(x):
    m = {"a": np.ones(3) + x, "b": x * 2.0}
    keep = m["a"]
    for k, v in m.items():
        m[k] += v * x
    return np.sum(keep) + np.sum(m["b"])


def _kept_value(x):
    m = {"a": np.ones(3) + x, "b": x * 2.0}
    vs = []
    for k, v in m.items():
        vs.append(v)
        m[k] *= 2.0
    return np.sum(vs[0]) + np.sum(vs[1] ** 2)


@pytest.mark.parametrize(
    "f", [_shared, _read_after, _read_after_numbers, _kept, _kept_value], ids=lambda f: f.__name__
)
def test_neighbours_right_or_refused(f):
    right_or_refused(f, (X,))
