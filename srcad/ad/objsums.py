"""Sums and products of lists that hold user objects: ``sum(objs)`` runs their operators.

Input: a transform whose function's value kinds are known (`ad/receivers.object_kinds`) and one
of its ops. Output: an entry of `tr.refused` (refused when an operand is varied) for ``sum(xs)``,
``math.prod(xs)``, ``np.sum(xs)`` / ``np.prod(xs)`` whose list or tuple `xs` may hold an
instance of a user class defining the operator the reduction runs (``__add__``/``__radd__``,
``__mul__``/``__rmul__``), or whose `start` is one (the list then comes from code srcad does
not trace, a helper's return: ``sum(make(x), V(0.0))`` added the items as numbers), and
``np.array(xs)`` / ``np.asarray`` of such a list (an object array). A helper's list is read
through the helper's ops by ad/objsumloop.py (`call_follower`), which records its refusals.

Python's ``sum([Sq(a), Sq(b)])`` is ``0 + Sq(a) + Sq(b)``, each ``+`` the class's method; the
rules of ``sum`` and ``np.sum`` add the items' tangents (or spread the cotangent over them) as
numbers: a silently wrong JVP (``__radd__`` returning ``o + self.a ** 2`` got the derivative
of ``a``) and a crash in reverse mode. What the list holds is read from the ops that build it
(``list``/``tuple`` displays, ``list_append``, ``setitem``, ``xs + [o]``, ``list(xs)``,
slices, through ``if`` joins and loop carries). A list of objects built while lowering is
summed there (lower/objops.sum_of); ``sum``/``math.prod`` of a run-time list of one class closed
under the operator became its loop before this runs (ad/objsumloop.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.lower.values import classify
from srcad.ssa.core import Function, Op, Var, walk_ops

# reduction -> the operator methods it runs on the items
_REDUCTIONS = {
    "sum": ("__add__", "__radd__"),
    "numpy.sum": ("__add__", "__radd__"),
    "math.prod": ("__mul__", "__rmul__"),
    "numpy.prod": ("__mul__", "__rmul__"),
}
_ARRAYS = frozenset({"numpy.array", "numpy.asarray", "numpy.asanyarray"})
LIST_OPS = frozenset({*_REDUCTIONS, *_ARRAYS})  # (what `sum_refusal` looks at)
_DISPLAYS = frozenset({"list", "tuple"})
FROM = frozenset({"builtins.list", "builtins.tuple", "sorted", "reversed", "add", "getitem",
                   "srcad.runtime.concat", "srcad.runtime.as_sequence"})  # fmt: skip


def sum_refusal(tr: Any, op: Op, kinds: dict) -> bool:
    """Record `op` in `tr.refused` when it is a reduction (`_REDUCTIONS`) of a sequence that may
    hold an instance of a user class defining one of its operator methods, or an array made of
    one (`_ARRAYS`); -> whether it did."""
    if op.prim not in LIST_OPS or not op.args or not isinstance(op.args[0], Var):
        return False
    start = [*op.args[1:2], *(v for k, v in op.kwargs.items() if k == "start")]
    first = [kinds.get(v) for v in start if isinstance(v, Var)]  # an object start: the items
    why = refusal_of(op, [*held_classes(op.args[0], kinds, sources_of(tr.fn)), *first])
    if why is not None:  # (`first`: the items it is added to)
        tr.refused[op] = why
    return why is not None


def refusal_of(op: Op, classes: list) -> tuple[str, str] | None:
    """(message, hint) refusing `op` (in `LIST_OPS`) of a sequence holding instances of
    `classes`, or None when none runs a method srcad's rule does not follow."""
    for cls in classes:
        if not isinstance(cls, type):
            continue
        if op.prim in _ARRAYS:
            return (
                f"`{op.prim}` of a list holding `{cls.__name__}` objects makes an object array, "
                "whose arithmetic runs their methods: srcad's rules do not follow it",
                "build the array from the numbers the objects hold",
            )
        name = next((n for n in _REDUCTIONS[op.prim] if classify(cls, n) != "rule"), None)
        if name is not None:
            return (
                f"`{op.prim}` of a list holding `{cls.__name__}` objects runs their `{name}`, "
                "which srcad's rule for the reduction does not follow",
                "add the objects in a loop (`acc = acc + o`) or sum the numbers they hold",
            )
    return None


def held_classes(
    v: Var, kinds: dict, sources: dict, follow: Callable | None = None, others: list | None = None
) -> list[type]:
    """The user classes (kinds) of the items the ops building `v` put into it, in order of
    discovery; `sources`: `sources_of` of the function; `follow`: the classes a `call` op's
    list holds (`objsumloop.call_follower`), when given; `others`: the items of no user class
    (or of an unknown kind), appended to it when given."""
    out: list[type] = []
    seen: set = set()
    todo = [v]
    while todo:
        x = todo.pop()
        if not isinstance(x, Var) or x in seen:
            continue
        seen.add(x)
        d = sources.get(x)
        if d is None:
            continue
        if isinstance(d, list):  # a join or a loop carry: every value it may be
            todo.extend(d)
            continue
        if d.prim in _DISPLAYS:
            items = list(d.operands())
        elif d.prim in FROM:  # `list(xs)`, `xs + [o]`, `xs[1:]`: what their operands hold
            todo.extend(d.operands())  # (`list(o)` of an object: what its `__iter__` yields,
            continue  # not `o`)
        elif d.prim == "list_append":
            items, _ = [d.args[-1]], todo.append(d.args[0])
        elif d.prim == "setitem":
            items, _ = [d.args[-1]], todo.append(d.args[0])
        elif d.prim == "call" and follow is not None:  # a helper's list: what it puts into it
            out.extend(k for k in follow(d) if k not in out)
            continue
        else:
            continue
        for e in items:
            k = kinds.get(e) if isinstance(e, Var) else None
            if isinstance(k, type):
                if k not in out:
                    out.append(k)
            elif others is not None:
                others.append(e)
    return out


def sources_of(fn: Function) -> dict:
    """Var -> the op whose single result it is, or the list of values it may be (an ``if``'s
    result: its branches' yields; a loop's carry and result: its initial value and yields)."""
    out: dict = {}
    for op in walk_ops(fn.body):
        if op.prim == "if":
            for k, r in enumerate(op.results):
                out[r] = [b.yields[k] for b in op.blocks if k < len(b.yields)]
        elif op.prim in ("for", "while"):
            body = op.blocks[-1]
            off = 1 if op.prim == "for" else 0
            inits = op.args[3:] if op.prim == "for" else op.args
            for k, init in enumerate(inits):
                vals = [init, body.yields[k]] if k < len(body.yields) else [init]
                for blk in op.blocks:
                    o = off if blk is body else 0
                    if o + k < len(blk.params):
                        out[blk.params[o + k]] = vals
                if k < len(op.results):
                    out[op.results[k]] = vals
        elif len(op.results) == 1:
            out[op.results[0]] = op
    return out
