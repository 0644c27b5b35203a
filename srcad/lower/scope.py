"""Syntactic name analyses on gast statements, used to pick loop carries and guard early exits.

Input: lists of gast statements. Output: sets of names (sorted lists where order matters).

- `assigned(stmts)`: names a statement list may bind (targets, for-targets, augmented assignments,
  `x.append(...)` receivers, nested `def` names). Nested function bodies are not entered.
- `reads(stmts)`: names read anywhere (nested function bodies included: closures read them later).
- `exposed(stmts)`: names that may be read before being bound on some path through `stmts`
  (upward-exposed uses): a loop carries a name only if the next iteration can see it.
- `may_exit(stmts)` / `always_exits(stmts)`: whether `return`/`break`/`continue` (at this loop level)
  can / must end the list early.
"""

from __future__ import annotations

from collections.abc import Iterable

import gast

# Pseudo-names used for control-flow flags in the lowering environment (not valid identifiers).
BRK, CONT, RET, RETVAL = "$brk", "$cont", "$ret", "$retval"

_MUTATORS = frozenset({"append", "extend"})
# lower/idioms.LIST_UPDATES
_UPDATES = frozenset({"pop", "insert", "update", "setdefault", "sort", "reverse"})


def _target_names(t: gast.AST, out: set[str]) -> None:
    if isinstance(t, gast.Name):
        out.add(t.id)
    elif isinstance(t, (gast.Tuple, gast.List)):
        for e in t.elts:
            _target_names(e, out)
    elif isinstance(t, gast.Starred):
        _target_names(t.value, out)
    elif isinstance(t, (gast.Subscript, gast.Attribute)):
        base = t
        while isinstance(base, (gast.Subscript, gast.Attribute)):
            base = base.value
        if isinstance(base, gast.Name):
            out.add(base.id)


def assigned(stmts: Iterable[gast.stmt]) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        _assigned_stmt(s, out)
    return out


def _assigned_stmt(s: gast.stmt, out: set[str]) -> None:
    if isinstance(s, gast.Assign):
        for t in s.targets:
            _target_names(t, out)
    elif isinstance(s, (gast.AugAssign, gast.AnnAssign)):
        _target_names(s.target, out)
    elif isinstance(s, gast.For):
        _target_names(s.target, out)
        out |= assigned(s.body)
        out |= assigned(s.orelse)
    elif isinstance(s, (gast.While, gast.If)):
        out |= assigned(s.body)
        out |= assigned(s.orelse)
    elif isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        out.add(s.name)
    elif isinstance(s, gast.Delete):  # `del xs[i]`: lower/idioms.delete rebinds xs
        for t in s.targets:
            _target_names(t, out)
    elif isinstance(s, (gast.Import, gast.ImportFrom)):
        for a in s.names:
            out.add((a.asname or a.name).split(".")[0])
    elif isinstance(s, gast.Expr):
        call = s.value
        if (
            isinstance(call, gast.Call)
            and isinstance(call.func, gast.Attribute)
            and call.func.attr in _MUTATORS
        ):
            _target_names(call.func.value, out)
    # walrus targets: in the statement's own expressions (nested bodies were visited above)
    if isinstance(s, (gast.If, gast.While)):
        heads = [s.test]
    elif isinstance(s, gast.For):
        heads = [s.iter]
    elif isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        heads = []
    else:
        heads = [s]
    for h in heads:
        for n in walk(h):
            if isinstance(n, gast.NamedExpr):
                _target_names(n.target, out)
            elif (  # `v = xs.pop()`: lower/idioms.py rebinds xs
                isinstance(n, gast.Call)
                and isinstance(n.func, gast.Attribute)
                and n.func.attr in _UPDATES
                and isinstance(n.func.value, gast.Name)
            ):
                out.add(n.func.value.id)


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: gast.AST) -> list[gast.AST]:
    """The nodes `gast.iter_child_nodes(node)` gives, in its order, but the expression contexts
    (`ctx`: `Load`, `Store`, ... have no fields and bind or read nothing). Several times faster:
    the analyses here walk every node of a function."""
    t = type(node)
    fields = _CHILD_FIELDS.get(t)
    if fields is None:
        fields = _CHILD_FIELDS[t] = tuple(f for f in t._fields if f != "ctx")
    d = node.__dict__
    out = []
    for f in fields:
        v = d.get(f)
        if isinstance(v, gast.AST):
            out.append(v)
        elif isinstance(v, list):
            out += [x for x in v if isinstance(x, gast.AST)]
    return out


