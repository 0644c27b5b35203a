"""``zip(..., strict=<constant>)`` where srcad lists the zip (``list(zip(...))``, ``tuple``,
``sorted``/``max``/``sum``/``dict`` of it): lowered as the comprehension over the zip, whose
iteration (lower/iterzip.zip_space) checks the lengths when it starts. Checked against Python,
central finite differences and the dot-product test at first and second order; unequal lengths
raise Python's ValueError, `strict=False` is plain zip."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

W = np.array([0.3, 1.7, 0.2, 0.5, 0.9, 1.1])


def listed(w):
    pairs = list(zip(w[:3], w[3:], strict=True))
    return sum(p[0] * p[1] for p in pairs)


def as_tuple(w):
    return tuple(zip(w[:3], np.sin(w[3:]), strict=True))[2][1] * w[0]


def keyed_max(w):
    best = max(zip(w[:3], w[3:], strict=True), key=lambda p: p[0] * p[1])
    return best[0] + best[1] ** 2


def sorted_pairs(w):
    return sum(a * b * k for k, (a, b) in enumerate(sorted(zip(w[:3], w[3:], strict=True))))


def not_strict(w):
    return sum(a * b for a, b in list(zip(w[:3], w[2:], strict=False)))


@pytest.mark.parametrize("f", [listed, as_tuple, keyed_max, sorted_pairs, not_strict])
def test_zip_strict(f):
    assert np.allclose(srcad.value_and_grad(f)(W.copy())[0], f(W.copy()))
    check_grads(f, (W.copy(),), modes=("fwd", "rev"))
    check_grads(f, (W.copy(),), order=2)


def unequal(w):
    return sum(a * b for a, b in list(zip(w[:3], w[2:], strict=True)))


def test_unequal_lengths_raise_as_python():
    with pytest.raises(ValueError):
        unequal(W.copy())
    with pytest.raises(ValueError, match="another length"):
        srcad.grad(unequal)(W.copy())
