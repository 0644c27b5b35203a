"""``itertools`` iterators consumed at once (or as a loop's iterable whose body changes none of
their sources) as the lists they yield, written as comprehensions over index ranges.

Input: a call of ``itertools.pairwise``, ``combinations``, ``combinations_with_replacement``,
``permutations`` (a constant ``r``; none: of a display or a ``range`` of constants),
``product``, ``compress``, ``zip_longest``, ``starmap`` (of a ``zip``, or of another
iterable of tuples, `f` of a fixed number of arguments: ``[f(u0, u1) for u0, u1 in s]``),
``takewhile``/``dropwhile`` (`p` a lambda that cannot raise: `_total_lambda`; srcad calls it on
every item, Python up to the first false) or ``filterfalse`` at `node`.
Output: the list (an `Operand`), or None (the call is lowered as before, and refused). The
sources are listed first (``list(xs)``, once); each yielded tuple is read from them by index in
Python's order::

    itertools.pairwise(xs)          ->  [(t[k], t[k + 1]) for k in range(len(t) - 1)]
    itertools.combinations(xs, 2)   ->  [(t[i], t[j]) for i in range(len(t))
                                                      for j in range(i + 1, len(t))]
    itertools.zip_longest(a, b, fillvalue=f)
        ->  [(a[k] if k < len(a) else f, b[k] if k < len(b) else f)
             for k in range(max(len(a), len(b)))]
    itertools.starmap(f, zip(a, b)) ->  [f(u, v) for u, v in zip(a, b)]
    itertools.takewhile(p, xs)      ->  t[:([k for k in range(len(t)) if not p(t[k])] + [len(t)])[0]]
    itertools.dropwhile(p, xs)      ->  t[([k for k in ...] + [len(t)])[0]:]
    itertools.filterfalse(p, xs)    ->  [v for v in t if not p(v)]

Iterated lazily elsewhere (bound to a name, passed to a helper), they stay refused: their
sources could change before Python reads them.
"""

from __future__ import annotations

import builtins
import inspect
import itertools
import types
from typing import Any

import gast

from srcad.lower import scope
from srcad.lower.listedits import _temp
from srcad.lower.withs import _resolve
from srcad.ssa.core import Const, Operand, Var

_TAKE_ALL = ("list", "tuple", "sum", "sorted", "max", "min")
_BUILTINS = ("range", "len", "max", "zip", "abs", *_TAKE_ALL)


def _builtins_plain(lw: Any) -> bool:
    """The names the comprehensions use are Python's builtins here."""
    return all(n not in lw.env and lw.ns.lookup(n)[1] is getattr(builtins, n) for n in _BUILTINS)


def _expr(text: str, names: dict, like: Any) -> Any:
    """The expression `text` parsed, its names renamed by `names`, located at `like`."""
    tree = gast.parse(text).body[0].value
    for sub in gast.walk(tree):
        if isinstance(sub, gast.Name) and sub.id in names:
            sub.id = names[sub.id]
        if isinstance(sub, (gast.expr, gast.comprehension)) or hasattr(sub, "lineno"):
            for k in ("lineno", "col_offset", "end_lineno", "end_col_offset"):
                if hasattr(like, k):
                    setattr(sub, k, getattr(like, k))
    return tree


def _lower(lw: Any, text: str, values: dict, node: Any) -> Operand:
    """Lower `text` with its placeholder names bound to `values` (temporaries of the lowering)."""
    names = {k: _temp(lw) for k in values}
    for k, v in values.items():
        lw.env[names[k]] = v
    try:
        tree = _expr(text, names, node)
        lw.eager.add(id(tree))
        out = lw.value(tree)
    finally:
        for n in names.values():
            lw.env.pop(n, None)
    lw.at(node)
    return lw.op("builtins.list", [out], hint="listed")


def _listed(lw: Any, arg: Any, node: Any) -> Operand:
    v = lw.value(arg)
    lw.at(node)
    return lw.op("builtins.list", [v])


def _const_int(node: Any) -> int | None:
    if isinstance(node, gast.Constant) and type(node.value) is int and node.value >= 0:
        return node.value
    return None


