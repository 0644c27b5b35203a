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


# -- a helper's `out=None` parameter, made when left out --------------------------------------
# `if out is None: out = np.zeros(n)` and then `out[i] = ...`: the call passes None (the default),
# which no update can reach, but the call was refused as changing the caller's argument


def _moments(v, out=None):
    if out is None:
        out = np.zeros(3)
    out[0] = v
    out[1] = v * v
    out[2] = out[2] + np.sin(v)
    return out


def _running(xs, acc=None):
    if acc is None:
        acc = []
    for v in xs:
        acc.append(v * v)
    return acc


def out_left_out(x):
    return _moments(x[0]).sum() * x[1] + _moments(x[2], None)[1]


def acc_left_out(x):
    s = 0.0
    for k, v in enumerate(_running(x[1:])):
        s += (k + 1) * v
    return s * x[0]


@pytest.mark.parametrize("f", [out_left_out, acc_left_out])
def test_none_default_made_inside_the_helper(f):
    check_scalar(f, W.copy())


def out_passed(x):
    buf = np.zeros(3)
    _moments(x[0], buf)
    return buf.sum()


def acc_passed(x):
    acc = [x[0]]
    _running(x[1:], acc)
    return sum(acc)


@pytest.mark.parametrize("f", [out_passed, acc_passed])
def test_an_array_or_list_passed_for_out_stays_refused(f):
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(W.copy())


# -- a recursive helper that sorts or updates its argument in place ---------------------------
# srcad inlines a helper that updates its argument (writing the update back to the caller's
# name) up to 8 calls deep; a quicksort's two recursive calls made 2 ** 8 copies of its body,
# whose mutation check did not end (a hang); now the 8th nested call is refused, naming it


def _quicksort(a, lo, hi):
    if lo < hi:
        piv = a[hi]
        i = lo
        for j in range(lo, hi):
            if a[j] < piv:
                a[i], a[j] = a[j], a[i]
                i += 1
        a[i], a[hi] = a[hi], a[i]
        _quicksort(a, lo, i - 1)
        _quicksort(a, i + 1, hi)


def _halve_run(a, k):
    if k < len(a) and a[k] > 0.5:
        a[k] = a[k] * 0.5
        _halve_run(a, k + 1)


def _scale_deep(a, n):
    if n == 0:
        return
    a[n % 4] = a[n % 4] * 1.1
    _scale_deep(a, n - 1)


def quicksorted(x):
    a = x * np.array([1.0, 2.0, 1.5, -1.0])
    _quicksort(a, 0, len(a) - 1)
    return a @ np.arange(1.0, 5.0)


def halved_run(x):
    a = x * 1.0
    _halve_run(a, 0)
    return a.sum()


def scaled_deep(x):
    a = x * 1.0
    _scale_deep(a, 12)
    return a.sum()


@pytest.mark.parametrize("f", [quicksorted, halved_run, scaled_deep])
def test_recursive_helper_updating_its_argument_is_refused_at_the_depth(f):
    with pytest.raises(srcad.SrcadError, match="calls itself more than 8 levels deep"):
        srcad.grad(f)(W.copy())


def _scale_static(a, n):
    if n == 0:
        return
    a[n - 1] = a[n - 1] * 2.0 + a[n % 4] ** 2
    _scale_static(a, n - 1)


def scaled_static(x):
    a = x * 1.0
    _scale_static(a, 4)
    return a @ a


def test_recursion_ending_at_a_known_depth_still_differentiated():
    check_scalar(scaled_static, W.copy())


# -- sets made by a tuple assignment: `used_r, used_c = set(), set()` ---------------------------
# a set only tested and added to is supported; made by a tuple assignment, its `.add` was refused


def greedy_matching(x):
    C = np.outer(x, x[::-1]) + np.arange(16.0).reshape(4, 4) * 0.1
    used_r, used_c = set(), set()
    total = 0.0
    for _ in range(4):
        best, bi, bj = np.inf, -1, -1
        for i in range(4):
            if i in used_r:
                continue
            for j in range(4):
                if j not in used_c and C[i, j] < best:
                    best, bi, bj = C[i, j], i, j
        used_r.add(bi)
        used_c.add(bj)
        total += best
    return total


def reachable_weight(x):
    edges = {0: [1, 2], 1: [3], 2: [3], 3: []}
    seen, stack = set(), [0]
    s = 0.0
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        s += x[u] * (len(seen) + 1)
        stack.extend(edges[u])
    return s * s


@pytest.mark.parametrize("f", [greedy_matching, reachable_weight])
def test_sets_made_by_a_tuple_assignment(f):
    check_scalar(f, W.copy())


def tuple_set_iterated(x):
    seen, s = set(), 0.0
    seen.add(1)
    for k in seen:
        s += x[k]
    return s


def test_a_set_iterated_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(tuple_set_iterated)(W.copy())
