"""`sqsums.square_sums` found once per reverse sweep (`VJP.sweep`'s memo, shared by its masks and
its squared magnitudes): the same generated code as finding it twice, one walk, and a kept
result given again only for the same facts (the Vars that may be complex, the ranks)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import fmasks, sqsums
from srcad.passes.prepare import lowered
from srcad.ssa.census import ops_of
from srcad.testing import check_grads


def root_of_squares(x):
    return np.sqrt(np.sum(x**2) + np.sum(x * x))


def norm_in_loop(x, v):
    s = 0.0
    for _ in range(3):
        x = x + 0.1 * v
        s = s + np.sqrt(np.sum((x - v) ** 2))
    return s + np.sqrt(np.sum(x**2) + 1e-12)


def pairwise(x):
    d = x[:, None] - x[None, :]
    return np.sum(np.sqrt(np.sum(d[..., None] ** 2, -1)))


CASES = [root_of_squares, norm_in_loop, pairwise]


def _args(f):
    rng = np.random.default_rng(1)
    return tuple(rng.standard_normal(4) + 2.0 for _ in range(f.__code__.co_argcount))


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_same_code_as_without_the_memo(f, monkeypatch):
    args = _args(f)
    srcad.cache_clear()
    got = srcad.source(f, mode="grad", args=args)
    real = fmasks.square_sums
    monkeypatch.setattr(fmasks, "square_sums", lambda b, c, r, p, memo=None: real(b, c, r, p, None))
    for mod in ("srcad.ad.masks", "srcad.ad.squares"):
        monkeypatch.setattr(mod + ".square_sums", fmasks.square_sums)
    srcad.cache_clear()
    assert srcad.source(f, mode="grad", args=args) == got


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_one_walk_per_sweep(f, monkeypatch):
    walks: list = []
    real = sqsums._square_sums
    monkeypatch.setattr(sqsums, "_square_sums", lambda *a: walks.append(a) or real(*a))
    srcad.cache_clear()
    srcad.source(f, mode="grad", args=_args(f))
    assert len(walks) == 1
    srcad.cache_clear()
    check_grads(f, _args(f), modes=("fwd", "rev"))  # (and the derivatives are right)


def test_kept_result_only_for_the_same_facts():
    fn = lowered(root_of_squares)
    prims = {op.prim for op in ops_of(fn.body)}
    memo: dict = {}
    none: set = set()
    real = fmasks.square_sums(fn.body, none, None, prims, memo)
    assert real  # the root of a sum of squares of real values
    assert fmasks.square_sums(fn.body, none, None, prims, memo) is real  # (kept)
    assert fmasks.square_sums(fn.body, set(), None, prims, memo) == real  # (found again)
    # every value complex: no real sum of squares, whatever the memo holds for other facts
    cplx = {v for op in ops_of(fn.body) for v in (*op.results, *op.args)} | set(fn.params)
    assert fmasks.square_sums(fn.body, cplx, None, prims, memo) == {}
    assert fmasks.square_sums(fn.body, cplx, None, prims, None) == {}
