"""Lists and tuples of user objects known when lowering (a model's layers), as `FnSeq`s.

Input: the lowered values of a list/tuple literal's elements, ``obj.layers`` of an object built
here (lower/objects.py), ``[C(...) for t in <constants>]``. Output: whether the values can be
the items of a `FnSeq` (`object_like`: objects built here, results of a user class's
constructor called in this block), the `FnSeq` a field holds (`field_seq`), the `FnSeq` of a
comprehension of constructor calls (`constructed`). A loop over such a sequence is unrolled
(lower/fnvalues.unroll), so ``for layer in self.layers: x = layer(x)`` calls each item's known
class::

    class Net:
        def __init__(self): self.layers = [Dense(0.5), Dense(1.5)]   # a FnSeq field
        def __call__(self, x):
            for l in self.layers: x = l(x)                            # unrolled

The items are the objects themselves, so nothing is copied: writes to their fields are those of
lower/objstate.py. A *list* is mutable: once one is used as a run-time value (`materialize`,
where Python could append to it through another name or a helper), its items are no longer
known, and a loop over it, or an index of it, is refused (`check_known`); used in a nested
block after a loop over it, it is refused at that use.
"""

from __future__ import annotations

import abc
import inspect
import sys
import types
from dataclasses import dataclass
from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.lower import knownlen, scope
from srcad.lower.partials import Partial
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, LocalMethod, LocalObj, NestedFn, PrimRef
from srcad.ssa.core import Const, Var

# builtins that read a list whole when called and keep no reference to it, nor change it: a
# list of objects passed to one is read there (`check_known`), not a value Python could change
READERS = frozenset({"len", "max", "min", "sorted", "sum", "list", "tuple", "any", "all",
                     "math.fsum"})  # fmt: skip

# elements of a comprehension that may make objects: ``C(w)``, ``p * p`` (operator methods)
MADE = (gast.Call, gast.BinOp, gast.UnaryOp)
_CUSTOM = ("__getattr__", "__getattribute__", "__class_getitem__")


@dataclass(eq=False)
class FnSeq:
    """A list or tuple of functions known when lowering."""

    items: tuple  # NestedFn | PrimRef | Const | Var (a global function's read) per element
    kind: str  # "list" | "tuple" | "dict"
    node: Any
    depth: int = 0  # the lowering's block depth where it was made (lower/objseq.py)
    read: bool = False  # a loop or index read its items
    escaped: bool = False  # (a list) used as a run-time value: its items are no longer known
    keys: tuple = ()  # a dict's keys (kind "dict": lower/fnitems.py)
    local: bool = True  # made in the function (not a module-level list read: lower/fnvalues)


@dataclass(frozen=True)
class Items:
    """One iteration's item of ``enumerate``/``zip`` over a `FnSeq`: its parts, unpacked into a
    tuple target."""

    parts: tuple


def function_like(lw: Any, v: Any) -> bool:
    if isinstance(v, (NestedFn, LocalMethod)):  # (`m.forward` of an object built here)
        return True
    if isinstance(v, PrimRef):  # a NumPy/math callable, not a class (dtypes, isinstance tuples)
        return callable(v.obj) and not isinstance(v.obj, type)
    known, obj = lw.static_object(v)
    return (known and plain_function(obj)) or _bound_method(lw, v)


def _bound_method(lw: Any, v: Any) -> bool:
    """``C(w).forward``: a plain method read on the result of a user class's call here."""
    op = next((o for o in reversed(lw.b.block.ops) if v in o.results), None)
    if op is None or not op.prim.startswith("attr.") or len(op.args) != 1:
        return False
    if not object_like(lw, op.args[0]):
        return False
    cls = lw.static_object(next(o for o in lw.b.block.ops if op.args[0] in o.results).args[0])[1]
    return plain_function(inspect.getattr_static(cls, op.prim[len("attr.") :], None))


