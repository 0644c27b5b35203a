"""``[C(...) for t in xs]`` over a run-time sequence `xs`: the objects, built where a loop reads them
(also ``[functools.partial(f, t) for t in xs]``: the partial objects, lower/partials.py).

Input: a list comprehension (one generator, no ``if``) whose element is a call of a user class
the lowering builds at transform time (lower/objects.py), over a sequence whose length is
known only when the code runs (``[Dense(W, b) for W, b in params]``); then ``for layer in
<that list>: ...``. Output: a `MappedSeq` bound where the list is stored (a name, or a field:
``self.layers = [...]`` in an ``__init__``); the loop lowers to a loop over a copy of `xs`
that builds the item's object at the top of each iteration::

    class MLP:
        def __init__(self, params): self.layers = [Dense(W, b) for W, b in params]
        def __call__(self, x):
            for layer in self.layers: x = layer(x)      # for W, b in <params>: x = x @ W + b
            return x

Why the objects may be built again per loop:
- building one is pure: a trial lowering of the element (its target bound to a placeholder) must
  give an object built at transform time, which lower/objects.py only makes when its
  ``__init__``'s ops have no effect;
- its fields are never written after ``__init__`` (no name in `objstate.written_fields` of its
  class): a write through one loop's object would be lost for the next, where Python's list
  keeps the objects;
- the element reads the comprehension's other names as they were when it ran (a snapshot), and
  `xs` is copied there (``list(xs)``): rebinding a name or changing the list later reaches
  neither, as in Python.
A comprehension over the list (``sum(n.w for n in nodes)``: `space`) and an index read
(``nodes[i]``: `item`) build the item's object where they read it, the same way; ``len`` is
the source's. Any other use of the list (a slice, ``enumerate``/``zip``, passing it on) is
refused with a SrcadError (`refuse`), so the list is never needed as a run-time value.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import gast

from srcad import lazy
from srcad.errors import SrcadError
from srcad.lower import objstate, scope
from srcad.lower.objseq import field_value, live_closures, object_like, user_class
from srcad.lower.partials import Partial
from srcad.ssa.core import Const, Var

_MISSING = object()
_mappedtail = lazy.module("srcad.lower.mappedtail")  # (it imports this module)


@dataclass(eq=False)
class MappedSeq:
    """A list made by ``[C(...) for target in xs]`` over the run-time sequence `source`."""

    node: gast.ListComp
    source: Var  # the copy of `xs` made where the comprehension runs
    captured: dict  # the element's other names -> their environment values then
    names: frozenset  # the comprehension's target names
    block: Any = None  # the block where it was made
    tail: tuple = ()  # objects appended after it was made (lower/mappedtail.py)


def make(lw: Any, node: gast.ListComp) -> MappedSeq | None:
    """The `MappedSeq` of `node` when it has the form of the module docstring, else None (nothing
    emitted)."""
    if len(node.generators) != 1 or not isinstance(node.elt, gast.Call):
        return None
    g = node.generators[0]
    names: set[str] = set()
    if g.is_async or not _targets(g.target, names) or not _only_looped(lw, node):
        return None
    if live_closures(lw, node.elt, names):  # (a nested function's call: not moved)
        return None
    ops, start, env = lw.b.block.ops, len(lw.b.block.ops), dict(lw.env)
    marks = (len(lw.augmented), len(lw.item_augmented))
    try:
        known, cls = lw.static_object(lw.expr(node.elt.func))
        partial = known and cls is functools.partial  # (`[partial(f, v) for v in xs]`)
        if not partial and (not known or not isinstance(cls, type) or user_class(cls) is None):
            raise _NotMapped
        if not partial and objstate.written_fields(lw, cls):
            raise _NotMapped
        lw.assign(g.target, Var("item"), g.target)  # a trial: is the element built here, purely?
        if not _built(lw, lw.expr(node.elt)):
            raise _NotMapped
    except (_NotMapped, SrcadError):  # lowered as before (and refused there)
        _undo(lw, ops, start, marks, env)
        return None
    _undo(lw, ops, start, marks, env)
    if g.ifs:  # the items the conditions keep, `[t for t in xs if c]`, chosen now
        kept = gast.ListComp(elt=_loaded(g.target), generators=[g])
        for n in gast.walk(kept):
            if getattr(n, "lineno", None) is None and "lineno" in getattr(n, "_attributes", ()):
                gast.copy_location(n, node)
        copy = lw.value(kept)
    elif _builtin_call(lw, g.iter, "enumerate") and _builtin_call(lw, _LISTED, "list"):
        # (the pairs as a list, `list(enumerate(xs))`: an enumerate object has no rule)
        listed = gast.Call(gast.Name("list", gast.Load(), None, None), [g.iter], [])
        copy = lw.value(gast.copy_location(listed, g.iter))
    else:
        source = lw.value(g.iter)
        lw.at(node)
        copy = lw.op("builtins.list", [source])
    reads = scope.reads([node.elt]) - names
    captured = {n: env[n] for n in sorted(reads) if n in env}
    return MappedSeq(node, copy, captured, frozenset(names), lw.b.block)


def _only_looped(lw: Any, node: gast.ListComp) -> bool:
    """In the function lowered (`lw.root`), `node` is the value of ``name = <node>`` and every
    other use of `name` there is the iterable of a ``for`` statement (or ``enumerate`` of it in
    one) or of a comprehension, an index read or the argument of ``len``: then no use is refused
    that was lowered before (``len(layers)``, ``sum(l.w for l in layers)`` read a run-time
    list). A comprehension elsewhere (an ``__init__``'s ``self.layers = [...]``, a helper
    inlined here) is not checked: its other uses are refused (`refuse`)."""
    root = getattr(lw, "root", None)
    if root is None:
        return False
    memo = getattr(lw, "looped_comprehensions", None)
    if memo is None or memo[0] is not root:
        memo = lw.looped_comprehensions = (root, _looped_comprehensions(root, lw.ns))
    return memo[1].get(id(getattr(node, "srcad_origin", node)), True)  # (a `map` call's)


def _looped_comprehensions(root: Any, ns: Any) -> dict[int, bool]:
    """id of each ``name = [...]`` list comprehension of `root` -> whether `name` is otherwise
    only iterated by ``for`` statements or measured by ``len`` (and bound nowhere else); of
    each one passed straight to a user class (``Seq([Dense(W, b) for ...])``): True (that
    class's ``__init__`` stores it, and only its loops and ``len`` read it)."""
    comps, uses, loops = {}, {}, set()
    for n in gast.walk(root):
        if _listed(n):
            comps.setdefault(id(n), None)  # (not a `name = [...]`: its uses unknown)
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
            kind, cls = ns.lookup(n.func.id)
            if kind == "global" and isinstance(cls, type) and user_class(cls) is not None:
                for a in n.args:
                    if _listed(a):
                        comps[id(a)] = True
        if isinstance(n, gast.Assign) and _listed(n.value):
            one = len(n.targets) == 1 and isinstance(n.targets[0], gast.Name)
            comps[id(n.value)] = n.targets[0] if one else None  # (the name bound)
        elif isinstance(n, gast.For) and not n.orelse:
            it = n.iter
            if _named_call(it, "enumerate"):  # (for i, layer in enumerate(layers))
                it = it.args[0]
            if isinstance(it, gast.Name):
                loops.add(id(it))
        elif isinstance(n, gast.comprehension) and isinstance(n.iter, gast.Name):
            loops.add(id(n.iter))  # (`sum(n.w for n in nodes)`: `space`)
        elif (
            isinstance(n, gast.Subscript)
            and isinstance(n.ctx, gast.Load)
            and isinstance(n.value, gast.Name)
            and not isinstance(n.slice, (gast.Slice, gast.Tuple))
        ):
            loops.add(id(n.value))  # (`nodes[i].w`: `item`)
        elif _named_call(n, "len") and isinstance(n.args[0], gast.Name):
            loops.add(id(n.args[0]))
        elif _appended(n):  # `layers.append(Scale(w))` (lower/mappedtail.py, else refused)
            loops.add(id(n.value.func.value))
        if isinstance(n, gast.Name):
            uses.setdefault(n.id, []).append(n)
    out = {}
    for key, t in comps.items():
        out[key] = t is True or (
            t is not None and all(u is t or id(u) in loops for u in uses.get(t.id, ()))
        )
    return out


def _listed(n: Any) -> bool:
    """A list comprehension, or ``map(f, xs)`` (lowered as one: fnvalues.rewrite_map)."""
    if isinstance(n, gast.ListComp):
        return True
    return isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == "map"


def _appended(n: Any) -> bool:
    """``name.append(C(...))`` as a statement."""
    c = n.value if isinstance(n, gast.Expr) else None
    return (
        isinstance(c, gast.Call)
        and isinstance(c.func, gast.Attribute)
        and c.func.attr == "append"
        and isinstance(c.func.value, gast.Name)
        and len(c.args) == 1
        and isinstance(c.args[0], gast.Call)
        and not c.keywords
    )


def _named_call(n: Any, name: str) -> bool:
    return (
        isinstance(n, gast.Call)
        and isinstance(n.func, gast.Name)
        and n.func.id == name
        and len(n.args) == 1
        and not n.keywords
    )


def _undo(lw: Any, ops: list, start: int, marks: tuple, env: dict) -> None:
    """Forget what the trial lowered: its ops and `x op= v` notes, the names it bound."""
    del ops[start:], lw.augmented[marks[0] :], lw.item_augmented[marks[1] :]
    lw.env.clear()
    lw.env.update(env)


class _NotMapped(Exception):
    pass


def _loaded(t: Any) -> Any:
    """The comprehension target `t` (names, tuples of them) as an expression reading it."""
    if isinstance(t, gast.Name):
        return gast.Name(t.id, gast.Load(), None, None)
    return gast.Tuple([_loaded(e) for e in t.elts], gast.Load())


def _targets(t: Any, out: set[str]) -> bool:
    if isinstance(t, gast.Name):
        out.add(t.id)
        return True
    return isinstance(t, (gast.Tuple, gast.List)) and all(_targets(e, out) for e in t.elts)


def of_loop(lw: Any, it: Any) -> tuple[MappedSeq, bool] | None:
    """(the `MappedSeq`, enumerated) ``for ... in it`` iterates: `it` a name bound to one, a
    field of an object built here (``self.layers``), or ``enumerate`` of either."""
    enumerated = _builtin_call(lw, it, "enumerate")
    seq = of_name(lw, it.args[0] if enumerated else it)
    return None if seq is None else (seq, enumerated)


def of_name(lw: Any, it: Any) -> MappedSeq | None:
    """The `MappedSeq` bound to the name or field `it` reads, else None."""
    v = lw.env.get(it.id) if isinstance(it, gast.Name) else field_value(lw, it)
    return v if isinstance(v, MappedSeq) else None


def _builtin_call(lw: Any, node: Any, name: str) -> bool:
    """`node` is ``name(x)`` (one argument, no keyword) of the builtin `name`."""
    return _named_call(node, name) and name not in lw.env and lw.ns.lookup(name)[0] == "builtin"


def loop(lw: Any, s: gast.For, found: tuple[MappedSeq, bool], live: set, has_break: bool) -> None:
    """Lower ``for <s.target> in <seq>`` / ``in enumerate(<seq>)`` (no ``else``): a loop over
    `seq`'s source whose iterations first build their item."""
    seq, enumerated = found
    target = s.target
    if enumerated and not (isinstance(target, gast.Tuple) and len(target.elts) == 2):
        raise refuse(lw, s.iter)
    tmp = f"{_TMP}{len(lw.b.block.ops)}"  # (a name user code does not use: iterated, dropped)
    lw.env[tmp] = seq.source
    carried = lw._carried(s.body, live, extra_reads=set(), target=target)
    body_live = live | scope.reads(s.body)

    def body(item: Any) -> None:
        if enumerated:
            lw.assign(target.elts[0], lw.op("getitem", [item, Const(0)]), target)
            item = lw.op("getitem", [item, Const(1)])
        lw.assign(target.elts[1] if enumerated else target, _build(lw, seq, item), target)
        lw.stmts(s.body, body_live)

    it: Any = gast.Name(id=tmp, ctx=gast.Load(), annotation=None, type_comment=None)
    if enumerated:
        it = gast.Call(func=s.iter.func, args=[it], keywords=[])
    if seq.tail and (enumerated or has_break):  # (the appended objects: lower/mappedtail.py)
        raise refuse(lw, s.iter)
    try:
        lw.iterate(it, carried, body, has_break, s)
    finally:
        lw.env.pop(tmp, None)
    if seq.tail:
        _mappedtail.loop(lw, s, seq, live)


def _build(lw: Any, seq: MappedSeq, item: Any) -> Any:
    """The object `seq`'s element builds from `item` (an item of its source), with the names
    the element reads as they were where the comprehension ran."""
    g = seq.node.generators[0]
    saved = {n: lw.env.get(n, _MISSING) for n in (*seq.names, *seq.captured)}
    lw.env.update(seq.captured)
    lw.assign(g.target, item, g.target)
    obj = lw.expr(seq.node.elt)
    for n, v in saved.items():
        if v is _MISSING:
            lw.env.pop(n, None)
        else:
            lw.env[n] = v
    if not _built(lw, obj):
        raise lw.error(seq.node, "cannot build this list's objects in the loop over it")
    return obj


def _built(lw: Any, v: Any) -> bool:
    """An object built here, or a ``functools.partial`` object made here (lower/partials.py:
    its arguments' values taken when it is made, as Python's are)."""
    return object_like(lw, v) or type(v) is Partial


def space(lw: Any, it: Any) -> tuple | None:
    """The iteration space (start, stop, step, item(i)) of a comprehension's ``for n in <it>``
    over a `MappedSeq` (``sum(n.w for n in nodes)``): its source's positions, each item's
    object built where the comprehension reads it; None when `it` is not one."""
    seq = of_name(lw, it) if isinstance(it, (gast.Name, gast.Attribute)) else None
    if seq is None:
        return None
    if seq.tail:  # (objects appended after it was made: only a `for` loop reads them)
        raise refuse(lw, it)
    n = lw.op("len", [seq.source], hint="n")
    return Const(0), n, Const(1), lambda i: _build(lw, seq, lw.op("getitem", [seq.source, i]))


def item(lw: Any, seq: MappedSeq, node: gast.Subscript) -> Any:
    """``nodes[i]`` (an index, not a slice) of a `MappedSeq`: the object built from the source's
    item ``i`` (Python's IndexError when out of range); refused after an append."""
    if isinstance(node.slice, (gast.Slice, gast.Tuple)) or seq.tail:
        raise refuse(lw, node)
    k = lw.value(node.slice)
    lw.at(node)
    return _build(lw, seq, lw.op("getitem", [seq.source, k]))


def length(lw: Any, node: gast.Call) -> Var | None:
    """``len(<seq>)`` of a `MappedSeq`: the length of its source; else None."""
    seq = of_name(lw, node.args[0]) if _builtin_call(lw, node, "len") else None
    if seq is None:
        return None
    n = lw.op("len", [seq.source], hint="n")
    return lw.op("add", [n, Const(len(seq.tail))]) if seq.tail else n


_TMP = "_srcad_mapped_"
_LISTED = gast.Call(gast.Name("list", gast.Load(), None, None), [gast.Constant(0, None)], [])


def refuse(lw: Any, node: Any) -> Exception:
    """The error for any use of a `MappedSeq` but a ``for`` loop over it."""
    return lw.error(
        node,
        "this list of objects, built from a sequence whose length is known only when the code "
        "runs, is used here other than by a `for` loop over it",
        "loop over it (`for layer in layers: ...`), or build the objects from a tuple of known "
        "length",
    )


def fold_appends(body: list, scope_node: Any, ns: Any) -> list:
    """`body` with each ``T = []`` followed by ``for t in xs: T.append(C(...))`` (one statement,
    no ``else``; `T` a name or ``self.<field>``; ``C`` a user class; `xs` a parameter of
    `scope_node` or ``zip`` of parameters; the loop's names used nowhere else in `scope_node`,
    so that their leaving the loop bound is not missed) made ``T = [C(...) for t in xs]``,
    which `make` maps; `body` itself when there is none."""
    out, changed, k = [], False, 0
    while k < len(body):
        s, nxt = body[k], body[k + 1] if k + 1 < len(body) else None
        new = _folded(s, nxt, scope_node, ns) if isinstance(nxt, gast.For) else None
        out.append(new if new is not None else s)
        changed |= new is not None
        k += 2 if new is not None else 1
    return out if changed else body


def _folded(s: Any, loop: gast.For, scope_node: Any, ns: Any) -> gast.Assign | None:
    if not (
        isinstance(s, gast.Assign)
        and len(s.targets) == 1
        and isinstance(s.value, gast.List)
        and not s.value.elts
        and not loop.orelse
        and _plain_iter(loop.iter)
    ):
        return None
    found = _appended_call(loop.body)
    if found is None:
        return None
    call, ifs, temp = found
    t = s.targets[0]
    f = getattr(call, "func", None)  # (an expression statement: ``v > 0 and T.append(..)``)
    receiver = f.value if isinstance(f, gast.Attribute) else None
    if any(n is not receiver and _same_place(n, t) for n in gast.walk(loop)):
        return None  # (`T.append(C(len(T)))`: the comprehension would read the old `T`)
    if isinstance(t, gast.Name) and any(
        isinstance(n, gast.Name) and n.id == t.id for n in gast.walk(loop.iter)
    ):
        return None  # (`xs = []; for x in xs`: the comprehension would read the old `xs`)
    if not (
        isinstance(call, gast.Call)
        and isinstance(call.func, gast.Attribute)
        and call.func.attr == "append"
        and _same_place(call.func.value, t)
        and len(call.args) == 1
        and not call.keywords
    ):
        return None
    elt = call.args[0] if temp is None else temp.value
    if not (isinstance(elt, gast.Call) and isinstance(elt.func, gast.Name)):
        return None
    kind, cls = ns.lookup(elt.func.id)
    if kind != "global" or not isinstance(cls, type) or user_class(cls) is None:
        return None
    names: set[str] = set()
    if not _targets(loop.target, names):
        return None
    if temp is not None:  # `nd = C(...); T.append(nd)`: `nd` read there only
        names.add(temp.targets[0].id)
        reads = [n for n in gast.walk(loop) if isinstance(n, gast.Name) and n.id in names]
        if sum(n.id == temp.targets[0].id for n in reads) != 2 or any(
            isinstance(n, gast.Name) and n.id == temp.targets[0].id
            for e in (elt, *ifs)
            for n in gast.walk(e)
        ):
            return None
    inside = {id(n) for n in gast.walk(loop)}
    for n in gast.walk(scope_node):
        if isinstance(n, gast.Name) and n.id in names and id(n) not in inside:
            return None  # (read after the loop: bound to its last item)
    comp = gast.ListComp(
        elt=elt,
        generators=[gast.comprehension(target=loop.target, iter=loop.iter, ifs=ifs, is_async=0)],
    )
    gast.copy_location(comp, loop)
    return gast.copy_location(gast.Assign(targets=[t], value=comp, type_comment=None), s)


def _plain_iter(it: Any) -> bool:
    """`it` binds nothing and does not suspend (no ``:=``, ``yield``, ``await``, lambda):
    evaluated once before the loop's first item as before the comprehension's."""
    bad = (gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await, gast.Lambda)
    return not any(isinstance(n, bad) for n in gast.walk(it))


def _appended_call(body: list) -> tuple[Any, list, Any] | None:
    """(the ``T.append(..)`` call, the conditions around it, the ``nd = C(..)`` before it or
    None) of a loop body ``T.append(C(..))``, ``if c: T.append(C(..))`` (no ``else``) or
    ``nd = C(..); T.append(nd)``; None for other bodies."""
    ifs: list = []
    while len(body) == 1 and isinstance(body[0], gast.If) and not body[0].orelse:
        ifs.append(body[0].test)
        body = body[0].body
    temp = None
    if len(body) == 2 and isinstance(body[0], gast.Assign) and not ifs:
        temp, body = body[0], body[1:]
        if not (len(temp.targets) == 1 and isinstance(temp.targets[0], gast.Name)):
            return None
    if len(body) != 1 or not isinstance(body[0], gast.Expr):
        return None
    call = body[0].value
    if temp is not None and not (
        isinstance(call, gast.Call)
        and len(call.args) == 1
        and isinstance(call.args[0], gast.Name)
        and call.args[0].id == temp.targets[0].id
    ):
        return None
    if any(not _plain_iter(c) for c in ifs):
        return None
    return call, ifs, temp


def _same_place(a: Any, b: Any) -> bool:
    """Two reads of one name, or of one field of one name."""
    if isinstance(a, gast.Name) and isinstance(b, gast.Name):
        return a.id == b.id
    return (
        isinstance(a, gast.Attribute)
        and isinstance(b, gast.Attribute)
        and a.attr == b.attr
        and _same_place(a.value, b.value)
        and isinstance(a.value, gast.Name)
    )
