"""Programs srcad used to refuse, session 21 (`refuse21`): benchmark-style Python holding rows of
a list of lists under other names.

- rows bound by one tuple assignment, ``gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]``
  then ``gi[j] = ... gim1[j] ... gi[j - 1]`` (scimark's SOR as pyperformance writes it; bound
  one per statement it was accepted): lower/listrows.py takes each ``R = C[e]`` pair of the
  tuple, so reads and writes through the names become reads and writes of ``C[e]``; a swap of
  two such names (``gi, gk = gk, gi``) ends their regions and binds them again to the swapped
  items.

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse21.py."""

from __future__ import annotations

import numpy as np

from . import Case

X8 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1, 0.4, -0.7])


def sor_tuple_rows(x):
    n = 4
    grid = [[x[(i * n + j) % 8] * (1.0 + 0.1 * i) for j in range(n)] for i in range(n)]
    omega = 1.2 + 0.1 * x[0]
    for _ in range(2):
        for i in range(1, n - 1):
            gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]
            for j in range(1, n - 1):
                gi[j] = (
                    omega * 0.25 * (gim1[j] + gip1[j] + gi[j - 1] + gi[j + 1])
                    + (1.0 - omega) * gi[j]
                )
    return sum(sum(v * v for v in row) for row in grid)


def rows_same_item(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gj = g[1], g[1]  # two names, one row: both read through g[1]
    gi[0] = gi[0] * x[0]
    gj[1] += gi[0] * x[4]
    return gj[0] + g[1][0] + g[1][1] * gi[1]


def rows_swapped_names(x):
    g = [[x[0], x[1]], [x[2], x[3]]]
    gi, gk = g[1], g[0]
    gi, gk = gk, gi
    gi[0] = gi[0] * x[0]
    gk[1] -= gi[0] * x[5]
    return g[0][0] + g[1][0] + gk[0] * g[1][1]


def rows_list_target(x):
    m = [[x[k] + 0.1 * (r + 1) for k in range(4)] for r in range(3)]
    for i in range(1, 3):
        [prev, cur] = [m[i - 1], m[i]]
        for j in range(4):
            cur[j] = cur[j] + 0.5 * prev[j] * x[6]
    return m[2][0] * m[1][3] + sum(m[2])


CASES = [
    Case(sor_tuple_rows, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_same_item, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_swapped_names, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_list_target, (X8.copy(),), (0,), extra="hvp"),
]
