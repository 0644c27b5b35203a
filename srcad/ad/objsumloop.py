"""``sum(objs[, start])`` / ``math.prod(objs[, start])`` of a run-time list of user objects, as
the loop Python runs, each ``+`` (``*``) the class's own method.

Input: a transform's function and the kinds of its values (`ad/receivers.object_kinds`).
Output: the function with each such reduction rewritten (the kinds computed again), or left as
it was (ad/objsums.py then refuses it). Before and after, for a list whose items are `C`::

    s = sum(objs, start)            n = len(objs)
                                    s = for i in range(0, n, 1) carry(acc = start) {
                                        item = getitem(objs, i)
                                        require(type(item) is C)     # checked at run time
                                        acc' = add(acc, item)        # C.__add__ (receivers)
                                        yield acc'
                                    }

A number `start` (``sum``'s default 0, ``prod``'s 1): Python's ``0 + item`` runs
``C.__radd__(item, 0)`` (the number's ``__add__`` returns NotImplemented for a user object),
so the first item is added by that call and the loop starts at 1; an empty list is refused at
run time (Python returns the number, where the derivative expects a `C`). Taken only when the
ops building the list (`objsums.held_classes`) put instances of one class `C` into it (or, a
list they do not tell of, a helper's, when `start` is a `C`: every item checked), `C`
descends from user classes only and defines the methods as plain Python functions, `start` is
a `C` or a Python int/float, and the loop's result is a `C` again (the kinds after the rewrite:
``Sq.__radd__`` returning a number, or a method that may return NotImplemented, keep the op).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from srcad.ad.objsums import held_classes, sources_of
from srcad.lower.values import LIBRARY_MODULES, classify, user_method
from srcad.ssa.core import Block, Const, Function, Op, Var

# reduction -> (operator primitive, its method, the reflected method, the default start)
_LOOPS = {
    "sum": ("add", "__add__", "__radd__", 0),
    "math.prod": ("mul", "__mul__", "__rmul__", 1),
}
_START = "start"  # (the keyword of both `sum` and `math.prod`)


def loop_sums(fn: Function, kinds: dict, again: Callable[[], dict]) -> dict:
    """Rewrite each reduction of `fn` the module docstring describes; -> the kinds (`again()`
    after a rewrite that stays)."""
    todo = [(b, op) for b, op in _reductions(fn.body) if op.prim in _LOOPS]
    if not todo or not any(isinstance(k, type) for k in kinds.values()):
        return kinds  # (no value of a user class: `_one_class` finds none, nothing to rewrite)
    sources = sources_of(fn)
    for b, op in todo:
        cls = _one_class(op, kinds, sources)
        start = _start(op, kinds, cls)
        if cls is None or start is None:
            continue
        saved = list(b.ops)
        at = next(k for k, o in enumerate(b.ops) if o is op)
        b.ops[at : at + 1] = _loop(op, cls, start)
        new = again()
        if new.get(op.results[0]) is cls:
            kinds = new
            if op.loc is not None:  # (a generator's list, read once here as by `sum` itself:
                key = (op.loc.line, op.loc.col)  # not a one-shot passed to the methods called)
                fn.one_shot_args = {k: v for k, v in fn.one_shot_args.items() if k != key}
        else:  # not closed under the operator: the op as it was (refused by ad/objsums)
            b.ops = saved
    return kinds


def _reductions(b: Block) -> list[tuple[Block, Op]]:
    out = []
    for op in b.ops:
        for sub in op.blocks:
            out.extend(_reductions(sub))
        out.append((b, op))
    return out


def _one_class(op: Op, kinds: dict, sources: dict) -> type | None:
    """The one user class `C` of the items the list's building ops put into it, when `C` has
    the operator's methods as plain functions and no library class among its bases."""
    if len(op.results) != 1 or not op.args or not isinstance(op.args[0], Var):
        return None
    classes = held_classes(op.args[0], kinds, sources)
    if not classes:  # a list srcad does not trace (a helper's): the start's class, if an object
        start = [*op.args[1:2], *(v for k, v in op.kwargs.items() if k == _START)]
        classes = [
            k for k in (kinds.get(v) for v in start if isinstance(v, Var)) if isinstance(k, type)
        ]
    if len(classes) != 1:
        return None
    cls = classes[0]
    if any(k is not object and _library(k) for k in cls.__mro__):
        return None  # (a subclass of float or ndarray: its own arithmetic may run first)
    _, name, _, _ = _LOOPS[op.prim]
    return cls if classify(cls, name) == "user" else None


