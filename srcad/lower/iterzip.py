"""``zip(...)`` as a loop's iteration space, its arguments ``reversed(seq)`` among them;
``itertools.chain`` / ``islice`` iterated or consumed at once.

Input: the gast ``zip(a, reversed(b), ...)`` of a ``for`` loop or comprehension. Output:
(start, stop, step, item(i)): ``for u, v in zip(a, reversed(b))`` runs ``i`` over
``range(min(len(a), len(b)))`` with ``u = a[i]``, ``v = b[len(b) - 1 - i]``. An endless
``itertools.count(a, b)`` (int constants) or ``repeat(v)`` beside them adds no length: its item
is ``a + b * i`` or ``v``. A ``reversed``
iterator read only by this ``zip`` is never a value of its own (it has no rules); Python reads
``b`` through it lazily by index, so does the loop.

``itertools.chain(a, b)`` is the list ``list(a) + list(b)`` (``chain.from_iterable(seqs)`` is
``chain(*seqs)``) and ``itertools.islice(a, i, j, k)``
the list ``list(a)[i:j:k]`` (constant non-negative bounds: Python refuses negative ones) where
nothing can change `a` or `b` while Python would still be reading them: as the argument of a
function that consumes it at once (``sum(chain(a, b))``), or as the iterable of a ``for`` loop
whose body assigns none of the names they read (nor does a nested function), or as the
iterable of a comprehension (a generator expression's later reads are checked by
lower/lazygen.py, as for any iterator it holds). Bound to a name, the name is the generator
over the call (lower/itervalues.py); anywhere else they stay refused. ``islice`` of a name
bound to ``iter(xs)``, or of an endless ``cycle/count/repeat``, stays Python's islice (it
takes only a part; listing the source first would take all, or never end).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import gast

from srcad import lazy
from srcad.lower import idioms_more, itemslots, iterlists, iterstate, objiter
from srcad.lower.iterlists import _dotted, consumed_at_once, static_callee
from srcad.lower.values import LocalObj, PrimRef
from srcad.ssa.core import Const, Operand, Var

_mappedseq = lazy.module("srcad.lower.mappedseq")


def _reversed_arg(lw: Any, node: Any) -> Any | None:
    """The argument of ``reversed(seq)`` (one positional argument, no keywords), else None."""
    if not (isinstance(node, gast.Call) and len(node.args) == 1 and not node.keywords):
        return None
    if isinstance(node.args[0], gast.Starred):
        return None
    f = lw.expr(node.func)
    return node.args[0] if isinstance(f, PrimRef) and f.name == "reversed" else None


def zip_space(lw: Any, it: gast.Call) -> tuple[Operand, Operand, Operand, Callable]:
    """``zip(s1, reversed(s2), ...)`` -> (0, min of the lengths, 1, item(i)), ``item(i)`` the
    tuple of ``s1[i]``, ``s2[len(s2) - 1 - i]``, ..."""
    cols = idioms_more.zip_star(lw, lw.expr(it.func), it)  # zip(*rows): a list of columns
    if cols is not None:
        n = lw.op("len", [cols], hint="n")
        return Const(0), n, Const(1), lambda i: lw.op("getitem", [cols, i])
    strict = False
    for kw in it.keywords:  # zip(a, b, strict=True): equal lengths, checked when it starts
        if kw.arg != "strict" or not isinstance(kw.value, gast.Constant):
            raise lw.error(it, "keyword arguments to `zip` other than `strict=` are not supported")
        strict = bool(kw.value.value)
    seqs: list[tuple[Operand, bool]] = []  # (sequence, read backwards)
    endless: dict[int, Callable[[Var], Operand]] = {}  # count()/repeat(v): an item, no length
    for a in it.args:
        item = _endless(lw, a) if len(it.args) > 1 else None
        if item is not None:
            endless[len(seqs)] = item
            seqs.append((Const(()), False))
            continue
        inner = None if isinstance(a, gast.Starred) else _reversed_arg(lw, a)
        if inner is None:
            args, _ = lw.call_args(gast.Call(func=it.func, args=[a], keywords=[]))
            seqs += [(lw.as_seq(v), False) for v in args]
        else:
            seqs.append((lw.as_seq(lw.value(inner)), True))
    getters: list[Callable[[Var], Operand]] = []
    lens: list[Operand] = []
    if len(endless) == len(seqs):
        endless = {}  # zip(count(), repeat(v)) never ends: as_sequence refuses it at run time
    for k, (seq, back) in enumerate(seqs):
        if k in endless:
            getters.append(endless[k])
            continue
        n = lw.op("len", [seq], hint="n")
        lens.append(n)
        if not back:
            getters.append(lambda i, s=seq: lw.op("getitem", [s, i]))
            continue
        last = lw.op("sub", [n, Const(1)])
        getters.append(lambda i, s=seq, last=last: lw.op("getitem", [s, lw.op("sub", [last, i])]))
    if strict and endless:
        raise lw.error(it, "`zip(..., strict=True)` with an endless iterator always raises")
    for k, m in enumerate(lens[1:], 2) if strict else ():
        lw.op("srcad.runtime.require", [lw.op("eq", [lens[0], m]),
              Const(f"zip() argument {k} has another length than argument 1"),
              Const("ValueError")])  # (Python's error; rules/checks)  # fmt: skip
    n = lens[0] if len(lens) == 1 else lw.op("min", lens, hint="n")
    return Const(0), n, Const(1), lambda i: lw.op("tuple", [g(i) for g in getters])


def _endless(lw: Any, node: Any) -> Callable[[Var], Operand] | None:
    """``itertools.count(a, b)`` (int constants) -> ``item(i) = a + b * i``; ``repeat(v)`` ->
    `v`, evaluated here as Python evaluates it when zip starts; else None (listed as usual)."""
    if not isinstance(node, gast.Call) or not _dotted(node.func):
        return None
    known, obj = static_callee(lw, node.func)  # (no read of a run-time object's method)
    if known and obj is itertools.repeat and len(node.args) == 1 and not node.keywords:
        v = lw.value(node.args[0])
        return lambda i: v
    if not known or obj is not itertools.count or len(node.args) > 2:
        return None
    given = dict(zip(("start", "step"), node.args)) | {k.arg: k.value for k in node.keywords}
    vals = {"start": 0, "step": 1}
    for k, e in given.items():
        sign = 1
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
            sign, e = -1, e.operand
        if k not in vals or not (isinstance(e, gast.Constant) and type(e.value) is int):
            return None
        vals[k] = sign * e.value
    return lambda i: lw.op("add", [Const(vals["start"]), lw.op("mul", [Const(vals["step"]), i])])


def special_space(lw: Any, it: Any) -> tuple | None:
    """The iteration space of ``np.ndenumerate(a)`` (lower/library.py) or of a chain/islice
    (`listed_chain`), or None."""
    space = lw.ndenumerate_space(it)
    if space is not None:
        return space
    if (space := itemslots.items_space(lw, it)) is not None:  # `d[k] += v * x` in the body
        return space
    space = _mappedseq.space(lw, it)  # `sum(n.w for n in nodes)` (lower/mappedseq.py)
    if space is not None:
        return space
    if (space := _flat_space(lw, it)) is not None:  # `for v in A.flat`
        return space
    seq = listed_chain(lw, it, iterated=True)
    if seq is None:
        seq = iterlists.iterated(lw, it)  # itertools.pairwise / combinations / ...
    if seq is None:
        seq = objiter.listed(lw, it)  # an object built here with its own __iter__
    if seq is None and (counted := objiter.enumerated(lw, it)) is not None:
        return counted  # `for i, v in enumerate(obj)`
    if seq is None:
        return iterstate.space(lw, it)  # `for v in it` of `it = iter(xs)`
    n = lw.op("len", [seq], hint="n")
    return Const(0), n, Const(1), lambda i: lw.op("getitem", [seq, i])


def _flat_space(lw: Any, it: Any) -> tuple | None:
    """``A.flat`` / ``enumerate(A.flat)`` iterated: over ``A.ravel()`` (`flat_items`); a
    read-only ``np.nditer(A)`` over the same, once ``A`` is checked to be in C order when it
    runs (`srcad.rules.iterorder`), its items 0-d views as NumPy's."""
    if (seq := _nditer_items(lw, it)) is not None:  # (items: 0-d views, ``seq[i, ...]``)
        n = lw.op("len", [seq], hint="n")
        view = lambda i: lw.op("getitem", [seq, lw.op("tuple", [i, Const(Ellipsis)])])  # noqa: E731
        return Const(0), n, Const(1), view
    counted = isinstance(it, gast.Call) and len(it.args) == 1 and not it.keywords
    if counted and not (
        isinstance(it.args[0], gast.Attribute) and lw._iter_call(it) == "enumerate"
    ):
        return None
    seq = flat_items(lw, it.args[0] if counted else it)
    if seq is None:
        return None
    n = lw.op("len", [seq], hint="n")
    if counted:
        return Const(0), n, Const(1), lambda i: lw.op("tuple", [i, lw.op("getitem", [seq, i])])
    return Const(0), n, Const(1), lambda i: lw.op("getitem", [seq, i])


