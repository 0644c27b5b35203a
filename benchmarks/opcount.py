"""Bytecodes executed per Python function by one transform: a deterministic profile.

    python benchmarks/opcount.py                 # bench_core's 100-line gradient
    python benchmarks/opcount.py --lines 400     # a generated 400-line function instead
    python benchmarks/opcount.py --top 60 --mode jvp

Input: which function (bench_core's `simulate`, or `generated_source(n)`) and mode. Output: the
number of bytecodes the transform ran (`srcad.source(f, mode=...)`, after one warm-up transform
of another function object from the same source), per module and per function, with call
counts. A `sys.settrace` opcode tracer: about 50 times slower than the transform, but the same
counts on every run, whatever else the machine runs (wall-clock profiles of a shared machine
are not; cachegrind is, at a few minutes a run). On 3.11 one bytecode of srcad's passes costs
about 70 machine instructions (cachegrind over the same transform), so a change that saves
N bytecodes saves about 70 N instructions; C-level work (parsing, `compile`, dict resizes) does
not show here.
"""

from __future__ import annotations

import argparse
import collections
import sys
import types
from typing import Any

import bench_core  # (its first import is `harness`, before numpy: BLAS threads pinned)

import srcad


def count(fn: Any, mode: str) -> tuple[collections.Counter, collections.Counter]:
    """(bytecodes per code object, calls per code object) of ``srcad.source(fn, mode=mode)``."""
    ops: collections.Counter = collections.Counter()
    calls: collections.Counter = collections.Counter()

    def local(frame: types.FrameType, event: str, arg: Any) -> Any:
        if event == "opcode":
            ops[frame.f_code] += 1
        return local

    def enter(frame: types.FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        calls[frame.f_code] += 1
        return local

    sys.settrace(enter)
    try:
        srcad.source(fn, mode=mode)
    finally:
        sys.settrace(None)
    return ops, calls


def _where(code: types.CodeType) -> str:
    return f"{code.co_filename.split('srcad/')[-1]}:{code.co_firstlineno}({code.co_name})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=0, help="a generated function of this size")
    ap.add_argument("--mode", default="grad")
    ap.add_argument("--top", type=int, default=40)
    a = ap.parse_args()

    def fresh(k: int) -> Any:
        return bench_core.fresh_generated(a.lines, k) if a.lines else bench_core.fresh(k)

    srcad.source(fresh(-1), mode=a.mode)  # warm-up: imports, rule records, kept templates
    ops, calls = count(fresh(0), a.mode)
    total = sum(ops.values())
    print(f"{total} bytecodes")
    mods: collections.Counter = collections.Counter()
    for code, n in ops.items():
        mods[code.co_filename.split("srcad/")[-1]] += n
    for m, n in mods.most_common(a.top // 2):
        print(f"{n / total * 100:5.1f}% {n:9d}  {m}")
    print()
    for code, n in ops.most_common(a.top):
        print(f"{n / total * 100:5.1f}% {n:9d} {calls[code]:7d}  {_where(code)}")


if __name__ == "__main__":
    main()
