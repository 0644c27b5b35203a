"""``a, b = itertools.tee(xs)`` as copies of one list of the items, where each is read once.

Input: the function's gast tree and its `Namespace` (lower/lower.py runs this before the name
analyses when the function's source names ``tee(``). Output: whether the tree changed (in
place)::

    a, b = itertools.tee(xs)        ->  srcad_tee3_4 = list(xs)
                                        a = list(srcad_tee3_4)
                                        b = list(srcad_tee3_4)

(``tee(xs, n)`` with a constant `n` as many targets; the temporary is named after the
statement's position). Python's iterators read `xs` lazily, caching for the others what one
has read: each yields the items of `xs` in order, as a list of them does, when nothing changes
`xs` in between and each is read once, whole. So only when

- `xs` is an expression making a new object no other name reaches (`_fresh`: ``x * 2.0``,
  ``np.sin(x)``, ``list(ys)``, a list comprehension; of names nothing writes into), or a name
  read nowhere else that is a parameter (srcad refuses writes into arguments) or is bound
  only to such expressions: no later write, method call or helper reaches the object;
- each target is read once, outside any loop, comprehension or nested function (an iterator
  read again is empty; a list is not), by what reads an iterable at once: a ``for``
  statement's or a comprehension's iterable, or an argument of ``sum``/``list``/``tuple``/
  ``sorted``/``max``/``min``/``any``/``all``/``zip``/``enumerate``/``map``/``filter`` (never
  ``next``: a list has none).

Anything else is left as it is (refused as before: `tee` has no rule).
"""

from __future__ import annotations

import builtins
import itertools
from typing import Any

import gast
import numpy as np

from srcad.lower.deques import _call, _name, each_statement
from srcad.lower.placed import placed
from srcad.lower.withs import _resolve

_READERS = frozenset({"sum", "list", "tuple", "sorted", "max", "min", "any", "all", "zip",
                      "enumerate", "map", "filter"})  # fmt: skip
_COPIES = (builtins.list, builtins.tuple, builtins.sorted)
_REPEATS = (gast.For, gast.While, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp,
            gast.Lambda, gast.FunctionDef, gast.AsyncFunctionDef, gast.ClassDef)  # fmt: skip


def rewrite(tree: Any, ns: Any) -> bool:
    """Rewrite the tees of the module docstring in `tree` (in place); True when one was."""
    if _resolve(_name("list"), ns) is not builtins.list:
        return False
    reads: dict[str, list] = {}  # name -> [(its node, its parent, whether a loop repeats it)]
    bad: set[str] = set()  # (names written into: `xs[0] = v`, `xs += v`, `xs.a = v`; `list`)
    _walk(tree, tree, False, reads, bad)
    if "list" in bad:
        return False
    fresh = _fresh_names(tree, ns, bad)
    changed = False

    def stmt(s: Any) -> list:
        nonlocal changed
        split = _split(s, ns, reads, bad, fresh)
        changed = changed or split is not None
        return [s] if split is None else split

    each_statement(tree, stmt)
    return changed


def _fresh_names(tree: Any, ns: Any, bad: set) -> set[str]:
    """The parameters (srcad refuses writes into arguments) and the names every binding of
    which is a plain assignment of a `_fresh` value, none written into."""
    a = getattr(tree, "args", None)
    params = {p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)} if a is not None else set()
    ok: dict[str, bool] = {}
    for n in gast.walk(tree):
        if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
            ok.setdefault(n.id, False)  # (bound otherwise: a loop target, an unpacking, ...)
        if isinstance(n, gast.Assign) and len(n.targets) == 1:
            t = n.targets[0]
            if isinstance(t, gast.Name):
                ok[t.id] = ok.get(t.id, True) is not False and _fresh(n.value, ns, bad)
    out = {k for k, v in ok.items() if v} | (params - set(ok))
    return out - bad


