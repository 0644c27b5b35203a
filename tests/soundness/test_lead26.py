"""Session 26 (lead): displays with a star of a value whose length is only known at run time.

``np.array([0.0, *om])`` (a quaternion from an angular velocity), ``(1.0, *w[:3], w[4])``,
``[*xs, 3.0]`` of a list built by a loop were refused ("cannot unpack a value of unknown length");
they are now concatenations. Checked against Python and central differences at grad, jvp, vjp
and hessian; a star of a class defining ``__iter__`` stays refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X0 = np.array([0.3, -1.2, 0.45, 0.7, 1.9, -0.4])


def quat_step(w):
    q = np.array([1.0, 0.0, 0.0, 0.0])
    for _ in range(3):
        om = np.array([0.0, *w[:3]])
        a, b, c, d = q
        e, f, g, h = om
        dq = 0.5 * np.array([a * e - b * f - c * g - d * h, a * f + b * e + c * h - d * g,
                             a * g - b * h + c * e + d * f, a * h + b * g - c * f + d * e])  # fmt: skip
        q = q + 0.1 * dq
        q /= np.linalg.norm(q)
    return q @ np.array([0.1, 0.2, 0.3, 0.4]) * w[3]


def tuple_star(w):
    t = (1.0, *w[:3], w[4])
    return t[1] * t[2] * t[4] + sum(t) + len(t)


def list_of_loop(w):
    xs = []
    for v in w[1:4]:
        xs.append(v * v)
    ys = [w[0] * 2.0, *xs, 3.0, *w[4:]]
    s = 0.0
    for v in ys:
        s = 0.5 * s + v
    return s


def rows_star(w):
    M = w.reshape(2, 3)
    A = np.array([np.ones(3), *M, M[0] * M[1]])
    return np.sum(A @ A.T)


def star_generator(w):
    sq = [*(v * v for v in w), *range(2)]
    return np.sum(np.array(sq) * np.arange(len(sq)))


def star_of_star(w):
    inner = [*w[:2], w[2]]
    outer = (*inner, *inner[::-1])
    return np.prod(np.array(outer))


CASES = [quat_step, tuple_star, list_of_loop, rows_star, star_generator, star_of_star]


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_star_display(f):
    check_scalar(f, X0.copy())


class Bag:
    def __init__(self, items):
        self.items = items

    def __iter__(self):
        return iter(self.items[::-1])


def star_bag(w):
    b = Bag(w)
    return np.sum(np.array([0.0, *b]) * np.arange(7.0))


def test_star_of_class_with_iter_refused():
    with pytest.raises(srcad.SrcadError, match="__iter__"):
        srcad.grad(star_bag)(X0.copy())
