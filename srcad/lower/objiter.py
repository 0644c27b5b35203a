"""Iterating an object built here (lower/objects.py) whose class defines ``__iter__``.

Input: the iterable node of a ``for`` loop or comprehension, a name bound to such an object (or
to a record of such a class, lower/objrecord.py) or a call of such a class (``for v in C(x)``,
the object made there); ``enumerate`` of either (`enumerated`). Builtins taking such an object
whole (``sum(obj)``, ``sorted``, ``list``, ``dict``, ``a, b = obj``, ``f(*obj)``) iterate it in
the comprehension ``[$it for $it in obj]`` (lower/idioms_more.py, asking `iterable`).
Output: the list of the items ``__iter__`` yields (an `Operand`), or None (other iterables: as
before, refused when it runs, rules/containers.py). ``__iter__`` is inlined with ``self`` the
object, rewritten into the body that builds the list:

    def __iter__(self):                    def __iter__(self):
        return iter(self.items)                return list(self.items)

    def __iter__(self):                    (lower/generators.list_builder: the items appended
        for p in self.parts:                to a list the body returns)
            yield p.w * 2.0

An ``__iter__`` returning ``self`` with a ``__next__`` ending in ``raise StopIteration``: the
generator lower/selfiter.py writes of ``__next__``, listed so (setting fields of ``self`` only
for an object made in the loop's header, which nothing else reaches). Both read the items
first, where Python reads them as the loop runs: refused as for a generator
function's call (lower/generators.check_consumed) where the loop may leave early, or its body
rebinds or updates what the items are read from.
"""

from __future__ import annotations

import copy
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import fnvalues, generators, selfiter, varargs
from srcad.lower.base import made_by_class
from srcad.lower.iterfield import field_node, returned_iter
from srcad.lower.reads import module_name
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Operand, Var


def listed(lw: Any, it: Any) -> Operand | None:
    """The items of ``for v in obj`` (`it`: the name ``obj``, or a call ``C(x)`` of such a class:
    the object made here), or None (module docstring)."""
    if isinstance(it, gast.Call):
        cls = _iterable_class(lw, it)
        if cls is None:
            return None
        obj = lw.expr(it)
        if not isinstance(obj, LocalObj) and made_by_class(lw, obj) is not cls:
            raise lw.error(it, f"iterating a `{cls.__name__}` object made here is not supported")
    else:
        obj = lw.env.get(it.id) if isinstance(it, gast.Name) else None
    cls = obj.cls if isinstance(obj, LocalObj) else None
    if isinstance(obj, Var):  # a record (``Bag(xs)``: its fields read as attributes)
        cls = made_by_class(lw, obj)
    fn = inspect.getattr_static(cls, "__iter__", None) if cls is not None else None
    if not isinstance(fn, types.FunctionType):
        return None
    node, name = get_source(fn).node, f"{cls.__name__}.__iter__"
    own = None
    if (nxt := selfiter.next_generator(cls, node)) is not None:  # `return self`, `__next__`
        fn, node = nxt
        name = f"{cls.__name__}.__next__"
        own = node.args.args[0].id if isinstance(it, gast.Call) else None  # (made here)
        if own is None and generators.writes_into(node.body):
            raise lw.error(
                it,
                f"iterating the iterator object `{getattr(it, 'id', cls.__name__)}` whose `{name}`"
                " updates its fields: Python's object is left exhausted (a second loop over it, or `list` of "
                "it, sees no item), srcad's listing of the items leaves it as it was",
                f"iterate `{cls.__name__}(...)` where it is made (`for v in {cls.__name__}(x)`)",
            )
    if generators.is_generator_def(node):
        static = {"static": True, "ns": namespace_of(fn)} if nxt else {}
        generators.check_consumed(lw, it, node, name, own=own, **static)
        tree = generators.list_builder(lw, node, it, name)
    else:
        tree = returned_iter(fn, node)
        if tree is None:
            if isinstance(it, gast.Call):  # (lowered above: no other path takes it now)
                raise lw.error(it, f"iterating a `{name}` that returns no `iter(...)` here")
            return None
        generators.check_consumed(lw, it, node, name)
        lw.__dict__.setdefault("kept_trees", []).append(tree)  # (node ids held while lowering)
    call = gast.copy_location(gast.Call(func=it, args=[], keywords=[]), it)
    return varargs.inline_call(lw, fn, call, 20, front=(obj,), given=([], {}), tree=tree)