def _nditer_items(lw: Any, it: Any) -> Operand | None:
    """``np.nditer(e)`` (one operand, no flags): ``e``'s items in C order, or None."""
    if not (isinstance(it, gast.Call) and len(it.args) == 1 and not it.keywords):
        return None
    if isinstance(it.args[0], gast.Starred) or not _dotted(it.func):
        return None
    if (
        it.func.attr if isinstance(it.func, gast.Attribute) else getattr(it.func, "id", "")
    ) != "nditer":
        return None  # (the cheap test first: no lowering of other callees)
    f = lw.expr(it.func)
    if not (isinstance(f, PrimRef) and f.name == "numpy.nditer"):
        return None
    base = lw.value(it.args[0])
    lw.at(it)
    checked = lw.op("srcad.runtime.nditer_c_order", [base])  # (a list: several operands)
    return lw.op("numpy.ravel", [checked])


def flat_items(lw: Any, it: Any) -> Operand | None:
    """The sequence ``for v in e.flat`` (a loop's or comprehension's iterable; also inside
    ``enumerate(e.flat)``) runs over: ``e.ravel()``, whose items NumPy's iterator yields in C
    order (a view or a copy: a body writing into `e` is the mutation check's, as for
    ``for v in np.ravel(e)``); None when `it` is no such iterable or `e` an object's."""
    if not (isinstance(it, gast.Attribute) and it.attr == "flat"):
        return None
    raw = lw.expr(it.value)
    if isinstance(raw, LocalObj):
        return None
    base = lw.operand(raw, it.value)
    lw.at(it)
    return lw.op("method.ravel", [base])  # (a list has none: AttributeError, as `.flat`)


