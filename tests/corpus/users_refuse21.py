"""Programs srcad used to refuse, session 21 (`refuse21`): benchmark-style Python holding rows of
a list of lists under other names.

- rows bound by one tuple assignment, ``gi, gim1, gip1 = grid[i], grid[i - 1], grid[i + 1]``
  then ``gi[j] = ... gim1[j] ... gi[j - 1]`` (scimark's SOR as pyperformance writes it; bound
  one per statement it was accepted): lower/listrows.py takes each ``R = C[e]`` pair of the
  tuple, so reads and writes through the names become reads and writes of ``C[e]``; a swap of
  two such names (``gi, gk = gk, gi``) ends their regions and binds them again to the swapped
  items;
- a helper updating a caller's list of lists in place, ``a[k][j] *= recp``, through row names
  ``aii, aj = a[ii], a[j]; aii[jj] -= f * aj[jj]``, and swapping rows ``a[j], a[jp] = a[jp],
  a[j]`` (LU factorization with partial pivoting, pyperformance's scimark): the helper is
  inlined and the caller's variable written back (lower/argwrites.py: ``p[i][j] = v`` counts as
  updating `p`, as the caller's own nested write would), its row names rewritten as
  lower/listrows.py does for a display (`param_rows`), and the swap keeps the container free of
  duplicates for the mutation check (passes/alias_nested.swap_writes); ``p = pivot[i]`` of
  that ``pivot = [0] * n`` the helper wrote ints into is an int (passes/scalars.int_vars), so
  ``b[i], b[p] = b[p], b[i]`` swaps two items (it was taken for a possible slice).

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


def _lu_rows(a, pivot):
    n = len(a)
    for j in range(n):
        jp = j
        t = abs(a[j][j])
        for i in range(j + 1, n):
            ab = abs(a[i][j])
            if ab > t:
                jp, t = i, ab
        pivot[j] = jp
        if jp != j:
            a[j], a[jp] = a[jp], a[j]
        recp = 1.0 / a[j][j]
        for k in range(j + 1, n):
            a[k][j] *= recp
        for ii in range(j + 1, n):
            aii, aj = a[ii], a[j]
            aiij = aii[j]
            for jj in range(j + 1, n):
                aii[jj] -= aiij * aj[jj]


def lu_pivoted_solve(x):
    a = [[x[(3 * i + j) % 8] + (2.5 if i == j else 0.0) for j in range(3)] for i in range(3)]
    a[2][0] += 3.0
    pivot = [0] * 3
    _lu_rows(a, pivot)
    b = [1.0 + x[0], 2.0, -1.0]
    for i in range(3):
        p = pivot[i]  # (an int: `[0] * 3` whose items the helper replaced by ints)
        b[i], b[p] = b[p], b[i]
    for i in range(3):
        for j in range(i):
            b[i] -= a[i][j] * b[j]
    for i in range(2, -1, -1):
        for j in range(i + 1, 3):
            b[i] -= a[i][j] * b[j]
        b[i] = b[i] / a[i][i]
    return b[0] * b[0] + b[1] * b[2] + a[1][1]


def _scale_swap(a, c):
    for i in range(len(a)):
        for j in range(len(a[i])):
            a[i][j] *= c
    a[0], a[1] = a[1], a[0]


def helper_scales_rows(x):
    a = [[x[0], x[1]], [x[2], x[3]], [x[4], x[5]]]
    _scale_swap(a, x[6])
    _scale_swap(a, 1.5)
    return a[0][0] * a[1][1] + a[0][1] * a[2][0]


def swap_then_nested_write(x):
    a = [[x[k] * (i + 1.0) for k in range(3)] for i in range(3)]
    for j in range(2):
        a[j], a[2] = a[2], a[j]
        a[j][0] *= x[7]
        a[2][1] = a[2][1] * a[j][2]
    return sum(sum(r) * (i + 1) for i, r in enumerate(a))


CASES = [
    Case(sor_tuple_rows, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_same_item, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_swapped_names, (X8.copy(),), (0,), extra="hvp"),
    Case(rows_list_target, (X8.copy(),), (0,), extra="hvp"),
    Case(lu_pivoted_solve, (X8.copy(),), (0,), extra="hvp"),
    Case(helper_scales_rows, (X8.copy(),), (0,), extra="hvp"),
    Case(swap_then_nested_write, (X8.copy(),), (0,), extra="hvp"),
]
