"""Shrink a failing program while it keeps failing the same way.

Input: a `Program` and a predicate on `Outcome`s (by default: same status and property as the
original). Output: a smaller `Program`: statements deleted one at a time (an emptied body becomes
`pass`), `if`/loops replaced by their bodies, expressions replaced by one of their operands or a
constant, as long as plain Python still runs it and srcad still fails in the same way.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
from collections.abc import Callable, Iterator

from .gen import Program
from .oracle import Outcome, check


def _bodies(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        for attr in ("body", "orelse"):
            b = getattr(node, attr, None)
            if isinstance(b, list) and b and isinstance(b[0], ast.stmt):
                yield b


def _candidates(src: str) -> Iterator[str]:
    tree = ast.parse(src)
    n_bodies = sum(1 for _ in _bodies(tree))
    for bi in range(n_bodies):
        for si in range(len(list(_bodies(ast.parse(src)))[bi]) - 1, -1, -1):
            t = ast.parse(src)
            body = list(_bodies(t))[bi]
            if si >= len(body):
                continue
            st = body[si]
            if isinstance(st, ast.Import | ast.ImportFrom):
                continue
            if isinstance(st, ast.AugAssign) and si == 0 and _in_while(t, body):
                continue  # the counter that makes a `while` terminate
            # delete, or splice the body of a compound statement in its place
            repl: list[list[ast.stmt]] = [[]]
            if isinstance(st, ast.If | ast.For | ast.While):
                repl.append(st.body)
                if st.orelse:
                    repl.append(st.orelse)
            for r in repl:
                t2 = copy.deepcopy(t)
                b2 = list(_bodies(t2))[bi]
                b2[si : si + 1] = copy.deepcopy(r)
                _fill_empty(t2)
                try:
                    yield ast.unparse(t2)
                except Exception:  # noqa: BLE001
                    continue
    # expressions: replace by an operand or a constant
    t = ast.parse(src)
    exprs = [n for n in ast.walk(t) if isinstance(n, ast.BinOp | ast.Call | ast.IfExp)]
    for k in range(len(exprs)):
        for pick in ("left", "right", "arg0", "const"):
            t2 = ast.parse(src)
            e2 = [n for n in ast.walk(t2) if isinstance(n, ast.BinOp | ast.Call | ast.IfExp)][k]
            new = _operand(e2, pick)
            if new is None:
                continue
            _replace(t2, e2, new)
            try:
                yield ast.unparse(t2)
            except Exception:  # noqa: BLE001
                continue


def _in_while(tree: ast.AST, body: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.While) and n.body is body for n in ast.walk(tree))


def _operand(e: ast.expr, pick: str) -> ast.expr | None:
    if isinstance(e, ast.BinOp):
        return {"left": e.left, "right": e.right}.get(
            pick, ast.Constant(0.5) if pick == "const" else None
        )
    if isinstance(e, ast.IfExp):
        return {"left": e.body, "right": e.orelse}.get(pick)
    if isinstance(e, ast.Call) and pick == "arg0" and e.args:
        return e.args[0]
    return None


def _replace(tree: ast.AST, old: ast.expr, new: ast.expr) -> None:
    for node in ast.walk(tree):
        for field, value in ast.iter_fields(node):
            if value is old:
                setattr(node, field, new)
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    if v is old:
                        value[i] = new


def _fill_empty(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        for attr in ("body",):
            b = getattr(node, attr, None)
            if isinstance(b, list) and not b and not isinstance(node, ast.Module):
                b.append(ast.Pass())


def minimize(
    p: Program,
    tmpdir: str,
    same: Callable[[Outcome], bool] | None = None,
    budget: int = 400,
) -> tuple[Program, Outcome]:
    """The smallest variant of `p` found (within `budget` checks) that still satisfies `same`."""
    first = check(p, tmpdir)
    if same is None:

        def same(o: Outcome) -> bool:
            return o.status == first.status and o.prop == first.prop and o.reason == first.reason

    best, best_out = p, first
    progress = True
    while progress and budget > 0:
        progress = False
        for src in _candidates(best.source):
            budget -= 1
            if budget <= 0:
                break
            if len(src) >= len(best.source):
                continue
            cand = dataclasses.replace(best, source=src)
            o = check(cand, tmpdir)
            if same(o):
                best, best_out, progress = cand, o, True
                break
    return best, best_out