def _pairwise(lw: Any, node: gast.Call) -> Operand | None:
    if len(node.args) != 1 or node.keywords:
        return None
    t = _listed(lw, node.args[0], node)
    return _lower(lw, "[(t[k], t[k + 1]) for k in range(len(t) - 1)]", {"t": t}, node)


def _choose(lw: Any, node: gast.Call, how: str) -> Operand | None:
    """combinations / combinations_with_replacement / permutations with a constant r."""
    args = list(node.args)
    r = None
    for kw in node.keywords:
        if kw.arg != "r":
            return None
        args.append(kw.value)
    if how == "permutations" and len(args) == 1 and (n := _known_len(lw, args[0])) is not None:
        args.append(gast.copy_location(gast.Constant(value=n, kind=None), node))  # r: all
    if len(args) != 2 or (r := _const_int(args[1])) is None or r > 8:
        return None
    t = _listed(lw, args[0], node)
    if r == 0:
        return _lower(lw, "[()]", {}, node)
    idx = [f"i{k}" for k in range(r)]
    gens = []
    for k, i in enumerate(idx):
        if k == 0 or how == "permutations":
            lo = "0"
        else:
            lo = idx[k - 1] + (" + 1" if how == "combinations" else "")
        cond = ""
        if how == "permutations" and k:
            cond = " if " + " and ".join(f"{i} != {j}" for j in idx[:k])
        gens.append(f"for {i} in range({lo}, len(t)){cond}")
    elt = "(" + "".join(f"t[{i}], " for i in idx) + ")"
    return _lower(lw, f"[{elt} {' '.join(gens)}]", {"t": t}, node)


def _known_len(lw: Any, it: Any) -> int | None:
    """The length of a list/tuple display without ``*``, or of ``range`` of int constants."""
    if isinstance(it, (gast.List, gast.Tuple)):
        return None if any(isinstance(e, gast.Starred) for e in it.elts) else len(it.elts)
    f = it.func if isinstance(it, gast.Call) and not it.keywords else None
    if not isinstance(f, gast.Name) or f.id in lw.env or lw.ns.lookup(f.id)[1] is not range:
        return None
    bounds = [_const_int(a) for a in it.args]
    return len(range(*bounds)) if it.args and None not in bounds else None


def _zip_longest(lw: Any, node: gast.Call) -> Operand | None:
    fill: Any = Const(None)
    for kw in node.keywords:
        if kw.arg != "fillvalue":
            return None
        fill = lw.value(kw.value)
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    seqs = {f"s{k}": _listed(lw, a, node) for k, a in enumerate(node.args)}
    parts = "".join(f"s{k}[k] if k < len(s{k}) else fill, " for k in range(len(seqs)))
    size = "max(" + ", ".join(f"len(s{k})" for k in range(len(seqs))) + ", 0)"
    return _lower(lw, f"[({parts}) for k in range({size})]", {**seqs, "fill": fill}, node)


def _starmap(lw: Any, node: gast.Call) -> Operand | None:
    """``starmap(f, zip(a, b, ...))``: ``[f(u0, u1, ...) for u0, u1, ... in zip(a, b, ...)]``."""
    if len(node.args) != 2 or node.keywords:
        return None
    src = node.args[1]
    if not (
        isinstance(src, gast.Call) and isinstance(src.func, gast.Name) and src.func.id == "zip"
    ):  # another iterable of tuples: ``[f(u0, u1) for u0, u1 in s]``, `s` listed first
        n = _arity(lw, node.args[0])
        if n is None:
            return None
        names = ", ".join(f"u{k}" for k in range(n)) + ("," if n == 1 else "")
        seq, f = _listed(lw, src, node), lw.expr(node.args[0])
        return _lower(lw, f"[f({names}) for {names} in s]", {"s": seq, "f": f}, node)
    if src.keywords or not src.args or any(isinstance(a, gast.Starred) for a in src.args):
        return None
    n = len(src.args)
    names = [f"u{k}" for k in range(n)]
    seqs = {f"s{k}": _listed(lw, a, node) for k, a in enumerate(src.args)}
    f = lw.expr(node.args[0])
    text = (
        f"[f({', '.join(names)}) for {', '.join(names)}"
        f"{',' if n == 1 else ''} in zip({', '.join(seqs)})]"
    )
    return _lower(lw, text, {**seqs, "f": f}, node)


