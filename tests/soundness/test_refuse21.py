"""Neighbours of what refuse21 accepts (tests/corpus/users_refuse21.py): rows of a list of lists
bound by one tuple assignment (``gi, gim1 = grid[i], grid[i - 1]``) are rewritten into reads and
writes of ``grid[i]`` only while ``grid[i]`` certainly is the object the name holds.
Must stay refused (Python would see the write through another holder srcad does not rewrite):

- the row also held by another list (``keep = [g[1]]``, ``other.append(gi)``) and read there;
- ``g[1]`` replaced while the name lives, the index rebound (``i = i + 1``), an index reading a
  name the same assignment binds (``i, gi = i + 1, g[i]``: the old `i`);
- the name read before its binding in a loop (the previous round's row).

The refusal of a row read through a name that is not rewritten names what the source reads
(``gip1``), not the comprehension that made the rows (it said "an element of `acc`")."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.3, 0.7, 1.1, -0.4])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def same_row(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gj = g[1], g[1]
    gi[0] = gi[0] * x[0]
    return gj[0] + g[1][0]


def swapped(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gk = g[1], g[0]
    gi, gk = gk, gi
    gi[0] = gi[0] * x[0]
    return g[0][0] + g[1][0] + gk[0]


def sor_rows(x):
    n = 4
    grid = [[x[(i + j) % 4] for j in range(n)] for i in range(n)]
    for _ in range(2):
        for i in range(1, n - 1):
            gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]
            for j in range(1, n - 1):
                gi[j] = 0.25 * (gim1[j] + gip1[j] + gi[j - 1] + gi[j + 1]) * x[1]
    return sum(sum(v * v for v in row) for row in grid)


@pytest.mark.parametrize("f", [same_row, swapped, sor_rows])
def test_tuple_bound_rows_accepted(f):
    np.testing.assert_allclose(srcad.grad(f)(X), _fd(f, X), rtol=1e-6, atol=1e-8)


def kept(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    keep = [g[1]]
    gi, gk = g[1], g[0]
    gi[0] = gi[0] * x[0]
    return keep[0][0] + gk[1]


def appended(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    other = []
    gi, gk = g[1], g[0]
    other.append(gi)
    gi[0] = gi[0] * x[0]
    return other[0][0] + gk[0]


def replaced(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gk = g[1], g[0]
    r = g[1]
    g[1] = [x[1], x[1]]
    gi[0] = gi[0] * x[0]
    return r[0] + gk[0]


def index_changed(x):
    g = [[x[0], x[1]], [x[2], x[3]], [x[0], x[3]]]
    s = 0.0
    for i in range(2):
        gi, gk = g[i], g[i + 1]
        i = i + 1
        gi[0] = gi[0] * x[1]
        s += gk[0] + g[i][0]
    return s + g[0][0]


def index_bound_too(x):
    g = [[x[0], x[1]], [x[2], x[3]], [x[0], x[3]]]
    s = 0.0
    for i in range(2):
        i, gi = i + 1, g[i]
        gi[0] = gi[0] * x[1]
        s += g[i][0] + gi[0]
    return s + g[0][0] + g[1][0]


def read_before_binding(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    s = 0.0
    gi = g[0]
    for _ in range(2):
        s += gi[0]
        gi, gk = g[1], g[0]
        gi[0] = gi[0] * x[0] + gk[0]
    return s


@pytest.mark.parametrize(
    "f", [kept, appended, replaced, index_changed, index_bound_too, read_before_binding]
)
def test_rows_held_elsewhere_refused(f):
    with pytest.raises(srcad.SrcadError, match="read after the object it shares"):
        srcad.grad(f)(X)


def unstable_index(x):
    grid = [[x[(i + j) % 4] for j in range(4)] for i in range(4)]
    for i in range(1, 3):
        k = 0
        gi, gip1 = grid[i], grid[i + k + 1]  # `k` is no loop variable: not rewritten
        k = 1
        for j in range(1, 3):
            gi[j] = 0.5 * (gip1[j] + gi[j - 1])
    return sum(sum(v * v for v in row) for row in grid)


def test_refusal_names_the_source_read():
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(unstable_index)(X)
    assert "an element of `gip1`" in str(e.value)
    assert "`acc`" not in str(e.value)
