"""The journaled cotangent dict (srcad/ad/adjoints.py) and the reverse ``if`` built on it: each
branch is reversed on the one dict, its writes undone, and the cotangents a branch changed are
those (in the same order) a copy of the dict would show; a missed key would drop a cotangent."""

from __future__ import annotations

import pathlib
import re
import types

import numpy as np
import pytest

import srcad
from srcad.ad.adjoints import close_journal, new_adj, open_journal, put, rebound
from srcad.ssa import verify
from srcad.testing import check_grads


def test_journal_restores_and_orders_like_a_copy():
    tr = types.SimpleNamespace()
    adj = new_adj(tr, {"a": 1, "b": 2, "c": 3}.items())
    put(tr, adj, "d", 4)
    copy = dict(adj)
    log = open_journal(tr, adj)
    put(tr, adj, "x", 10)  # new
    put(tr, adj, "c", 30)  # held: rebound
    put(tr, adj, "a", 11)
    put(tr, adj, "y", 20)
    put(tr, adj, "a", 12)  # written twice: the first value before is kept
    other = new_adj(tr)  # another dict's writes: not in this journal
    put(tr, other, "b", 0)
    inner = open_journal(tr, adj)
    put(tr, adj, "b", 99)
    put(tr, adj, "z", 5)
    _, got_inner = close_journal(tr, adj, inner)
    assert got_inner == {"b": 99, "z": 5} and "z" not in adj and adj["b"] == 2
    put(tr, adj, "z", 6)  # the outer journal sees z inserted now
    seen = dict(adj)
    written, got = close_journal(tr, adj, log)
    assert list(adj.items()) == list(copy.items())
    assert got == {k: seen[k] for k in written}
    scan = [k for k in seen if seen[k] is not copy.get(k)]
    assert rebound(tr, adj, written, got) == scan == ["a", "c", "x", "y", "z"]


def test_rewriting_the_same_value_is_no_change():
    tr, v = types.SimpleNamespace(), object()
    adj = new_adj(tr, [("a", v)])
    log = open_journal(tr, adj)
    put(tr, adj, "a", v)
    written, got = close_journal(tr, adj, log)
    assert rebound(tr, adj, written, got) == []


def test_no_direct_writes_of_cotangents():
    """Every write of a cotangent dict goes through `put` (a write the journal does not see
    would drop a cotangent from a reverse ``if``; verify mode would catch it, this at once)."""
    ad = pathlib.Path(__file__).parents[2] / "srcad" / "ad"
    direct = re.compile(r"\b(adj|a2)\[[^\]]+\]\s*=[^=]|\b(adj|a2)\.(update|setdefault|pop)\(")
    bad = [
        f"{p.name}:{k}"
        for p in sorted(ad.glob("*.py"))
        if p.name != "adjoints.py"
        for k, line in enumerate(p.read_text().splitlines(), 1)
        if direct.search(line)
    ]
    assert not bad


def many_ifs(x, y):
    s = 0.0
    t = x[0]
    for i in range(3):
        if x[i] > 0.0:
            s = s + x[i] * y[i]
            if y[i] > 0.1:
                t = t * y[i]
            else:
                s = s - t
        else:
            t = t + np.sin(x[i])
        if i == 1:
            pass
        u = s * t
        if u > 0.5:
            s = s + u
    if s > 0.0:
        r = s * t
    else:
        r = s + t
    return r + np.sum(x * y)


@pytest.mark.parametrize("seed", range(4))
def test_nested_ifs_in_loops(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(3), rng.standard_normal(3)
    was = verify.enabled()
    verify.enable()  # the journal's result checked against a full scan at every ``if``
    try:
        check_grads(many_ifs, (x, y), modes=("fwd", "rev"))
        g = srcad.grad(many_ifs, wrt=(0, 1))(x, y)
        e = 1e-6
        for k, a in enumerate((x, y)):  # the gradient itself against central differences
            for i in range(3):
                d = np.zeros(3)
                d[i] = e
                hi = many_ifs(*[a + d if j == k else b for j, b in enumerate((x, y))])
                lo = many_ifs(*[a - d if j == k else b for j, b in enumerate((x, y))])
                assert abs(g[k][i] - (hi - lo) / (2 * e)) < 1e-5
    finally:
        verify.enable(was)
