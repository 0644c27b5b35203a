"""Nested updates of containers: ``c[k][j] = v`` without a spurious hazard.

Input: the `Flow` of passes/alias_flow.py, a ``setitem`` op and the state before it. Output: the
updates whose staleness of the container operand the op repairs (or None).

``c[k][j] = v`` lowers to ``e = c[k]; e.1 = setitem(e, j, v); c.1 = setitem(c, k, e.1)``: the
inner update makes `c` stale (it holds `e`), and the write-back reads `c`. The write-back is
Python's meaning when the updated object sits in exactly one slot of `c` along a single path:
no container on the way may hold it twice (``[y, y]``, ``[y] * 2``), be held by two containers
(``[[y], [y]]``) or stand for several objects (one made per loop iteration: the analysis cannot
tell them apart). Any other name or container still holding the old object stays stale.

The key `k` must name one element: a Python int (never a bool), a string or bytes constant, any
key of a dict made here; the same key read twice is one Var or the same int arithmetic
(negation too: ``c[-i][-1] = v``) of the same keys (``c[i % 2].append(v)`` before CSE). A
slice of a list or a fancy index of an array is a copy (Python loses the write, the write-back
would not). For a float array of known rank, ``c[k]`` with an int `k` is a view of row k, and
with a constant basic index (``c[1:]``, ``c[:, 1]``) a view too: the write-back writes those
elements again, Python's meaning; other views of `c` stay stale.
"""

from __future__ import annotations

import types
from typing import Any

from srcad import lazy
from srcad.errors import SrcadError
from srcad.lower.values import static_value
from srcad.passes import alias_slots
from srcad.passes.alias_index import ITSELF, defined_by, tuples_only
from srcad.passes.scalars import NP_INTS, element_index, is_scalar_const, scalar_vars
from srcad.ssa.core import Block, Const, Op, Var, walk_ops

_prepare = lazy.module("srcad.passes.prepare")  # (imports this module: read when called)


def writeback(flow: Any, op: Op, st: Any) -> frozenset | None:
    """Ids of the updates whose hazard on ``op.args[0]`` this write-back repairs, or None."""
    if len(op.args) != 3 or op.kwargs:
        return None
    c, k, v = op.args
    if not isinstance(c, Var) or not isinstance(v, Var):
        return None
    if not (
        _element_key(flow, k)
        or _view_key(flow, st, c, k)
        or _dicts_only(flow, flow.pts(st, c))
        or _number_key_of_box(flow, st, c, k)
    ):
        return None
    e = flow.root.get(v)
    got = flow.getitem_of.get(e) if e is not None else None
    if got is None or not _same_place(flow, got[0], c) or not _same_index(flow, got[1], k):
        return None
    ops = flow.chain.get(v, ())
    target: frozenset = frozenset()
    for m in ops:
        target |= flow.targets.get(id(m), frozenset())
    if not _single_path(flow, st, c, target):
        return None
    return frozenset(id(m) for m in ops)


def stored_items(flow: Any, st: Any, op: Op, added: frozenset) -> bool:
    """`op` stores the objects `added` into a container: each gains a holder (`State.store`)
    unless `op` is ``c[k] = e`` storing back the element read as ``c[k]`` (updated or not: an
    update chain's write-back). True when `op` rewrites an element it read (such a write-back,
    or one of a swap's two writes): no container then holds an object twice."""
    args = op.args
    if op.prim != "setitem":
        st.store(added)
        return False
    v = args[-1]
    got = flow.getitem_of.get(flow.root.get(v, v)) if isinstance(v, Var) else None
    exact = len(args) == 3 and not op.kwargs and got is not None
    if not (exact and _same_place(flow, got[0], args[0]) and _same_index(flow, got[1], args[1])):
        st.store(added)
    return flow.root.get(v) in flow.getitem_of or id(op) in swap_writes(flow)


def array_read(flow: Any, op: Op) -> bool:
    """For ``getitem(c, i)`` of a float array of known rank and a Python int `i`: True when it
    reads one number (rank 1, or a tuple of as many ints as the rank); otherwise the result is a
    view one rank lower (recorded)."""
    if len(op.args) != 2 or op.kwargs or len(op.results) != 1:
        return False
    c, k = op.args
    r = flow.rank.get(c) if isinstance(c, Var) else None
    if r is None:
        return False
    if r > 1 and element_index(k, r, flow.int_idx, flow.tuples):
        return True  # `A[i, j]` of a 2-D one: a number (`v = A[i, j]; A[i, j] = v * v`)
    if not _int_key(flow, k):
        return False
    if r == 1:
        return True
    flow.rank[op.results[0]] = r - 1
    return False


