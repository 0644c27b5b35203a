"""The shortcuts of the transform's analyses agree with the general paths they skip.

- `ad/receivers.object_kinds` sends an op none of its special cases takes (`_SPECIAL`, the
  ``attr.`` prefix) straight to the last case;
- `passes/shapes._rewrite_block` records the definitions of the primitives its rewrites look up
  only (`_DEFS`);
- `ad/seqs.seq_kinds` takes `_arith` for arithmetic without `_transfer` (`_INLINE`);
- `ad/template._operand_key` keys names that are each unbound or a Var of their own by their
  types (the same classes of bindings as the general key).

Checked end to end: the generated source of a table of programs (the transform benchmark's
simulation and generated function, fuzz programs, the shape rewrites' examples) is the same
with the shortcuts turned off.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.ad import receivers, seqs, template
from srcad.passes import shapes
from srcad.ssa.core import Const, Var

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_core  # noqa: E402

from tests.fuzz.choice import Rand  # noqa: E402
from tests.fuzz.runner import GRAMMARS, KNOWN_OPEN  # noqa: E402


class _Every:
    """A container holding every primitive: each shortcut's test fails, the general path runs."""

    def __contains__(self, item: object) -> bool:
        return True


def _slow(monkeypatch) -> None:
    monkeypatch.setattr(receivers, "_SPECIAL", _Every())
    monkeypatch.setattr(shapes, "_DEFS", _Every())
    monkeypatch.setattr(seqs, "_INLINE", frozenset())


def _both(make, monkeypatch, **kw) -> tuple[str, str]:
    """Generated source of two fresh copies of a function: shortcuts on, then off."""
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")

    def src() -> str:
        try:
            return srcad.source(make(), **kw)
        except srcad.SrcadError as e:
            return f"refused: {e}"

    fast = src()
    with monkeypatch.context() as m:
        _slow(m)
        slow = src()
    return fast, slow


@pytest.mark.parametrize("mode", ["grad", "vjp", "jvp"])
def test_bench_core_simulation(mode, monkeypatch):
    fast, slow = _both(lambda: bench_core.fresh(41), monkeypatch, mode=mode)
    assert fast == slow and not fast.startswith("refused")


def test_bench_core_ranks_known(monkeypatch):
    args = (np.ones(3), np.zeros(2), np.zeros(2), np.ones((10, 2)), 0.1)
    fast, slow = _both(lambda: bench_core.fresh(42), monkeypatch, mode="grad", args=args)
    assert fast == slow and not fast.startswith("refused")


def test_generated_100_lines(monkeypatch):
    fast, slow = _both(lambda: bench_core.fresh_generated(100, 43), monkeypatch, mode="grad")
    assert fast == slow and not fast.startswith("refused")


@pytest.mark.parametrize(
    "name", ["with_loop", "branch_loop", "indexed", "scaled_diff", "mat_chain"]
)
def test_shape_rewrite_examples(name, monkeypatch):
    path = ROOT / "tests/passes/test_shapes.py"

    def load():
        spec = importlib.util.spec_from_file_location("t_shapes25", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    mod = load()
    f = getattr(mod, name)
    dims = mod.SHAPES[f][0] if f in mod.SHAPES else ((3, 4),) * f.__code__.co_argcount
    args = tuple(np.ones(s) for s in dims)
    wrt = tuple(range(len(args)))
    fast, slow = _both(lambda: getattr(load(), name), monkeypatch, mode="grad", wrt=wrt, args=args)
    assert fast == slow and not fast.startswith("refused")


@pytest.mark.parametrize("grammar", sorted(GRAMMARS))
def test_fuzz_programs(grammar, monkeypatch, tmp_path):
    done = 0
    for seed in range(20150000, 20150006):
        p = GRAMMARS[grammar](Rand(seed), frozenset(KNOWN_OPEN), 8)
        path = tmp_path / f"m25_{grammar}_{seed}.py"
        path.write_text(p.source)

        def make(path=path, name=f"m25_{grammar}_{seed}"):
            spec = importlib.util.spec_from_file_location(name, path)
            m = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = m
            spec.loader.exec_module(m)
            return m.f

        try:
            make()
        except Exception:
            continue
        fast, slow = _both(make, monkeypatch, mode="grad", wrt=p.wrt)
        assert fast == slow, (grammar, seed)
        done += 1
    assert done


def _general_key(tmpl: str, names: dict) -> tuple | None:
    """`_operand_key` without its shortcut (the general encoding)."""
    key: list = [tmpl]
    first: dict = {}
    for name in template._names_of(tmpl)[0]:
        v = names.get(name, template._MISSING)
        if type(v) is Var:
            key.append(first.setdefault(v, name))
        elif v is template._MISSING:
            key.append(None)
        elif type(v) is Const:
            k = template._const_key(v.value)
            if k is template._MISSING:
                return None
            key.append(k)
        else:
            return None
    return tuple(key)


def test_template_key_classes():
    """Two bindings share a key exactly when the general key says they do."""
    a, b, c = Var("a"), Var("b"), Var("c")
    tmpl = "g * np.cos(x) + y"
    bindings = [
        {"g": a, "x": b, "y": c},
        {"g": b, "x": c, "y": a},
        {"g": a, "x": a, "y": c},
        {"g": a, "x": b, "y": a},
        {"g": a, "x": b},
        {"g": a, "y": b},
        {"x": a},
        {},
        {"g": a, "x": Const(2.0), "y": b},
        {"g": a, "x": Const(2), "y": b},
        {"g": a, "x": Const(2.0), "y": a},
        {"g": a, "x": b, "y": c, "np": a},
        {"g": a, "x": b, "y": c, "np": Const(1.0)},
        {"g": a, "x": b, "y": None},
        {"g": a, "x": b, "y": Const(np.ones(2))},
    ]
    for s in bindings:
        for t in bindings:
            same = template._operand_key(tmpl, s) == template._operand_key(tmpl, t)
            assert same == (_general_key(tmpl, s) == _general_key(tmpl, t)), (s, t)
        assert (template._operand_key(tmpl, s) is None) == (_general_key(tmpl, s) is None), s
