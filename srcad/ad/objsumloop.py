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
ops building the list (`objsums.held_classes`; a list a user function returns: the helper's
own ops, `call_follower`) put instances of one class `C` into it (or, a list they do not tell
of, when `start` is a `C`: every item checked), `C`
descends from user classes only and defines the methods as plain Python functions, `start` is
a `C` or a Python int/float (or a value of a class the transform cannot see, ``objs[0]`` of a
helper's list: checked to be a `C` when it runs, the first item added by its ``__add__`` called
directly, an empty list refused then), and the loop's result is a `C` again (the kinds after the rewrite:
``Sq.__radd__`` returning a number, or a method that may return NotImplemented, keep the op).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from srcad.ad.callees import bind_user_call
from srcad.ad.objsums import FROM, LIST_OPS, held_classes, refusal_of, sources_of
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, classify, static_value, user_method
from srcad.ssa.core import Block, Const, Function, Op, Var

# reduction -> (operator primitive, its method, the reflected method, the default start)
_LOOPS = {
    "sum": ("add", "__add__", "__radd__", 0),
    "math.prod": ("mul", "__mul__", "__rmul__", 1),
}
_START = "start"  # (the keyword of both `sum` and `math.prod`)
_PLAIN_ITEMS = "srcad.runtime.plain_items"
_DEEP = "deep"  # (receivers.DEEP: no user object in it or inside it; receivers imports this)


def loop_sums(
    tr: Any, kinds: dict, again: Callable[[], dict], callee_kinds: Callable, checked: dict
) -> dict:
    """Rewrite each reduction of `tr.fn` the module docstring describes; -> the kinds (`again()`
    after a rewrite that stays); `callee_kinds(callee, seeds)`: the value kinds of a helper
    (`receivers.object_kinds`), to read the class of the items of a list it returns;
    `checked`: the items whose class the loops test when they run, each with that class (what
    `again` knows of them: ``0 + item``'s ``C.__radd__`` may return ``self``). Sets
    `tr.helper_refused`: the other reductions and arrays (`objsums.LIST_OPS`) of a helper's
    list holding objects whose methods their rules do not follow, refused when varied."""
    fn, tr.helper_refused = tr.fn, {}
    calls: set = set()
    ops = _reductions(fn.body, calls)
    kinds = _folds(fn, ops, kinds, again, callee_kinds, checked)
    todo = [(b, op) for b, op in ops if op.prim in LIST_OPS]
    todo = [(b, op) for b, op in todo if op.prim in _LOOPS or op.args and op.args[0] in calls]
    if not todo:
        return kinds
    sources = sources_of(fn)
    follow = call_follower(fn, kinds, callee_kinds)
    for b, op in todo:
        cls = _one_class(op, kinds, sources, follow) if op.prim in _LOOPS else None
        start = _start(op, kinds, cls)
        if cls is None or start is None:
            _helper_refusal(tr, b, op, kinds, sources, follow)
            continue
        saved, items = list(b.ops), {}
        at = next(k for k, o in enumerate(b.ops) if o is op)
        b.ops[at : at + 1] = _loop(op, cls, start, items)
        checked.update(items)
        new = again()
        if new.get(op.results[0]) is cls:
            kinds = new
            if op.loc is not None:  # (a generator's list, read once here as by `sum` itself:
                key = (op.loc.line, op.loc.col)  # not a one-shot passed to the methods called)
                fn.one_shot_args = {k: v for k, v in fn.one_shot_args.items() if k != key}
        else:  # not closed under the operator: the op as it was (refused by ad/objsums)
            b.ops = saved
            for v in items:
                del checked[v]
            _helper_refusal(tr, b, op, kinds, sources, follow)
    return kinds


def _folds(
    fn: Function, ops: list, kinds: dict, again: Callable, callee_kinds: Callable, checked: dict
) -> dict:
    """``acc = xs[0]; for item in xs[1:]: acc = acc + item`` (`functools.reduce` without an
    initial value, written as this loop by lower/stdlib.py) over a run-time list whose building
    ops put instances of one user class `C` into it and nothing else: the first item and each
    item read in the loop checked to be a `C` when they run, before any use (seeded as `C`s in
    `checked`), so `+` is ``C.__add__``; kept when the loop's result is then a `C`. -> kinds."""
    firsts = {
        op.results[0]: (b, op)
        for b, op in ops
        if op.prim == "getitem" and type(op.args[1]) is Const and type(op.args[1].value) is int
        and op.args[1].value == 0 and isinstance(op.args[0], Var) and op.results[0] not in kinds
    }  # fmt: skip
    loops = [(b, op) for b, op in ops if op.prim == "for" and firsts.keys() & set(op.args[3:])]
    if not loops:
        return kinds
    sources, follow = sources_of(fn), call_follower(fn, kinds, callee_kinds)
    for _, loop in loops:
        body = loop.blocks[-1]
        for k, init in enumerate(loop.args[3:]):
            hit = (
                None
                if init in checked
                else _fold_item(body, k, init, firsts, (kinds, sources, follow))
            )
            if hit is None:
                continue
            cls, (b0, first), (b1, read) = hit
            saved, items = (list(b0.ops), list(b1.ops)), {}
            b0.ops[b0.ops.index(first) + 1 : b0.ops.index(first) + 1] = _same_class(
                init, cls, "loop", first.loc, items
            )
            at = b1.ops.index(read) + 1
            b1.ops[at:at] = _same_class(read.results[0], cls, "loop", read.loc, items)
            checked.update(items)
            new = again()
            if new.get(loop.results[k]) is cls:
                kinds = new
            else:  # (`+` not closed over `C`: as it was)
                b0.ops, b1.ops = saved  # (b1, the loop's body, is never b0)
                for v in items:
                    del checked[v]
    return kinds


