"""Whether lower/listobjs.py's rewrite may apply: a cheap scan before its interpretation.

Input: a function's tree and its namespace. Output: False when no item write in the function or
in the module helpers it calls can reach a list built here through a second name, so the rewrite
(an abstract interpretation of the whole body, most of whose cost is the copies it builds) would
find no shared write and change nothing.

An item write ``n[k] = v`` / ``n[k] op= v`` may reach such a list when its target is nested
(``b[0][0] = v``), or when `n` is bound by a loop or comprehension target, a `with` target, another
name, an item or attribute read, a display, a call of a module helper, or is a helper's parameter
(its caller's list). A name every binding of which makes a new array (a NumPy call, a method
call such as ``x.copy()``, arithmetic) is not such a list, nor is an argument of the function
itself (only lists built here are rewritten): ``norms = np.zeros(n); norms[r] = ...``.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.listhelpers import _source


def may_share(node: Any, ns: Any, pyfunc: Any) -> bool:
    """See the module docstring. `pyfunc`: the function of `node` (its code's global names
    give the module helpers it may call, without a walk of its expressions)."""
    seen: set = set()
    todo = [(node, getattr(pyfunc, "__code__", None), False)]
    while todo:
        fn, code, helper = todo.pop()
        if _writes_shared(fn, helper):
            return True
        if code is None or len(seen) > 16:
            return True  # (no code to read the names of, many helpers: leave it to the rewrite)
        for name in _global_names(code):
            f = ns.globals.get(name)
            if getattr(f, "__globals__", None) is ns.globals and f not in seen:
                seen.add(f)
                sub = _source(f)
                if sub is None:
                    return True
                todo.append((sub, getattr(f, "__code__", None), True))
    return False


def _global_names(code: Any) -> list:
    out = list(code.co_names)
    for c in code.co_consts:  # (comprehensions, lambdas, nested defs)
        if hasattr(c, "co_names"):
            out.extend(_global_names(c))
    return out


def _writes_shared(fn: Any, helper: bool) -> bool:
    arrays: dict[str, bool] = {}  # name -> every binding makes a new array
    params = {a.id for a in fn.args.args + fn.args.kwonlyargs if isinstance(a, gast.Name)}
    writes: list = []
    todo = list(fn.body)
    nested = _NESTED
    while todo:  # statements only: a name bound in an expression (walrus) stays unknown
        n = todo.pop()
        t = type(n)  # (gast's node classes have no subclasses)
        if t is gast.Assign:
            targets = n.targets
            for x in targets:
                _bind(x, _array_value(n.value, fn), arrays)
            _item_writes(targets, writes)
        elif t is gast.AugAssign:
            _item_writes([n.target], writes)
        elif t is gast.AnnAssign:
            if n.value is not None:
                _bind(n.target, _array_value(n.value, fn), arrays)
        elif t is gast.For:
            _bind(n.target, False, arrays)
        elif t is gast.With:
            for it in n.items:
                if it.optional_vars is not None:
                    _bind(it.optional_vars, False, arrays)
        fields = nested.get(t)
        if fields is None:  # the statement lists a node of this class may hold, found once
            fields = nested[t] = tuple(
                f for f in ("body", "orelse", "finalbody", "handlers") if f in t._fields
            )
        for field in fields:
            sub = getattr(n, field, None)
            if isinstance(sub, list):
                todo.extend(sub)
    for w in writes:
        base = w.value
        if not isinstance(base, gast.Name):
            return True  # `b[0][0] = v`, `o.items[0] = v`
        if base.id in params:
            if helper:
                return True  # a caller's list
            continue
        if not arrays.get(base.id, False):
            return True  # bound otherwise, or not here (a global, a closure's)
    return False


_NESTED: dict[type, tuple[str, ...]] = {}  # node class -> its fields of those four


def _item_writes(targets: list, writes: list) -> None:
    """The item writes among assignment `targets` (``n[k] = v``, ``a, n[k] = v``)."""
    for t in targets:
        if isinstance(t, gast.Subscript):
            writes.append(t)
    for t in targets:
        if isinstance(t, (gast.Tuple, gast.List)):
            writes.extend(e for e in t.elts if isinstance(e, gast.Subscript))


def _bind(t: Any, array: bool, arrays: dict) -> None:
    if isinstance(t, gast.Name):
        arrays[t.id] = arrays.get(t.id, True) and array
    elif isinstance(t, (gast.Tuple, gast.List)):
        for e in t.elts:
            _bind(e, False, arrays)
    elif isinstance(t, gast.Starred):
        _bind(t.value, False, arrays)


def _array_value(v: Any, fn: Any) -> bool:
    """`v` makes a new array (or a number): a library call (``np.zeros(n)``, ``x.copy()``: an
    attribute called), arithmetic. A call of a plain name may be a helper's: not known."""
    if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Constant, gast.Compare)):
        return True
    return isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute)
