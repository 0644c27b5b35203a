"""More Python idioms rewritten into what the lowering has (lower/idioms.py is full).

Input: the lowerer and the gast node of the idiom. Output: the names it updates rebound.

- ``zip(*rows)`` of a sequence whose length is known only when the code runs (`zip_star`):
  ``[tuple(r[j] for r in rows) for j in range(_srcad.zip_len(rows))]``, the transpose Python's
  zip yields (as a list: a second pass over it is refused like any zip's, lower/oneshot.py).
- ``math.hypot(*v)`` of an array or list: ``np.linalg.norm(np.asarray(v))`` (`hypot_star`).
- ``a, b = zip(xs, ys)``: unpacked from ``list(zip(xs, ys))`` (`unpacked_iterator`).
- ``ls[1:3] = [a, b]`` into a list of known length (made here, in this block) replacing as many
  items as it writes: ``ls[1] = a; ls[2] = b`` (`slice_items`; the reverse mode has no
  derivative of a slice assignment that may change the list's length).
- ``d.setdefault(k, []).append(v)`` (and ``.extend(vs)``) on a local known to be a dict:
  ``if k not in d: d[k] = []`` (lower/idioms.updating_method), then ``d[k].append(v)``, the
  element written back into ``d`` (``d = setitem(d, k, list_append(d[k], v))``, the nested
  write-back passes/alias_nested.py accepts: Python's list in ``d`` is the one appended to).
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower import idioms, objiter, starcomps
from srcad.lower.listedits import _at, _load, _store, _temp
from srcad.rules.containers import zip_len
from srcad.ssa.core import Const


def setdefault_append(lw: Any, node: gast.Call) -> bool:
    """``d.setdefault(k, default).append(v)`` as a statement: True when lowered."""
    func = node.func
    if not (isinstance(func, gast.Attribute) and func.attr in ("append", "extend")):
        return False
    inner = func.value
    if not (
        isinstance(inner, gast.Call)
        and isinstance(inner.func, gast.Attribute)
        and inner.func.attr == "setdefault"
        and isinstance(inner.func.value, gast.Name)
        and len(inner.args) == 2
        and not inner.keywords
    ):
        return False
    if len(node.args) != 1 or node.keywords or isinstance(node.args[0], gast.Starred):
        return False
    recv = inner.func.value
    handled, got = idioms.updating_method(lw, inner)
    if not handled:
        return False  # not known to be a dict: refused as an in-place method in an expression
    read = lw.b.block.ops[-1]
    assert read.prim == "getitem" and read.results[0] is got
    key = read.args[1]
    item = lw.value(node.args[0])
    lw.at(node)
    if func.attr == "append":
        new = lw.op("list_append", [got, item], hint=recv.id)
    else:
        new = lw.op("srcad.runtime.concat", [got, lw.op("builtins.list", [item])], hint=recv.id)
        lw.augmented.append(lw.b.block.ops[-1])  # in place: passes/alias.py
    lw.assign_to(recv, lw.op("setitem", [lw.value(recv), key, new], hint=recv.id))
    return True


_ITERATORS = ("zip", "enumerate", "reversed")
_TAKERS = frozenset({"sum", "max", "min", "sorted", "builtins.dict", "math.fsum", "math.prod"})


def listed_argument(lw: Any, f: Any, node: gast.Call) -> gast.Call:
    """``sorted(zip(a, b))``, ``dict(zip(keys, x))``, ``sum(reversed(xs))``, ...: `node` with its
    first argument, a ``zip``/``enumerate``/``reversed`` iterator the function consumes at once,
    replaced by the list ``[t for t in zip(a, b)]`` it yields (an iterator has no value of its
    own in srcad); `node` itself otherwise."""
    name = getattr(f, "name", None)
    if name not in _TAKERS and name not in ("builtins.list", "builtins.tuple") or not node.args:
        return node
    it = node.args[0]
    if objiter.iterable(lw, it):  # `sum(obj)`, `list(C(x))`: its class's __iter__ (objiter.py)
        return _listed(it, node)
    if name not in _TAKERS:
        return node
    if not isinstance(it, gast.Call):
        return node
    if it.keywords and getattr(it.func, "id", None) != "enumerate" and not idioms.strict_only(it):
        return node
    if not isinstance(it.func, gast.Name) or it.func.id in lw.env or it.func.id in lw.py_locals:
        return node
    if getattr(lw.expr(it.func), "name", None) not in _ITERATORS:
        return node
    return _listed(it, node)


def _listed(it: Any, node: gast.Call) -> gast.Call:
    """`node` with its first argument `it` replaced by ``[$it for $it in it]``."""
    return gast.copy_location(
        gast.Call(func=node.func, args=[_listcomp(it), *node.args[1:]], keywords=node.keywords),
        node,
    )


def _listcomp(it: Any) -> gast.ListComp:
    """``[$it for $it in it]``, located at `it`."""
    t = "$it"
    gen = gast.comprehension(
        target=gast.Name(id=t, ctx=gast.Store(), annotation=None, type_comment=None),
        iter=it, ifs=[], is_async=0,
    )  # fmt: skip
    elt = gast.Name(id=t, ctx=gast.Load(), annotation=None, type_comment=None)
    listed = gast.copy_location(gast.ListComp(elt=elt, generators=[gen]), it)
    for sub in gast.walk(listed):
        if isinstance(sub, gast.expr) and getattr(sub, "lineno", None) is None:
            gast.copy_location(sub, it)
    return listed


def listed_call(lw: Any, f: Any, node: gast.Call) -> Any:
    """``list(zip(a, b))``/``tuple(...)`` of an iterator (`idioms.listed_iterator`) or
    ``zip(*rows)`` (`zip_star`): the lowered value, or None (another call)."""
    if getattr(f, "name", None) in ("builtins.list", "builtins.tuple"):
        return idioms.listed_iterator(lw, f, node)
    if getattr(f, "name", None) == "math.hypot":
        return hypot_star(lw, node)
    out = zip_star(lw, f, node)
    return out if out is not None else zip_value(lw, f, node)


def zip_value(lw: Any, f: Any, node: gast.Call) -> Any:
    """``z = zip(a, b)`` (``strict=`` a constant or absent), ``enumerate(xs, start=k)`` or
    ``reversed(xs)`` used as a value, not iterated where it is made (bound to a name, an
    argument of ``zip``, ``dict`` or another ``enumerate``): the generator expression
    ``(t for t in zip(a, b))`` it equals (a generator has the lowering of one-shot iterators:
    read once, lower/oneshot.py; ``strict=True``: the lengths are checked when it starts,
    lower/iterzip.zip_space), or None."""
    name = getattr(f, "name", None)
    if name not in _ITERATORS or not node.args:
        return None
    if name == "zip" and node.keywords and not idioms.strict_only(node):
        return None
    if name == "enumerate" and [kw.arg for kw in node.keywords] not in ([], ["start"]):
        return None
    if name == "reversed" and node.keywords:
        return None
    if any(isinstance(a, gast.Starred) for a in node.args):
        return None
    t = _temp(lw)
    gen = gast.comprehension(target=_store(t, node), iter=node, ifs=[], is_async=0)
    wrapper = _at(gast.GeneratorExp(elt=_load(t, node), generators=[gen]), node)
    wrapper.srcad_wraps = True  # evaluated where `node` is (lower/closures._inside)
    return lw.expr(wrapper)


def hypot_star(lw: Any, node: gast.Call) -> Any:
    """``math.hypot(*v)`` of a sequence of unknown length: ``np.linalg.norm(np.asarray(v))``,
    the same Euclidean norm; None for other calls (or `v` a display the call spreads)."""
    if node.keywords or len(node.args) != 1 or not isinstance(node.args[0], gast.Starred):
        return None
    if isinstance(node.args[0].value, (gast.List, gast.Tuple)):
        return None
    v = lw.value(spread(lw, node.args[0].value))
    if lw._unpackable(v):  # its items: `rows` lowered once
        items = lw.unpack(v, None, node)
        lw.at(node)
        return lw.op("math.hypot", items)
    lw.at(node)
    return lw.op("numpy.linalg.norm", [lw.op("numpy.asarray", [v])])


def spread(lw: Any, node: Any, pairs: bool = False) -> Any:
    """The `v` of ``f(*v)`` (`pairs`: of ``dict(v)``): ``[$it for $it in v]`` for an object whose
    class's ``__iter__`` lists it (lower/objiter.py; Python lists it before the call; ``dict``
    reads a class with ``keys`` through it instead), a comprehension over a range of constant
    bounds as the tuple display of its items (lower/starcomps.py), else `v` itself."""
    if not pairs and (items := starcomps.unrolled(lw, node)) is not None:
        return items
    return _listcomp(node) if objiter.iterable(lw, node, not pairs) else node


def unpacked_iterator(lw: Any, targets: list, value: Any) -> Any:
    """``a, b = zip(xs, ys)`` (or ``enumerate``/``reversed``): Python unpacks by iterating, srcad
    by indexing, so the value is the list ``list(zip(xs, ys))`` (`idioms.listed_iterator`);
    `value` itself otherwise (a generator expression unpacked is consumed at once: `lw.eager`)."""
    if not any(isinstance(t, (gast.Tuple, gast.List)) for t in targets):
        return value
    if (rows := _repeated(lw, targets, value)) is not None:
        return rows
    if objiter.iterable(lw, value):  # `a, b = obj`: the items its class's __iter__ gives
        return _listcomp(value)
    if isinstance(value, gast.GeneratorExp):  # `p, q = (f(v) for v in vs)`: consumed at once
        lw.eager.add(id(value))
        return value
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)):
        return value
    name = value.func.id
    if name not in _ITERATORS or name in lw.env or name in lw.py_locals:
        return value
    if getattr(lw.expr(value.func), "name", None) != name:
        return value
    return _at(gast.Call(func=_load("list", value), args=[value], keywords=[]), value)


def _repeated(lw: Any, targets: list, value: Any) -> Any:
    """``a, b = [list(ops) for _ in range(2)]`` (or a generator expression): the display
    ``[list(ops), list(ops)]``, its element written once per target, when the comprehension
    runs ``range(N)`` (a constant `N`, the number of targets) with a target its element does
    not read: Python evaluates the element `N` times in order, making `N` objects, which the
    mutation check then tells apart (one element in a loop is one object to it)."""
    comp = value if isinstance(value, (gast.ListComp, gast.GeneratorExp)) else None
    if comp is None or len(targets) != 1 or len(comp.generators) != 1:
        return None
    gen, elts = comp.generators[0], getattr(targets[0], "elts", ())
    it = gen.iter
    if gen.ifs or gen.is_async or not isinstance(gen.target, gast.Name) or not elts:
        return None
    if not (
        isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "range"
        and len(it.args) == 1 and not it.keywords and isinstance(it.args[0], gast.Constant)
        and it.args[0].value == len(elts) and type(it.args[0].value) is int
    ):  # fmt: skip
        return None
    if any(isinstance(t, gast.Starred) for t in elts) or it.func.id in lw.env:
        return None
    if lw.ns.lookup("range")[1] is not range or "range" in lw.py_locals:
        return None
    for n in gast.walk(comp.elt):
        if isinstance(n, (gast.NamedExpr, gast.Yield, gast.YieldFrom, gast.Await)):
            return None
        if isinstance(n, gast.Name) and n.id == gen.target.id:
            return None
    rows = [copy.deepcopy(comp.elt) for _ in elts]
    return _at(gast.List(elts=rows, ctx=gast.Load()), value)


def zip_star(lw: Any, f: Any, node: gast.Call) -> Any:
    """``zip(*rows)`` (see the module docstring): the lowered transpose, a list, or None (not
    this call, or `rows` a list/tuple display whose items the call's own lowering spreads)."""
    if getattr(f, "name", None) != "zip" or node.keywords or len(node.args) != 1:
        return None
    star = node.args[0]
    if not isinstance(star, gast.Starred) or isinstance(star.value, (gast.List, gast.Tuple)):
        return None
    rows = lw.value(star.value)
    if lw._unpackable(rows):  # its items, each in a temporary: `rows` is lowered once
        names = []
        for item in lw.unpack(rows, None, node):
            names.append(_temp(lw))
            lw.env[names[-1]] = item
        inner = _at(
            gast.Call(func=node.func, args=[_load(n, node) for n in names], keywords=[]), node
        )
        out = lw.expr(_at(gast.Call(func=_load("list", node), args=[inner], keywords=[]), node))
        for n in names:
            del lw.env[n]
        return out
    rname, r, j = _temp(lw), _temp(lw), _temp(lw)
    lw.env[rname] = rows
    col = gast.GeneratorExp(
        elt=_at(gast.Subscript(value=_load(r, node), slice=_load(j, node), ctx=gast.Load()), node),
        generators=[gast.comprehension(target=_store(r, node), iter=_load(rname, node), ifs=[],
                                       is_async=0)],
    )  # fmt: skip
    count = gast.Call(func=gast.Constant(value=zip_len, kind=None), args=[_load(rname, node)],
                      keywords=[])  # fmt: skip
    cols = gast.comprehension(
        target=_store(j, node),
        iter=_at(gast.Call(func=_load("range", node), args=[_at(count, node)], keywords=[]), node),
        ifs=[], is_async=0,
    )  # fmt: skip
    tup = gast.Call(func=_load("tuple", node), args=[_at(col, node)], keywords=[])
    out = lw.expr(_at(gast.ListComp(elt=_at(tup, node), generators=[cols]), node))
    del lw.env[rname]
    return out


def slice_items(lw: Any, target: Any, value: Any) -> bool:
    """``ls[a:b] = [v1, ..., vm]`` (see the module docstring): True when lowered so."""
    if not (isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name)):
        return False
    sl = target.slice
    if not isinstance(sl, gast.Slice) or sl.step is not None:
        return False
    if not isinstance(value, (gast.List, gast.Tuple)) or any(
        isinstance(e, gast.Starred) for e in value.elts
    ):
        return False
    name = target.value.id
    if name not in lw.py_locals or name not in lw.env:
        return False
    bounds = [_int_const(e) for e in (sl.lower, sl.upper)]
    if any(b is False for b in bounds):
        return False
    n = _list_len(lw, lw.env[name])
    if n is None:
        return False
    start, stop, _ = slice(*bounds).indices(n)
    if max(0, stop - start) != len(value.elts):
        return False
    vals = [lw.value(e) for e in value.elts]  # (the right side first, as Python)
    for k, v in enumerate(vals):
        at = _at(gast.Subscript(value=_load(name, target), slice=_at(gast.Constant(
            value=start + k, kind=None), target), ctx=gast.Store()), target)  # fmt: skip
        lw.assign_to(at, v)
    return True


def _list_len(lw: Any, v: Any) -> int | None:
    """The length of `v` when a list display made it in this block, then items written by
    constant int index (``ls[2] = v``) only, else None."""
    ops = lw.b.block.ops
    while True:
        made = next((op for op in reversed(ops) if v in op.results), None)
        if made is None:
            return None
        if made.prim == "list" and not made.kwargs:
            return len(made.args)
        key = made.args[1] if made.prim == "setitem" else None
        if not (isinstance(key, Const) and type(key.value) is int):
            return None
        v = made.args[0]


def _int_const(e: Any) -> Any:
    """The int of a bound ``3``/``-1``/absent (None); False for anything else."""
    if e is None:
        return None
    neg = isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub)
    c = e.operand if neg else e
    if not isinstance(c, gast.Constant) or type(c.value) is not int:
        return False
    return -c.value if neg else c.value