def int_tuple(flow: Any, keys: list) -> bool:
    """`keys` is one index, a tuple of two or more Python ints (`A[i, j]` of an array of that
    rank is a number: what the optimistic check assumes of every array)."""
    k = keys[0] if len(keys) == 1 else None
    if isinstance(k, Const) and type(k.value) is tuple:
        n = len(k.value)
    else:
        n = len(flow.tuples.get(k, ())) if isinstance(k, Var) else 0
    return n > 1 and element_index(k, n, flow.int_idx, flow.tuples)


def _int_key(flow: Any, k: object) -> bool:
    if isinstance(k, Const):
        return type(k.value) is int
    return isinstance(k, Var) and k in flow.int_idx


def _element_key(flow: Any, k: object) -> bool:
    """`c[k]` is an element of a list/dict or a row view of an array, never a copy."""
    if isinstance(k, Const) and type(k.value) in (str, bytes):
        return True
    return _int_key(flow, k)


def _number_key_of_box(flow: Any, st: Any, c: Var, k: object) -> bool:
    """`c[k]` of lists/tuples/dicts made here (or list arguments) with a key known to be a number
    at this transform (``val[n][j] = v``, `n` an int argument): an element (a float key raises)."""
    return isinstance(k, Var) and k in flow.facts.scalars and flow.all_boxes(flow.pts(st, c))


def _view_key(flow: Any, st: Any, c: Var, k: object) -> bool:
    """`c[k]` of a float array of known rank with a constant basic index (slices, ints, None,
    ``...``): a view, written through as an int index's row is (``u[1:][0] = v``,
    ``u[:, 1][::-1] += w``). The optimistic check takes any `c` but a list/tuple/dict made
    here for an array (the check per transform then knows the ranks)."""
    if not isinstance(k, Const):
        return False
    if c not in flow.rank:
        objs = flow.pts(st, c)
        if not (flow.facts.optimistic and objs) or any(o[1] in flow.boxes for o in objs):
            return False
    parts = k.value if type(k.value) is tuple else (k.value,)
    return all(p is None or p is Ellipsis or type(p) in (int, slice) for p in parts)


def _dicts_only(flow: Any, objs: frozenset) -> bool:
    """`objs` are dicts made here: ``d[k]`` is an element for any key (never a copy)."""
    return bool(objs) and all(o[0] == "n" and o[1] in flow.dicts for o in objs)


def _same_place(flow: Any, a: object, b: object) -> bool:
    """`a` and `b` are the same Var, or the same element path read twice (``c[k]``)."""
    if a is b:
        return True
    ga, gb = flow.getitem_of.get(a), flow.getitem_of.get(b)
    if ga is None or gb is None:
        return False
    return _same_index(flow, ga[1], gb[1]) and _same_place(flow, ga[0], gb[0])


def _same_index(flow: Any, a: object, b: object) -> bool:
    """The same key: one Var, equal constants, or the same int arithmetic (or NumPy int) of the
    same keys (``c[i % 2].append(v)`` reads ``i % 2`` twice before CSE: ``c[i % 2]``, then the
    write-back)."""
    if isinstance(a, Var) and isinstance(b, Var) and a is not b:
        arith = _int_arith(flow)
        da, db = arith.get(a), arith.get(b)
        return (
            da is not None
            and db is not None
            and da[0] == db[0]
            and len(da[1]) == len(db[1])
            and all(_same_index(flow, x, y) for x, y in zip(da[1], db[1]))
        )
    if isinstance(a, Var) or isinstance(b, Var):
        return a is b
    return isinstance(a, Const) and isinstance(b, Const) and a.value == b.value


_ARITH = (
    frozenset({"add", "sub", "mul", "floordiv", "mod", "neg", "pos"}) | NP_INTS
)  # (``np.int64(1)``)


