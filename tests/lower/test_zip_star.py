"""``zip(*rows)`` of a sequence whose length is known only at run time (lower/idioms_more.zip_star):
the transpose, as Python's zip yields it. Refused before (session 9): ``xs, ys = zip(*points)``.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.57, -0.2, 0.9])


def unzip_points(x):
    pts = [(x[i], x[i + 1]) for i in range(0, 6, 2)]
    xs, ys = zip(*pts)
    return sum(a * b for a, b in zip(xs, ys)) + max(ys)


def columns_of_an_array(x):
    tot = 0.0
    for col in zip(*x.reshape(2, 3)):
        tot += col[0] * col[1]
    return tot


def ragged_rows(x):
    rows = [list(x[:3]), list(x[3:5])]
    cols = list(zip(*rows))  # the shortest row decides: 2 columns
    return sum(c[0] ** 2 - c[1] for c in cols) * len(cols)


def no_rows(x):
    rows = [r for r in [] if r]
    return x[0] * (1 + len(list(zip(*rows))))


@pytest.mark.parametrize("f", [unzip_points, columns_of_an_array, ragged_rows, no_rows])
def test_zip_star(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-12)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)


def read_twice(x):
    z = zip(*[(x[0], x[1]), (x[2], x[3])])
    a = list(z)
    return sum(sum(t) for t in a) + len(list(z)) * x[0]


def test_a_second_pass_is_refused_as_for_any_zip():
    with pytest.raises(srcad.SrcadError, match="one-shot iterator"):
        srcad.grad(read_twice)(X.copy())
