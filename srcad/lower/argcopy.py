"""The function being lowered updates its own arguments in place (``x *= 2.0``, ``x[0] = v``,
``xs.append(v)``, a helper writing into it): it works on a private copy, written back at the end.

Input: the lowerer at the start of a function's body (`enter`, after the parameters are bound),
its statements (`body`) and its end (`leave`, before the body yields the return value). Output:
for each parameter the function updates in place (`candidates`), and each module-level or
closure NumPy array it updates so (``GM[0] -= v``: read when the call starts), the name bound
at entry to
``_srcad.entry_copy(x)`` (rules/argcopies.py: an array's, list's or dict's copy; a number or a
tuple itself), so every read and update acts on the copy and the reverse sweep still reads the
entry value; at the end ``_srcad.write_back(x, x_final)``, the caller's object left as Python
leaves it (``x[...] = x_final``, ``xs[:] = ...``); and first ``_srcad.args_unshared(...)``,
which raises when an updated argument shares memory with another argument or a global or closure
value the function (or a module-level function it calls by name) reads (lower/argshare.py):
Python's update would show through that other name, the copy's would not.

The derivative is the output's as a function of the argument's value at entry. The write-back
is an update of the parameter for the mutation check (passes/alias.py: of kind "always", or
"augmented" when every update is ``x op= v``, which only rebinds a number), so a caller of this
function as a helper is refused or inlines it as before (lower/argwrites.py); the transformed
function itself is exempt. A parameter rebound later (``x = ...``) is written back with the
value its object had before the first top-level statement rebinding it (`body`); one rebound
otherwise (a nested def's parameter, ``global``) or updated deeper (``x[i][j] = v``, which
changes an object inside it) gets none of this: its updates stay refused. One updated by
``x[k] op= v`` alone has its array items copied too (lower/argitems.py). Parameters a transform
knows to be numbers lose the three ops (`drop_numbers`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import gast
import numpy as np

from srcad.lower import argitems, argreturn, argshare, argsnap, argwrites, inplace_np, scope
from srcad.ssa.core import Const, Function, Op, Var, replace_uses

WRITE_BACK = "srcad.runtime.write_back"
ENTRY_COPY = "srcad.runtime.entry_copy"
CHECK = "srcad.runtime.args_unshared"
KEPT = "srcad.runtime.copies_kept"


def candidates(
    node: Any, resolve: Any, known: tuple[frozenset[str], list] | None = None
) -> dict[str, tuple[str, bool, int | None]]:
    """{name: (kind, resizes, snapshot)} of the function `node` (a gast FunctionDef) for the
    parameters it updates in place (an element write, an updating method, ``x op= v``, passing
    it to a helper that updates it: argwrites.passed_on), and for the globals it updates so.
    `kind` is "always", "augmented" when every update is ``x op= v``, or "global"; `resizes`: an
    update may change a list's or dict's length (``append``, ``del``, ``+=``, a slice
    assignment, a helper's). A parameter rebound (``x = ...``) has its object's value taken
    before the first top-level statement that rebinds it (`snapshot`: that statement's index),
    when a statement before it updates it (and before each ``return`` ahead of it:
    lower/argsnap.py); any later update of that object (``x`` rebound in one branch only)
    leaves the value taken stale, which the mutation check refuses.

    `known`: the names Python treats as the function's locals and the nodes below it that may
    update an object (lower/survey.py's). When those update no parameter and only locals (the
    common case: ``xs.append(v)`` of a list made here), there is nothing to find and the tree
    is not walked again: a local is stored, bound by a nested ``def``/``class``/``import`` or a
    parameter, so never a global candidate either."""
    args = node.args
    params = [a.id for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    memo: dict[int, set[str]] = {}  # id(call) -> `passed_on` (the walks below ask again)
    if known is not None:
        local_names, updates = known
        always: set[str] = set()
        aug: set[str] = set()
        sink: set[str] = set()
        for n in updates:
            _update(n, params, resolve, memo, always, aug, sink, sink)
        if always <= local_names and not (always | aug).intersection(params):
            return {}
    stores, hard, always, aug, resized = _walk([node], params, resolve, args, memo)
    out: dict[str, tuple[str, bool, int | None]] = {}
    returned = _returned_objects(node)
    for p in params:
        if p in hard or p not in always | aug:
            continue
        if p in returned and (p in stores or isinstance(node, gast.Lambda)):
            continue  # (Python returns the caller's object: lower/argreturn.py when never rebound)
        snap = None
        if p in stores and isinstance(node, gast.Lambda):
            continue  # (`(x := v)`: no statements to keep the object's value before)
        if p in stores:
            snap = next(
                k
                for k, st in enumerate(node.body)
                if p in _walk([st], params, resolve, None, memo)[0]
            )
            _, _, pre_always, pre_aug, _ = _walk(node.body[:snap], params, resolve, None, memo)
            if p not in pre_always | pre_aug:
                continue
        out[p] = ("always" if p in always else "augmented", p in resized, snap)
    for g in sorted(always - stores - hard - set(params)):  # `GM[0] -= v`: `enter`
        out[g] = ("global", True, None)
    return out


_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def _own_stmts(stmts: list) -> Iterable[Any]:
    """The statements in `stmts` and nested in them, not inside nested functions or classes."""
    todo = list(stmts)
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, _SCOPES):
            continue
        for f in ("body", "orelse", "finalbody", "handlers", "cases"):
            todo.extend(getattr(n, f, None) or ())


def _returned_objects(node: Any) -> set[str]:
    """The names a ``return`` gives back as themselves, in a tuple/list/dict/set display, or
    as a view (``x[1:]``, ``x.T``): Python returns the caller's object there, which the copy
    the generated code updates is not (the output's identity would differ)."""
    out: set[str] = set()
    if isinstance(node, gast.Lambda):
        values = [node.body]
    else:
        values = [n.value for n in _own_stmts(node.body) if isinstance(n, gast.Return) and n.value]
    while values:
        v = values.pop()
        if isinstance(v, gast.Name):
            out.add(v.id)
        elif isinstance(v, (gast.Tuple, gast.List, gast.Set)):
            values.extend(v.elts)
        elif isinstance(v, gast.Dict):
            values.extend(v.values)
        elif isinstance(v, (gast.Subscript, gast.Attribute, gast.Starred)):
            values.append(v.value)
        elif isinstance(v, gast.IfExp):
            values.extend((v.body, v.orelse))
    return out


def _walk(
    nodes: list, params: list, resolve: Any, args: Any = None, memo: dict | None = None
) -> tuple[set, ...]:
    """(names stored, names rebound otherwise, updated, updated by ``op=``, resized) in
    `nodes` (see `candidates`)."""
    stores: set[str] = set()
    hard: set[str] = set()
    always: set[str] = set()
    aug: set[str] = set()
    resized: set[str] = set()
    aug_targets: set[int] = set()  # the `x` of `x op= v`: an update, not a rebinding
    memo = {} if memo is None else memo
    dead: set[int] | None = None  # the nodes inside nested defs nothing names (never run)
    named: set[str] = set()
    walked = [m for root in nodes for m in scope.walk(root)]
    for n in walked:
        if type(n) not in _WALKED or id(n) in aug_targets:
            continue
        if dead is not None and id(n) in dead:
            continue
        if type(n) is gast.FunctionDef and n not in nodes:
            if dead is None:
                named = {m.id for m in walked if type(m) is gast.Name and type(m.ctx) is gast.Load}
                dead = set()
            if n.name not in named and not n.decorator_list:
                dead.update(id(m) for m in scope.walk(n) if m is not n)
        if isinstance(n, gast.Name):
            if isinstance(n.ctx, (gast.Store, gast.Del)):
                stores.add(n.id)
        elif isinstance(n, gast.arguments):
            if n is not args:  # a nested def's/lambda's own
                hard.update(a.id for a in [*n.posonlyargs, *n.args, *n.kwonlyargs])
                hard.update(a.id for a in (n.vararg, n.kwarg) if a is not None)
        elif isinstance(n, (gast.Nonlocal, gast.Global)):
            hard.update(n.names)
        elif isinstance(n, (gast.FunctionDef, gast.ClassDef)):
            if n not in nodes:
                hard.add(n.name)
        elif isinstance(n, (gast.Import, gast.ImportFrom)):
            hard.update((a.asname or a.name).split(".")[0] for a in n.names)
        else:  # (breadth first: a target is met after its statement)
            kept = _update(n, params, resolve, memo, always, aug, resized, hard)
            if kept is not None:
                aug_targets.add(id(kept))
    return stores, hard, always, aug, resized


def _update(
    n: Any, params: list, resolve: Any, memo: dict, always: set, aug: set, resized: set,
    hard: set,
) -> Any:  # fmt: skip
    """Add what the node `n` (an assignment, ``x op= v``, ``del`` or call) updates to the sets
    (see `_walk`); -> the target name that stays bound to the same object (``x op= v``,
    ``x = x``), which is no rebinding."""
    if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
        aug.add(n.target.id)
        resized.add(n.target.id)
        return n.target
    if isinstance(n, gast.Assign) and _self_assign(n, params):  # `x = x`: the same object
        return n.targets[0]
    if isinstance(n, (gast.Assign, gast.AugAssign, gast.Delete)):
        targets = n.targets if not isinstance(n, gast.AugAssign) else [n.target]
        for t in targets:
            roots = argwrites.element_roots(t)
            always.update(roots)
            deep = argwrites.deep_roots(t)
            # `a[0][1] = v`: a row of an array (the mutation check refuses an object inside a
            # list or dict argument, which the copy shares); an attribute: not followed
            (always if _subscripts_only(t) else hard).update(deep)
            if isinstance(n, gast.Delete) or _slice_target(t):
                resized.update(roots)
    elif isinstance(n, gast.Call):
        f = n.func
        out = _numpy_out(n, resolve)
        if out is not None:  # `np.multiply(x, 2.0, out=x)`: lower/inplace_np.py's `out=`
            always.add(out)
        if isinstance(f, gast.Attribute) and f.attr in argwrites.UPDATING:
            if isinstance(f.value, gast.Name):
                always.add(f.value.id)
                if f.attr not in _KEEPS_LENGTH:
                    resized.add(f.value.id)
        elif isinstance(f, gast.Name) and f.id not in params:
            passed = memo.get(id(n))
            if passed is None:
                passed = memo[id(n)] = argwrites.passed_on(resolve(f.id), n, 1)
            always.update(passed)
            resized.update(passed)
    return None


def _numpy_out(n: gast.Call, resolve: Any) -> str | None:
    """The name `y` of ``np.f(..., out=y)``, or of `y` passed in out's place (``np.exp(x, y)``,
    ``np.cumsum(a, 0, None, y)``: lower/inplace_np.out_keyword moves it to ``out=``), `f` a
    function of NumPy's (lower/inplace_np.py writes its value into `y`; a user function's `out`
    parameter may mean anything), else None."""
    out = next((kw.value for kw in n.keywords if kw.arg == "out"), None)
    if out is None:
        out = _positional_out(n, resolve)
    if not isinstance(out, gast.Name):
        return None
    f, root = n.func, n.func
    while isinstance(root, gast.Attribute):
        root = root.value
    if not isinstance(root, gast.Name):
        return None
    got = resolve(root.id)
    if f is root:  # `from numpy import multiply`
        mod = getattr(got, "__module__", None) or ""
        ok = isinstance(got, np.ufunc) or mod.split(".")[0] == "numpy"
    else:
        ok = got is np
    return out.id if ok else None


def _positional_out(n: gast.Call, resolve: Any) -> Any:
    """The last positional argument of `n` when it stands in out's place of the NumPy function
    `n` names (a ufunc of one output: after its `nin` inputs; else `out_position`), else None.
    (The argument count is tested first: most calls have fewer arguments than that.)"""
    args, f = n.args, n.func
    if len(args) < 2 or not isinstance(args[-1], gast.Name):
        return None  # (an output array in out's place follows at least one input)
    if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
        obj = getattr(np, f.attr, None)
    elif isinstance(f, gast.Name):  # `from numpy import exp`; a user function is not asked
        obj = resolve(f.id)
        if not isinstance(obj, np.ufunc) and not (
            (getattr(obj, "__module__", None) or "").split(".")[0] == "numpy"
        ):
            return None
    else:
        return None
    k = inplace_np.out_index(obj) if callable(obj) else None
    if k is None or len(args) != k + 1 or any(isinstance(a, gast.Starred) for a in args):
        return None
    return args[-1]


_WALKED = frozenset(
    {gast.AugAssign, gast.Name, gast.arguments, gast.Nonlocal, gast.Global, gast.FunctionDef}
    | {gast.ClassDef, gast.Import, gast.ImportFrom, gast.Assign, gast.Delete, gast.Call}
)
_KEEPS_LENGTH = frozenset({"sort", "reverse", "fill"})


def _self_assign(n: Any, params: list) -> bool:
    """``x = x`` of a parameter (a local; for another name Python may raise UnboundLocalError)."""
    t, v = n.targets, n.value
    one = len(t) == 1 and isinstance(t[0], gast.Name) and isinstance(v, gast.Name)
    return one and t[0].id == v.id and v.id in params


def _subscripts_only(t: Any) -> bool:
    if isinstance(t, (gast.Tuple, gast.List)):
        return all(_subscripts_only(e) for e in t.elts)
    if isinstance(t, gast.Starred):
        return _subscripts_only(t.value)
    while isinstance(t, gast.Subscript):
        t = t.value
    return isinstance(t, gast.Name)


def _slice_target(t: Any) -> bool:
    if isinstance(t, (gast.Tuple, gast.List)):
        return any(_slice_target(e) for e in t.elts)
    return isinstance(t, gast.Subscript) and isinstance(t.slice, gast.Slice)


def enter(
    lw: Any, node: Any, pyfunc: Any, known: tuple[frozenset[str], list] | None = None
) -> dict[str, tuple[Var, tuple]]:
    """Bind each candidate parameter's name, and each module-level or closure array the function
    updates in place (``GM[0] -= v``), to its entry copy; -> {name: (parameter or the global's
    value read now, (kind, resizes))}. `known`: see `candidates`."""
    if pyfunc is None:
        return {}
    resolve = lambda name: lw.ns.lookup(name)[1]  # noqa: E731
    found = candidates(node, resolve, known)
    if not found:
        return {}
    out = {}
    lw.item_params = argitems.item_only(
        node, found, _returned_objects(node), _updater(node, resolve)
    )
    for name, kind in found.items():
        lw.at(node)
        if kind[0] == "global":
            if name in lw.py_locals or name in lw.env:
                continue
            where, value = lw.ns.lookup(name)
            if where not in ("global", "free") or type(value) is not np.ndarray:
                continue  # lists, dicts, sets: effects (lower/globaleffects.py)
            reader = argshare.other_reader(pyfunc, name, value)
            if reader is not None:
                raise lw.error(
                    node,
                    f"the function updates the global array `{name}` in place, and "
                    f"`{reader}`, which it calls, reads `{name}`: srcad updates a private copy "
                    "written back at the end, so that function would see the old values",
                    f"pass `{name}` to `{reader}` as an argument, or return the new value",
                )
            p = lw.op(where, params={"name": name}, hint=name)
            lw.py_locals.add(name)
        else:
            p = lw.env[name]
        lw.env[name] = lw.op(ENTRY_COPY, [p], hint=name)
        if name in lw.item_params:  # `x[k] op= v` only: its array items copied too
            argitems.enter(lw, name)
        out[name] = (p, kind)
        if kind[2] is not None:
            lw.py_locals.add(_SNAP + name)
    if not isinstance(node, gast.Lambda):
        argreturn.bind(lw, out, argreturn.returned(out, _returned_objects(node)))
    return out


def _updater(node: Any, resolve: Any, depth: int = 0) -> Any:
    """`update(n, x)`: does the node `n` update the parameter `x` otherwise than by
    ``x[k] op= v`` (`_update`; a call of a module-level helper updating it by ``p[k] op= v``
    alone, never rebinding nor returning it: lower/argitems.helper_items)?"""
    args = node.args
    params = [a.id for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
    memo: dict[int, set[str]] = {}

    def update(n: Any, name: str) -> bool:
        if type(n) not in _WALKED or isinstance(n, gast.Name):
            return False
        always: set[str] = set()
        aug: set[str] = set()
        _update(n, params, resolve, memo, always, aug, set(), set())
        if name not in always and name not in aug:
            return False
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
            return not argitems.helper_items(resolve(n.func.id), n, name, depth, _updater)
        return not argitems.item_aug(n, name)

    return update


_SNAP = argsnap.SNAP  # the variable holding a rebound parameter's object (`body`)


def body(node: Any, written: dict[str, tuple[Var, tuple]]) -> tuple[list, set[str]]:
    """The function's statements to lower, with ``_srcad_entry_x = x`` before the first
    top-level statement rebinding a parameter `x` updated before it (`candidates`) and before
    each ``return`` ahead of that statement (lower/argsnap.py), and those variables' names
    (live at the end: `leave` writes their values back)."""
    if not written:
        return list(node.body), set()
    snap_at = {n: k[2] for n, (_, k) in written.items() if k[2] is not None}
    stmts = argsnap.with_snapshots(list(node.body), snap_at)
    stmts = argreturn.rewrite(stmts, argreturn.returned(written, _returned_objects(node)))
    return stmts, {_SNAP + n for n in snap_at}


def leave(
    lw: Any,
    node: Any,
    written: dict[str, tuple[Var, tuple]],
    names: list,
    pyfunc: Any,
    result: Any = None,
) -> None:
    """The write-backs at the end of the body (`names`: the parameters' names), then the check
    that neither the function's `result`, another written-back value nor another argument or
    global read holds a copy (``_srcad.copies_kept``: Python's would hold the caller's object),
    the aliasing check at its start."""
    if not written:
        return
    lw.at(node)
    labels = [n if k[0] != "global" else f"global `{n}`" for n, (_, k) in written.items()]
    body = lw.b.block
    values: list[Any] = [p for p, _ in written.values()]
    for name, p in zip(names, body.params):
        if name not in written:
            labels.append(name)
            values.append(p)
    reads: list[Op] = []
    mine = {n for n, (_, k) in written.items() if k[0] == "global"}
    for label, v, op in argshare.external_values(lw, pyfunc):
        if op is not None and op.params["name"] in mine:
            continue  # (the global's own read, above)
        labels.append(label)
        values.append(v)
        if op is not None:
            reads.append(op)
    n = len(written)
    finals = [
        lw.operand(lw.env[name if k[2] is None else _SNAP + name], node)
        for name, (_, k) in written.items()
    ]
    items = getattr(lw, "item_params", set())
    for (name, (p, (kind, resizes, _))), final in zip(written.items(), finals):
        params = {"kind": kind, "resizes": resizes}
        lw.b.op(WRITE_BACK, [p, final, *([Const(True)] if name in items else [])], params=params)
        lw.augmented.append(lw.b.block.ops[-1])
    loc = body.ops[0].loc if body.ops else None
    for op in reads:
        op.loc = loc
    ids = Var("")  # (the caller's objects' ids: a final value may be one, `returned_arg`)
    check = Op(CHECK, [Const(tuple(labels)), Const(n), *values], results=[ids], loc=loc)
    # after the write-backs: a stale final value is the write-back's refusal, with its message;
    # no location: a stale result is located where it changed (passes/alias._error)
    out = result if result is not None else Const(None)
    where = Const((getattr(node, "name", "<lambda>"), getattr(node, "lineno", None)))  # (its words)
    lw.b.op(KEPT, [Const(tuple(labels)), Const(n), where, ids, *finals, out, *values[n:]])
    lw.b.block.ops[-1].loc = None
    mine = [(n, p, f) for (n, (p, _)), f in zip(written.items(), finals) if n in items]
    more = argitems.leave(lw, mine, values, out)
    for op in more:
        op.loc = loc
    copies = [i for i, op in enumerate(body.ops) if op.prim in (ENTRY_COPY, argitems.OWN_ITEMS)]
    at = copies[-1] + 1 if copies else 0  # after the globals' reads and the copies (`enter`)
    body.ops[at:at] = [*reads, check, *more]


def drop_numbers(fn: Function, scalars: Iterable[int]) -> None:
    """Drop the copy, write-back and checks of the parameters (indices `scalars`) known to be
    numbers, for which ``x op= v`` only rebinds (a transform's clone of `fn`: its argument
    types known): no code for them at run time."""
    ps = {fn.params[i] for i in scalars if i < len(fn.params)}
    ops = fn.body.ops
    if not ps or not any(op.prim == WRITE_BACK and op.args[0] in ps for op in ops):
        return
    gone: set[int] = set()
    subst: dict[Var, Any] = {}
    for op in ops:
        if op.prim == WRITE_BACK and op.args[0] in ps:
            gone.add(id(op))
        elif op.prim == ENTRY_COPY and op.args[0] in ps:
            gone.add(id(op))
            subst[op.results[0]] = op.args[0]
    for op in ops:
        if op.prim == CHECK:
            n = op.args[1].value
            keep = [k for k in range(n) if op.args[2 + k] not in ps]
            if not keep:
                gone.add(id(op))
            elif len(keep) < n:
                rest = list(range(n, len(op.args) - 2))
                order = keep + rest
                labels = op.args[0].value
                op.args = [Const(tuple(labels[k] for k in order)), Const(len(keep)),
                           *(op.args[2 + k] for k in order)]  # fmt: skip
            kept = next((o for o in ops if o.prim == KEPT and o.args[3] in op.results), None)
            if kept is not None and not keep:
                gone.add(id(kept))
            elif kept is not None and len(keep) < n:  # (labels, n, where, ids, *finals, ...)
                finals, rest = kept.args[4 : 4 + n], kept.args[4 + n :]
                kept.args = [op.args[0], op.args[1], *kept.args[2:4],
                             *(finals[k] for k in keep), *rest]  # fmt: skip
    fn.body.ops = [op for op in ops if id(op) not in gone]
    replace_uses(fn.body, subst)
