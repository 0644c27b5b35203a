"""Session 25, lead: a float field named like an array attribute (``.size``, ``.shape``, ...) on
an object whose class srcad does not know at transform time (an item of a dict or list argument)
was differentiated as zero; it is refused now (ad/zeroattrs.py), while arrays in such containers
keep their (zero-derivative) ``.size`` / ``.shape`` reads."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


class C:
    def __init__(self, v, w):
        self.size = v
        self.w = w


def from_dict(d):
    return d["c"].size * 3.0 + d["c"].w


def from_list(items):
    return items[0].size ** 2


def arrays_in_a_list(xs):
    return sum(np.sum(a**2) * a.size + a.shape[0] for a in xs)


@pytest.mark.parametrize(
    "f, arg",
    [(from_dict, {"c": C(1.5, 2.0)}), (from_list, [C(1.5, 2.0)])],
    ids=["dict", "list"],
)
def test_float_field_named_size_refused(f, arg):
    # (main: the gradient's `size` was 0.0, the right one 3.0 / 3.0)
    # (a list of C objects: its items' class is known (`Spec.items`), the refusal names it)
    with pytest.raises(srcad.SrcadError, match="`.size` of (an object|a C)"):
        srcad.grad(f)(arg)


def test_arrays_in_a_list_keep_their_sizes():
    xs = [np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25])]
    g = srcad.grad(arrays_in_a_list)(xs)
    for a, b in zip(g, xs, strict=True):
        np.testing.assert_allclose(a, 2 * b * b.size, rtol=1e-12)
