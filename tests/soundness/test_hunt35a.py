"""Soundness hunt 35a: simulations and classic benchmark programs (n-body, stencils, ODE steppers,
quadrature, root finders, option pricing) written as users write them.

- Spurious refusal: a loop updating fields of the items of a list of objects by index,
  ``bs = [Body(x0, 0.0), Body(-x0, 0.0)]`` then ``bs[0].v += dt * f`` (two bodies on a spring,
  particles in a list), was refused with "`bs` is rebound to a function or module inside a
  loop": the store counted as assigning `bs`, which made the list loop-carried. The list is
  not carried now (lower/seqfields.py); the fields are, as for ``for b in bs: b.x += ...``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import srcad
from srcad.testing import check_grads


@dataclass
class Body:
    x: float
    v: float
    m: float = 1.0


def two_bodies_on_a_spring(x0, m):
    bs = [Body(x0, 0.1, m), Body(-x0, 0.0, 2.0)]
    for _ in range(20):
        f = bs[1].x - bs[0].x
        bs[0].v += 0.05 * f / bs[0].m
        bs[1].v -= 0.05 * f / bs[1].m
        for b in bs:
            b.x += 0.05 * b.v
    return bs[0].x * bs[1].v + bs[1].x


def fields_by_index_in_branches(x):
    bs = (Body(x, 0.1), Body(-x, 0.0))
    alias = bs[0]
    for k in range(6):
        if k % 2:
            bs[0].v += 0.1 * bs[1].x
        else:
            bs[-1].x -= 0.2 * alias.v
    return alias.v * bs[1].x + bs[0].x


def dict_of_bodies(x):
    d = {"a": Body(x, 0.1), "b": Body(2 * x, 0.3)}
    t = 0.0
    while d["a"].v < 0.6:
        d["a"].v += d["b"].x * 0.1
        d["b"].x *= 0.9
        t += 1.0
    return d["a"].v * d["b"].x + t


@pytest.mark.parametrize(
    "f, args",
    [
        (two_bodies_on_a_spring, (1.0, 2.0)),
        (fields_by_index_in_branches, (0.7,)),
        (dict_of_bodies, (0.7,)),
    ],
)
def test_item_fields_updated_in_a_loop(f, args):
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


def item_replaced_in_a_loop(x):
    bs = [Body(x, 0.1), Body(-x, 0.0)]
    for _ in range(3):
        bs[0].v += 0.1 * x
        bs[1] = Body(bs[0].v, x)
    return bs[1].x * bs[1].v


def test_item_replaced_in_a_loop_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(item_replaced_in_a_loop)(0.7)