def enumerated(lw: Any, it: Any) -> tuple | None:
    """The iteration space (start, stop, step, item(i)) of ``enumerate(obj)`` (``start=`` given
    or not), `obj` an object `listed` lists; None otherwise."""
    if not isinstance(it, gast.Call) or not 1 <= len(it.args) <= 2 or not _is_enumerate(lw, it):
        return None
    if any(isinstance(a, gast.Starred) for a in it.args) or not iterable(lw, it.args[0]):
        return None
    if any(k.arg != "start" for k in it.keywords) or len(it.args) + len(it.keywords) > 2:
        return None
    seq = listed(lw, it.args[0])
    if seq is None:
        return None
    start = [*it.args[1:], *(k.value for k in it.keywords)]
    offset = lw.value(start[0]) if start else Const(0)
    lw.at(it)
    n = lw.op("len", [seq], hint="n")

    def item(i: Var) -> Operand:
        k = i if offset == Const(0) else lw.op("add", [i, offset])
        return lw.op("tuple", [k, lw.op("getitem", [seq, i])])

    return Const(0), n, Const(1), item


def _is_enumerate(lw: Any, call: gast.Call) -> bool:
    f = call.func
    return isinstance(f, gast.Name) and f.id not in lw.env and lw.ns.lookup(f.id)[1] is enumerate


def iterable(lw: Any, node: Any, keyed: bool = True) -> bool:
    """`node` is a name bound to an object built here whose class defines ``__iter__`` (a
    function), or a call of such a class (`listed` lists either), without lowering anything;
    not `keyed`: a class without ``keys`` (``dict(obj)`` reads the others by their keys)."""
    if isinstance(node, gast.Call):
        cls = _iterable_class(lw, node)
    else:
        obj = lw.env.get(node.id) if isinstance(node, gast.Name) else None
        cls = obj.cls if isinstance(obj, LocalObj) else None
        if isinstance(obj, Var):
            cls = made_by_class(lw, obj)
        cls = cls if cls is not None and _own_iter(cls) else None
    return cls is not None and (keyed or not hasattr(cls, "keys"))


def _iterable_class(lw: Any, call: gast.Call) -> type | None:
    """The user class `call` constructs when it defines ``__iter__`` (a function), else None."""
    f = call.func
    while isinstance(f, gast.Attribute):
        f = f.value
    if not isinstance(f, gast.Name) or (f is not call.func and f.id in lw.env):
        return None  # (``obj.make(x)``: reading the method may add ops)
    known, cls = lw.static_object(lw.expr(call.func))
    ok = known and isinstance(cls, type) and module_name(cls) not in ("builtins", "numpy")
    return cls if ok and _own_iter(cls) else None


def _own_iter(cls: type) -> bool:
    return isinstance(inspect.getattr_static(cls, "__iter__", None), types.FunctionType)


TMP = "_srcad_iterated"


def loop_items(lw: Any, s: gast.For) -> tuple[gast.For, list | None]:
    """`over_field` of `s`, then `fnvalues.loop_items` of the loop it gives: (the loop, its
    items when unrolled)."""
    if not isinstance(s.iter, gast.Call) or _iterable_class(lw, s.iter) is None:  # (nothing
        # made in the header: nothing to undo; the common loops)
        s = over_field(lw, s)
        return s, fnvalues.loop_items(lw, s)
    ops, start, env = lw.b.block.ops, len(lw.b.block.ops), dict(lw.env)
    marks = (len(lw.augmented), len(lw.item_augmented))
    out = over_field(lw, s)
    try:
        items = fnvalues.loop_items(lw, out)
    finally:
        made = lw.env.pop(TMP, None)
    if made is not None and items is None:  # not unrolled: what the trial lowered undone, the
        del ops[start:], lw.augmented[marks[0] :], lw.item_augmented[marks[1] :]
        lw.env.clear()  # loop lowered as written
        lw.env.update(env)
        return s, None
    return out, items


def over_field(lw: Any, s: gast.For) -> gast.For:
    """``for layer in net:`` of an object built here (or ``for layer in Net(layers)``, the
    object made there) whose ``__iter__`` is ``return
    iter(self.F)`` with `F` a list known now (`FnSeq`: of objects, records, functions): the loop
    over ``net.F`` itself, as Python iterates that very list, so its items stay what they are,
    their methods known (lower/fnvalues.loop_items unrolls it); `s` itself otherwise."""
    it = s.iter
    obj = lw.env.get(it.id) if isinstance(it, gast.Name) else None
    if isinstance(it, gast.Call) and _iterable_class(lw, it) is not None:
        obj = lw.expr(it)  # ``for layer in Net([L1(), L2()])``: the object made here, named
        it = gast.copy_location(gast.Name(TMP, gast.Load(), None, None), it)
        lw.env[TMP] = obj  # (unbound again by `loop_items`)
    field = field_node(lw, it, obj) if isinstance(obj, LocalObj) else None
    if field is None:
        return s
    out = copy.copy(s)
    out.iter = field
    return out
