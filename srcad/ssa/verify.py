"""IR verifier: `Function` -> list of `IRError` (empty when the IR is well formed). Never raises.

Checks: every Var is defined once (function param, block param or op result); every use sees a
definition (earlier in its block, in an enclosing block before the op, or a param of its block);
operands are `Var` or `Const`; prims are non-empty strings; structured ops have the right arity:

    if     1 arg, 2 blocks, each yields len(results)
    for    3+n args, 1 block with 1+n params, yielding n (+1 stop flag with has_break); n results
    while  n args, 2 blocks: cond (n params, yields 1) and body (n params, yields n (+1)); n results

    for e in verify(fn):
        print(e)        # for: body yields 1 values, expected 2 [op for]

Verify mode (`SRCAD_VERIFY=1` in the environment, read once, or `enable()`; the test suite turns
it on): `after_stage(stage, fns)` runs `verify` on every function a build stage produced and raises
`IRVerifyError` naming the stage and the function.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from srcad.ssa.core import Block, Const, Function, Op, Var


@dataclass(frozen=True)
class IRError:
    """One problem; `prim` is the prim of the op it was found in ('' for the function itself)."""

    message: str
    prim: str = ""

    def __str__(self) -> str:
        return f"{self.message} [op {self.prim}]" if self.prim else self.message


def verify(fn: Function) -> list[IRError]:
    """All problems found in `fn`, in program order."""
    return _Verifier(fn).run()


class IRVerifyError(BaseException):
    """Malformed IR after a build stage: a bug in srcad. A BaseException so that no fallback
    (``except Exception``) in the transforms or the cache turns it into a refusal."""


_enabled = os.environ.get("SRCAD_VERIFY", "") not in ("", "0")


def enable(on: bool = True) -> None:
    """Turn verify mode on or off (the test suite turns it on)."""
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


def after_stage(stage: str, fns: Iterable[Function]) -> None:
    """In verify mode: `verify` every function `stage` produced; raise `IRVerifyError` on the
    first malformed one. Does nothing otherwise."""
    if not _enabled:
        return
    for fn in fns:
        errors = verify(fn)
        if errors:
            shown = "; ".join(str(e) for e in errors[:5])
            more = f" (+{len(errors) - 5} more)" if len(errors) > 5 else ""
            raise IRVerifyError(f"invalid IR after stage `{stage}` in `{fn.name}`: {shown}{more}")


class _Verifier:
    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self.errors: list[IRError] = []
        self.defined: dict[Var, str] = {}  # Var -> where it was defined (for messages)
        self.anywhere = _all_defs(fn)  # membership only

    def error(self, message: str, op: Op | None = None) -> None:
        prim = op.prim if op is not None and isinstance(op.prim, str) else ""
        self.errors.append(IRError(message, prim))

    def run(self) -> list[IRError]:
        fn = self.fn
        if len(fn.params) != len(fn.param_names):
            self.error(f"{len(fn.params)} params but {len(fn.param_names)} param names")
        self.define(fn.params, "function parameter", None)
        if len(fn.body.yields) != 1:
            self.error(f"function body yields {len(fn.body.yields)} values, expected 1")
        if fn.body.params and fn.body.params != fn.params:
            self.error("function body params differ from Function.params")
        self.block(fn.body, frozenset(fn.params), None)
        return self.errors

    def define(self, vs: list[Var], where: str, op: Op | None) -> None:
        for v in vs:
            if not isinstance(v, Var):
                self.error(f"{where} is not a Var: {v!r}", op)
            elif v in self.defined:
                self.error(f"{_show(v)} defined twice: {self.defined[v]} and {where}", op)
            else:
                self.defined[v] = where

    def use(self, a: object, visible: frozenset[Var] | set[Var], what: str, op: Op | None) -> None:
        if isinstance(a, Const):
            return
        if not isinstance(a, Var):
            self.error(f"{what} is neither Var nor Const: {a!r}", op)
        elif a not in visible:
            why = "used before its definition" if a in self.anywhere else "used but never defined"
            self.error(f"{_show(a)} {why} ({what})", op)

    def block(self, block: Block, outer: frozenset[Var], op: Op | None) -> None:
        visible = set(outer) | set(block.params)
        for inner in block.ops:
            self.op(inner, visible)
            visible.update(r for r in inner.results if isinstance(r, Var))
        for i, y in enumerate(block.yields):
            self.use(y, visible, f"yield {i}", op)

    def op(self, op: Op, visible: set[Var]) -> None:
        if not isinstance(op, Op):
            self.error(f"block contains a non-Op: {op!r}")
            return
        if not isinstance(op.prim, str) or not op.prim:
            self.error(f"prim must be a non-empty string, got {op.prim!r}", op)
        for i, a in enumerate(op.args):
            self.use(a, visible, f"argument {i}", op)
        for k, a in op.kwargs.items():
            self.use(a, visible, f"keyword {k}", op)
        self._arity(op)
        frozen = frozenset(visible)
        for b in op.blocks:
            self.define(b.params, f"block param of {op.prim}", op)
            self.block(b, frozen, op)
        self.define(op.results, f"result of {op.prim}", op)

    def _arity(self, op: Op) -> None:
        p, nres, brk = op.prim, len(op.results), bool(op.params.get("has_break"))
        if p == "if":
            self._check(op, "args", len(op.args), 1)
            if self._check(op, "blocks", len(op.blocks), 2):
                for name, b in zip(("then", "else"), op.blocks):
                    self._check(op, f"{name} block yields", len(b.yields), nres)
        elif p == "for":
            n = len(op.args) - 3
            if n < 0:
                self.error(f"for: {len(op.args)} args, expected start, stop, step, *inits", op)
                return
            self._check(op, "results", nres, n)
            if self._check(op, "blocks", len(op.blocks), 1):
                body = op.blocks[0]
                self._check(op, "body params", len(body.params), 1 + n)
                self._check(op, "body yields", len(body.yields), n + brk)
        elif p == "while":
            n = len(op.args)
            self._check(op, "results", nres, n)
            if self._check(op, "blocks", len(op.blocks), 2):
                cond, body = op.blocks
                self._check(op, "cond params", len(cond.params), n)
                self._check(op, "cond yields", len(cond.yields), 1)
                self._check(op, "body params", len(body.params), n)
                self._check(op, "body yields", len(body.yields), n + brk)
        elif op.blocks:
            self.error(f"{p!s} has {len(op.blocks)} blocks; only if/for/while own blocks", op)

    def _check(self, op: Op, what: str, got: int, want: int) -> bool:
        if got != want:
            self.error(f"{op.prim}: {what} {got}, expected {want}", op)
        return got == want


def _all_defs(fn: Function) -> set[Var]:
    out = set(fn.params)
    stack = [fn.body]
    while stack:
        b = stack.pop()
        out.update(b.params)
        for op in b.ops:
            if isinstance(op, Op):
                out.update(r for r in op.results if isinstance(r, Var))
                stack.extend(op.blocks)
    return out


def _show(v: Var) -> str:
    return f"Var({v.hint!r})" if v.hint else "a temporary Var"
