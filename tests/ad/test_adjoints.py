"""The journaled cotangent dict (srcad/ad/adjoints.py) and the reverse ``if`` built on it: each
branch is reversed on the one dict, its writes undone, and the cotangents a branch changed are
those (in the same order) a copy of the dict would show; a missed key would drop a cotangent."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad.adjoints import Adj, close_journal, open_journal, rebound
from srcad.ssa import verify
from srcad.testing import check_grads


def test_journal_restores_and_orders_like_a_copy():
    adj = Adj({"a": 1, "b": 2, "c": 3})
    adj["d"] = 4
    copy = dict(adj)
    log = open_journal(adj)
    adj["x"] = 10  # new
    adj["c"] = 30  # held: rebound
    adj["a"] = 11
    adj["y"] = 20
    adj["a"] = 12  # written twice: the first value before is kept
    inner = open_journal(adj)
    adj["b"] = 99
    adj["z"] = 5
    _, got_inner = close_journal(adj, inner)
    assert got_inner == {"b": 99, "z": 5} and "z" not in adj and adj["b"] == 2
    adj["z"] = 6  # the outer journal sees z inserted now
    seen = dict(adj)
    written, got = close_journal(adj, log)
    assert list(adj.items()) == list(copy.items())
    assert got == {k: seen[k] for k in written}
    scan = [k for k in seen if seen[k] is not copy.get(k)]
    assert rebound(adj, written, got) == scan == ["a", "c", "x", "y", "z"]


def test_rewriting_the_same_value_is_no_change():
    v = object()
    adj = Adj({"a": v})
    log = open_journal(adj)
    adj["a"] = v
    written, got = close_journal(adj, log)
    assert rebound(adj, written, got) == []


@pytest.mark.parametrize("how", ["update", "setdefault", "pop", "popitem", "clear"])
def test_unjournaled_writes_are_refused(how):
    adj = Adj({"a": 1})
    with pytest.raises(TypeError):
        getattr(adj, how)(*{"update": [{}], "setdefault": ["b"], "pop": ["a"]}.get(how, []))
    with pytest.raises(TypeError):
        del adj["a"]


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
