"""The facts `passes/shape_infer.py` leaves for the shape rewrites (`passes/shapes.py`): every
op's fact stays in `Shapes.info`, TOP included (the readers' inline lookup finds it), and the
facts are a fixpoint of the op rules (each op's fact is what `_op` gives from its operands'
final facts, inside the branches of an ``if`` with the facts guarded there).

Checked on the functions the shape rewrites run on for the transform benchmark
(`benchmarks/bench_core.py`: the 100-line simulation and a generated 100-line function), a few
fuzz programs and the rewrites' own examples (`test_shapes.py`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad
import srcad.passes.pipeline as pipeline
from srcad.passes import shape_infer
from srcad.passes.shape_facts import TOP, differ
from srcad.passes.shapes import shape_rewrites
from srcad.ssa.core import Block, Var, walk_ops

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_core  # noqa: E402

from tests.fuzz.choice import Rand  # noqa: E402
from tests.fuzz.runner import GRAMMARS, KNOWN_OPEN  # noqa: E402


def _captured(f, monkeypatch, **kw) -> list:
    """(function, its `infer` arguments) of each `shape_rewrites` run of ``srcad.source(f)``,
    taken before the rewrites change it (facts of the input: `infer` runs again on it)."""
    seen, failed = [], []

    def spy(fn, known):
        seen.append((fn, dict(known.ndims), known.opaque, tuple(known.scalars)))
        sh = shape_infer.infer(fn, known)
        try:
            _check_facts(fn, sh)
        except AssertionError as e:  # (the driver reports any exception as an internal error)
            failed.append(e)
        return shape_rewrites(fn, known)

    monkeypatch.setattr(pipeline, "shape_rewrites", spy)
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    try:
        srcad.source(f, **kw)
    except srcad.SrcadError:
        pass  # a refusal after the rewrites: the facts were checked already
    if failed:
        raise failed[0]
    return seen


def _check_facts(fn, sh) -> None:
    n = _walk(fn.body, sh)
    assert n > 0


def _walk(block: Block, sh) -> int:
    n = 0
    for op in block.ops:
        if op.blocks:
            cond = op.args[0] if op.prim == "if" and type(op.args[0]) is Var else None
            for j, b in enumerate(op.blocks):
                added = sh.guarded.get((cond, j), {}) if cond is not None else {}
                sh.active.update(added)
                n += _walk(b, sh)
                for v in added:
                    sh.active.pop(v, None)
            continue
        if len(op.results) != 1:
            continue
        r = op.results[0]
        assert r in sh.info, (op.prim, "no fact kept")  # TOP too
        again = shape_infer._op(op, sh)
        assert not differ(sh.info[r], again), (op.prim, sh.info[r], again)
        n += 1
    return n


def test_bench_core_simulation(monkeypatch):
    seen = _captured(bench_core.fresh(7), monkeypatch, mode="grad")
    assert seen and seen[0][2]  # the default Spec(): opaque parameters


def test_generated_100_lines(monkeypatch):
    assert _captured(bench_core.fresh_generated(100, 7), monkeypatch, mode="grad")


def test_ranks_known(monkeypatch):
    args = (np.ones(3), np.zeros(2), np.zeros(2), np.ones((10, 2)), 0.1)
    seen = _captured(bench_core.fresh(8), monkeypatch, mode="grad", args=args)
    assert seen and seen[0][1]


@pytest.mark.parametrize(
    "name", ["with_loop", "branch_loop", "indexed", "scaled_diff", "mat_chain"]
)
def test_shape_rewrite_examples(name, monkeypatch):
    spec = importlib.util.spec_from_file_location("t_shapes", ROOT / "tests/passes/test_shapes.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    f = getattr(mod, name)
    shapes = mod.SHAPES[f][0] if f in mod.SHAPES else ((3, 4),) * f.__code__.co_argcount
    args = tuple(np.ones(s) for s in shapes)
    wrt = tuple(range(len(args)))
    assert _captured(f, monkeypatch, mode="grad", wrt=wrt, args=args)


@pytest.mark.parametrize("grammar", sorted(GRAMMARS))
def test_fuzz_programs(grammar, monkeypatch, tmp_path):
    done = 0
    for seed in range(20150000, 20150004):
        p = GRAMMARS[grammar](Rand(seed), frozenset(KNOWN_OPEN), 8)
        path = tmp_path / f"m_{grammar}_{seed}.py"
        path.write_text(p.source)
        spec = importlib.util.spec_from_file_location(f"m_{grammar}_{seed}", path)
        m = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = m
        try:
            spec.loader.exec_module(m)
        except Exception:
            continue
        done += len(_captured(m.f, monkeypatch, mode="grad", wrt=p.wrt))
    assert done


def test_top_is_kept_not_dropped():
    """An op whose result nothing is known of keeps a TOP fact (not a missing entry)."""
    f = bench_core.fresh(9)
    seen = []
    orig = pipeline.shape_rewrites

    def spy(fn, known):
        seen.append(shape_infer.infer(fn, known))
        seen.append(fn)
        return orig(fn, known)

    pipeline.shape_rewrites = spy
    try:
        srcad.source(f, mode="grad")
    finally:
        pipeline.shape_rewrites = orig
    sh, fn = seen[0], seen[1]
    tops = [
        op
        for op in walk_ops(fn.body)
        if not op.blocks and len(op.results) == 1 and sh.info.get(op.results[0]) == TOP
    ]
    assert len(tops) > 100