def _int_arith(flow: Any) -> dict:
    """Python ints made by int arithmetic: Var -> (prim, args) (built once per flow)."""
    got = getattr(flow, "_int_arith", None)
    if got is None:
        nums = flow.int_idx | flow.facts.scalars  # (numbers now: ``val[n - 1]`` twice is one key)
        got = {
            op.results[0]: (op.prim, op.args)
            for op in walk_ops(flow.fn.body)
            if op.prim in _ARITH and len(op.results) == 1 and not op.kwargs
            and op.results[0] in nums
        }  # fmt: skip
        flow._int_arith = got
    return got


def _single_path(flow: Any, st: Any, c: Var, target: frozenset) -> bool:
    base = flow.pts(st, c)
    tree = flow.reach(st, base)
    holders: dict[tuple, list] = {}
    for o in tree:
        for n in st.heap.get(o, ()):
            holders.setdefault(n, []).append(o)
    # objects inside `c` on a path to an updated object
    on_path = set()
    todo = [t for t in target if t in tree]
    while todo:
        n = todo.pop()
        if n in on_path:
            continue
        on_path.add(n)
        todo.extend(holders.get(n, ()))
    for n in on_path:
        hs = holders.get(n, [])
        if n in base:  # `c` may be this object, but a container that may hold it twice...
            if any(h in st.dup for h in hs):  # (`dict.fromkeys(ks, [])`): another name for it
                return False
            continue
        if any(h in st.dup for h in hs):
            return False
        if not (len(hs) == 1 and hs[0][0] == "n") and not _held_once(flow, st, n, hs):
            return False
    return True


def _held_once(flow: Any, st: Any, n: tuple, hs: list) -> bool:
    """Every object `n` stands for was stored once, into a list/tuple/dict made here (`hs`
    may be older objects standing for many: the lists a loop made, each holding its own)."""
    made_here = all(h[0] in ("n", "o") and h[1] in flow.boxes for h in hs)
    return made_here and n[0] in ("n", "o") and n in st.stored and n not in st.multi


def relabel_swaps(flow: Any, st: Any, carried: list, yields: list) -> None:
    """Loop carries that are distinct objects made before the loop and that the body only
    permutes (``old, new = new, old`` after writing ``new[i]``): the objects in `st` (the state
    after the body) are renamed back to the ones each carry started with, so the next iteration
    again sees distinct objects instead of both carries may-be-either (which made writing one
    look like writing the other). Renaming every Var, heap entry and duplicate mark at once only
    relabels the abstract objects: names bound before the loop to one of them end up may-be-
    either after the join, as they should. Only objects of sites with the same properties."""
    first: dict[tuple, int] = {}
    for k, c in enumerate(carried):
        if len(c) == 1:
            (o,) = c
            first[o] = -1 if o in first else k  # an object two carries start with: never
    start = {k: o for o, k in first.items() if k >= 0 and o[0] == "n"}
    rho: dict[tuple, tuple] = {}
    for k, o in start.items():
        got = flow.pts(st, yields[k])
        if len(got) == 1 and next(iter(got)) in first and next(iter(got)) != o:
            rho[next(iter(got))] = o
    if not rho or set(rho) != set(rho.values()):
        return
    sites = {o[1] for o in rho}

    def props(s: int) -> tuple:
        return s in flow.flat, s in flow.boxes, s in flow.dicts, s in flow.escaped

    if len({props(s) for s in sites}) != 1 or any(("o", s) in st.heap for s in sites):
        return
    flow.leaf.difference_update(rho)  # may hold objects (what one holds, the other may)

    def ren(objs: frozenset) -> frozenset:
        return frozenset(rho.get(o, o) for o in objs) if not objs.isdisjoint(rho) else objs

    st.env = {v: ren(objs) for v, objs in st.env.items()}
    st.heap = {rho.get(o, o): ren(objs) for o, objs in st.heap.items()}
    st.dup = {rho.get(o, o) for o in st.dup}
    st.stored = {rho.get(o, o) for o in st.stored}
    st.multi = {rho.get(o, o) for o in st.multi}
    alias_slots.rename(st.slots, rho)