def plain_type(cls: Any) -> bool:
    """Is `cls` a class made by ``type``, or by ``abc.ABCMeta`` with no abstract method left
    (a concrete subclass of an abstract base: calling it is ``type.__call__``, its attribute
    access ``type``'s)?"""
    meta = type(cls)
    if meta is type:
        return True  # (not a standard library ABC: `collections.ChainMap` is a MutableMapping)
    return meta is abc.ABCMeta and not cls.__abstractmethods__ and not stdlib_class(cls)


def stdlib_class(cls: Any) -> bool:
    """Is `cls` defined in a module of Python's standard library (``collections.ChainMap``)?"""
    return module_top(cls) in sys.stdlib_module_names


def user_class(obj: Any) -> bool:
    """A class defined in user code, with ordinary attribute access."""
    if not plain_type(obj) or module_top(obj) in LIBRARY_MODULES:
        return False
    return not any(n in k.__dict__ for k in obj.__mro__[:-1] for n in _CUSTOM)


def object_like(lw: Any, v: Any) -> bool:
    """An object built here (`LocalObj`), or the result of calling a user class in this block
    (``Dense(w)``, whose class the transforms know from the call)."""
    if isinstance(v, LocalObj):
        return True
    if not isinstance(v, Var):
        return False
    for op in reversed(lw.b.block.ops):
        if v in op.results:
            if op.prim != "call":
                return False
            known, cls = lw.static_object(op.args[0])
            return known and user_class(cls)
    return False


def object_list(v: Any) -> bool:
    """Is `v` a list or tuple of objects built here (known to the caller it is returned to)?"""
    return (
        isinstance(v, FnSeq)
        and v.kind != "dict"
        and not v.escaped
        and bool(v.items)
        and all(isinstance(i, LocalObj) for i in v.items)
    )


def field_seq(lw: Any, node: Any) -> Any:
    """The `FnSeq` ``name.attr`` holds when `name` is bound to an object built here, else None."""
    v = field_value(lw, node)
    return v if isinstance(v, FnSeq) else None


def field_value(lw: Any, node: Any) -> Any:
    """What ``name.attr`` holds when `name` is bound to an object built here and the field is
    not written after ``__init__``, else None."""
    if not (isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name)):
        return None
    obj = lw.env.get(node.value.id)
    if isinstance(obj, LocalMethod) or not isinstance(obj, LocalObj):
        return None
    return None if node.attr in obj.mutable else obj.fields.get(node.attr)


def depth(lw: Any) -> int:
    return len(lw.outer_ops)


def materialize(lw: Any, seq: Any, node: Any) -> None:
    """`seq` becomes a run-time value at `node`: a list's items are no longer known after this
    (Python may change the list through the value); refused when a loop or index already read
    its items and this use is in a block nested deeper than the list's (a loop may run the
    static read again after it). Each such use builds a new list, where Python has one: a
    second use of a list made here, or one in a loop the list is older than, is refused too
    (a helper appending to the first would go unseen by the second)."""
    if seq.kind != "list":
        return
    if id(node) in lw.readers and not seq.escaped:  # (a builtin reading it whole, keeping none)
        check_known(lw, seq, node)
        return
    if seq.escaped and seq.local:
        raise lw.error(
            node,
            "a list of functions or objects is used as a value a second time: srcad builds a "
            "new list at each such use, so a change Python makes to it through one (an append "
            "in a function it was passed to) would not be seen through the other",
            "make it a tuple, or pass it on once",
        )
    if seq.read and depth(lw) > seq.depth:
        raise lw.error(
            node,
            "a list of functions or objects whose items a loop already read is used as a value "
            "in a nested block (Python could change it before the loop runs again)",
            "make it a tuple, or use it as a value before the loop",
        )
    if seq.local and any(d > seq.depth for d in lw.loop_at):
        raise lw.error(
            node,
            "a list of functions or objects made before this loop is used as a value in it: "
            "srcad builds a new list at each such use, so a change Python makes to it in one "
            "round (an append in a function it was passed to) would not be seen in the next",
            "make it a tuple, or pass it on before the loop; a list whose items the loop "
            "replaces (`d[i] = d[i].combine(...)`) can be neither: keep the numbers its objects "
            "hold in lists of floats or in arrays instead",
        )
    seq.escaped = True