def listed_chain(lw: Any, node: Any, iterated: bool = False) -> Operand | None:
    """``itertools.chain(...)`` / ``islice(...)`` at `node` as the list it yields, where that is
    exact (see the module docstring), else None. `iterated`: `node` is the iterable of a loop or
    a comprehension (lower/iterlists.iterated's rule, as for ``pairwise``)."""
    if not isinstance(node, gast.Call) or node.keywords:
        return None
    known, obj = static_callee(lw, node.func) if _dotted(node.func) else (False, None)
    args = list(node.args)
    if known and obj == _FROM_ITERABLE and len(args) == 1:  # chain.from_iterable(seqs)
        obj, args = itertools.chain, [gast.copy_location(gast.Starred(args[0], gast.Load()), node)]
    if not known or obj not in (itertools.chain, itertools.islice):
        return None
    if obj is itertools.islice and (
        any(isinstance(a, gast.Starred) for a in args) or (args and _partly_read(lw, args[0]))
    ):
        return None
    loop = getattr(lw, "for_loop", None)
    at_once = comp = False
    if iterated and (loop is None or loop.iter is not node):
        comp = True  # a comprehension's: run at once, or a generator's (lazygen.py checks reads)
    elif not consumed_at_once(lw, node):
        return None
    else:  # (a loop's iterable: its body runs between the items, as the generator's checks see)
        at_once = loop is None or loop.iter is not node
    looped = loop is not None and loop.iter is node
    if obj is itertools.islice:
        bounds = node.args[1:]
        if not node.args or not 1 <= len(bounds) <= 3:
            return None
        if not all(map(_bound, bounds)):  # bounds known at run time: checked there, as Python's
            return _run_time_islice(lw, node, bounds)  # (None: a constant bad one, refused)
        vals = [b.value for b in bounds]
        cut = slice(None, vals[0]) if len(vals) == 1 else slice(*vals)
        if (
            isinstance(node.args[0], gast.Call)
            and cut.stop is not None
            and (at_once or looped or comp)
        ):
            # ``islice(gen(x), 6)`` of a generator function: its first 6 items, computed as
            # Python's islice pulls them (lower/generators._full), at once or as the items of
            # the loop or comprehension (lower/genzip.py: the loop's checks of a generator)
            lw.__dict__.setdefault("gen_limits", {})[id(node.args[0])] = cut.stop
        listed = lw.op("builtins.list", [lw.value(node.args[0])])
        lw.at(node)
        return lw.op("builtins.list", [lw.op("getitem", [listed, Const(cut)])])
    parts = [lw.op("builtins.list", [_flat(lw, a.value, node) if isinstance(a, gast.Starred)
                                     else lw.value(a)]) for a in args]  # fmt: skip
    lw.at(node)
    out = lw.op("list", [])
    for p in parts:
        out = lw.op("srcad.runtime.concat", [out, p])
    return lw.op("builtins.list", [out], hint="chain")