def item_update(flow: Any, op: Op, st: Any) -> bool:
    """Does `op`, computing ``c[k] op= v`` (`Function.item_augmented`), update the old element in
    place as ``x op= v`` does? Python runs ``c[k].__iop__(v)``: on an array element of a list,
    dict or object another name still holds (``W = params[0]; params[0] -= g``), that name sees
    the change, srcad's new value does not; facts of numbers excuse it as for ``x op= v``. Not
    when `c` is an array made here (``a[1:] += v`` writes into `a`: the ``c[k] = ...`` after it
    is a `setitem` of `a`, an update the flow counts already)."""
    if not op.args or flow.facts.optimistic:  # (every value that may be a number is one)
        return False
    olds = flow.pts(st, op.args[0])
    if not any(_may_be_array(flow, o) for o in olds) and not _grown_box(flow, olds):
        flow.item_numbers.update(op.results)  # its results: numbers too
        return False  # numbers: rebound, as Python does
    got = flow.getitem_of.get(op.args[0])
    if got is None:
        return True
    objs = flow.pts(st, got[0])
    return not objs or any(o[0] not in ("n", "o") or o[1] in flow.boxes for o in objs)


def _grown_box(flow: Any, objs: frozenset) -> bool:
    """Are some of `objs` lists or dicts made here, which ``c[k] op= v`` changes in place
    (``m[0] += [a]`` runs ``list.__iadd__``, ``d[k] |= e`` ``dict.__ior__``)? Not tuples only
    (``t += (v,)`` makes a new tuple). Counted as numbers, ``v = m[0]; m[0] += [a]; len(v)``
    gave 2 where Python gives 3, and a wrong derivative."""
    boxes = frozenset(o for o in objs if o[0] in ("n", "o") and o[1] in flow.boxes)
    return bool(boxes) and not tuples_only(flow, boxes)


def _constructed(flow: Any, v: object) -> bool:
    """Is `v` the result of calling a class (``Vec(1.0, 2.0)``: a user object)?"""
    prim, args = defined_by(flow, v)
    if prim != "call" or not args or not isinstance(args[0], Var):
        return False
    ok, callee = static_value(flow.fn, args[0])
    return ok and isinstance(callee, type)


def _number_result(flow: Any, v: object) -> bool:
    """Is `v` the result of a user function that returns a number for these operands (its IR's
    `scalar_vars`, from the positional operands known to be numbers) or an instance of a class
    it calls? ``a = sq(x)`` of a float `x`: ``xs = [a]; xs[0] -= 1.0`` rebinds, `a` keeps its
    value."""
    prim, args = defined_by(flow, v)
    if prim != "call" or not args or not isinstance(args[0], Var):
        return False
    ok, f = static_value(flow.fn, args[0])
    if not ok or not isinstance(f, types.FunctionType) or f.__code__.co_flags & 0x0C:
        return False  # (*args / **kwargs: operands and parameters do not pair up)
    try:
        callee = _prepare.lowered(f)
    except SrcadError:
        return False
    seeds = {
        p for p, a in zip(callee.params, args[1:]) if a in flow.facts.scalars or is_scalar_const(a)
    }
    ys = callee.body.yields
    if len(ys) != 1 or is_scalar_const(ys[0]):
        return len(ys) == 1
    if _constructed(_Callee(callee), ys[0]):  # ``def make(a): return Vec(a)``
        return True
    return ys[0] in scalar_vars(callee, seeds)


