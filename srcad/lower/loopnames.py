"""``for p in [a, b, c]:`` / ``for p, g in zip([a, b], [ga, gb]):`` (list or tuple displays of
plain names) whose body writes into its items, unrolled before the name analyses with each
target read as the name it stands for.

Input: a function's tree. Output: the tree changed in place (whether it changed); each such loop
becomes one copy of its body per item::

    for dparam in [dWxh, dWhh]:                 np.clip(dWxh, -5, 5, out=dWxh)
        np.clip(dparam, -5, 5, out=dparam)  ->  np.clip(dWhh, -5, 5, out=dWhh)

and, where a target is updated with ``op=`` (min-char-rnn's Adagrad step ``mem += d * d``)::

    if srcad_items_in_place(("aar", [m1, m2], [p1, p2], [d1, d2])):  # all NumPy arrays
        <the copies>
    else:                                                           # numbers: rebound
        for mem, param, d in zip(...): mem = srcad_as_number(mem); ...

Python's `p` is the object the name holds, so writing into it (``p[k] = v``, ``p op= v`` of an
array, ``out=p``, ``np.copyto(p, v)``, ``p.fill(v)``) changes that name's value; srcad's values
are immutable and the write was refused as a write into a shared object. Reading the name
instead of `p` is Python's meaning exactly when the name still holds the object the display
read: the body rebinds neither the names of the displays nor the targets (a write through `p`
is no rebinding), defines no function, never leaves early (``break``, ``continue``,
``return``), the loop has no ``else``, and each target is used nowhere else in the function
(after the loop, Python's `p` is the last item). ``p op= v`` rebinds `p` when it is a number,
leaving the name alone: the copies run only when every such item is a NumPy array
(`srcad.runtime.items_in_place`), else the loop as written (lower/loopitems.py's helpers).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import gast

from srcad.lower import loopitems
from srcad.lower.loopitems import AS_NUMBER, IN_PLACE, _load

_MAX_ITEMS = 16
# (a ``for`` statement starts its line: a compound statement never follows ``:`` or ``;`` on
# one, so a comprehension's ``for`` mid-line is no candidate; ``^`` also fails fast elsewhere)
_GATE = re.compile(r"^[ \t\f]*for\b[^\n]*\bin\s*(?:\[|\(|zip\(\s*[\[(])", re.M)
_EXITS = (gast.Break, gast.Continue, gast.Return, gast.Yield, gast.YieldFrom, gast.Await)
_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_WRITES_FIRST = ("copyto", "put", "place", "putmask", "fill_diagonal")  # np.f(p, ...)
_METHODS = ("fill", "sort", "put", "partition", "resize", "itemset")  # p.f(...)


def candidate(text: str) -> bool:
    """The function's source `text` may hold such a loop (else `rewrite` is not called)."""
    return _GATE.search(text) is not None


def rewrite(root: Any) -> bool:
    """Unroll the loops of `root` described in the module docstring; whether any changed."""

    def replace(s: gast.For, n: int) -> list | None:
        if getattr(s, "srcad_kept", False):
            return None
        plan = _plan(root, s)
        if plan is None:
            return None
        targets, names, kinds = plan
        firsts = _hoisted(s, names, f"srcad_item{n}")
        return firsts + _unrolled(s, targets, names, kinds)

    return loopitems.rewrite_fors(root, replace, revisit=False)


def _displays(s: gast.For) -> tuple[list[str], list[list]] | None:
    """(targets, [items of each display: a name, or the expression]) of ``for p in [a, b]`` or
    ``for p, g in zip([a, b], [c, d])`` (displays of one length), or None."""
    t, it = s.target, s.iter
    if isinstance(t, gast.Name) and isinstance(it, (gast.List, gast.Tuple)):
        targets, shows = [t.id], [it]
    elif (
        isinstance(t, gast.Tuple)
        and isinstance(it, gast.Call)
        and isinstance(it.func, gast.Name)
        and it.func.id == "zip"
        and not it.keywords
        and len(it.args) == len(t.elts) >= 2
        and all(isinstance(e, gast.Name) for e in t.elts)
        and all(isinstance(a, (gast.List, gast.Tuple)) for a in it.args)
    ):
        targets, shows = [e.id for e in t.elts], it.args
    else:
        return None
    names = [[e.id if isinstance(e, gast.Name) else e for e in d.elts] for d in shows]
    n = len(names[0])
    if not 0 < n <= _MAX_ITEMS or any(len(d) != n for d in names):
        return None
    return targets, names


def _writes(m: Any, p: str) -> str:
    """The kind of write `m` is into `p`: "a" (``p op= v``), "w" (any other), else ""."""
    if isinstance(m, gast.AugAssign) and isinstance(m.target, gast.Name) and m.target.id == p:
        return "a"
    if loopitems._written_item(m, p):
        return "w"
    if not isinstance(m, gast.Call):
        return ""
    is_p = lambda e: isinstance(e, gast.Name) and e.id == p  # noqa: E731
    for k in m.keywords:
        v = k.value
        if k.arg == "out" and (is_p(v) or (isinstance(v, gast.Tuple) and any(map(is_p, v.elts)))):
            return "w"
    f = m.func
    if isinstance(f, gast.Attribute):
        if f.attr in _METHODS and is_p(f.value):
            return "w"
        if f.attr in _WRITES_FIRST and m.args and is_p(m.args[0]):
            return "w"
    return ""