def _arity(lw: Any, f: Any) -> int | None:
    """How many positional arguments `f` (a lambda, or a module-level name of a function) takes,
    when that is fixed (no defaults, ``*args``, keyword-only ones); else None. Each item is
    unpacked into that many names: one of another length raises, as Python's ``f(*t)`` does."""
    if isinstance(f, gast.Lambda):
        a = f.args
        fixed = not (a.defaults or a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs)
        return len(a.args) if fixed and a.args else None
    obj = _resolve(f, lw.ns)
    try:
        params = list(inspect.signature(obj).parameters.values()) if callable(obj) else None
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if not params or any(p.kind not in kinds for p in params):
        return None
    required = [p for p in params if p.default is p.empty]
    if len(required) < len(params) and not isinstance(obj, types.BuiltinFunctionType):
        return None
    # (a builtin with optional arguments, ``pow``: pairs; a longer item raises when unpacked)
    return len(required) or None


def _product(lw: Any, node: gast.Call) -> Operand | None:
    """``product(a, b, repeat=r)``: every source listed first (as Python does), then
    ``[(s0[i0], s1[i1], ...) for i0 in range(len(s0)) for i1 in range(len(s1)) ...]``."""
    r = 1
    for kw in node.keywords:
        if kw.arg != "repeat" or (r := _const_int(kw.value)) is None:
            return None
    if any(isinstance(a, gast.Starred) for a in node.args) or len(node.args) * r > 8:
        return None
    seqs = {f"s{k}": _listed(lw, a, node) for k, a in enumerate(node.args)}
    src = [f"s{k}" for k in range(len(seqs))] * r
    elt = "(" + "".join(f"{s}[i{k}], " for k, s in enumerate(src)) + ")"
    gens = " ".join(f"for i{k} in range(len({s}))" for k, s in enumerate(src))
    return _lower(lw, f"[{elt} {gens}]" if src else "[()]", seqs, node)


def _compress(lw: Any, node: gast.Call) -> Operand | None:
    """``compress(data, selectors)``: ``[d for d, s in zip(data, selectors) if s]``."""
    if len(node.args) != 2 or node.keywords:
        return None
    seqs = {f"s{k}": _listed(lw, a, node) for k, a in enumerate(node.args)}
    return _lower(lw, "[d for d, c in zip(s0, s1) if c]", seqs, node)


def _while(lw: Any, node: gast.Call, keep: bool) -> Operand | None:
    """``takewhile(p, xs)`` / ``dropwhile(p, xs)`` (`keep`: the first): the items before / from
    the first `k` with ``not p(t[k])``, found calling `p` on the items in Python's order."""
    if len(node.args) != 2 or node.keywords or not _total_lambda(node.args[0]):
        return None
    t = _listed(lw, node.args[1], node)
    cut = "([k for k in range(len(t)) if not p(t[k])] + [len(t)])[0]"
    text = f"t[:{cut}]" if keep else f"t[{cut}:]"
    return _lower(lw, text, {"t": t, "p": lw.expr(node.args[0])}, node)


_TOTAL = (gast.Name, gast.Constant, gast.Compare, gast.BoolOp, gast.UnaryOp, gast.Load,
          gast.cmpop, gast.boolop, gast.unaryop, gast.BinOp, gast.Add, gast.Sub, gast.Mult,
          gast.arguments)  # fmt: skip


def _total_lambda(node: Any) -> bool:
    """A lambda of one parameter whose body cannot raise on a number (names, constants,
    comparisons, ``and``/``or``/``not``, ``+``/``-``/``*``, ``abs(...)``): calling it on the
    items after the one Python stops at (the list is written whole) changes nothing."""
    if not isinstance(node, gast.Lambda) or len(node.args.args) != 1:
        return False
    for n in gast.walk(node.body):
        call = isinstance(n, gast.Call) and getattr(n.func, "id", None) == "abs"
        if not (isinstance(n, _TOTAL) or call) or (call and len(n.args) != 1):
            return False
    return True


