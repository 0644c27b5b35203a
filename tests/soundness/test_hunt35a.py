"""Soundness hunt 35a: simulations and classic benchmark programs (n-body, stencils, ODE steppers,
quadrature, root finders, option pricing) written as users write them.

- Spurious refusal: a loop updating fields of the items of a list of objects by index,
  ``bs = [Body(x0, 0.0), Body(-x0, 0.0)]`` then ``bs[0].v += dt * f`` (two bodies on a spring,
  particles in a list), was refused with "`bs` is rebound to a function or module inside a
  loop": the store counted as assigning `bs`, which made the list loop-carried. The list is
  not carried now (lower/seqfields.py); the fields are, as for ``for b in bs: b.x += ...``.
- A transform that never ended: adaptive Simpson quadrature, a helper calling itself twice,
  given the integrand as a lambda (``asimp(lambda t: math.exp(-0.7 * t * t), a, b, ...,
  depth)``): its end depends on the error test at run time, so each call was inlined down to
  the depth argument, 2^depth copies of the body (80 s and 3 GB for one gradient at depth 10).
  Past 256 inlined copies the helper is now called as a recursive function with the lambda
  passed as a value (lower/fnlifted.py), as it was at the depth limit; a lambda that reads a
  variable of the function around it cannot be passed so, and is refused, quickly.
- Spurious refusal: the benchmark-game n-body with bodies as lists, ``b1 = bodies[i]`` and
  ``b2 = bodies[j]`` updated in the pair loop, then ``for b in bodies: b[0] += dt * b[2]``:
  the second loop is rewritten over positions (lower/loopitems.py) behind a run-time kind check
  ``assert ("w", bodies)``, and lower/listrows.py took that mention of `bodies` for a use that
  could hold the list, so it left ``b1[2] -= ...`` as writes through aliases, which the mutation
  check refused. The check reads only the list's kind and length: it no longer disqualifies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
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


def _asimp(f, a, b, eps, whole, fa, fb, fm, depth):
    m = 0.5 * (a + b)
    lm, rm = 0.5 * (a + m), 0.5 * (m + b)
    flm, frm = f(lm), f(rm)
    left = (m - a) / 6 * (fa + 4 * flm + fm)
    right = (b - m) / 6 * (fm + 4 * frm + fb)
    if depth <= 0 or abs(left + right - whole) <= 15 * eps:
        return left + right + (left + right - whole) / 15
    return _asimp(f, a, m, eps / 2, left, fa, fm, flm, depth - 1) + _asimp(
        f, m, b, eps / 2, right, fm, fb, frm, depth - 1
    )


def adaptive_simpson(b):
    f = lambda t: math.exp(-0.7 * t * t)  # noqa: E731
    fa, fb, fm = f(0.0), f(b), f(0.5 * b)
    return _asimp(f, 0.0, b, 1e-6, b / 6 * (fa + 4 * fm + fb), fa, fb, fm, 9)


def adaptive_simpson_closure(k):
    f = lambda t: math.exp(-k * t * t)  # noqa: E731
    fa, fb, fm = f(0.0), f(2.0), f(1.0)
    return _asimp(f, 0.0, 2.0, 1e-6, 2.0 / 6 * (fa + 4 * fm + fb), fa, fb, fm, 9)


def test_recursive_helper_given_a_lambda_is_called_not_unrolled():
    text = srcad.source(adaptive_simpson, mode="grad", args=(1.3,))
    assert "vjp__asimp" in text  # the recursive helper's own derivative, called
    check_grads(adaptive_simpson, (1.3,), modes=("fwd", "rev"))


def test_recursive_helper_given_a_closure_is_refused():
    with pytest.raises(srcad.SrcadError, match="more than 256 copies"):
        srcad.grad(adaptive_simpson_closure)(0.7)


def nbody_bodies_as_lists(x):
    bodies = [
        [x[0], 0.0, 0.0, x[1], 1.0],
        [-x[0], 0.0, 0.0, -x[1], 1.0],
        [0.0, x[2], -0.3, 0.0, 0.5],
    ]
    dt = 0.01
    for _ in range(4):
        for i in range(len(bodies)):
            b1 = bodies[i]
            for j in range(i + 1, len(bodies)):
                b2 = bodies[j]
                dx = b1[0] - b2[0]
                dy = b1[1] - b2[1]
                mag = dt * (dx * dx + dy * dy) ** -1.5
                b1[2] -= dx * b2[4] * mag
                b1[3] -= dy * b2[4] * mag
                b2[2] += dx * b1[4] * mag
                b2[3] += dy * b1[4] * mag
        for b in bodies:
            b[0] += dt * b[2]
            b[1] += dt * b[3]
    return sum(b[0] * b[2] + b[1] * b[3] for b in bodies)


def row_alias_read_after_item_loop(x):
    rows = [[x[0], 1.0], [x[1], 2.0]]
    r = rows[0]
    for q in rows:
        q[0] *= 2.0
    return r[0] * rows[0][0]  # Python's r is rows[0]: doubled too


def test_nbody_bodies_as_lists():
    x = np.array([1.0, 0.5, 1.2])
    assert srcad.primal(nbody_bodies_as_lists)(x) == nbody_bodies_as_lists(x)
    check_grads(nbody_bodies_as_lists, (x,), modes=("fwd", "rev"))
    check_grads(nbody_bodies_as_lists, (x,), modes=("fwd",), order=2)


# ``row_alias_read_after_item_loop``: right since nbody43 (tests/soundness/test_nbody43.py)
