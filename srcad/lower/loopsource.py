"""``for v in A:`` (also ``enumerate(A)``, ``zip(A, ...)``) whose body updates the array `A`
itself in place (``A *= c``, ``A[i] = v``, ``A[i] += v``), rewritten before the name analyses as
the loop over positions Python's array iterator runs.

Input: a function's tree. Output: the tree changed in place; each such loop becomes::

    _srcad.item_loop_check(("s", A))      # "s": A op= v; "t": item writes; "l": `_items_only`
    srcad_zipN = e                        # zip's other arguments, evaluated once, in order
    for $eachN in range(len(A)):          # zip: range(min(len(A), len(srcad_zipN), ...))
        v = A[$eachN]                     # enumerate: `i, v` -> i = $eachN (`i` the index)
        e = srcad_zipN[$eachN]
        ...

A NumPy array's iterator reads item k when the loop reaches it, so an update of `A` in an earlier
round shows in `v` (a row of a 2-D array is a view: later writes show through it too); srcad's
loop over the items would read them all before the body ran, and the mutation check refuses the
read of the stale item. Indexing the array at each round is what Python does, and an array
cannot change its length in place, so `len(A)` taken once is exact. `item_loop_check` refuses at
run time an `A` that is no NumPy array of one dimension or more (a list could change length; a
tuple or a number is rebound by ``op=``, while the iterator keeps the old object) and a `zip`
argument that is no list, tuple or array (indexing must walk it as iteration does); for "l", a
body that only indexes `A` at single positions (``A[i] = p - g[i]`` of ``for i, p in
enumerate(A)``) or takes ``len(A)``, which cannot change a list's length, a list is exact too.
Only where that is exact: `A` a plain name the body never rebinds (nor deletes, nor stores an
attribute of, nor calls ``A.resize``/``A.shape``), no nested function or class in the body, the
targets plain names or tuples of names other than `A` and read in the body ("l": or not read),
`zip` without keywords or starred arguments; not where `A` is bound to a list, tuple or dict in
the function (but for "l"), nor subscripted by a string or by the item (a dict's keys:
lower/loopitems.py).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.loopitems import CHECK, _load, rewrite_fors

_NESTED = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_BUILTINS = ("range", "len", "min", "zip", "enumerate")


def rewrite(root: Any, ns: Any) -> bool:
    """Rewrite the loops of `root` described in the module docstring; whether any changed."""
    if any(ns.lookup(n)[0] != "builtin" for n in _BUILTINS):
        return False

    def replace(s: gast.For, n: int) -> list | None:
        plan = _plan(root, s)
        return None if plan is None else _rewritten(s, plan, n)

    return rewrite_fors(root, replace, revisit=True)  # (a rewritten loop's body: nested loops)


def _plan(root: Any, s: gast.For) -> tuple[str, str, Any, list, str | None] | None:
    """(A, "s" / "t", the target of A's items, [(target, other zip argument)], enumerate's index
    name or None), or None when the loop is not rewritten."""
    it, t = s.iter, s.target
    index, others = None, []
    if isinstance(it, gast.Name):
        a, item = it.id, t
    elif isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords:
        if any(isinstance(e, gast.Starred) for e in it.args) or not it.args:
            return None
        first = it.args[0]
        if not isinstance(first, gast.Name) or not isinstance(t, gast.Tuple):
            return None
        if it.func.id == "enumerate" and len(it.args) == 1 and len(t.elts) == 2:
            if not isinstance(t.elts[0], gast.Name):
                return None
            a, index, item = first.id, t.elts[0].id, t.elts[1]
        elif it.func.id == "zip" and len(t.elts) == len(it.args) >= 2:
            a, item = first.id, t.elts[0]
            others = list(zip(t.elts[1:], it.args[1:]))
        else:
            return None
    else:
        return None
    bound = [m.id for m in gast.walk(t) if isinstance(m, gast.Name)]
    if a in bound or not all(
        isinstance(m, (gast.Name, gast.Tuple, gast.Store)) for m in gast.walk(t)
    ):
        return None
    inner = [m for st in s.body for m in gast.walk(st)]
    if any(isinstance(m, _NESTED) for m in inner):
        return None
    how = None
    for m in inner:
        if isinstance(m, gast.Name) and m.id == a and not isinstance(m.ctx, gast.Load):
            if not _aug_target(inner, m):
                return None  # `A = ...`, `del A`: the iterator keeps the old object
        if isinstance(m, gast.Attribute) and _is(m.value, a):
            if not isinstance(m.ctx, gast.Load) or m.attr in ("resize", "shape"):
                return None
        if isinstance(m, gast.AugAssign) and _is(m.target, a):
            how = "s"
        elif isinstance(m, (gast.Assign, gast.AugAssign)) and how is None:
            targets = m.targets if isinstance(m, gast.Assign) else [m.target]
            if any(_item_of(e, a) for tt in targets for e in gast.walk(tt)):
                how = "t"
    items = {m.id for m in gast.walk(item) if isinstance(m, gast.Name)}
    if how == "t" and _items_only(inner, a):
        how = "l"  # (a list's length stays: `item_loop_check` takes lists too)
    read = any(isinstance(m, gast.Name) and m.id in items for m in inner)
    if how is None or not read and how != "l":
        return None  # (items never read: nothing stale to read, the loop as written)
    for m in inner:  # `for k in d: d[k] *= c`, `d["w"] = v`: a dict's keys (lower/loopitems.py)
        if isinstance(m, gast.Subscript) and _is(m.value, a):
            if any(isinstance(e, gast.Name) and e.id in items or isinstance(e, gast.Constant)
                   and isinstance(e.value, str) for e in gast.walk(m.slice)):  # fmt: skip
                return None
    if how != "l" and _container(root, a):
        return None
    return a, how, item, others, index


def _items_only(inner: list, a: str) -> bool:
    """Every `a` of the loop's body is indexed by one position (``A[i] = v``, ``A[i][j] += v``,
    a read ``A[k]``) or measured (``len(A)``): nothing there can change the length of a list
    `a` (no ``A.append``, no ``A[i:j] = vs``, no ``del A[i]``, no call handed `a`); its other
    names are the mutation check's."""
    indexed = set()
    for m in inner:
        if isinstance(m, gast.Subscript) and _is(m.value, a) and not isinstance(m.ctx, gast.Del):
            if not any(isinstance(e, gast.Slice) for e in gast.walk(m.slice)):
                indexed.add(id(m.value))
        elif isinstance(m, gast.Call) and _is(m.func, "len") and len(m.args) == 1:
            indexed.add(id(m.args[0]))  # (`len` a builtin: `rewrite` checks)
    return all(id(m) in indexed for m in inner if _is(m, a))