def _filterfalse(lw: Any, node: gast.Call) -> Operand | None:
    """``filterfalse(p, xs)``: ``[v for v in t if not p(v)]`` (``not v`` for a None `p`)."""
    if len(node.args) != 2 or node.keywords:
        return None
    t = _listed(lw, node.args[1], node)
    if isinstance(node.args[0], gast.Constant) and node.args[0].value is None:
        return _lower(lw, "[v for v in t if not v]", {"t": t}, node)
    return _lower(lw, "[v for v in t if not p(v)]", {"t": t, "p": lw.expr(node.args[0])}, node)


def _groupby(lw: Any, node: gast.Call) -> Operand | None:
    """``for k, g in groupby(xs[, key])``, `g` read at most once in the body, whole (below):
    the list of (key, list of the group's items); keys computed once per item, in order."""
    args = list(node.args)
    for kw in node.keywords:
        if kw.arg != "key":
            return None
        args.append(kw.value)
    loop = getattr(lw, "for_loop", None)
    if not 1 <= len(args) <= 2 or loop is None or loop.iter is not node or loop.orelse:
        return None
    tgt = loop.target
    if not (isinstance(tgt, gast.Tuple) and len(tgt.elts) == 2):
        return None
    if not all(isinstance(e, gast.Name) for e in tgt.elts) or not _group_read_once(
        loop.body, tgt.elts[1].id
    ):
        return None
    root = getattr(lw, "root", None)  # (`g` read after the loop: Python's is exhausted)
    names = [n for n in gast.walk(root) if isinstance(n, gast.Name) and n.id == tgt.elts[1].id]
    if not any(n is tgt.elts[1] for n in names) or any(
        n is not tgt.elts[1] and not any(n is m for s in loop.body for m in gast.walk(s))
        for n in names
    ):
        return None
    t = _listed(lw, args[0], node)
    plain = len(args) == 1 or (isinstance(args[1], gast.Constant) and args[1].value is None)
    q = t if plain else _lower(lw, "[f(v) for v in t]", {"t": t, "f": lw.expr(args[1])}, node)
    b = _lower(lw, "[k for k in range(len(q)) if k == 0 or q[k] != q[k - 1]]", {"q": q}, node)
    text = "[(q[s], t[s:e]) for s, e in zip(b, b[1:] + [len(t)])]"
    return _lower(lw, text, {"t": t, "q": q, "b": b}, node)


def _group_read_once(body: list, g: str) -> bool:
    """The loop body reads the group `g` at most once, outside nested loops and functions:
    as the argument of ``list``/``sum``/... or the first iterable of a list comprehension or a
    generator such a call takes (Python's group is an iterator: a second read, or one after the
    next round, sees nothing; srcad's is a list). `g` is not rebound."""
    parents: dict[int, Any] = {}
    uses: list[Any] = []
    for s in body:
        for p in gast.walk(s):
            for c in gast.iter_child_nodes(p):
                parents[id(c)] = p
            if isinstance(p, gast.Name) and p.id == g:
                uses.append(p)
    if len(uses) > 1 or (uses and not isinstance(uses[0].ctx, gast.Load)):
        return False
    if not uses:
        return True
    n, p = uses[0], parents.get(id(uses[0]))
    if isinstance(p, gast.comprehension) and p.iter is n:
        comp = parents.get(id(p))
        if comp is None or comp.generators[0] is not p:
            return False
        n, p = comp, parents.get(id(comp))
        if not isinstance(n, (gast.ListComp, gast.GeneratorExp)):
            return False
    if not (
        isinstance(p, gast.Call)
        and getattr(p.func, "id", None) in _TAKE_ALL
        and p.args == [n]
        and not p.keywords
    ) and not isinstance(n, gast.ListComp):
        return False
    while p is not None:  # (a loop or function around the read runs it again, or later)
        if isinstance(p, (gast.For, gast.While, gast.FunctionDef, gast.Lambda, gast.comprehension)):
            return False
        p = parents.get(id(p))
    return True