def _fold_item(body: Block, k: int, init: Var, firsts: dict, facts: tuple) -> Any:
    """(C, the first item's op with its block, the loop's item read with its block) when carry
    `k` of the loop `body` starts from ``xs[0]`` and is ``carry + item`` of an item
    ``getitem(rest, i)`` read there, `xs` and `rest` holding only `C` objects; else None.
    `facts`: (kinds, `sources_of` the function, `call_follower`)."""
    if init not in firsts or 1 + k >= len(body.params) or k >= len(body.yields):
        return None
    carry, i, out = body.params[1 + k], body.params[0], body.yields[k]
    step = next((o for o in body.ops if o.results == [out] and o.prim == "add"), None)
    if step is None or step.args[0] is not carry or not isinstance(step.args[1], Var):
        return None
    read = next((o for o in body.ops if o.results == [step.args[1]]), None)
    if read is None or read.prim != "getitem" or read.args[1] is not i:
        return None
    b0, first = firsts[init]
    classes = []
    for seq in (first.args[0], read.args[0]):
        others: list = []
        classes += held_classes(seq, *facts, others)
        if others:
            return None
    cls = classes[0] if classes and all(c is classes[0] for c in classes) else None
    if cls is None or classify(cls, "__add__") != "user":
        return None
    if any(c is not object and _library(c) for c in cls.__mro__):
        return None  # (a subclass of float or ndarray: its own arithmetic may run first)
    return cls, (b0, first), (body, read)


def _helper_refusal(
    tr: Any, b: Block, op: Op, kinds: dict, sources: dict, follow: Callable
) -> None:
    """`op` into `tr.helper_refused` when its list comes from a helper (no class seen here) whose
    ops put objects into it that `objsums.refusal_of` refuses; when none is seen there either
    (a list read through more helpers), a NumPy `op` reads it through ``_srcad.plain_items``,
    which refuses user objects when it runs (forward mode ran their methods on the tangents).
    Nothing for a value whose kind says it holds no user object (a helper returning numbers,
    arrays or lists of them: `receivers.return_kind`)."""
    xs = op.args[0] if op.args else None
    if not isinstance(xs, Var) or isinstance(kinds.get(xs), type):
        return  # (a user object itself, ``np.sum(C(x))``: dispatch.hook_refusal's)
    if kinds.get(xs) == _DEEP:
        return  # (the helper's return kind, receivers.return_kind: numbers, arrays, lists of them)
    if held_classes(xs, kinds, sources):
        return  # (a list whose classes are seen here: ad/objsums.sum_refusal's)
    classes = held_classes(xs, kinds, sources, follow)
    why = refusal_of(op, classes)
    if why is not None:
        tr.helper_refused[op] = why
    elif not classes and op.prim not in _LOOPS:  # (sum/math.prod: their helpers check)
        checked = Var("xs")
        at = next(k for k, o in enumerate(b.ops) if o is op)
        what = Const(op.prim.replace("numpy.", "np."))
        b.ops.insert(at, Op(_PLAIN_ITEMS, [xs, what], results=[checked], loc=op.loc))
        op.args[0] = checked


def _reductions(b: Block, calls: set) -> list[tuple[Block, Op]]:
    """Every op under `b` that `loop_sums` and `_folds` look at (`_LOOKED`), with its block;
    the results of `call` ops, and of `objsums.FROM` ops of them (``tuple(mk(x))``), into
    `calls`."""
    out = []
    for op in b.ops:
        for sub in op.blocks:
            out.extend(_reductions(sub, calls))
        p = op.prim
        if op.results and (p == "call" or p in FROM and calls and any(a in calls for a in op.args)):
            calls.add(op.results[0])
        if p in _LOOKED:  # (most ops: none of these)
            out.append((b, op))
    return out


# the ops `loop_sums` rewrites or refuses, and those `_folds` matches (the first item read and
# the loop over the others)
_LOOKED = LIST_OPS | {"getitem", "for"}