def _library(k: type) -> bool:
    return (getattr(k, "__module__", "") or "").split(".")[0] in LIBRARY_MODULES


def _start(op: Op, kinds: dict, cls: type | None) -> Any:
    """The start operand: a `cls` value, or a Python int/float constant when `cls` defines the
    reflected method; None for any other start (an array, a number of unknown type)."""
    if cls is None:
        return None
    _, _, rname, default = _LOOPS[op.prim]
    given = [*op.args[1:], *(v for k, v in op.kwargs.items() if k == _START)]
    if len(given) > 1 or len(op.args) > 2 or set(op.kwargs) - {_START}:
        return None
    if op.prim == "math.prod" and len(op.args) > 1:
        return None  # (its start is keyword-only: Python's TypeError, as before)
    start = given[0] if given else Const(default)
    if isinstance(start, Var):
        return start if kinds.get(start) is cls else None
    if type(start.value) in (int, float) and classify(cls, rname) == "user":
        return start
    return None


def _loop(op: Op, cls: type, start: Any) -> list[Op]:
    """The ops replacing `op` (module docstring)."""
    prim, _, rname, _ = _LOOPS[op.prim]
    loc, xs, what = op.loc, op.args[0], op.prim
    n = Var("n")
    out = [Op("len", [xs], results=[n], loc=loc)]
    first = 0
    if isinstance(start, Const):  # `0 + item`: the item's reflected method
        msg = (
            f"`{what}` of an empty list: Python returns the start {start.value!r}, a number, "
            f"where srcad's derivative of this reduction of `{cls.__qualname__}` objects "
            "expected one of them"
        )
        some, ok, item = Var("some"), Var("ok"), Var("item")
        out += [
            Op("gt", [n, Const(0)], results=[some], loc=loc),
            Op("srcad.runtime.require", [some, Const(msg)], results=[ok], loc=loc),
            Op("getitem", [xs, Const(0)], results=[item], loc=loc),
            *_same_class(item, cls, what, loc),
        ]
        acc0 = Var("acc")
        fn = user_method(cls, rname)
        out.append(Op("call", [Const(fn), item, start], results=[acc0], loc=loc))
        start, first = acc0, 1
    i, acc, item, acc1 = Var("i"), Var("acc"), Var("item"), Var("acc")
    body = Block(
        params=[i, acc],
        ops=[
            Op("getitem", [xs, i], results=[item], loc=loc),
            *_same_class(item, cls, what, loc),
            Op(prim, [acc, item], results=[acc1], loc=loc),
        ],
        yields=[acc1],
    )
    head = [Const(first), n, Const(1)]
    out.append(Op("for", [*head, start], results=list(op.results), blocks=[body], loc=loc))
    return out


def _same_class(item: Var, cls: type, what: str, loc: Any) -> list[Op]:
    """Ops that fail at run time unless ``type(item) is cls`` (the transform assumed it)."""
    msg = (
        f"srcad differentiated this `{what}` as a loop over `{cls.__qualname__}` objects (the "
        "items the list was built from); an item of another class reached it"
    )
    t, same, ok = Var("cls"), Var("same"), Var("ok")
    return [
        Op("type", [item], results=[t], loc=loc),
        Op("is", [t, Const(cls)], results=[same], loc=loc),
        Op("srcad.runtime.require", [same, Const(msg)], results=[ok], loc=loc),
    ]