def walk(node: gast.AST) -> list[gast.AST]:
    """`node` and every node below it (as `gast.walk`, but the expression contexts), breadth
    first."""
    out = [node]
    for n in out:
        out += children(n)
    return out


_READS_CACHE: dict[int, tuple[gast.AST, frozenset[str]]] = {}


def reads(nodes: Iterable[gast.AST]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        hit = _READS_CACHE.get(id(node))
        if hit is None or hit[0] is not node:
            if len(_READS_CACHE) > 200_000:
                _READS_CACHE.clear()
            _fill_reads(node)  # one bottom-up pass caches every node below too
            hit = _READS_CACHE[id(node)]
        out |= hit[1]
    return out


def _fill_reads(node: gast.AST) -> frozenset[str]:
    """Reads of `node`, computed bottom-up; caches the answer for every node it visits (the
    cache keeps each node alive, so its id stays unique)."""
    own: set[str] = set()
    if isinstance(node, gast.Name):
        if isinstance(node.ctx, gast.Load):
            own.add(node.id)
    elif isinstance(node, gast.AugAssign):
        _target_names(node.target, own)
    elif isinstance(node, (gast.Subscript, gast.Attribute)) and isinstance(node.ctx, gast.Store):
        _target_names(node, own)  # x[i] = v reads the old x
    elif isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute):
        _target_names(node.func.value, own)
    for child in children(node):
        own |= _fill_reads(child)
    result = frozenset(own)
    _READS_CACHE[id(node)] = (node, result)
    return result


def exposed(stmts: list[gast.stmt], bound: frozenset[str] = frozenset()) -> set[str]:
    """Names possibly read before being bound, walking `stmts` in order."""
    out: set[str] = set()
    _exposed(stmts, set(bound), out)
    return out


def _exposed(stmts: list[gast.stmt], bound: set[str], out: set[str]) -> set[str]:
    """Adds exposed reads to `out`; returns the names definitely bound after `stmts`."""
    for s in stmts:
        if isinstance(s, gast.If):
            out |= reads([s.test]) - bound
            b1 = _exposed(s.body, set(bound), out)
            b2 = _exposed(s.orelse, set(bound), out)
            bound = b1 & b2
        elif isinstance(s, (gast.For, gast.While)):
            head = [s.iter] if isinstance(s, gast.For) else [s.test]
            out |= reads(head) - bound
            inner = set(bound)
            if isinstance(s, gast.For):
                _target_names(s.target, inner)
            # The body may run zero times, and a later iteration sees earlier ones' bindings:
            # every read in the body not bound before the loop is exposed.
            out |= reads(s.body) - inner
            out |= exposed(s.orelse, frozenset(bound))
        elif isinstance(s, gast.FunctionDef):
            out |= reads(s.body) - bound - {a.id for a in s.args.args}
            bound.add(s.name)
        else:
            out |= reads([s]) - bound
            _assigned_stmt(s, bound)
    return bound


def _exits(s: gast.stmt, loop_level: bool) -> bool:
    """Does `s` contain a return, or a break/continue that leaves the enclosing loop body?"""
    if isinstance(s, gast.Return):
        return True
    if isinstance(s, (gast.Break, gast.Continue)):
        return loop_level
    if isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        return False
    if isinstance(s, (gast.For, gast.While)):  # a break in the `else` leaves the outer loop
        return any(_exits(c, False) for c in s.body) or any(_exits(c, loop_level) for c in s.orelse)
    if isinstance(s, gast.If):
        return any(_exits(c, loop_level) for c in s.body + s.orelse)
    return False


def may_exit(stmts: Iterable[gast.stmt]) -> bool:
    return any(_exits(s, True) for s in stmts)


def always_exits(stmts: list[gast.stmt]) -> bool:
    """Every path through `stmts` ends in return/break/continue/raise."""
    for s in stmts:
        if isinstance(s, (gast.Return, gast.Break, gast.Continue, gast.Raise)):
            return True
        if isinstance(s, gast.If) and always_exits(s.body) and always_exits(s.orelse):
            return True
    return False