_DISPLAYS = (gast.Dict, gast.List, gast.Tuple, gast.Set, gast.ListComp, gast.DictComp, gast.SetComp)


def _container(root: Any, a: str) -> bool:
    """`a` is bound somewhere in the function to a list, tuple, dict or set (a display, a
    comprehension, or a call of the builtin type): no array, so not rewritten (the loop as
    Python runs it over a tuple or dict, which item writes or `op=` leave alone)."""
    for m in gast.walk(root):
        if isinstance(m, gast.Assign) and any(_is(t, a) for t in m.targets):
            v = m.value
            if isinstance(v, _DISPLAYS):
                return True
            if isinstance(v, gast.Call) and isinstance(v.func, gast.Name):
                if v.func.id in ("list", "tuple", "dict", "set", "sorted"):
                    return True
    return False


def _aug_target(inner: list, name: gast.Name) -> bool:
    return any(isinstance(m, gast.AugAssign) and m.target is name for m in inner)


def _is(node: Any, a: str) -> bool:
    return isinstance(node, gast.Name) and node.id == a


def _item_of(node: Any, a: str) -> bool:
    """`node` stores into an item of `a` (``A[k] = v``, ``A[k][j] += v``)."""
    if not (isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store)):
        return False
    while isinstance(node, gast.Subscript):
        node = node.value
    return _is(node, a)


def _rewritten(s: gast.For, plan: tuple, n: int) -> list:
    a, how, item, others, index = plan
    at = lambda m: gast.copy_location(m, s)  # noqa: E731
    name = lambda i, ctx: at(gast.Name(id=i, ctx=ctx, annotation=None, type_comment=None))  # noqa: E731
    call = lambda f, *args: at(gast.Call(func=_load(f, s.iter), args=list(args), keywords=[]))  # noqa: E731
    k = index or f"srcad_each_src{n}"
    pre, sources = [], [a]
    for j, (_, e) in enumerate(others):
        z = f"srcad_zip{n}_{j}"
        pre.append(at(gast.Assign(targets=[name(z, gast.Store())], value=e, type_comment=None)))
        sources.append(z)
    kinds = how + "r" * len(others)
    spec = gast.Tuple([at(gast.Constant(kinds, None)), *(name(x, gast.Load()) for x in sources)],
                      gast.Load())  # fmt: skip
    check = at(gast.Assert(test=at(spec), msg=None))
    check.srcad_check = CHECK  # type: ignore[attr-defined]
    reads = [
        at(gast.Assign(
            targets=[tgt],
            value=at(gast.Subscript(value=name(x, gast.Load()), slice=name(k, gast.Load()),
                                    ctx=gast.Load())),
            type_comment=None,
        ))
        for tgt, x in [(item, a), *((t, z) for (t, _), z in zip(others, sources[1:]))]
    ]  # fmt: skip
    lens = [call("len", name(x, gast.Load())) for x in sources]
    loop = at(gast.For(
        target=name(k, gast.Store()),
        iter=call("range", lens[0] if len(lens) == 1 else call("min", *lens)),
        body=reads + s.body,
        orelse=s.orelse,
        type_comment=None,
    ))  # fmt: skip
    for m in gast.walk(loop):
        if not hasattr(m, "lineno") and hasattr(m, "_attributes") and "lineno" in m._attributes:
            gast.copy_location(m, s)
    return [*pre, check, loop]
