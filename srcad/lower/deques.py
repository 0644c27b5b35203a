"""A ``collections.deque`` used as a queue or ring buffer in the function, rewritten as a list.

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source names ``deque``). Output: whether the tree changed (in
place).

A local name `q` bound only to ``deque()`` / ``deque(xs)`` / ``deque(xs, maxlen=k)`` (`k` a
constant int >= 1; ``collections.deque`` as Python's) becomes a list:

    q = deque(xs, maxlen=k)   ->  q = list(xs)[-k:]
    q.append(v)               ->  q.append(v); q = q[-k:]      (without maxlen: the append)
    q.appendleft(v)           ->  q.insert(0, v); q = q[:k]
    q.extend(vs)              ->  q.extend(vs); q = q[-k:]
    q.popleft()               ->  q.pop(0)                     (also `v = q.popleft()`)
    q.pop()                   ->  q.pop()
    q.rotate(n)               ->  q = q[m:] + q[:m]           (m = len(q) - n % max(len(q), 1))

which holds the same items in the same order (a full deque with maxlen drops from the other
end). Only when every other use of `q` reads it as a list reads the same: an index ``q[i]``,
``len``, ``sum``, ``min``, ``max``, ``list``, ``tuple``, ``sorted``, ``math.fsum``,
``math.prod``, ``np.array`` / ``np.asarray`` / ``np.mean`` / ``np.sum`` / ``np.stack`` /
``np.prod`` / ``np.max`` / ``np.min`` of it, a ``for`` or comprehension
over it, an ``in`` test, its truth value (``while q:``, ``not q``); not in a nested function.
Anything else (returned, passed on, a second name, ``q.rotate(f(x))``, ``q.maxlen``, ``q == [...]``)
leaves the tree as it is (refused as before). The list's own updates are then checked as any
list's (passes/alias.py).
"""

from __future__ import annotations

import builtins
import collections
import math
from typing import Any

import gast
import numpy

from srcad.lower.placed import placed
from srcad.lower.withs import _resolve