class _Callee:
    """What `_constructed` reads of a flow, for a callee's IR."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn


def _may_be_array(flow: Any, o: tuple) -> bool:
    """May the object `o` be an array (updated in place by ``op=``)? Not a number argument, a
    container made here, an object made by an op whose results are known numbers, or the
    result of an item update found to act on numbers, or an instance made by calling its
    class (a user object, whose ``__iop__`` srcad runs); anything else may, a helper's result
    too (``params = [init(h), b]``: `init` returns an array)."""
    if o[0] == "p":
        return flow.fn.params[o[1]] not in flow.facts.scalars
    if o[0] in ("n", "o"):
        if o[1] in flow.boxes:
            return False  # a list/tuple/dict made here
        made = flow.site_of.get(("n", o[1]), ())
        if made and all(_constructed(flow, v) or _number_result(flow, v) for v in made):
            return False  # a user object made by its class (`__iop__`: ad/augmented.py)
        return not made or not all(v in flow.facts.scalars or v in flow.item_numbers for v in made)
    return True


def dup_of(flow: Any, st: Any, op: Op, a: frozenset, b: frozenset) -> bool:
    """May the list/dict `op` makes of the contents of `a` and `b` hold an object twice?"""
    if op.prim in ("mul", "srcad.runtime.seq_repeat"):
        return True  # `[v] * 2`
    ca, cb = flow.contents(st, a), flow.contents(st, b)
    return not (ca.isdisjoint(cb) and st.dup.isdisjoint(a | b))


def box_like(flow: Any, op: Op, st: Any, args: list, any_dict: bool = False) -> None:
    """A shallow copy or merge (``c.copy()``, ``a + b``, ``a | b``) of lists/dicts is one too:
    ``c[k] op= v`` on it updates an element its source still holds in place (`item_update`).
    With `any_dict`, one dict operand suffices (``d | other`` is a dict or an error). A list or
    dict argument of the differentiated function counts as one (`Facts.box_params`)."""
    parts = [flow.pts(st, a) for a in args]
    facts = flow.facts

    if not facts.top and any(o[0] == "p" for objs in parts for o in objs):
        flow.copies_param = True  # a list/dict argument at the top: `check_transform` decides

    def box(objs: frozenset) -> bool:
        return bool(objs) and all(
            (o[0] in ("n", "o") and o[1] in flow.boxes)
            or (o[0] == "p" and o[1] in facts.box_params)
            for o in objs
        )

    dicts = [bool(o) and all(x[0] in ("n", "o") and x[1] in flow.dicts for x in o) for o in parts]
    if any_dict and any(d and box(o) for d, o in zip(dicts, parts)):
        dicts = [True]
    elif not parts or not all(box(o) for o in parts):
        return
    site = flow.sites.setdefault(id(op), len(flow.sites))
    flow.boxes.add(site)
    if all(dicts):
        flow.dicts.add(site)


def swap_writes(flow: Any) -> frozenset:
    """Ids of the two ``setitem`` ops of each swap of two items of one container, ``c[i], c[k]
    = c[k], c[i]`` (``c.1 = setitem(c, i, c[k]); c.2 = setitem(c.1, k, c[i])``, both items read
    from `c` before the first write, the writes next to each other but for the runtime checks
    of their values, `ITSELF`; `i`, `k` element keys): the container holds the objects it held,
    permuted, so it holds none twice that it did not before (each write alone would look as if
    it might). Found once per analysis."""
    got = getattr(flow, "_swap_writes", None)
    if got is None:
        got = flow._swap_writes = frozenset(_swaps(flow, flow.fn.body))
    return got


def _swaps(flow: Any, block: Block) -> list:
    out: list = []
    ops = block.ops
    where = {r: k for k, op in enumerate(ops) for r in op.results}
    for k, op in enumerate(ops):
        for b in op.blocks:
            out += _swaps(flow, b)
        if op.prim != "setitem" or len(op.args) != 3 or op.kwargs or len(op.results) != 1:
            continue
        n = k + 1
        while n < len(ops) and ops[n].prim in ITSELF:
            n += 1
        nxt = ops[n] if n < len(ops) else None
        if (
            nxt is None
            or nxt.prim != "setitem"
            or len(nxt.args) != 3
            or nxt.kwargs
            or nxt.args[0] is not op.results[0]
        ):
            continue
        c, i, first = op.args
        _, k2, second = nxt.args
        a, b = _itself(flow, first), _itself(flow, second)
        ga, gb = defined_by(flow, a), defined_by(flow, b)
        if ga[0] != "getitem" or gb[0] != "getitem" or len(ga[1]) != 2 or len(gb[1]) != 2:
            continue
        if ga[1][0] is not c or gb[1][0] is not c or where.get(b, len(ops)) > k:
            continue  # (`b` read from `c` after the first write: its new item)
        if not (_element_key(flow, i) and _element_key(flow, k2)):
            continue
        if _same_index(flow, ga[1][1], k2) and _same_index(flow, gb[1][1], i):
            out += [id(op), id(nxt)]
    return out


def _itself(flow: Any, v: object) -> object:
    """`v`, through the runtime checks that give back an operand (`ITSELF`)."""
    prim, args = defined_by(flow, v)
    while prim in ITSELF and len(args) > ITSELF[prim]:
        v = args[ITSELF[prim]]
        prim, args = defined_by(flow, v)
    return v