def _one_class(op: Op, kinds: dict, sources: dict, follow: Callable) -> type | None:
    """The one user class `C` of the items the list's building ops put into it (a helper's
    list: those its ops put into it, `follow`), when `C` has the operator's methods as plain
    functions and no library class among its bases."""
    if len(op.results) != 1 or not op.args or not isinstance(op.args[0], Var):
        return None
    classes = held_classes(op.args[0], kinds, sources, follow)
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
    return module_top(k) in LIBRARY_MODULES


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
        k = kinds.get(start)  # unknown (``objs[0]`` of a helper's list): checked when it runs
        return start if k is cls else _Unknown(start) if k is None and not given[1:] else None
    if type(start.value) in (int, float) and classify(cls, rname) == "user":
        return start
    return None


class _Unknown:
    """A start Var whose kind the transform does not know (``objs[0]`` of a helper's list):
    its class is checked when the code runs, and the first item added by ``C.__add__(start,
    item)`` called directly (an operator on it would be taken for NumPy's)."""

    def __init__(self, var: Var) -> None:
        self.var = var


def _loop(op: Op, cls: type, start: Any, items: dict) -> list[Op]:
    """The ops replacing `op` (module docstring); the items whose class they check (before any
    use) into `items`, with `cls`."""
    prim, name, rname, _ = _LOOPS[op.prim]
    loc, xs, what = op.loc, op.args[0], op.prim
    n = Var("n")
    out = [Op("len", [xs], results=[n], loc=loc)]
    first = 0
    if isinstance(start, (Const, _Unknown)):  # `0 + item`: the item's reflected method
        known = isinstance(start, Const)
        msg = (
            f"`{what}` of an empty list: Python returns the start {start.value!r}, a number, "
            f"where srcad's derivative of this reduction of `{cls.__qualname__}` objects "
            "expected one of them"
            if known
            else f"`{what}` of an empty list with a start srcad could not tell the class of "
            f"when it made the derivative: it expected `{cls.__qualname__}` objects to add"
        )
        some, ok, item = Var("some"), Var("ok"), Var("item")
        out += [
            Op("gt", [n, Const(0)], results=[some], loc=loc),
            Op("srcad.runtime.require", [some, Const(msg)], results=[ok], loc=loc),
            Op("getitem", [xs, Const(0)], results=[item], loc=loc),
            *_same_class(item, cls, what, loc, items),
        ]
        acc0 = Var("acc")
        if known:
            fn, pair = user_method(cls, rname), [item, start]
        else:  # `start + item`: the start's own method, once its class is checked
            out += _same_class(start.var, cls, what, loc, items)
            fn, pair = user_method(cls, name), [start.var, item]
        out.append(Op("call", [Const(fn), *pair], results=[acc0], loc=loc))
        start, first = acc0, 1
    i, acc, item, acc1 = Var("i"), Var("acc"), Var("item"), Var("acc")
    body = Block(
        params=[i, acc],
        ops=[
            Op("getitem", [xs, i], results=[item], loc=loc),
            *_same_class(item, cls, what, loc, items),
            Op(prim, [acc, item], results=[acc1], loc=loc),
        ],
        yields=[acc1],
    )
    head = [Const(first), n, Const(1)]
    out.append(Op("for", [*head, start], results=list(op.results), blocks=[body], loc=loc))
    return out


def _same_class(item: Var, cls: type, what: str, loc: Any, items: dict) -> list[Op]:
    """Ops that fail at run time unless ``type(item) is cls`` (the transform assumed it; `item`
    into `items`)."""
    items[item] = cls
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


def call_follower(fn: Function, kinds: dict, callee_kinds: Callable, depth: int = 0) -> Callable:
    """-> `held_classes`' `follow` in `fn` (value kinds `kinds`): the classes of the items of the
    list a ``call`` op of a user function returns (``def mk(x): return [V(v) for v in x]``),
    read from the ops of the lowered helper (its kinds: ``callee_kinds(callee, seeds)``,
    `receivers.object_kinds`), helpers it calls in turn followed two levels deep; [] when not
    known. A guess the transform checks: ad/objsumloop.py tests every item's class at run time."""

    def follow(op: Op) -> list[type]:
        if depth >= 2 or not op.args:
            return []
        ok, obj = static_value(fn, op.args[0])
        if not ok or not isinstance(obj, types.FunctionType):
            return []
        hit = bind_user_call(obj, op, lambda a: kinds.get(a) if isinstance(a, Var) else None)
        if hit is None or not hit[0].body.yields or not isinstance(hit[0].body.yields[0], Var):
            return []
        callee, seeds = hit
        ck = callee_kinds(callee, seeds)
        nested = call_follower(callee, ck, callee_kinds, depth + 1)
        return held_classes(callee.body.yields[0], ck, sources_of(callee), nested)

    return follow
