"""A list or dict argument whose items the function updates with ``op=`` and in no other way
(``for k in params: params[k] -= lr * grads[k]``, an SGD step): lower/argcopy.py's "items" mode.

Input: the function's tree and argcopy's candidates (`item_only`); the lowerer at the entry
copy (`enter`) and at the end (`leave`). Output: the entry copy's array items copied too
(``_srcad.own_items(x_1)``, rules/argitems.py), so ``x[k] op= v``, which Python runs in place on
an array item, updates a private array the mutation check (passes/alias.py) sees as made here;
at the end ``_srcad.write_back(x, x_final, True)`` writes each array item's final value into
the caller's array and rebinds the number items, as Python leaves them; the checks that no
array item shares memory with another item, another argument or a global read
(``items_unshared``), and that the result holds no item's private copy (``items_kept``).

Only parameters updated by ``x[k] op= v`` alone (one level, no slice), never resized, rebound
or returned: Python then leaves the caller's container holding the same objects. A parameter
the cache key finds to be an array or a number gets no such copy in the mutation check's
snapshot (`strip`): its item updates are an array's, as before.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import scope
from srcad.ssa.clone import snapshot
from srcad.ssa.core import Const, Function, Op, Var, replace_uses

OWN_ITEMS = "srcad.runtime.own_items"
UNSHARED = "srcad.runtime.items_unshared"
KEPT = "srcad.runtime.items_kept"


def item_only(
    node: Any, found: dict, returned: set[str], update: Callable[[Any, str], bool]
) -> set[str]:
    """The candidates of `found` (argcopy's, parameters of kind "always", neither rebound nor
    in `returned`) whose every update in `node` is ``x[k] op= v``; `update(n, x)`: does the
    node `n` update `x` otherwise (argcopy's `_updater`)?"""
    names = {
        n
        for n, (kind, _, snap) in found.items()
        if kind == "always" and snap is None and n not in returned
    }
    if not names or isinstance(node, gast.Lambda):
        return set()
    for n in scope.walk(node):
        for name in list(names):
            if update(n, name):
                names.discard(name)
        if not names:
            break
    return names


def helper_items(fn: Any, call: Any, name: str, depth: int, updater: Callable) -> bool:
    """The call `call` of the module-level function `fn` passes `name` (as a plain name) only
    to parameters it updates by ``p[k] op= v`` alone (helpers it passes them to alike, `depth`
    at most 2), never rebinds nor returns; `updater`: argcopy's `_updater`."""
    if depth >= 2 or not isinstance(fn, types.FunctionType) or fn.__code__.co_flags & 0x2C:
        return False  # (*args, **kw, a generator: not followed)
    try:
        node = get_source(fn).node
    except Exception:
        return False
    if not isinstance(node, gast.FunctionDef):
        return False
    args = node.args
    params = [a.id for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    if len(call.args) > len(args.posonlyargs) + len(args.args):
        return False
    bound = {p: a for p, a in zip(params, call.args)}
    bound.update((k.arg, k.value) for k in call.keywords if k.arg is not None)
    if any(isinstance(a, gast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return False
    mine = [p for p, a in bound.items() if isinstance(a, gast.Name) and a.id == name]
    if len(mine) != 1:
        return False  # (passed twice, or not as a plain name: an update of it is no item's)
    p = mine[0]
    stored = any(
        isinstance(n, gast.Name) and n.id == p and isinstance(n.ctx, (gast.Store, gast.Del))
        for n in gast.walk(node)
    )
    returned = any(
        isinstance(n, gast.Return) and n.value is not None
        and any(isinstance(m, gast.Name) and m.id == p for m in gast.walk(n.value))
        for n in gast.walk(node)
    )  # fmt: skip
    if stored or returned:
        return False
    update = updater(node, lambda k: namespace_of(fn).lookup(k)[1], depth + 1)
    return not any(update(n, p) for n in scope.walk(node))


def item_aug(n: Any, name: str) -> bool:
    """`n` is ``name[k] op= v`` (one index, no slice)."""
    t = n.target if isinstance(n, gast.AugAssign) else None
    return (
        isinstance(t, gast.Subscript)
        and isinstance(t.value, gast.Name)
        and t.value.id == name
        and not isinstance(t.slice, (gast.Slice, gast.Tuple))
    )


def enter(lw: Any, name: str) -> None:
    """Rebind `name` (bound to its entry copy) to the copy holding copies of its array items."""
    lw.env[name] = lw.op(OWN_ITEMS, [lw.env[name]], hint=name)


def leave(lw: Any, items: Iterable[tuple[str, Var, Any]], values: list, result: Any) -> list[Op]:
    """The checks of the parameters in items mode ((name, parameter, final value) each):
    ``items_kept`` of the result now (after the write-backs), and -> the ``items_unshared``
    ops, which go with the entry's aliasing check (`values`: its operands)."""
    checks = []
    for name, p, final in items:
        others = [v for v in values if v is not p]
        checks.append(Op(UNSHARED, [Const(name), p, *others], results=[Var("")]))
        out = result if result is not None else Const(None)
        lw.b.op(KEPT, [Const(name), final, out])
        lw.b.block.ops[-1].loc = None
    return checks


def strip(fn: Function, params: Iterable[int]) -> Function:
    """`fn` (the mutation check's snapshot), or a copy of it without the item copies of the
    parameters at `params` (known to be arrays or numbers, or lists of numbers): their reads
    use the entry copy itself, whose items are numbers or rows, as before."""
    ps = {fn.params[i] for i in params if i < len(fn.params)}
    if not ps or not any(op.prim == OWN_ITEMS for op in fn.body.ops):
        return fn
    fn = snapshot(fn)
    ps = {fn.params[i] for i in params if i < len(fn.params)}
    subst: dict[Var, Any] = {}
    for op in fn.body.ops:
        if op.prim != OWN_ITEMS:
            continue
        src = next((o for o in fn.body.ops if op.args[0] in o.results), None)
        if src is not None and src.args and src.args[0] in ps:
            subst[op.results[0]] = op.args[0]
    if subst:
        fn.body.ops = [op for op in fn.body.ops if not set(op.results) & subst.keys()]
        replace_uses(fn.body, subst)
    return fn