_READERS = (
    {(builtins, n) for n in ("len", "sum", "min", "max", "list", "tuple", "sorted")}
    | {(math, n) for n in ("fsum", "prod")}
    | {(numpy, n) for n in ("array", "asarray", "mean", "sum", "stack", "prod", "max", "min")}
)
_UPDATES = frozenset({"append", "appendleft", "extend", "popleft", "pop", "rotate"})
_BUILTINS = ("list", "len", "max")  # (the rewrite's names: Python's)
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the deques of the module docstring in `tree` (in place); True when one was."""
    made: dict[str, int | None] = {}  # name -> maxlen (None: unbounded; -1: not a deque use)
    for node in _flat(tree):
        if isinstance(node, gast.Assign) and isinstance(node.value, gast.Call):
            if _resolve(node.value.func, ns) is collections.deque:
                t = node.targets
                k = _maxlen(node.value)
                name = t[0].id if len(t) == 1 and isinstance(t[0], gast.Name) else None
                if name is not None and k != -1 and made.get(name, k) == k:
                    made[name] = k
                elif name is not None:
                    made[name] = -1
    if not made or any(_resolve(_name(b), ns) is not getattr(builtins, b) for b in _BUILTINS):
        return False
    if any(
        isinstance(n, gast.Name) and n.id in _BUILTINS and not isinstance(n.ctx, gast.Load)
        for n in gast.walk(tree)
    ):
        return False  # (a local `max = ...`)
    names = {n for n, k in made.items() if k != -1 and _only_listlike(tree, n, ns)}
    if not names:
        return False
    _apply(tree, {n: made[n] for n in names}, ns)
    return True


def _maxlen(call: gast.Call) -> int | None:
    """The constant maxlen of ``deque(...)`` (None: unbounded), -1 when not one srcad takes."""
    args, kws = call.args, call.keywords
    if len(args) > 2 or any(isinstance(a, gast.Starred) for a in args):
        return -1
    given = [*args[1:], *(k.value for k in kws if k.arg == "maxlen")]
    if any(k.arg not in ("maxlen", "iterable") for k in kws) or len(given) > 1:
        return -1
    if any(k.arg == "iterable" for k in kws):
        return -1
    if not given or (isinstance(given[0], gast.Constant) and given[0].value is None):
        return None
    k = given[0]
    if isinstance(k, gast.Constant) and type(k.value) is int and k.value >= 1:
        return k.value
    return -1


def _only_listlike(tree: Any, name: str, ns: Any) -> bool:
    allowed: set[int] = set()
    for node in _flat(tree):
        if isinstance(node, gast.Assign) and len(node.targets) == 1:
            t = node.targets[0]
            if isinstance(t, gast.Name) and isinstance(node.value, gast.Call):
                if _resolve(node.value.func, ns) is collections.deque:
                    allowed.add(id(t))
        recv = _update_receiver(node)
        if recv is not None:
            allowed.add(id(recv))
        if isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Load):
            if not isinstance(node.slice, gast.Slice):  # (a deque has no slices: TypeError)
                allowed.add(id(node.value))
        if isinstance(node, gast.Call) and len(node.args) == 1 and not node.keywords:
            f = node.func
            owner = (
                builtins if isinstance(f, gast.Name) else _resolve(getattr(f, "value", None), ns)
            )
            fname = f.id if isinstance(f, gast.Name) else getattr(f, "attr", None)
            if (owner, fname) in _READERS and _resolve(f, ns) is getattr(owner, fname, None):
                allowed.add(id(node.args[0]))
        iteration_positions(node, allowed)
    return used_only_at(tree, name, allowed)


def iteration_positions(node: Any, allowed: set[int]) -> None:
    """Add to `allowed` the operands `node` only iterates, tests for truth or for membership:
    a ``for``'s or comprehension's iterable, a ``while``/``if``'s test (``while q:``, empty or
    not), ``not q``, the right side of ``in``/``not in``."""
    if isinstance(node, (gast.For, gast.comprehension)):
        allowed.add(id(node.iter))
    if isinstance(node, (gast.While, gast.If, gast.IfExp)):
        allowed.add(id(node.test))
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not):
        allowed.add(id(node.operand))
    if isinstance(node, gast.Compare):
        for op, c in zip(node.ops, node.comparators):
            if isinstance(op, (gast.In, gast.NotIn)):
                allowed.add(id(c))


def used_only_at(tree: Any, name: str, allowed: set[int]) -> bool:
    """Is every read of `name` in `tree` one of the nodes `allowed` (by id), with no
    ``global``/``nonlocal`` of it and no nested function or class naming it?"""
    for node in _flat(tree):
        if isinstance(node, gast.Name) and node.id == name and id(node) not in allowed:
            return False
        if isinstance(node, (gast.Global, gast.Nonlocal)) and name in node.names:
            return False
    for node in gast.walk(tree):
        if node is not tree and isinstance(node, _SCOPES):
            if any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(node)):
                return False
    return True


def _update_receiver(node: Any) -> Any:
    """The receiver of ``q.append(v)`` (a statement) or ``v = q.popleft()``, else None."""
    call = node.value if isinstance(node, (gast.Expr, gast.Assign)) else None
    if not isinstance(call, gast.Call) or not isinstance(call.func, gast.Attribute):
        return None
    f = call.func
    if f.attr not in _UPDATES or call.keywords or not isinstance(f.value, gast.Name):
        return None
    if f.attr == "rotate":  # (a statement; its step names, numbers, arithmetic: read twice)
        ok = all(
            isinstance(n, (gast.Constant, gast.Name, gast.UnaryOp, gast.BinOp))
            or isinstance(n, (gast.operator, gast.unaryop, gast.expr_context))
            for a in call.args
            for n in gast.walk(a)
        )
        return f.value if isinstance(node, gast.Expr) and len(call.args) <= 1 and ok else None
    want = 0 if f.attr in ("popleft", "pop") else 1
    if len(call.args) != want or (isinstance(node, gast.Assign) and want):
        return None
    return f.value


def _apply(tree: Any, deques: dict[str, int | None], ns: Any) -> None:
    each_statement(tree, lambda s: _stmt(s, deques, ns))


def each_statement(tree: Any, rewrite: Any) -> None:
    """Replace every statement of `tree`'s bodies (not inside nested functions or classes) by
    the list `rewrite(statement)` returns."""
    todo = [tree]
    while todo:
        node = todo.pop()
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if isinstance(stmts, list) and stmts and isinstance(stmts[0], gast.stmt):
                setattr(node, field, [x for s in stmts for x in rewrite(s)])
        for c in gast.iter_child_nodes(node):
            if not isinstance(c, _SCOPES) or node is tree:
                todo.append(c)


def _stmt(s: Any, deques: dict[str, int | None], ns: Any) -> list:
    """`s` rewritten (one statement, or two: the update and the trim)."""
    if isinstance(s, gast.Assign) and isinstance(s.value, gast.Call):
        t = s.targets[0] if len(s.targets) == 1 else None
        if (
            isinstance(t, gast.Name)
            and t.id in deques
            and _resolve(s.value.func, ns) is collections.deque
        ):
            src = s.value.args[0] if s.value.args else gast.List(elts=[], ctx=gast.Load())
            value = _call(_name("list"), [src])
            k = deques[t.id]
            s.value = placed(value if k is None else _slice(value, -k, None), s)
            return [s]
    recv = _update_receiver(s)
    if recv is None or recv.id not in deques:
        return [s]
    call = s.value
    k, what = deques[recv.id], call.func.attr
    if what == "rotate":
        return [_rotated(recv.id, call, s)]
    if what == "popleft":
        call.func.attr, call.args = "pop", [placed(gast.Constant(value=0, kind=None), call)]
    elif what == "appendleft":
        call.func.attr, call.args = (
            "insert",
            [placed(gast.Constant(value=0, kind=None), call), *call.args],
        )
    if k is None or what in ("popleft", "pop"):
        return [s]
    trim = (
        _slice(_name(recv.id), None, k)
        if what == "appendleft"
        else _slice(_name(recv.id), -k, None)
    )
    store = gast.Name(id=recv.id, ctx=gast.Store(), annotation=None, type_comment=None)
    return [s, placed(gast.Assign(targets=[store], value=trim, type_comment=None), s)]


def _rotated(q: str, call: gast.Call, s: Any) -> gast.Assign:
    """``q.rotate(n)`` as ``q = q[m:] + q[:m]``, ``m = len(q) - n % max(len(q), 1)``: the last
    ``n`` items (modulo the length; left for a negative `n`) moved to the front, as the deque
    does; an empty one stays empty. The length is unchanged: a maxlen needs no trim."""
    n = call.args[0] if call.args else gast.Constant(value=1, kind=None)
    size = _call(_name("len"), [_name(q)])
    mod = gast.BinOp(n, gast.Mod(), _call(_name("max"), [size, gast.Constant(value=1, kind=None)]))
    m = gast.BinOp(_call(_name("len"), [_name(q)]), gast.Sub(), mod)
    head = gast.Subscript(_name(q), gast.Slice(m, None, None), gast.Load())
    tail = gast.Subscript(_name(q), gast.Slice(None, m, None), gast.Load())
    store = gast.Name(id=q, ctx=gast.Store(), annotation=None, type_comment=None)
    value = gast.BinOp(head, gast.Add(), tail)
    return placed(gast.Assign(targets=[store], value=value, type_comment=None), s)


def _name(n: str) -> gast.Name:
    return gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None)


def _call(f: Any, args: list) -> gast.Call:
    return gast.Call(func=f, args=args, keywords=[])


def _slice(v: Any, lo: int | None, hi: int | None) -> gast.Subscript:
    c = [None if b is None else gast.Constant(value=b, kind=None) for b in (lo, hi)]
    return gast.Subscript(
        value=v, slice=gast.Slice(lower=c[0], upper=c[1], step=None), ctx=gast.Load()
    )


def _flat(tree: Any) -> Any:
    """The nodes of `tree`'s body, not entering nested functions, lambdas or classes."""
    todo = list(tree.body) if isinstance(tree.body, list) else [tree.body]
    while todo:
        node = todo.pop()
        yield node
        todo.extend(c for c in gast.iter_child_nodes(node) if not isinstance(c, _SCOPES))
