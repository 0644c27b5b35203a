"""Idioms users write that srcad refused before session 14: a ``:=`` in a comprehension binding a
name read only there (lower/closures.comprehension_writes). Each is checked against plain Python,
central finite differences and the dot-product test, at first and second order; the forms that
stay refused are refused."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X4 = np.array([0.3, 1.2, -0.7, 0.9])


def walrus_filter(x):
    return sum(w for v in x if (w := math.exp(v)) > 1.0)


def walrus_in_element(x):
    return np.sum([(y := v * v) + y * 0.5 for v in x])


def walrus_then_len(x):
    ys = [z * 2.0 for v in x if (z := np.sin(v)) > -0.5]
    return sum(ys) * len(ys)


def walrus_in_loop(x):
    total = 0.0
    for k in range(2):
        total = total + sum(t for v in x if (t := v * (k + 1.0)) < 2.0)
    return total


def walrus_dict(x):
    d = {i: q for i, v in enumerate(x) if (q := v**2) > 0.1}
    return sum(d.values())


CASES = [walrus_filter, walrus_in_element, walrus_then_len, walrus_in_loop, walrus_dict]


@pytest.mark.parametrize("f", CASES)
def test_accepted(f):
    assert srcad.primal(f)(X4.copy()) == pytest.approx(f(X4.copy()), rel=1e-14)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"))
    check_grads(f, (X4.copy(),), order=2)


def walrus_read_after(x):
    s = sum(w for v in x if (w := v * 2.0) > 0)
    return s * w  # Python: the last `w`, or UnboundLocalError when no item is taken


def test_read_after_stays_refused():
    with pytest.raises(srcad.SrcadError, match="no value before it"):
        srcad.grad(walrus_read_after)(X4.copy())
