"""Methods of NamedTuple instances read from a list or tuple built in the function
(``pts = [Pt(..), Pt(..)]``; ``for p in pts: p.norm2()``, ``pts[-1].norm2()``, ``pts[1:]``):
once "no derivative rule for `.norm2()`". A NamedTuple stays a value (not a lowering-time
object like a dataclass instance), and ad/receivers.object_kinds knew the class of ``Pt(..)``
but not of an item read back from the list; it now keeps the items' class of a list or tuple
whose items are all of one user class, for a read by a constant, a loop's index, the position
`min`/`max` with a key picks, or a slice (a list again), and through `list(..)` copies."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class Pt(NamedTuple):
    x: float
    y: float

    def norm2(self):
        return self.x**2 + self.y**2

    def scaled(self, c):
        return Pt(self.x * c, self.y * c)

    def __add__(self, o):
        return Pt(self.x + o.x, self.y + o.y)


class Layer(NamedTuple):
    W: np.ndarray
    b: np.ndarray

    def apply(self, h):
        return np.tanh(h @ self.W + self.b)


def loop_over_items(w):
    pts = [Pt(w[0], w[1]), Pt(w[2], w[3])]
    s = 0.0
    for p in pts:
        s = s + p.scaled(2.0).norm2() * p.x
    return s


def slices_and_negative_index(w):
    pts = (Pt(w[0], w[1]), Pt(w[2], w[3]), Pt(w[1], w[2]))
    return sum(p.norm2() for p in pts[1:]) + pts[-1].norm2() + pts[0:1][0].norm2()


def operator_of_items(w):
    pts = [Pt(w[0], w[1]), Pt(w[2], w[3])]
    tot = pts[0]
    for i in range(1, len(pts)):
        tot = tot + pts[i]
    return tot.norm2()


def layers_in_a_list(w):
    layers = [Layer(w[:4].reshape(2, 2), w[4:6]), Layer(w[6:10].reshape(2, 2), w[10:12])]
    h = np.array([0.3, -0.2])
    for layer in layers:
        h = layer.apply(h)
    return np.sum(h**2)


def min_max_sorted_with_key(w):
    pts = [Pt(w[0], w[1]), Pt(w[2], w[3]), Pt(w[1], w[3])]
    best = max(pts, key=lambda p: p.norm2() - 3.0 * p.x)
    low = min(pts, key=lambda p: p.norm2())
    return best.norm2() * best.y + low.norm2() + sorted(pts, key=lambda p: p.norm2())[1].x


CASES = [
    loop_over_items,
    slices_and_negative_index,
    operator_of_items,
    layers_in_a_list,
    min_max_sorted_with_key,
]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_values_and_derivatives(f):
    w = np.linspace(0.3, 1.4, 12)
    assert np.isclose(srcad.primal(f)(w), f(w))
    check_grads(f, (w,), modes=("fwd", "rev"), order=2)


def test_mixed_classes_stay_refused():
    class Other(NamedTuple):
        x: float

        def norm2(self):
            return 3.0 * self.x

    def mixed(w):
        pts = [Pt(w[0], w[1]), Other(w[2])]
        return sum(p.norm2() for p in pts)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(mixed)(np.array([0.5, 1.0, 2.0]))