def _walk(node: Any, parent: Any, repeated: bool, reads: dict, bad: set) -> None:
    for c in gast.iter_child_nodes(node):
        if isinstance(c, gast.Name):
            if isinstance(c.ctx, gast.Load):
                reads.setdefault(c.id, []).append((c, node, repeated))
            elif c.id == "list":
                bad.add("list")
            continue
        if isinstance(c, gast.AugAssign) and isinstance(c.target, gast.Name):
            bad.add(c.target.id)
        if isinstance(c, (gast.Subscript, gast.Attribute)) and not isinstance(c.ctx, gast.Load):
            if isinstance(c.value, gast.Name):
                bad.add(c.value.id)
        if isinstance(c, (gast.Global, gast.Nonlocal)):
            bad.update(c.names)
        again = repeated or isinstance(c, _REPEATS)
        if isinstance(c, gast.For):  # (its iterable runs once)
            _walk_once(c.iter, c, repeated, reads, bad)
            for sub in (c.target, *c.body, *c.orelse):
                _walk_once(sub, c, True, reads, bad)
            continue
        if isinstance(c, (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)):
            first = c.generators[0].iter  # (the outermost iterable runs once)
            _walk_once(first, c.generators[0], repeated, reads, bad)
            rest = [g for g in gast.iter_child_nodes(c) if g is not c.generators[0]]
            for sub in (*rest, c.generators[0].target, *c.generators[0].ifs):
                _walk_once(sub, c, True, reads, bad)
            continue
        _walk(c, node, again, reads, bad)


def _walk_once(c: Any, parent: Any, repeated: bool, reads: dict, bad: set) -> None:
    holder = gast.Expr(value=c) if isinstance(c, gast.expr) else gast.Module(body=[c])
    _walk(holder, parent, repeated, reads, bad)
    for lst in reads.values():  # (the holder is no parent: the real one is)
        for k, (n, p, r) in enumerate(lst):
            if p is holder:
                lst[k] = (n, parent, r)


def _fresh(e: Any, ns: Any, bad: set) -> bool:
    """`e` makes a new object no other name reaches, from names written into nowhere: a list
    display or comprehension, arithmetic, a NumPy ufunc's call (never a view), a new list or
    tuple of the items of a value (``list(ys)``, ``sorted(ys)``)."""
    if isinstance(e, (gast.Name, gast.Attribute, gast.Subscript, gast.GeneratorExp)):
        return False  # (a generator expression reads its source lazily, as `tee` would)
    f = _resolve(e.func, ns) if isinstance(e, gast.Call) else None
    if isinstance(e, gast.Call) and not (isinstance(f, np.ufunc) or f in _COPIES):
        return False  # (`list(ys)`: a new list of the same items, as `tee` yields them)
    if not isinstance(e, (gast.Call, gast.BinOp, gast.UnaryOp, gast.List, gast.ListComp)):
        return False
    return not any(isinstance(n, gast.Name) and n.id in bad for n in gast.walk(e))


def _split(s: Any, ns: Any, reads: dict, bad: set, fresh: set) -> list | None:
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    t, v = s.targets[0], s.value
    if not (isinstance(t, (gast.Tuple, gast.List)) and isinstance(v, gast.Call)):
        return None
    names = [e.id for e in t.elts if isinstance(e, gast.Name)]
    if len(names) != len(t.elts) or len(set(names)) != len(names) or v.keywords:
        return None
    if not 1 <= len(v.args) <= 2 or _resolve(v.func, ns) is not itertools.tee:
        return None
    n = v.args[1].value if len(v.args) == 2 and isinstance(v.args[1], gast.Constant) else None
    if n != len(names) and not (len(v.args) == 1 and len(names) == 2):
        return None
    src = v.args[0]
    if not _fresh(src, ns, bad) and not (
        isinstance(src, gast.Name) and len(reads.get(src.id, ())) == 1 and src.id in fresh
    ):
        return None
    if not all(_read_once(reads.get(e, ()), ns) for e in names):
        return None
    tmp = f"srcad_tee{s.lineno}_{s.col_offset}"
    out = [_assign(tmp, _call(_name("list"), [src]))]
    out += [_assign(e, _call(_name("list"), [_name(tmp)])) for e in names]
    return [placed(o, s) for o in out]


def _read_once(found: list, ns: Any) -> bool:
    if len(found) != 1:
        return False
    node, parent, repeated = found[0]
    if repeated:
        return False
    if isinstance(parent, (gast.For, gast.comprehension)):
        return parent.iter is node
    if isinstance(parent, gast.Call) and node in parent.args and isinstance(parent.func, gast.Name):
        f = parent.func.id
        return f in _READERS and _resolve(parent.func, ns) is getattr(builtins, f)
    return False


def _assign(name: str, value: Any) -> gast.Assign:
    store = gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)
    return gast.Assign(targets=[store], value=value, type_comment=None)