_HANDLERS = {
    itertools.groupby: _groupby,
    itertools.takewhile: lambda lw, n: _while(lw, n, True),
    itertools.dropwhile: lambda lw, n: _while(lw, n, False),
    itertools.filterfalse: _filterfalse,
    itertools.pairwise: _pairwise,
    itertools.product: _product,
    itertools.compress: _compress,
    itertools.combinations: lambda lw, n: _choose(lw, n, "combinations"),
    itertools.combinations_with_replacement: lambda lw, n: _choose(lw, n, "replacement"),
    itertools.permutations: lambda lw, n: _choose(lw, n, "permutations"),
    itertools.zip_longest: _zip_longest,
    itertools.starmap: _starmap,
}


def _handler(obj: Any) -> Any:
    return next((h for f, h in _HANDLERS.items() if f is obj), None)


def listed(lw: Any, obj: Any, node: gast.Call) -> Operand | None:
    """The list the itertools call `obj(...)` at `node` yields, where exact (see the module
    docstring), else None."""
    handler = _handler(obj)
    if handler is None or not _builtins_plain(lw) or not consumed_at_once(lw, node):
        return None
    return handler(lw, node)


def iterated(lw: Any, it: Any) -> Operand | None:
    """The list an itertools call `it` yields when a loop or comprehension iterates it (see
    `listed`): a comprehension runs it at once, a ``for`` loop whose body rebinds none of its
    sources too; None otherwise."""
    if not isinstance(it, gast.Call) or not _dotted(it.func):
        return None
    known, obj = static_callee(lw, it.func)
    handler = _handler(obj) if known else None
    if handler is None or not _builtins_plain(lw):
        return None
    loop = getattr(lw, "for_loop", None)
    if loop is not None and loop.iter is it and not consumed_at_once(lw, it):
        return None
    return handler(lw, it)


# lower/stdlib.py's handlers (a call consumed at once: ``sum(pairwise(xs))``, a ``for`` loop)
HANDLERS = {f: lambda lw, node, f=f: listed(lw, f, node) for f in _HANDLERS}


def _dotted(node: Any) -> bool:
    return isinstance(node, gast.Name) or (isinstance(node, gast.Attribute) and _dotted(node.value))


def runtime_method(lw: Any, func: Any) -> bool:
    """`func` is ``v.name`` (``v.a.name``) of a name bound to a run-time value: no callable known
    now is behind it, and asking (lowering the read) would leave a read Python never makes
    (``for p in m.parameters()``: a dead ``attr.parameters(m)``, which a property's possible
    effects keep, per probe)."""
    while isinstance(func, gast.Attribute):
        func = func.value
    return isinstance(func, gast.Name) and isinstance(lw.env.get(func.id), Var)


def static_callee(lw: Any, func: Any) -> tuple[bool, Any]:
    """``lw.static_object(lw.expr(func))`` for a name or a dotted chain of one, unless
    `runtime_method`: (False, None) then, and for any other callee (``helper(x).items``: asking
    would run the call once more than Python does)."""
    if not _dotted(func) or (isinstance(func, gast.Attribute) and runtime_method(lw, func)):
        return False, None
    return lw.static_object(lw.expr(func))


def consumed_at_once(lw: Any, node: gast.Call) -> bool:
    """The iterator `node` makes is consumed before anything can change what it reads: it is
    the argument of a function that takes it whole (`sum`, `list`), or the iterable of a `for`
    loop (or an argument of the `enumerate`/`zip` that is) whose body assigns, updates
    (``xs[i] = v``, ``xs.append(v)``) and has nested functions write none of the names it reads."""
    if id(node) in lw.eager:
        return True
    loop = getattr(lw, "for_loop", None)
    if loop is None:
        return False
    it = loop.iter
    if it is not node and not (
        isinstance(it, gast.Call)
        and getattr(it.func, "id", None) in ("enumerate", "zip")
        and any(a is node for a in it.args)
    ):
        return False
    read = scope.reads(node.args) | scope.reads(node.keywords)
    return not (read & (scope.changed(loop.body) | set(lw.enclosing_writes)))
