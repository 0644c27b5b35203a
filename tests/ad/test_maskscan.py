"""The mask analyses' pre-checks (srcad/ad/maskscan.py): they skip a walk only when it would find
nothing, so the generated code is the same with and without them; they let it run where a
mask is made."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import masks, maskscan, selmasks, sqsums
from srcad.ssa.core import Op, Var


def sel_of_sqrt(t):
    return np.sum(np.maximum(np.sqrt(np.abs(t)), 1.0))


def sel_of_scaled_div(t, m):
    return np.sum(np.minimum(2.0 * (t / m) + 1.0, 3.0))


def root_of_squares(x):
    return np.sqrt(np.sum(x**2) + np.sum(x * x))


def root_plus_eps(x):
    return np.sqrt(np.sum(x**2) + 1e-12)


def bool_product(x):
    return np.sum(np.sqrt(x * (x > 0)))


def patch(x):
    r = np.log(x)
    r[np.isnan(r)] = 0.0
    return np.sum(r)


def chain(x, v, dt, m):
    for _ in range(3):
        a = (x - v) / m
        v = v + dt * a
        x = x + dt * v
    return np.max(np.maximum(np.abs(x) - 3.0, 0.0)) + np.sqrt(np.sum(x**2) + 1e-12)


CASES = [sel_of_sqrt, sel_of_scaled_div, root_of_squares, root_plus_eps, bool_product, patch, chain]


def _args(f):
    n = f.__code__.co_argcount
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(4) + 2.0 for _ in range(n))


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_same_code_without_the_prechecks(f, monkeypatch):
    args = _args(f)
    srcad.cache_clear()  # (built afresh, not found in the cache)
    got = {m: srcad.source(f, mode=m, args=args) for m in ("grad", "jvp")}
    monkeypatch.setattr(selmasks, "_may_read_singular", lambda *a: True)
    monkeypatch.setattr(sqsums, "may_root_square_sum", lambda *a: True)
    monkeypatch.setattr(masks, "may_bool_product", lambda *a: True)
    monkeypatch.setattr(masks, "defined_by", lambda *a: True)
    srcad.cache_clear()
    for m, text in got.items():
        assert srcad.source(f, mode=m, args=args) == text


@pytest.mark.parametrize(
    "f, found",
    [(sel_of_sqrt, True), (sel_of_scaled_div, True), (root_of_squares, True), (chain, False)],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_prechecks_let_the_walks_run_where_they_find_something(f, found, monkeypatch):
    seen: list[bool] = []
    real_sel, real_root = selmasks._may_read_singular, sqsums.may_root_square_sum
    monkeypatch.setattr(
        selmasks, "_may_read_singular", lambda *a: seen.append(real_sel(*a)) or seen[-1]
    )
    monkeypatch.setattr(
        sqsums, "may_root_square_sum", lambda *a: seen.append(real_root(*a)) or seen[-1]
    )
    srcad.cache_clear()
    srcad.source(f, mode="grad", args=_args(f))
    assert seen and any(seen) is found


def test_may_hold_answers_maybe_on_a_cycle_and_deep_chains():
    a, b = Var("a"), Var("b")
    defs = {a: Op("add", [b], results=[a]), b: Op("add", [a], results=[b])}
    assert maskscan.may_hold(a, defs, lambda d, v: (True, d.args), {})
    chain = [Var() for _ in range(200)]
    deep = {v: Op("neg", [w], results=[v]) for v, w in zip(chain, chain[1:])}
    assert maskscan.may_hold(chain[0], deep, lambda d, v: (True, d.args), {})
