"""Module-level objects a generator reads that the ``for`` loop consuming it updates.

Input: the lowerer at a ``for`` loop over a call of a generator function (a module-level one or
a nested ``def``: lower/generators.check_consumed), the generator's def and where its names
resolve, and the loop. Output: nothing, or the refusal. srcad computes the generator's items
before the loop; Python runs the generator's body item by item, each time after the loop body
ran. A module-level list, dict, set, array or object the generator reads (itself, or through
the module-level and nested functions it calls) that the loop body updates (``STATE[0] *= 2``,
``LOG.append(v)``, or a module-level function it calls doing so) would give items made from
the old contents::

    STATE = [1.0]
    def gen(n):                       for v in gen(3):
        for k in range(n):                s += v * x[0]
            yield STATE[0] * k            STATE[0] = STATE[0] * 2     # refused

Objects are compared by identity, so a name bound to the same list in another module counts.
"""

from __future__ import annotations

import types
from typing import Any

import gast
import numpy as np

from srcad import lazy
from srcad.errors import SrcadError
from srcad.frontend.source import Namespace, get_source, namespace_of
from srcad.lower import gencalls, scope
from srcad.lower.values import NestedFn

_generators = lazy.module("srcad.lower.generators")  # (it imports this module)

_NOT_STATE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
              types.MethodType, str, bytes, int, float, complex, bool, tuple, frozenset)  # fmt: skip


def check(lw: Any, fnode: Any, ns: Namespace, loop: gast.For, name: str, nested: bool) -> None:
    """Refuse `loop` (over the generator `name`, def `fnode` resolving its names in `ns`;
    `nested`: a def of the lowered function) when its body may update a module-level object
    the generator reads (module docstring)."""
    reads = _reads(lw, fnode, ns, nested, set())
    if not reads:
        return
    writes = _writes(lw, loop.body, lw.ns, True, set())
    both = overlap(reads, writes)
    if both:
        raise lw.error(
            loop.iter,
            f"the generator `{name}` reads the module-level `{both[0]}`, which this loop's body "
            "updates; Python runs the generator's body after each pass of the loop, srcad "
            "computes its items before the loop",
            f"loop over `list({name}(...))` if the items of that moment are meant",
        )


def expr_reads(lw: Any, node: Any) -> dict[int, str]:
    """id -> name of the module-level objects the expression `node` of the lowered function (a
    generator expression, a ``map`` call) reads, through the functions it names."""
    out: dict[int, str] = {}
    seen: set = set()
    for n in sorted({m.id for m in gast.walk(node) if isinstance(m, gast.Name)}):
        v = lw.env.get(n)
        if isinstance(v, NestedFn):
            out.update(_reads(lw, v.node, lw.ns, True, seen))
            continue
        if v is not None:
            continue
        _global_reads(lw, n, lw.ns, seen, out)
    for m in gast.walk(node):  # (a lambda's body: its free names are among those above)
        if isinstance(m, gast.Lambda):
            out.update(_reads(lw, m, lw.ns, True, seen))
    return out


def _global_reads(lw: Any, n: str, ns: Namespace, seen: set, out: dict[int, str]) -> None:
    """Add to `out` the module-level object the name `n` reads in `ns`: a state object itself,
    or those a module-level function it names reads (its source, once per function)."""
    kind, obj = ns.lookup(n)
    if kind not in ("global", "free"):
        return
    if isinstance(obj, types.FunctionType):
        src = _source(obj) if id(obj) not in seen else None
        seen.add(id(obj))
        if src is not None:
            out.update(_reads(lw, src, namespace_of(obj), False, seen))
    elif _state(obj):
        out[id(obj)] = n


def check_comprehension(lw: Any, node: Any) -> None:
    """Refuse the comprehension `node` when its first iterable holds a generator (a generator
    expression, ``map``/``filter``, a generator function's call: Python runs its items one by
    one, between the element's evaluations) reading a module-level object that the element,
    a condition or an inner iterable may update through a function it calls."""
    first = node.generators[0].iter
    objs: dict[int, str] = {}
    for n in gast.walk(first):
        if isinstance(n, gast.GeneratorExp) or _lazy_call(lw, n):
            objs.update(expr_reads(lw, n))
    if not objs:
        return
    parts = [node.elt] if hasattr(node, "elt") else [node.key, node.value]
    parts += [c for g in node.generators for c in g.ifs] + [g.iter for g in node.generators[1:]]
    stmts = [gast.Expr(value=p) for p in parts]
    both = overlap(objs, stmt_writes(lw, stmts))
    if both:
        raise lw.error(
            first,
            f"this comprehension's iterable computes its items as the comprehension asks for "
            f"them, and its element may update the module-level `{both[0]}` they read (through "
            "a function it calls); srcad computes the items first",
            "build the list of items first (`items = list(...)`), then the comprehension",
        )


def _lazy_call(lw: Any, n: Any) -> bool:
    """`n` calls ``map``/``filter`` or a generator function (nested or module-level)."""
    if not isinstance(n, gast.Call) or not isinstance(n.func, gast.Name):
        return False
    v = lw.env.get(n.func.id)
    if v is not None:
        return isinstance(v, NestedFn) and _generators.is_generator_def(v.node)
    obj = lw.ns.lookup(n.func.id)[1]
    return obj in (map, filter) or _generators.is_generator_function(obj)


def stmt_writes(lw: Any, stmts: list) -> dict[int, str]:
    """id -> name of the module-level objects the statements `stmts` of the lowered function
    may update, through the module-level and nested functions they call by name."""
    return _writes(lw, stmts, lw.ns, True, set())


def _state(obj: Any) -> bool:
    """A value a statement can update in place: containers, arrays, objects with fields."""
    if isinstance(obj, (list, dict, set, bytearray, np.ndarray)):
        return True
    return not isinstance(obj, _NOT_STATE) and hasattr(obj, "__dict__")