def _plan(root: Any, s: gast.For) -> tuple[list[str], list[list], str] | None:
    """(targets, per display its items (a name, or an expression read only), kinds: per target
    "a"/"w"/"r") of a loop to unroll, or None."""
    found = None if s.orelse else _displays(s)
    if found is None:
        return None
    targets, names = found
    items = {x for d in names for x in d if isinstance(x, str)}
    if len(set(targets)) != len(targets) or items & set(targets):
        return None
    inner = [m for st in s.body for m in gast.walk(st)]
    if any(isinstance(m, _EXITS + _NESTED + (gast.Global, gast.Nonlocal)) for m in inner):
        return None
    aug_targets = {id(m.target) for m in inner if isinstance(m, gast.AugAssign)}
    kinds = ""
    for p in targets:
        how = max((_writes(m, p) for m in inner), default="")  # "w" > "a" > ""
        if how == "w" and any(_writes(m, p) == "a" for m in inner):
            return None  # both: the loop as written would still be refused
        kinds += how or "r"
        if how and not all(isinstance(x, str) for x in names[len(kinds) - 1]):
            return None  # an item written into that no name holds (`[W.T, b]`: maybe a view)
    if kinds.count("r") == len(kinds):
        return None
    for m in inner:
        if isinstance(m, gast.Name) and not isinstance(m.ctx, gast.Load):
            if m.id in items or (m.id in targets and id(m) not in aug_targets):
                return None  # a display's name or a target rebound in the body
        if isinstance(m, gast.AugAssign) and isinstance(m.target, gast.Name):
            if m.target.id in items:
                return None
    for p in targets:
        if any(isinstance(m, loopitems._COMPS) and loopitems._names(m, p) != loopitems._names_all(m, p)
               for m in inner):  # fmt: skip
            return None  # a comprehension of the body with a `p` of its own
        uses = sum(1 for m in inner if isinstance(m, gast.Name) and m.id == p)
        if len(loopitems._names(root, p)) != uses + 1 + loopitems._in_other_loops(root, s, p):
            return None  # `p` elsewhere in the function
    return targets, names, kinds


def _hoisted(s: gast.For, names: list[list], prefix: str) -> list:
    """Bind each item given by an expression (read only: `_plan`) to a name of its own, in
    Python's order of evaluation, before the loop; `names` then holds only names."""
    binds = []
    for d in names:
        for k, x in enumerate(d):
            if isinstance(x, str):
                continue
            d[k] = f"{prefix}_{len(binds)}"
            store = gast.Name(id=d[k], ctx=gast.Store(), annotation=None, type_comment=None)
            b = gast.Assign(targets=[gast.copy_location(store, x)], value=x, type_comment=None)
            binds.append(gast.copy_location(b, x))
    return binds


def _unrolled(s: gast.For, targets: list[str], names: list[list[str]], kinds: str) -> list:
    """The copies of the body (module docstring), under the check where a target is ``op=``."""
    copies: list = []
    for k in range(len(names[0])):
        subst = {p: d[k] for p, d in zip(targets, names)}

        copies.extend(_Sub(subst).visit(copy.deepcopy(st)) for st in s.body)
    if "a" not in kinds:
        return copies
    at = lambda n: gast.copy_location(n, s)  # noqa: E731
    shows = [at(gast.List([_load(x, s.iter) for x in d], gast.Load())) for d in names]
    spec = at(gast.Tuple([at(gast.Constant(kinds, None)), *shows], gast.Load()))
    test = at(gast.Call(func=_load(IN_PLACE, s.iter), args=[spec], keywords=[]))
    kept = copy.deepcopy(s)
    kept.srcad_kept = True  # (not rewritten again)
    binds = []
    for p, how in zip(targets, kinds):
        if how != "a":
            continue
        store = gast.Name(id=p, ctx=gast.Store(), annotation=None, type_comment=None)
        call = gast.Call(func=_load(AS_NUMBER, s.target), args=[_load(p, s.target)], keywords=[])
        b = at(gast.Assign(targets=[store], value=call, type_comment=None))
        for m in gast.walk(b):
            gast.copy_location(m, s)
        binds.append(b)
    kept.body = binds + kept.body
    return [at(gast.If(test=test, body=copies, orelse=[kept]))]


class _Sub(gast.NodeTransformer):
    """Renames the loop's targets to the names of one round's items."""

    def __init__(self, subst: dict[str, str]) -> None:
        self.subst = subst

    def visit_Name(self, m: gast.Name) -> Any:
        if m.id not in self.subst:
            return m
        new = gast.Name(id=self.subst[m.id], ctx=m.ctx, annotation=None, type_comment=None)
        return gast.copy_location(new, m)