def check_known(lw: Any, seq: Any, node: Any) -> None:
    """A loop or an index reads `seq`'s items at `node`: refused when it is a list already used
    as a run-time value (see `materialize`)."""
    if seq.escaped:
        raise lw.error(
            node,
            "the items of this list of functions or objects are not known here: it was used as a "
            "value before (Python could have changed it through another name)",
            "make it a tuple, or loop over it before using it as a value",
        )
    seq.read = True


def constructed(lw: Any, node: gast.ListComp, values: list | None, display: bool = False) -> Any:
    """``[C(...) for t in <constants>]`` (one generator, no ``if``, `values` its constants), or
    ``for a, b in zip(<constants>, xs)`` / ``enumerate(<constants>)`` (as many items as the
    constants: a shorter `xs` raises IndexError where Python stops early), whose elements are
    all objects (`object_like`): a `FnSeq` of them, the element lowered once per item with the
    target bound to it; with `display` (the element calls a factory or a class), also over a
    list/tuple display of other values (evaluated first); None otherwise, nothing emitted."""
    g = node.generators[0]
    if not isinstance(node.elt, MADE):
        return None
    if values is None and isinstance(g.iter, (gast.Tuple, gast.List)):
        values = _constants(lw, g.iter.elts)
    ops, start, augmented = lw.b.block.ops, len(lw.b.block.ops), len(lw.augmented)
    env = dict(lw.env)
    names: set[str] = set()
    try:
        _targets(g.target, names)
        if live_closures(lw, None, names):
            raise _NotObjects
        makers = [lambda v=v: Const(v) for v in values] if values else _zipped(lw, g.iter)
        if makers is None and display and _display(g.iter):  # `for t in [float(a[0]), 2.0]`
            makers = [lambda v=v: v for v in [lw.value(e) for e in g.iter.elts]]
        if makers is None and (known := knownlen.sized(lw, g.iter, True)) is not None:
            makers = [lambda k=k: known[1](k) for k in range(known[0])]  # `for w in weights`
        if not makers or len(makers) > 64:
            raise _NotObjects
        items = []
        for make in makers:
            _bind(lw, g.target, make())
            items.append(lw.expr(node.elt))
            if not (object_like(lw, items[-1]) or _made_function(items[-1])):
                raise _NotObjects
    except (_NotObjects, SrcadError):  # lowered as before
        del ops[start:], lw.augmented[augmented:]
        lw.env.clear()
        lw.env.update(env)
        return None
    for n in names:  # the comprehension's own names
        if n in env:
            lw.env[n] = env[n]
        else:
            lw.env.pop(n, None)
    return FnSeq(tuple(items), "list", node, depth(lw))


def class_call(lw: Any, elt: Any) -> bool:
    """`elt` calls a user class by a global name (``C(t * t)``), looked up, nothing lowered."""
    f = elt.func if isinstance(elt, gast.Call) else None
    if not isinstance(f, gast.Name) or f.id in lw.env:
        return False
    kind, obj = lw.ns.lookup(f.id)
    return kind == "global" and isinstance(obj, type) and user_class(obj) is not None


def _display(it: Any) -> bool:
    """A list/tuple display without ``*``, of at most 64 elements."""
    elts = it.elts if isinstance(it, (gast.Tuple, gast.List)) else None
    return (
        elts is not None and len(elts) <= 64 and not any(isinstance(e, gast.Starred) for e in elts)
    )


def _made_function(v: Any) -> bool:
    """A function a factory call returned (``make(k)``: lower/factories.py), carried with the
    factory's environment, which nothing rebinds once the factory has returned; or a
    ``functools.partial`` object made here (lower/partials.py: its arguments' values are taken
    when it is made, as Python's are: ``[partial(f, x[i]) for i in range(3)]``)."""
    return isinstance(v, NestedFn) and getattr(v, "env", None) is not None or type(v) is Partial