def _held(obj: Any, depth: int = 3) -> list:
    """`obj` and the lists, dicts, arrays and objects its fields (and their items) hold, to
    `depth` levels: what a method updating ``self.ref[0]`` may update."""
    out, todo, seen = [], [(obj, 0)], set()
    while todo:
        o, d = todo.pop()
        if id(o) in seen or not _state(o):
            continue
        seen.add(id(o))
        out.append(o)
        if d >= depth:
            continue
        own = getattr(o, "__dict__", None)
        items = (
            list(own.values()) if isinstance(own, dict) and not isinstance(o, type)
            else list(o.values()) if isinstance(o, dict)
            else list(o) if isinstance(o, (list, set)) and len(o) <= 64
            else []
        )  # fmt: skip
        todo.extend((v, d + 1) for v in items)
    return out


def _source(obj: Any) -> Any:
    try:
        return get_source(obj).node
    except (SrcadError, OSError, TypeError):
        return None


def _reads(lw: Any, node: Any, ns: Namespace, local: bool, seen: set) -> dict[int, str]:
    """id -> name of the module-level objects the def `node` reads, through the functions it
    names; `local`: a def of the lowered function (its free names may be the lowerer's)."""
    out: dict[int, str] = {}
    body = node.body if isinstance(node.body, list) else [node.body]
    for c in (m for b in body for m in gast.walk(b)):  # methods: what they read too
        if isinstance(c, gast.Call) and not isinstance(c.func, gast.Name):
            _call_reads(lw, c, ns, local, seen, out)
    for n in sorted(scope.function_reads(node)):
        if local and n in lw.env:
            v = lw.env[n]
            if isinstance(v, NestedFn) and id(v.node) not in seen:
                seen.add(id(v.node))
                out.update(_reads(lw, v.node, ns, True, seen))
            continue
        _global_reads(lw, n, ns, seen, out)
    return out


def _call_reads(lw: Any, c: Any, ns: Namespace, local: bool, seen: set, out: dict) -> None:
    """Add to `out` what the functions a call not by name runs read (``h.value()``; `ANY`
    when its target is not known)."""
    found = gencalls.targets(lw, c, ns, local)
    if found is None:
        out[ANY] = _label(c.func)
        return
    for fn, _ in found:
        if isinstance(fn, types.FunctionType) and id(fn) not in seen:
            seen.add(id(fn))
            src = _source(fn)
            if src is None:
                out[ANY] = _label(c.func)
            else:
                out.update(_reads(lw, src, namespace_of(fn), False, seen))


def _writes(
    lw: Any, stmts: list, ns: Namespace, local: bool, seen: set, params: frozenset = frozenset()
) -> dict[int, str]:
    """id -> name of the module-level objects `stmts` may update, through the module-level
    and nested functions they call (by name); `local`: statements of the lowered function;
    `params`: a called function's parameters (its own names)."""
    out: dict[int, str] = {}
    own = (_bound(stmts) | params) if not local else set()
    for n in sorted(scope.changed(stmts) - own):
        if local and n in lw.env:
            continue
        kind, obj = ns.lookup(n)
        if kind in ("global", "free") and _state(obj):
            out[id(obj)] = n
    for c in (m for s in stmts for m in gast.walk(s)):
        if not isinstance(c, gast.Call):
            continue
        found = gencalls.targets(lw, c, ns, local)
        if found is None:  # (``OPS["bump"]()``: it may update any of them)
            out[ANY] = _label(c.func)
            continue
        for fn, obj in found:
            if not isinstance(fn, types.FunctionType):  # a nested def or lambda of this function
                body = fn.body if isinstance(fn.body, list) else [gast.Expr(value=fn.body)]
                if id(fn) not in seen:
                    seen.add(id(fn))
                    out.update(_writes(lw, body, ns, True, seen))
                continue
            src = _source(fn)
            if not isinstance(src, gast.FunctionDef):
                out[ANY] = _label(c.func)  # (no source to read)
                continue
            a = src.args
            names = [p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
            if obj is not None and _state(obj) and names and names[0] in scope.changed(src.body):
                for o in _held(obj):  # a method updating the module-level object (its fields)
                    out[id(o)] = _label(c.func)
            if id(fn) not in seen:
                seen.add(id(fn))
                fns = namespace_of(fn)
                out.update(_writes(lw, src.body, fns, False, seen, frozenset(names)))
    return out


ANY = -1  # (the key of what a call of an unknown target may update or read: `overlap`)


def overlap(reads: dict[int, str], writes: dict[int, str]) -> list[str]:
    """The names of the objects in both (sorted); a call of an unknown target (`ANY`) on one
    side meets every object on the other."""
    if ANY in writes and reads:
        return sorted(v for k, v in reads.items() if k != ANY) or [reads[ANY]]
    if ANY in reads and writes:
        return sorted(writes.values())
    return sorted(reads[k] for k in reads.keys() & writes.keys())


def _label(func: Any) -> str:
    """The called expression's text, for a message (``OPS["bump"]``)."""
    try:
        return gast.unparse(func).strip()
    except Exception:  # noqa: BLE001 - only a label
        return "a call"


def _bound(stmts: list) -> set[str]:
    """The names a function's body binds as its own (plain-name targets not declared
    ``global``/``nonlocal``)."""
    declared = {
        n for s in stmts for m in gast.walk(s)
        if isinstance(m, (gast.Global, gast.Nonlocal)) for n in m.names
    }  # fmt: skip
    plain = {
        m.id for s in stmts for m in gast.walk(s)
        if isinstance(m, gast.Name) and isinstance(m.ctx, gast.Store)
    }  # fmt: skip
    return plain - declared
