"""Which subscripts make a new object, for the mutation check (passes/alias_flow.py).

Input: the `Flow` of a function (its ops, the ranks of its float arrays) and a ``getitem`` op.
Output: whether its index is a slice (`is_slice`: a view of an array, a new list of a list's
items), whether its result is written back into the container by a nested store
(`written_back`: ``c[0:1][0] = v`` lowers as ``e = c[0:1]; setitem(c, 0:1, setitem(e, 0, v))``,
which Python loses since the slice is a copy), and whether it is an advanced-index copy of an
array (`fancy_copy`): ``x[[1, 0]]``, ``x[np.array([2, 0])]``, ``x[np.argsort(x)]``, ``x[x > 0]``,
``x[np.nonzero(m)]``, ``x[np.ix_(i, j)]``, ``x[np.arange(k)]``, ``x[np.tril_indices(n)]`` and
its parts (``i, j = np.tril_indices(n); x[i, j]``) (comparisons of float arrays of known rank,
which a Python bool cannot be; ``np.argsort`` and the others return arrays of one dimension or
more for any operand) are new arrays NumPy copied, holding `x`'s elements, so updating one in
place (``t = x[[1, 0]]; t *= t``) leaves `x` alone, as in Python. Also whether an arithmetic
op of numbers makes a number (`of_numbers`), not a new object, the runtime checks whose
result is an operand (`ITSELF`), and the new array a view-making function makes of a number
(`number_array`: ``t = np.asarray(s); ts = [t]; t += v`` updates the array `ts` holds), the
one an index with ``...`` or ``None`` makes of a number (`number_item`: ``t[...]``, ``t[None]``),
what an index with ``None`` makes of a 1-D array (`index_read`: ``x[None][0]`` a view, no
number), and what a store makes its container hold (`stored`: ``v[:] = v_next`` copies into an array, a
list takes the elements, never `v_next` itself).
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import numpy as np

from srcad.lower.argcopy import ENTRY_COPY
from srcad.lower.values import static_value
from srcad.passes.alias_model import ADD_MUL, CONTAINERS, EMPTY, OWNS, lookup_name
from srcad.ssa.core import Const, Op, Var, walk_ops

_COMPARE = frozenset({"gt", "lt", "ge", "le", "eq", "ne"})
_BOOL = frozenset({"invert", "and_", "or_", "xor", "numpy.logical_and", "numpy.logical_or",
                   "numpy.logical_not", "numpy.logical_xor", "numpy.isnan", "numpy.isfinite",
                   "numpy.isinf"})  # fmt: skip
_INDEX_ARRAYS = frozenset({"numpy.argsort", "numpy.nonzero", "numpy.flatnonzero",
                           "numpy.argwhere", "numpy.arange", "numpy.indices", "numpy.tril_indices",
                           "numpy.triu_indices", "numpy.diag_indices", "numpy.tril_indices_from",
                           "numpy.triu_indices_from", "numpy.diag_indices_from"})  # fmt: skip
# tuples of index arrays (1-D at least), each part an advanced index itself
_INDEX_TUPLES = frozenset({"numpy.nonzero", "numpy.tril_indices", "numpy.triu_indices",
                           "numpy.diag_indices", "numpy.tril_indices_from",
                           "numpy.triu_indices_from", "numpy.diag_indices_from", "numpy.ix_",
                           "numpy.indices"})  # fmt: skip
_ARRAY = frozenset({"numpy.array", "numpy.asarray"})
_AS_ARRAY = frozenset({"numpy.asarray", "numpy.asanyarray"})
# arrays of their operand's shape: of a float array of rank >= 1, an index array (bool, int: a
# copy; float: NumPy's IndexError)
_LIKE = frozenset({"numpy.ones_like", "numpy.zeros_like", "numpy.full_like", "numpy.empty_like"})


def is_slice(idx: object, flow: Any) -> bool:
    """`idx` is a slice: a constant one, or made by a ``slice`` op of the function."""
    if isinstance(idx, Const):
        return isinstance(idx.value, slice)
    if not isinstance(idx, Var):
        return False
    return defined_by(flow, idx)[0] == "slice"


def param_slice(flow: Any, base: frozenset) -> bool:
    """`base` is parameters only, in the optimistic run (`Facts.optimistic`): ``lf = p[:]`` of
    a list argument is a new list (deferred to the transform, which knows whether `p` is one:
    `Facts.box_params`; an array's slice is a view of it)."""
    return flow.facts.optimistic and bool(base) and all(o[0] == "p" for o in base)


def written_back(flow: Any, slices_only: bool = True) -> frozenset:
    """Vars `e` whose updated version a ``setitem`` writes back into the container they were read
    from (with a slice key; any key unless `slices_only`)."""
    key = "_written_back" if slices_only else "_written_back_any"
    got = getattr(flow, key, None)
    if got is None:
        made: dict = {}
        for op in walk_ops(flow.fn.body):
            if op.prim in ("setitem", "list_append") and op.results and op.args:
                made[op.results[0]] = op.args[0]
        roots = set()
        for op in walk_ops(flow.fn.body):
            if op.prim == "setitem" and len(op.args) == 3:
                if slices_only and not is_slice(op.args[1], flow):
                    continue
                v = op.args[2]
                while v in made:
                    v = made[v]
                roots.add(v)
        got = frozenset(roots)
        setattr(flow, key, got)
    return got


def fancy_copy(flow: Any, op: Op) -> bool:
    """``getitem(x, idx)`` is a new container (of `x`'s elements): `idx` an advanced index (see
    the module docstring: lists, tuples, dicts and strings raise TypeError for one, user classes'
    ``__getitem__`` lowers as a method call), and no nested store writes the result back."""
    if len(op.args) != 2 or not op.results:
        return False
    return _advanced(flow, op.args[1], 0) and op.results[0] not in written_back(flow, False)


def _advanced(flow: Any, idx: object, depth: int) -> bool:
    """`idx` holds an index array (a list, an int or bool array of rank >= 1)."""
    if isinstance(idx, Const):
        v = idx.value
        return isinstance(v, list) or (isinstance(v, np.ndarray) and v.ndim >= 1)
    if not isinstance(idx, Var) or depth > 8:
        return False
    prim, args = defined_by(flow, idx)
    rank = lambda a: isinstance(a, Var) and flow.rank.get(a, 0) >= 1  # noqa: E731
    if prim is None:  # a parameter: an array of rank >= 1 (int or bool; float: IndexError);
        # any parameter in the lowering's optimistic run (the transform knows the types)
        return rank(idx) or (flow.facts.optimistic and idx in flow.fn.params)
    if prim == "list":
        return True
    if prim == "tuple":  # mixed basic and advanced indices copy too
        return any(_advanced(flow, a, depth + 1) for a in args)
    if prim in _COMPARE:
        return any(rank(a) for a in args)
    if prim in _BOOL:
        return any(_advanced(flow, a, depth + 1) for a in args)
    if prim in _INDEX_ARRAYS:  # of any operand: 1-D at least (argwhere 2-D)
        return True
    if prim == "numpy.ix_":  # a tuple of index arrays, one per operand (none: `x[()]`, a view)
        return bool(args)
    if prim == "getitem" and len(args) == 2 and isinstance(args[1], Const):
        # `i, j = np.tril_indices(n)`: a part of a tuple of index arrays is one
        return type(args[1].value) is int and defined_by(flow, args[0])[0] in _INDEX_TUPLES
    if prim in _ARRAY:
        return bool(args) and _advanced(flow, args[0], depth + 1)
    if prim in _LIKE:  # `np.ones_like(x, dtype=bool)` of an array x: an index array too
        return bool(args) and rank(args[0])
    if prim == "setitem" and args:  # `mask[i, y] = False`: the same array, updated
        return _advanced(flow, args[0], depth + 1)
    return False


def defined_by(flow: Any, v: object) -> tuple:
    """(prim, args) of the op of `flow`'s function defining `v` ((None, ()) for a parameter);
    the table is made once per analysis."""
    defs = getattr(flow, "_index_defs", None)
    if defs is None:
        defs = flow._index_defs = {
            r: (op.prim, tuple(op.args)) for op in walk_ops(flow.fn.body) for r in op.results
        }
    return defs.get(v, (None, ()))


# runtime checks whose result is one of their operands (by position): `x[i] = v` through
# `copy_source(x, i, v, line)` (passes/overlap.py) stores `v` itself, not a new object
ITSELF = {"srcad.runtime.plain_list": 0, "srcad.runtime.copy_source": 2}
# arithmetic whose result, of ints, is an int (`i << 1`: scimark FFT's indices; `j ^= bit`: the
# bit reversal of an iterative FFT; bools are no such ints, `True ^ True` is a bool)
INT_OPS = frozenset({"add", "sub", "mul", "floordiv", "mod", "lshift", "rshift", "bitand", "bitor",
                     "bitxor"})  # fmt: skip
# arithmetic whose result, of numbers, is a number (`add`/`mul`: `Flow.add_mul`)
ARITH = frozenset({"sub", "truediv", "floordiv", "mod", "pow", "neg", "pos"})
_NUMBERS = (bool, int, float, complex, np.generic)


def of_numbers(flow: Any, st: Any, op: Op) -> bool:
    """`op` is arithmetic on operands holding no object (numbers): its result is a number, as
    ``a + b`` of two numbers is (`data[j] = data[i] - w` keeps a list of floats one of numbers,
    so ``data[i] += w`` later rebinds an element and changes no object another name holds)."""
    if op.prim not in ARITH:
        return False
    for a in op.args:
        if isinstance(a, Const) and not isinstance(a.value, _NUMBERS):
            return False
        if isinstance(a, Var) and flow.pts(st, a):
            return False
    return True


def tuples_only(flow: Any, objs: frozenset) -> bool:
    """`objs` are all tuples made here (``t += (v,)`` of one makes a new tuple: not an update)."""
    if not objs:
        return False
    sites = {flow.sites.get(id(op)) for op in walk_ops(flow.fn.body) if op.prim == "tuple"}
    return all(o[0] in ("n", "o") and o[1] in sites for o in objs)


# methods of a NumPy scalar that make an array of it (`t.repeat(2)`, `t.take([0])`), as these
# do of an array (no record says they own their result: a user class may define them)
_NUMBER_VIEWS = frozenset({"method.reshape", "method.ravel", "method.repeat", "method.take",
                           "method.compress", "method.__array__"})  # fmt: skip


def number_array(flow: Any, st: Any, op: Op) -> frozenset:
    """The objects the result of a NumPy function (a view of its operand, an unknown one) may
    be: those its operands reach and, when those are no object or number arguments' only, a
    new array (``np.asarray(2.0)``, ``np.atleast_1d(s)``, ``np.reshape(s, (1,))``,
    ``s.reshape(1)`` of a NumPy scalar make one, which ``t op= v`` updates in place), unless
    the result is known to be a number."""
    p = op.prim
    if p in _AS_ARRAY and cast_copy(flow, op):
        return flow.alloc(st, op)  # `np.asarray(x, dtype=np.float32)` of a float64 `x`: a copy
    if p in ("max", "min") and len(op.args) == 1 and _made_lists(flow, flow.pts(st, op.args[0])):
        return flow.contents(st, flow.pts(st, op.args[0]))  # `max(xs)`: an item, never `xs`
    if p == "srcad.runtime.as_sequence" and (
        dict_value(flow, op.args[0]) or (flow.facts.optimistic and _argument(flow, op.args[0]))
    ):  # (the lower bound of every transform's hazards: an argument may be a dict)
        return flow.alloc(st, op)  # `for k in d`: a new list of `d`'s keys (no object updated)
    out = flow.reach(st, flow.pts_all(st, op.operands()))
    if p.startswith("attr.") and op.args and isinstance(op.args[0], Const):
        ext = class_attr(flow, st, op.args[0].value, p[5:])
        if ext:
            return ext
    if p.startswith("attr.") and op.args and (cls := instance_class(flow, op.args[0])):
        out = out | class_attr(flow, st, cls, p[5:])  # `o.c` of `o = P(...)`: P.c too
    if (p.startswith("numpy.") or p in _NUMBER_VIEWS) and op.results and out <= flow.numbers:
        if op.results[0] not in flow.facts.scalars:
            return out | flow.alloc(st, op)
    return out


def cast_copy(flow: Any, op: Op) -> bool:
    """``np.asarray(x, dtype=D)`` is a new array: `x` is a number (any transform's lower bound,
    `Facts.optimistic`, assumes so), or a float64 array argument and `D` another dtype."""
    if len(op.args) != 1 or set(op.kwargs) != {"dtype"} or not isinstance(op.args[0], Var):
        return False
    if flow.facts.optimistic or op.args[0] in flow.facts.scalars:
        return True
    if op.args[0] not in flow.facts.f64:
        return False
    d = op.kwargs["dtype"]
    found, val = (True, d.value) if isinstance(d, Const) else static_value(flow.fn, d)
    try:
        return found and val is not None and np.dtype(val) != np.float64
    except TypeError:
        return False


def _made_lists(flow: Any, objs: frozenset) -> bool:
    """`objs` are all lists/tuples this function made (no dicts: iterating one gives its keys)."""
    return bool(objs) and all(
        o[0] in ("n", "o") and o[1] in flow.boxes and o[1] not in flow.dicts for o in objs
    )


_COPIES = (ENTRY_COPY, "srcad.runtime.own_items")


def dict_value(flow: Any, v: object) -> bool:
    """`v` holds a dict itself, not a view of one (``d.items()``, ``d.values()`` are `d`'s object
    for the flow, but iterating them gives the values, which ``d[k] = w`` replaces): made by a
    dict display or ``dict(...)``, updated by ``d[k] = w``, or returned by a user function whose
    return value is such a dict (the call's site in `flow.dicts`: alias_calls), or a dict argument
    of the differentiated function (`Facts.dicts`, from its Spec) or that argument's copy."""
    defs, seen = _defs(flow), set()
    while isinstance(v, Var) and v not in seen:
        seen.add(v)
        if v in flow.facts.dicts:  # (a dict argument of the differentiated function)
            return True
        op = defs.get(v)
        if op is None:
            v = _carried(flow, v)
            continue
        if op.prim in ("dict", "builtins.dict"):
            return True
        if op.prim in _COPIES:  # (an updated argument's private copy: its type)
            v = op.args[0]
            continue
        if op.prim == "call":
            return flow.sites.get(id(op)) in flow.dicts
        if op.prim == "for":  # (a dict a loop updates: ``for k in d: d[k] = ...`` twice)
            v = _loop_init(op, v, defs)
            continue
        if op.prim not in ("setitem", "srcad.runtime.setitem") or not op.args:
            return False
        v = op.args[0]
    return False


def _loop_init(op: Op, v: Var, defs: dict) -> object:
    """The initial value of the carry of the ``for`` op `op` whose result is `v` when the body
    yields that carry updated by item assignments only (``d[k] = w``), else None."""
    j, n, body = op.results.index(v), len(op.results), op.blocks[-1] if op.blocks else None
    shape = (3 + n, 1 + n, n + bool(op.params.get("has_break")))  # (+ a stop flag yielded last)
    if body is None or (len(op.args), len(body.params), len(body.yields)) != shape:
        return None
    y, carry, seen = body.yields[j], body.params[1 + j], set()
    while isinstance(y, Var) and y is not carry and y not in seen:
        seen.add(y)
        d = defs.get(y)
        if d is not None and d.prim == "for":  # (a nested loop updating it so)
            y = _loop_init(d, y, defs)
            continue
        if d is None or d.prim not in ("setitem", "srcad.runtime.setitem") or not d.args:
            return None
        y = d.args[0]
    return op.args[3 + j] if y is carry else None


def _carried(flow: Any, v: object) -> object:
    """The initial value of `v`, a ``for`` loop's carry inside its body, when the body yields
    it updated by item assignments only (`_loop_init`), else None."""
    carries = getattr(flow, "_carries", None)
    if carries is None:
        carries = flow._carries = {
            p: (op, j)
            for op in walk_ops(flow.fn.body)
            if op.prim == "for" and op.blocks
            for j, p in enumerate(op.blocks[-1].params[1 : 1 + len(op.results)])
        }
    if v not in carries:
        return None
    op, j = carries[v]
    return _loop_init(op, op.results[j], _defs(flow))


def _defs(flow: Any) -> dict:
    defs = getattr(flow, "_dict_defs", None)
    if defs is None:
        defs = flow._dict_defs = {r: op for op in walk_ops(flow.fn.body) for r in op.results}
    return defs


def _argument(flow: Any, v: object) -> bool:
    """`v` is a parameter of the function, or an updated parameter's private copy (or such a
    value a ``for`` loop updates by item assignments: `_loop_init`)."""
    defs = _defs(flow)
    while type(v) is Var and (v not in defs or defs[v].prim == "for") and v not in flow.fn.params:
        v = _loop_init(defs[v], v, defs) if v in defs else _carried(flow, v)
    prim, args = defined_by(flow, v)
    if prim == _COPIES[1]:  # (its array items' copies: lower/argitems.py)
        prim, args = defined_by(flow, args[0])
    return v in flow.fn.params or (prim == ENTRY_COPY and args[0] in flow.fn.params)


def box_item(flow: Any, st: Any, op: Op, base: frozenset, elems: frozenset) -> frozenset:
    """``c[k]`` of lists/tuples this function made, `k` unknown: an item, or (`k` a slice) a new
    list of the items, never `c` itself, so union-find's ``parent[a] = parent[parent[a]]`` does
    not make `parent` hold itself. Anything else (a dict, an argument, a slice written back into
    `c` by a nested store, `written_back`): what `c` is or holds."""
    if not _made_lists(flow, base) or op.results[0] in written_back(flow):
        return base | elems
    flow.boxes.add(flow.sites.setdefault(id(op), len(flow.sites)))  # (a list, when a slice)
    return elems | flow.alloc(st, op, elems, dup=not st.dup.isdisjoint(base))


def stored(flow: Any, st: Any, op: Op, target: frozenset) -> frozenset:
    """The objects the ``setitem``/``list_append`` `op` makes the objects `target` hold: the
    value, or its elements for a slice store ``x[i:j] = v`` into objects this function made as
    arrays or lists (QuantEcon's ``v[:] = v_next``): an array copies the numbers, a list takes
    the elements; neither holds `v`, so a later ``v_next[j] = w`` leaves `x` alone. Anything
    else (a dict, whose key a slice is from Python 3.12, an argument, a global) holds `v`."""
    v = flow.pts(st, op.args[-1])
    if op.prim != "setitem" or len(op.args) != 3 or not v or not is_slice(op.args[1], flow):
        return v
    for o in target:
        if o[0] not in ("n", "o") or o[1] in flow.dicts:
            return v
        made = flow.site_of.get(("n", o[1]))
        prim = defined_by(flow, made[0])[0] if made else None
        if prim is None or (prim != "list" and flow._kind(prim) not in (OWNS, ADD_MUL)):
            return v
    return flow.contents(st, v)


def index_read(flow: Any, st: Any, op: Op) -> None:
    """Record ``e = c[k]`` (`flow.getitem_of`). An index with ``None`` (``x[None]``,
    ``x[:, np.newaxis]``) is a view of `c`'s object of a higher rank, so an int index of that
    view is a row, no number: `c`'s objects are no longer known to be 1-D (`flow.flat`)."""
    if len(op.args) < 2:
        return
    c, k = op.args[0], op.args[1]
    flow.getitem_of[op.results[0]] = (c, k)
    parts = flow.tuples.get(k, ()) if isinstance(k, Var) else ()
    if isinstance(k, Const):
        parts = k.value if type(k.value) is tuple else (k.value,)
    if any(e is None or (isinstance(e, Const) and e.value is None) for e in parts):
        flow.flat.difference_update(o[1] for o in flow.pts(st, c) if o[0] in ("n", "o"))
        r = flow.rank.get(c) if isinstance(c, Var) else None
        vals = [e.value if isinstance(e, Const) else e for e in parts]
        if r is not None and all(
            e is None or e is Ellipsis or type(e) in (int, slice) for e in vals
        ):
            picked = sum(type(e) in (int, slice) for e in vals)
            if picked <= r and vals.count(Ellipsis) <= 1:  # (else NumPy raises)
                new = r + vals.count(None) - sum(type(e) is int for e in vals)
                if new > 0:  # a float array of that rank: ``x[None][0][1]`` is a number again
                    flow.rank[op.results[0]] = new


def number_item(flow: Any, st: Any, op: Op) -> bool:
    """``getitem(t, idx)`` of a number `t` (a NumPy scalar, a number argument) with ``...`` or
    ``None`` in `idx` is a new array: ``s = t[...]`` (0-d), ``t[None]``, ``t[..., None]``; NumPy
    copies the scalar, so ``hist = [s]; s += v`` updates the array `hist` holds (a Python float
    raises TypeError there)."""
    if len(op.args) != 2 or not op.results or not flow.pts(st, op.args[0]) <= flow.numbers:
        return False
    idx = op.args[1]
    if isinstance(idx, Const):
        parts = idx.value if isinstance(idx.value, tuple) else (idx.value,)
    elif isinstance(idx, Var) and defined_by(flow, idx)[0] == "tuple":
        parts = tuple(a.value for a in defined_by(flow, idx)[1] if isinstance(a, Const))
    else:
        return False
    return any(a is None or a is Ellipsis for a in parts)


def class_attr(flow: Any, st: Any, owner: object, name: str) -> frozenset:
    """The global object an attribute of a class or module known at transform time is, when it
    is an array or a mutable container (``type(self).c`` folded to ``attr.c(<class P>)``; a
    global ``P`` reaches it through `alias_model.is_immutable`): none otherwise."""
    if not isinstance(owner, (type, types.ModuleType, types.FunctionType)):
        return EMPTY
    try:
        value = inspect.getattr_static(owner, name)
    except AttributeError:
        return EMPTY
    if not isinstance(value, CONTAINERS):
        return EMPTY
    key = ("g", id(value))
    flow.ext_names.setdefault(id(value), f"{getattr(owner, '__name__', '?')}.{name}")
    st.heap[key] = st.heap[("ge", id(value))] = frozenset({("ge", id(value))})
    return frozenset({key})


def instance_class(flow: Any, v: object) -> type | None:
    """The class `v` is an instance of when the function makes it, ``v = P(...)`` of a global or
    closure class `P` (its attribute reads may be the class's own, shared by every instance)."""
    prim, args = defined_by(flow, v)
    if prim != "call" or not args or not isinstance(args[0], Var):
        return None
    ops = getattr(flow, "_index_ops", None)
    if ops is None:
        ops = flow._index_ops = {r: o for o in walk_ops(flow.fn.body) for r in o.results}
    made = ops.get(args[0])
    if made is None or made.prim not in ("global", "free"):
        return None
    ok, value = lookup_name(flow.fn, made.prim, made.params.get("name", ""))
    return value if ok and isinstance(value, type) else None


# reads of an array's shape and dtype only (of their first operand), which ``x op= v`` on a float
# array never changes: NumPy refuses to broadcast the target or to cast it to another kind
SHAPE_READS = frozenset(
    {"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.shape", "numpy.ndim"}
)


def shape_only(flow: Any, st: Any, a: Var, at: Any, m: Any) -> bool:
    """`at` reads only the shape and dtype of the stale `a`, and the update `m` is an ``x op= v``
    of float arrays of known rank (pg-pong's ``model[k] += g; buf[k] = np.zeros_like(v)`` in
    ``for k, v in model.items()``): no hazard. A list's ``+=`` grows it, so unknown objects
    keep the hazard; the optimistic pass (every argument a number) defers it to the transform,
    which knows the ranks (passes/alias.py)."""
    if at is None or at.prim not in SHAPE_READS or not at.args or at.args[0] is not a:
        return False
    if a in at.args[1:] or a in at.kwargs.values():
        return False
    if id(m) not in flow.aug and id(m) not in flow.item_aug:
        return False
    if flow.facts.optimistic:
        return True
    objs = flow.pts(st, a)
    return bool(objs) and all(_float_array(flow, o) for o in objs)


def _float_array(flow: Any, o: tuple) -> bool:
    """The abstract object `o` is only ever a float array of known rank (`Flow.rank`)."""
    if o[0] == "p":
        return flow.fn.params[o[1]] in flow.rank
    made = flow.site_of.get(("n", o[1]), ()) if o[0] in ("n", "o") else ()
    return bool(made) and all(v in flow.rank for v in made)


def rebound(flow: Any, st: Any, m: Op, hit: set, target: frozenset) -> None:
    """An edit mark (lower/listedits._mark_updated) rebinds its name to a value srcad makes
    fresh but Python keeps as the old object: the objects it updated are linked to that value,
    and an update `m` reaching one of them (`hit`: the updated objects and what holds them)
    makes it stale, as it makes their other holders (``b = [a]; a.reverse(); b[0][0] = v``:
    the new `a` sees `v` in Python). `Flow.mutate` calls this after marking the holders."""
    links = flow.__dict__.setdefault("rebound_links", {})
    nv = m.kwargs.get("rebound") if m.kwargs else None  # (the mark's own value: not stale)
    for o in hit:
        for v in links.get(o, ()):
            if v is not nv and v in st.env and m not in st.stale.get(v, ()):
                st.stale[v] = st.stale.get(v, ()) + (m,)
    if isinstance(nv, Var):
        for o in target:
            links.setdefault(o, []).append(nv)