def live_closures(lw: Any, elt: Any, names: set[str]) -> bool:
    """A nested function of the function lowered, reading its variables when it runs, either
    reads one of `names` (a comprehension's targets: in Python it reads the function's own,
    the comprehension has a scope of its own) or, with `elt`, is named in `elt` (its call
    would move to where the element is built again: lower/mappedseq.py)."""
    named = scope.reads([elt]) if elt is not None else ()
    for k, v in lw.env.items():
        if isinstance(v, LocalObj) and k in named:
            if any(_live(f) for f in v.fields.values()):
                return True
        elif _live(v) and (k in named or not names.isdisjoint(scope.function_reads(v.node))):
            return True
    return False


def _live(v: Any) -> bool:
    return isinstance(v, NestedFn) and getattr(v, "env", None) is None


def _targets(t: Any, out: set[str]) -> None:
    if isinstance(t, gast.Name):
        out.add(t.id)
    elif isinstance(t, (gast.Tuple, gast.List)):
        for e in t.elts:
            _targets(e, out)
    else:
        raise _NotObjects


def _zipped(lw: Any, it: Any) -> list | None:
    """Item makers of ``zip(...)`` / ``enumerate(x)`` with a constant-sized argument (a literal
    of constants, or a slice ``x[:8]`` / ``x[2:8]`` of non-negative int literal bounds, which has
    that many items when `x` is long enough, checked when the code runs: a SrcadError where
    Python would make fewer): as many items as its size."""
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords):
        return None
    name = it.func.id
    if name not in ("zip", "enumerate") or name in lw.env or lw.ns.lookup(name)[0] != "builtin":
        return None
    if name == "enumerate" and len(it.args) != 1:
        return None
    sizes, parts = [], []
    for a in it.args:
        consts = _constants(lw, a.elts) if isinstance(a, (gast.Tuple, gast.List)) else None
        known = knownlen.sized(lw, a) if consts is None else None
        if consts is not None:
            sizes.append(len(consts))
            parts.append(lambda k, c=consts: Const(c[k]))
        elif known is not None:  # `zip(weights, biases)` of lists known here (lower/knownlen.py)
            sizes.append(known[0])
            parts.append(known[1])
        else:
            bound = _bounded_slice(a)
            seq = lw.op("builtins.list", [lw.value(a)])  # a dict's keys, an array's rows
            parts.append(lambda k, s=seq: lw.op("getitem", [s, Const(k)]))
            if bound is not None:  # (checked: Python would make fewer or more objects)
                sizes.append(bound)
                count = lw.op("eq", [lw.op("len", [seq]), Const(bound)])
                lw.op("srcad.runtime.require", [count, Const(SHORT.format(n=bound))])
    if not sizes:
        return None
    n = min(sizes)
    if name == "enumerate":
        return [lambda k=k: (Const(k), parts[0](k)) for k in range(n)]
    return [lambda k=k: tuple(p(k) for p in parts) for k in range(n)]


def _bind(lw: Any, target: Any, item: Any) -> None:
    """Bind a maker's item: a tuple of parts (a ``zip``'s) unpacked into a tuple target as the
    parts themselves (an object built here stays one), else built as a run-time tuple."""
    if isinstance(item, tuple):
        if isinstance(target, (gast.Tuple, gast.List)) and len(target.elts) == len(item):
            for t, part in zip(target.elts, item):
                lw.assign(t, part, t)
            return
        item = lw.op("tuple", [lw.operand(p, target) for p in item])
    lw.assign(target, item, target)


SHORT = (
    "a slice iterated here has another length than {n}: srcad built the objects of this "
    "comprehension for {n} items (the slice's bounds), as many as Python makes from a sequence "
    "long enough"
)


def _bounded_slice(node: Any) -> int | None:
    """The number of items of ``x[lo:hi]`` (no step, `lo` absent or a non-negative int literal,
    `hi` a non-negative int literal) when `x` has `hi` items at least, else None."""
    if not isinstance(node, gast.Subscript) or not isinstance(node.slice, gast.Slice):
        return None
    lo, hi, step = node.slice.lower, node.slice.upper, node.slice.step
    ints = lambda p: isinstance(p, gast.Constant) and type(p.value) is int and p.value >= 0  # noqa: E731
    if step is not None or not ints(hi) or not (lo is None or ints(lo)):
        return None
    n = hi.value - (lo.value if lo is not None else 0)
    return n if n > 0 else None