def _run_time_islice(lw: Any, node: gast.Call, bounds: list) -> Operand | None:
    """``islice(a, k)`` / ``islice(a, i, j[, s])`` of bounds known at run time: ``list(a)`` cut
    by the slice `islice_bounds` checks (Python's ValueError for a negative or float bound);
    None for a constant Python refuses (``islice(x, -1)``: refused here, as before)."""
    src = lw.value(node.args[0])  # (Python's order: the source, then the bounds)
    vals = [lw.value(b) for b in bounds]
    if any(isinstance(v, Const) and not _bound(gast.Constant(v.value, None)) for v in vals):
        return None
    listed = lw.op("builtins.list", [src])
    lw.at(node)
    if len(vals) == 1:
        vals = [Const(None), vals[0]]
    vals += [Const(None)] * (3 - len(vals))
    cut = lw.op("srcad.runtime.islice_bounds", vals, hint="cut")
    return lw.op("builtins.list", [lw.op("getitem", [listed, cut])])


_FROM_ITERABLE = itertools.chain.from_iterable  # (a new bound method per read: compared by ==)
_ENDLESS = (itertools.cycle, itertools.count, itertools.repeat)


def _partly_read(lw: Any, src: Any) -> bool:
    """islice's source is an iterator it may take only part of: a name bound to ``iter(xs)`` or
    an endless ``cycle/count/repeat`` (lower/oneshot.partly_read_names: the rest stays for the
    next read), or such an endless call itself (listing it would never end). Python's islice
    then runs as it is; its items are values only when nothing differentiated flows in."""
    if isinstance(src, gast.Name):
        return src.id in lw.partly_read
    if not isinstance(src, gast.Call) or not _dotted(src.func):
        return False
    known, obj = static_callee(lw, src.func)
    return known and obj in _ENDLESS


def _flat(lw: Any, seqs: Any, at: Any) -> Operand:
    """``*seqs`` of a chain: the list ``[e for s in seqs for e in s]`` it spreads into."""
    s, e = gast.Name("$chs", gast.Store(), None, None), gast.Name("$che", gast.Store(), None, None)
    gens = [gast.comprehension(target=s, iter=seqs, ifs=[], is_async=0),
            gast.comprehension(target=e, iter=gast.Name("$chs", gast.Load(), None, None), ifs=[],
                               is_async=0)]  # fmt: skip
    comp = gast.ListComp(elt=gast.Name("$che", gast.Load(), None, None), generators=gens)
    for sub in gast.walk(comp):
        if (
            isinstance(sub, (gast.expr, gast.comprehension))
            and getattr(sub, "lineno", None) is None
        ):
            gast.copy_location(sub, at)
    return lw.expr(comp)


def _bound(node: Any) -> bool:
    return isinstance(node, gast.Constant) and (
        node.value is None or (type(node.value) is int and node.value >= 0)
    )
