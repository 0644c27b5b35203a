"""Which values of a function its caller may hold after it returns, for CSE.

Input: a `Function`. Output: `Escapes`, asked by `passes/cse.py` before it merges two equal ops:
the values that may leave the function (returned, or stored into a tuple, list or dict, an
argument's among them), and the values those may view or hold. Two equal ops that both leave
are two objects in Python: ``lst.append(x + x); return x + x`` gives the caller two arrays, and
one array written to through the result would change ``lst[-1]`` if CSE merged them. CSE keeps
them apart (each op of a merged group may leave the function once: the kept value takes the
escape of what it absorbed). ``y = x + x; return y, y`` is one op: one object in Python too.

Before (CSE merging all)::             After (the second kept)::
    %0 = add(x, x)                         %0 = add(x, x)
    lst.2 = list_append(lst.1, %0)         lst.2 = list_append(lst.1, %0)
    return %0                              %1 = add(x, x)
                                           return %1

Numbers, flags, shapes (`Primitive.immutable`) and tuples are merged as before: no one can
write into them (a tuple's items are the same objects either way). The set is made on CSE's
first merge (the walk is paid only by functions merging something), by one walk back from
the roots through the ops whose result may share memory with their operands (neither `owns`
nor `new`: ``a[0:2]`` of a returned view makes `a` leave; `copies`: ``list(a)`` holds rows of
`a`) and through ``if``/loop joins (their operands and yields). A `new` result such as
``xs + [v]`` holds no element that is not held already by a tuple, list or dict display (a
root), an argument or a call's result. An op in a loop is never merged with one before the
loop when it leaves: ``for ..: out.append(x * 2)`` appends a new array every round.
"""

from __future__ import annotations

from srcad.rules import default_registry
from srcad.ssa.core import Function, Op, Var

# ops whose result holds (or whose effect stores) their operands
_HOLDERS = frozenset({"tuple", "list", "dict", "setitem", "list_append"})


class Escapes:
    """The values of `fn` that may leave it, made when first asked (`leaves`)."""

    __slots__ = ("fn", "out", "loops")

    def __init__(self, fn: Function) -> None:
        self.fn = fn
        self.out: set[Var] | None = None
        self.loops: dict[Var, int] = {}  # a value made in a loop -> the id of its innermost

    def keeps_apart(self, op: Op, r: Var, prev: Var) -> bool:
        """Whether `r`, the result of `op`, must stay its own object rather than read as `prev`
        (an earlier equal op's result): both may leave the function and `op` makes an object
        that could be written to. When merged, `prev` takes `r`'s escape (for the next one)."""
        out = self.out
        if out is None:
            out = self.out = escaping(self.fn, self.loops)
        if r not in out:
            return False
        loops = self.loops
        if loops and loops.get(r) != loops.get(prev):  # (`prev` made before the loop: one
            return _writable(op.prim)  # object for every round)
        if prev not in out:
            out.add(prev)
            return False
        return _writable(op.prim)


def _writable(prim: str) -> bool:
    """Whether a result of `prim` may be an object one can write into (an array): not a number,
    flag or shape (`Primitive.immutable`), nor a tuple (whose items are the same objects)."""
    return prim != "tuple" and not default_registry().get(prim).immutable


def escaping(fn: Function, loops: dict[Var, int]) -> set[Var]:
    """The values of `fn` that may leave it (module docstring): returned or held by a tuple, a
    list or a dict, or an ``if``/loop join or a view of one of those. `loops` gets the id of
    the innermost loop of each value made in one."""
    todo: list = list(fn.body.yields)
    defs: dict[Var, Op] = {}
    walk = [(fn.body.ops, 0)]
    while walk:
        ops, loop = walk.pop()
        for op in ops:
            if op.prim in _HOLDERS:
                todo.extend(op.args)
            for r in op.results:
                defs[r] = op
                if loop:
                    loops[r] = loop
            if op.blocks:
                inner = id(op) if op.prim != "if" else loop
                for b in op.blocks:  # a loop's carried value: one of its initial or yielded
                    for p in b.params:  # values
                        defs[p] = op
                    walk.append((b.ops, inner))
    reg = default_registry()
    out: set[Var] = set()
    while todo:
        v = todo.pop()
        if type(v) is not Var or v in out:
            continue
        out.add(v)
        d = defs.get(v)
        if d is None:
            continue
        if d.blocks:  # an `if`/loop result or carry: one of its operands or yields
            todo.extend(d.operands())
            for b in d.blocks:
                todo.extend(b.yields)
        else:  # a view of its operands, or a container holding their elements
            rec = reg.get(d.prim)
            if not rec.owns and (not rec.new or rec.copies):
                todo.extend(d.operands())
    return out