def attempt(lw: Any, make: Any, keep: Any = None) -> Any:
    """``make()`` lowered tentatively: its `FnSeq`, or None with what it lowered undone (its ops,
    the environment), when it gives anything else or raises SrcadError (the caller then lowers
    the same code as before, once: nothing is evaluated twice). `keep`: the node `make` lowers,
    whose run-time value (a Var) is kept with its ops instead, for the caller's lowering of that
    node that follows at once (`lowered_once`: ``sum([f(b) for b in bs])``'s comprehension,
    lowered once, not twice and undone in between)."""
    point = undo_point(lw)
    try:
        out = make()
    except SrcadError:
        out = None
    if isinstance(out, FnSeq):
        return out
    if keep is not None and type(out) is Var:
        ops = point[0]  # (the block `make` started in)
        lw.once = (keep, ops, len(ops), out)
        return None
    undo(lw, point)
    return None


def undo_point(lw: Any) -> tuple:
    """What `undo` needs to take back what the lowerer `lw` lowers from now on in its block."""
    ops = lw.b.block.ops
    return ops, len(ops), dict(lw.env), len(lw.augmented), len(lw.item_augmented)


def undo(lw: Any, point: tuple) -> None:
    """Take back the ops, bindings and augmented assignments lowered since `undo_point`."""
    ops, start, env, aug, item_aug = point
    del ops[start:], lw.augmented[aug:], lw.item_augmented[item_aug:]
    lw.env.clear()
    lw.env.update(env)


def lowered_once(lw: Any, node: Any) -> Any:
    """The value `attempt` kept for `node` when nothing was lowered since (the same block, no op
    added), else None (lowered as any node)."""
    once = lw.once
    if once is None or once[0] is not node:
        return None
    lw.once = None
    return once[3] if once[1] is lw.b.block.ops and len(once[1]) == once[2] else None


class _NotObjects(Exception):
    """An element of the comprehension is not an object (see `constructed`)."""


def plain_function(obj: Any) -> bool:
    return isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))


def _constants(lw: Any, elts: list) -> list | None:
    """The values of literal elements that are constants or negated constants, else None."""
    out = []
    for e in elts:
        if isinstance(e, gast.UnaryOp) and isinstance(e.operand, gast.Constant):
            v = lw.value(e)  # folded: a constant
        elif isinstance(e, gast.Constant):
            v = Const(e.value)
        else:
            return None
        if not isinstance(v, Const):
            return None
        out.append(v.value)
    return out


def constant_slice(node: Any) -> bool:
    """A slice whose bounds are constants, negated constants or absent (``[:-1]``, ``[1:]``)."""
    return isinstance(node, gast.Slice) and all(
        p is None
        or isinstance(p, gast.Constant)
        or (isinstance(p, gast.UnaryOp) and isinstance(p.operand, gast.Constant))
        for p in (node.lower, node.upper, node.step)
    )


def pairwise(lw: Any, target: Any, value: Any) -> list | None:
    """The elements of `value` when ``target = value`` is ``a, b = C(x0), C(x1)`` (tuples or
    lists of the same length, no starred parts, some element a call or a name bound to an object
    built here), else None. Python evaluates every element, then binds the targets in order; so
    does the caller, keeping the objects built here as objects (not a run-time tuple)."""
    seqs = (gast.Tuple, gast.List)
    if not isinstance(target, seqs) or not isinstance(value, seqs):
        return None
    if len(target.elts) != len(value.elts) or any(
        isinstance(e, gast.Starred) for e in target.elts + value.elts
    ):
        return None
    if not any(
        isinstance(e, gast.Call)
        or (isinstance(e, gast.Name) and isinstance(lw.env.get(e.id), LocalObj))
        for e in value.elts
    ):
        return None
    return list(value.elts)
