"""Soundness fixes of session 31's hunt31a: numerical algorithms as users write them.
Input: small functions (union-find, sorting of a list after reading its largest item, ...);
output: assertions against Python and central differences (tests/soundness/numeric.py), or the
refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

W = np.array([1.3, 0.75, 1.1, 0.4])


# -- union-find's path compression: `parent[a] = parent[parent[a]]` -------------------------
# an item of a list read with an index that is itself an item was taken for the list itself, so
# the list seemed to hold itself and `a = parent[a]` a stale read of it (a spurious refusal)


def kruskal(w):
    edges = [(w[0], 0, 1), (w[1], 1, 2), (w[2], 0, 2), (w[3], 2, 3), (w[0] + w[3], 1, 3)]
    parent = list(range(4))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    total = 0.0
    for c, a, b in sorted(edges):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
            total += c * c
    return total


def find_root_weight(w):
    parent = [1, 2, 3, 3]
    a = 0
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return w[a] * w[0]


# -- `m = max(xs)` then `xs.sort()`: `m` is an item, not `xs` ---------------------------------


def max_then_sort(x):
    xs = [x[0], 2 * x[1], x[2] ** 2, x[3]]
    m = max(xs)
    xs.sort()
    return m * xs[0] + xs[1] * xs[-1]


def min_then_append(x):
    xs = [x[0] * x[1], x[2]]
    lo = min(xs)
    xs.append(lo * 3.0)
    return lo + sum(xs)


@pytest.mark.parametrize("f", [kruskal, find_root_weight, max_then_sort, min_then_append])
def test_list_items_are_not_the_list(f):
    check_scalar(f, W.copy())


# -- what stays refused: the item is an array the list holds, changed after the read ----------


def max_row_then_update(x):
    rows = [x[:2] * 1.0, x[2:] * 2.0]
    best = max(rows, key=lambda r: r[0])
    rows[1][0] = 7.0
    return best.sum()


def item_by_item_then_update(x):
    rows = [x[:2] * 1.0, x[2:] * 2.0]
    order = [1, 0]
    r = rows[order[0]]
    rows[1][0] = 7.0
    return r.sum()


@pytest.mark.parametrize("f", [max_row_then_update, item_by_item_then_update])
def test_array_items_changed_after_the_read_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(f)(W.copy())
