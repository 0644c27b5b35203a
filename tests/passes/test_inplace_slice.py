"""The in-place pass's float-array facts from the part of a function a value depends on.

`passes/inplace._Elements.array` analyses only the top-level ops a loop accumulator's initial
value depends on (`_Slice`); the analyses move facts forward only, so each answer must be the one
the whole generated function gives. Checked on reverse sweeps with several reverse loops, whose
accumulators start from parameters, elements of parameters and values of forward loops.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.backend import driver
from srcad.passes.inplace import _Elements, _summed_inits
from srcad.passes.scalars import float_ranks, scalar_facts
from srcad.ssa.clone import clone_function
from srcad.ssa.core import Var, uses, walk_ops


def chain(p, x0, v0, dt):
    k, c = p[0], p[1]
    x, v = x0, v0
    for _ in range(4):
        a = -k * x - c * v
        v = v + dt * a
        x = x + dt * v
    moments = []
    for q in range(1, 4):
        moments.append(np.mean(x**q))
    acc = 0.0
    for i in range(x.shape[0]):
        acc = acc + x[i] * p[2]
    return moments[0] + moments[1] * moments[2] + acc + np.sum(v * v)


def mats(w, xs):
    h = np.zeros(w.shape[0])
    for t in range(xs.shape[0]):
        h = np.tanh(w @ h + xs[t])
    out = np.zeros(3)
    for r in range(3):
        out[r] = np.sum(h * r)
    return np.sum(out**2)


def carried(x0, c):
    w = np.zeros(x0.shape[0]) + 0.5  # read inside the loop only: its part must hold it
    x = x0
    for _ in range(3):
        x = x * 0.9 + w
    ms = []
    for q in range(1, 3):
        ms.append(np.mean(x**q))
    return ms[0] + ms[1] * c


CASES = [
    (carried, (np.linspace(0.5, 1.5, 5), 2.0)),
    (chain, (np.array([2.0, 0.3, 0.5]), np.linspace(-1.0, 1.0, 6), np.zeros(6), 0.05)),
    (mats, (np.eye(4) * 0.5, np.ones((5, 4)) * 0.1)),
]


def _entry_before_inplace(f, args):
    got = {}
    saved = driver.STAGES

    def wrap(s):
        def run(b):
            if s.name == "inplace":
                got["fn"], got["ndims"] = clone_function(b.fns[0]), b.entry_ndims
            s.run(b)

        return driver.Stage(s.name, run, s.ir)

    driver.STAGES = tuple(wrap(s) for s in saved)
    try:
        srcad.source(f, mode="grad", args=args)
    finally:
        driver.STAGES = saved
    return got["fn"], got["ndims"]


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_slice_facts_are_the_whole_functions(f, args) -> None:
    fn, ndims = _entry_before_inplace(f, args)
    assert ndims
    seeds = {fn.params[k]: n for k, n in ndims.items() if n >= 1}
    whole = float_ranks(fn, seeds, scalar_facts(fn, set()).scal)
    inits = [
        a
        for op in walk_ops(fn.body)
        if op.prim in ("for", "while")
        for a in (op.args[3:] if op.prim == "for" else op.args)
        if isinstance(a, Var)
    ]
    assert len(inits) >= 4
    expected = {v: whole.get(v, 0) >= 1 for v in inits}
    # what the pass asks about (the accumulators' inits): a part of the function is analysed
    elems = _Elements(fn, ndims)
    elems.wanted = _summed_inits(fn.body, uses(fn.body))
    assert elems.wanted
    for v in elems.wanted:
        assert elems.array(v) == expected[v]
    assert len(elems.slice.taken) < len(fn.body.ops)
    for v, r in elems.ranks.items():  # every fact of the part is one of the whole's
        assert whole.get(v) == r
    # any loop's initial value, asked one after the other (the part grows)
    elems = _Elements(fn, ndims)
    assert {v: elems.array(v) for v in inits} == expected
    assert any(expected.values())  # (some carry does start as a float array)
