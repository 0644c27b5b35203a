"""``a op= v`` of an array that may not be float64: the result keeps `a`'s dtype, as in NumPy.

Input: a function about to be transformed or emitted (primal), its ``x op= v`` ops (the clones
of `Function.augmented`/`item_augmented`) and what the cache key says of its parameters. Output:
the function, with ``_srcad.inplace_cast(r, a, "add")`` after each such op whose target may be an
array of another dtype than float64. The lowering writes ``a += v`` as ``a = a + v``: right for
numbers (rebound) and float64 arrays, but NumPy runs ``np.add(a, v, out=a)`` for any array, which
keeps `a`'s dtype (``t = x.astype(np.float32); t += x`` stays float32) and raises where the
result cannot be cast back (``i = np.arange(3); i += 0.5``: UFuncTypeError) or would grow
(broadcasting to a larger shape: ValueError); `inplace_cast` (rules/checks.py) does the same.

Which targets need no cast (the generated code of float64 programs is unchanged): a small forward
analysis of dtypes over the IR. ``F``: a Python float, NumPy float64 scalar or float64 array
(float64 or a number parameter per the cache key; float64 makers ``np.zeros(n)``; arithmetic,
float ufuncs, reductions and reshapes of F values); ``S``: F or any real number that is no array
(ints, a float32 scalar), so rebound by ``op=``; ``("s", k)``: a list/tuple/dict of such values
(the parameters' list kinds, `srcad.ad.kinds`). Anything else (an ``astype``, ``np.arange``, a
user call's result) may be an array of another dtype: its ``op=`` is cast at run time. So is one
of an array whose operand is no number (`_grows`: ``acc = np.zeros(n); acc += x[:, None]``, or
``a = a0.copy(); a += x`` with `a0` (1, 3) and `x` (2, 3), raise in NumPy, where ``a = a + v``
would make a larger array) unless the target's constant shape shows it cannot grow, and one
whose operand may be complex (``a += 1j * x`` of a float64 `a`: NumPy's UFuncTypeError).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from srcad.ad.kinds import value_kind
from srcad.ad.opshapes import covers, within
from srcad.lower.values import static_value
from srcad.passes.complex_taint import complex_vars
from srcad.passes.scalars import float_ranks, scalar_vars
from srcad.rules import default_registry
from srcad.rules.checks import INPLACE_UFUNCS
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, walk_ops

CAST = "srcad.runtime.inplace_cast"
F, S = "F", "S"
_ARITH = frozenset(("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "neg",
                    "pos", "abs"))  # fmt: skip
_MAKERS = {
    "numpy.zeros": 1,
    "numpy.ones": 1,
    "numpy.empty": 1,
    "numpy.identity": 1,
    "numpy.eye": 3,
    "numpy.linspace": 3,
}  # fmt: skip  (the most positional arguments)
_LIKE = frozenset(("numpy.zeros_like", "numpy.ones_like", "numpy.empty_like"))
# array -> array of its dtype (at most this many positional arguments: a dtype may follow)
_SAME = {"sum": 2, "mean": 2, "prod": 2, "max": 2, "min": 2, "amax": 2, "amin": 2, "std": 2,
         "var": 2, "cumsum": 2, "cumprod": 2, "reshape": 9, "transpose": 9, "ravel": 9,
         "squeeze": 9, "expand_dims": 9, "copy": 1, "array": 1, "asarray": 1, "atleast_1d": 1,
         "atleast_2d": 1, "diag": 9, "trace": 1, "flip": 9, "roll": 9, "tile": 9, "repeat": 9,
         "sort": 9, "moveaxis": 9, "swapaxes": 9, "broadcast_to": 9}  # fmt: skip
_METHODS = {"method.sum": 1, "method.mean": 1, "method.prod": 1, "method.max": 1,
            "method.min": 1, "method.std": 1, "method.var": 1, "method.cumsum": 1,
            "method.reshape": 9, "method.ravel": 9, "method.flatten": 9, "method.transpose": 9,
            "method.copy": 9, "method.squeeze": 9, "attr.T": 9}  # fmt: skip
_VALUES = frozenset(("numpy.dot", "numpy.outer", "numpy.inner", "numpy.matmul", "numpy.clip",
                     "method.dot", "method.clip"))  # fmt: skip
_PASS = frozenset(("srcad.runtime.entry_copy", "srcad.runtime.returned_arg",
                   "srcad.runtime.shallow_copy", "srcad.runtime.as_sequence",
                   "srcad.runtime.plain_receiver", "builtins.list", "builtins.tuple",
                   "srcad.runtime.layout_copy", "srcad.runtime.owned_copy"))  # fmt: skip
# given ``dtype=float`` (np.float64, "float64"), these make float64 arrays
_DTYPED = frozenset(("numpy.array", "numpy.asarray", "numpy.zeros", "numpy.ones", "numpy.empty",
                     "numpy.full", "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like",
                     "numpy.full_like", "numpy.linspace", "numpy.eye", "numpy.identity",
                     "numpy.arange", "numpy.ascontiguousarray"))  # fmt: skip
# float64 when every array operand is (the first one only, for `norm`)
_ALL_F = frozenset(("numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.det",
                    "numpy.linalg.pinv", "numpy.linalg.norm", "numpy.einsum"))  # fmt: skip
_JOINS = frozenset(("numpy.stack", "numpy.concatenate", "numpy.vstack", "numpy.hstack",
                    "numpy.array", "numpy.asarray"))  # fmt: skip


def param_seeds(fn: Function, scalars: Any, ndims: Any, seqs: dict | None) -> dict:
    """The parameters' kinds from the cache key: numbers and float64 arrays F (all of them when
    no argument values are known: the version for float arrays), lists by their kinds."""
    out: dict[Var, Any] = _Seeds()
    out.ndims = {fn.params[i]: n for i, n in ndims.items() if i < len(fn.params)}
    for i, p in enumerate(fn.params):
        if i in scalars:
            out[p] = S
        elif i in ndims or seqs is None:
            out[p] = F
        elif seqs is not None and i in seqs:
            k = _from_kind(seqs[i])
            if k is not None:
                out[p] = k
    return out


def transform_seeds(tr: Any) -> dict:
    """`param_seeds` of the function a transform differentiates (`srcad.ad.base.Transform`);
    none for a called helper (its caller's list kinds are no dtypes: every ``op=`` of a
    parameter of unknown dtype is cast)."""
    if tr.param_kinds is not None:
        return {}
    return param_seeds(tr.fn, tr.scalar_params, tr.param_ndims, tr.param_seqs)


def primal_seeds(fn: Function, spec: Any) -> dict:
    """`param_seeds` from the cache key (`Spec`) of a primal build."""
    return param_seeds(fn, spec.scalars, spec.ndim_map, spec.seq_map)


def cast_augmented(fn: Function, augmented: Any, seeds: dict) -> bool:
    """Cast the result of each ``op=`` of `augmented` whose target may be an array of another
    dtype than float64 (module docstring); True if any was."""
    todo = [op for op in augmented if op.prim in INPLACE_UFUNCS and len(op.args) == 2]
    if not todo:
        return False
    kinds = _kinds(fn, seeds)
    cast = {op for op in todo if kinds.get(op.args[0], _const(op.args[0])) not in (F, S)}
    cast |= _grows(fn, todo, seeds)
    cplx = complex_vars(fn, set(), default_registry())  # (one cheap walk: none, mostly)
    cast |= {op for op in todo if op.args[1] in cplx and kinds.get(op.args[0]) == F}
    if cast:
        _insert(fn.body, cast)
    return bool(cast)


class _Seeds(dict):
    """`param_seeds`' kinds, with the parameters' ranks from the cache key (`_grows`)."""

    ndims: dict[Var, int] = {}


def _grows(fn: Function, todo: list[Op], seeds: dict) -> set[Op]:
    """The ``a op= v`` of `todo` that may grow the array `a`: NumPy's ``np.add(a, v, out=a)``
    cannot hold a result larger than `a` and raises ValueError, where ``a = a + v`` broadcasts
    `a` to it. `v` of a higher rank than `a` (ranks known from the parameters'), and any `v`
    that is no number unless `a` is: a length-1 axis of `a`, made in the code or given by an
    argument (``a = a0.copy(); a += x`` with `a0` (1, 3), `x` (2, 3)), is only known when it
    runs. Not checked: `v` a number (rank 0), `a` a number parameter, and `a` made with a
    constant shape without a 1 (``np.zeros((2, 3))``) and `v` of at most its rank (a larger
    result would not broadcast: ``a + v`` raises as NumPy does)."""
    ndims = getattr(seeds, "ndims", None) or {}
    nums = {p for p in fn.params if seeds.get(p) == S}
    ranks = float_ranks(fn, ndims, scalar_vars(fn, nums, ndims)) if ndims else {}
    for op in walk_ops(fn.body):  # and what basic indexing and reshapes of those make
        r = _shaped_rank(op, ranks) if len(op.results) == 1 else None
        if r is not None:
            ranks.setdefault(op.results[0], r)

    def rank(a: Operand) -> int | None:
        if isinstance(a, Const):
            return np.ndim(a.value) if isinstance(a.value, (float, int, np.ndarray)) else None
        return ranks.get(a, ndims.get(a))

    out = set()
    fixed = None  # (the targets made with a constant shape without a 1: `_fixed_shapes`)
    defs = None  # (each value's op: `opshapes`)
    for op in todo:
        a, v = op.args[0], op.args[1]
        ra, rv = rank(a), rank(v)
        if rv == 0 or a in nums or a is v:
            continue
        if defs is None:
            defs = {r: d for d in walk_ops(fn.body) for r in d.results}
        if covers(defs, a, v):  # (``s = x + y; s -= x``: `s` has x's shape broadcast)
            continue
        if within(defs, a, v, rank):  # (``y *= y > 0``: `v` has `a`'s shape)
            continue
        if ra is not None and rv is not None and rv <= ra:
            fixed = _fixed_shapes(fn, todo) if fixed is None else fixed
            if a in fixed:
                continue
        out.add(op)
    return out


def _fixed_shapes(fn: Function, todo: list[Op]) -> set[Var]:
    """The Vars made by a maker of a constant shape with no axis of length 1
    (``np.zeros((2, 3))``; not ``np.zeros((1, 3))``, nor ``np.zeros(n)``), their copies, the
    ``op=`` of `todo` on them (each keeps its target's shape, or is checked: NumPy raises) and
    the loop carries that start and stay such values."""
    augmented = {id(op) for op in todo}
    loops = [op for op in walk_ops(fn.body) if op.prim in ("for", "while")]
    assumed: set[Var] = set()
    first = True
    while True:
        out = set(assumed)
        for op in walk_ops(fn.body):
            if len(op.results) != 1 or not op.args:
                continue
            a = op.args[0]
            if op.prim in _SHAPE_MAKERS and isinstance(a, Const):
                shape = a.value if type(a.value) is tuple else (a.value,)
                if all(type(d) is int and d > 1 for d in shape):
                    out.add(op.results[0])
            elif a in out and (
                id(op) in augmented
                or (op.prim in ("method.copy", "numpy.copy") and len(op.args) == 1)
            ):
                out.add(op.results[0])
        carried: set[Var] = set()
        for lp in loops:  # (first: every carry starting as one; then those that stay one)
            body = lp.blocks[-1]
            off, inits = (1, lp.args[3:]) if lp.prim == "for" else (0, lp.args)
            for k, init in enumerate(inits[: len(lp.results)]):
                vs = [b.params[(off if b is body else 0) + k] for b in lp.blocks]
                stays = k < len(body.yields) and body.yields[k] in out
                if init in out and (first or stays):
                    carried.update((*vs, lp.results[k]))
        if carried == assumed and not first:
            return out
        assumed, first = carried, False


_SHAPE_MAKERS = frozenset(("numpy.zeros", "numpy.ones", "numpy.empty"))


def _shaped_rank(op: Op, ranks: dict) -> int | None:
    """The rank of ``x[i, :, None]`` (ints, slices, None), ``x.reshape((2, 3))`` and
    ``np.reshape(x, (2, 3))`` (a constant shape) of a float array `x` of a known rank, and of
    ``np.zeros(())`` (a maker of a constant shape, without a dtype)."""
    a = op.args
    if op.prim in _SHAPE_MAKERS and len(a) == 1 and isinstance(a[0], Const) and not op.kwargs:
        shape = a[0].value
        return 1 if type(shape) is int else len(shape) if type(shape) is tuple else None
    if not a or not isinstance(a[0], Var) or a[0] not in ranks or op.kwargs:
        return None
    if op.prim == "getitem" and len(a) == 2 and isinstance(a[1], Const):
        idx = a[1].value if type(a[1].value) is tuple else (a[1].value,)
        if not all(k is None or type(k) in (int, slice) for k in idx):
            return None
        ints = sum(type(k) is int for k in idx)
        if len(idx) - idx.count(None) > ranks[a[0]]:
            return None
        return ranks[a[0]] - ints + idx.count(None)
    if op.prim in ("method.reshape", "numpy.reshape") and len(a) >= 2:
        dims = [d.value for d in a[1:] if isinstance(d, Const)]
        if len(dims) != len(a) - 1:
            return None
        shape = dims[0] if len(dims) == 1 and type(dims[0]) is tuple else tuple(dims)
        return len(shape) if all(type(d) is int for d in shape) else None
    return None


def _insert(b: Block, cast: set) -> None:
    new: list[Op] = []
    for op in b.ops:
        for sub in op.blocks:
            _insert(sub, cast)
        new.append(op)
        if op in cast:
            r = op.results[0]
            t = Var(r.hint)
            op.results[0] = t
            name = Const(INPLACE_UFUNCS[op.prim])
            new.append(Op(CAST, [t, op.args[0], name], results=[r], loc=op.loc))
    b.ops = new


def _from_kind(k: Any) -> Any:
    if k in ("f", "i"):
        return S
    if isinstance(k, tuple) and k[1] != "_":
        e = _from_kind(k[1])
        return ("s", e) if e is not None else None
    return None


def _const(a: Operand) -> Any:
    if not isinstance(a, Const):
        return None
    v = a.value
    if type(v) is float or (hasattr(v, "dtype") and getattr(v, "dtype", None) == "float64"):
        return F
    return _from_kind(value_kind(v)) if not hasattr(v, "dtype") else None


def _as_array(kd: Any) -> Any:
    """The kind NumPy's functions read a value of kind `kd` as: a (nested) list of F values is a
    float64 array."""
    seq = kd
    while isinstance(seq, tuple):
        seq = seq[1]
    return F if isinstance(kd, tuple) and seq == F else kd


def _join(a: Any, b: Any) -> Any:
    if a == b or b == "_":
        return a
    if a == "_":  # (no value: the elements of an empty list)
        return b
    if a in (F, S) and b in (F, S):
        return S
    if isinstance(a, tuple) and isinstance(b, tuple):
        e = _join(a[1], b[1])
        return ("s", e) if e is not None else None
    return None


def _kinds(fn: Function, seeds: dict) -> dict:
    kinds: dict = dict(seeds)

    def k(a: Operand) -> Any:
        return kinds.get(a) if isinstance(a, Var) else _const(a)

    def put(v: Var, kd: Any) -> None:
        if kd is None:
            kinds.pop(v, None)
        else:
            kinds[v] = kd

    def visit(b: Block) -> None:
        for op in b.ops:
            if op.prim == "if":
                for blk in op.blocks:
                    visit(blk)
                for j, r in enumerate(op.results):
                    ys = [blk.yields[j] if j < len(blk.yields) else None for blk in op.blocks]
                    kd = k(ys[0]) if ys and ys[0] is not None else None
                    for y in ys[1:]:
                        kd = _join(kd, k(y)) if y is not None else None
                    put(r, kd)
            elif op.prim in ("for", "while"):
                loop(op)
            elif len(op.results) == 1:
                put(op.results[0], _transfer(op, k, fn))

    def loop(op: Op) -> None:
        body = op.blocks[-1]
        off, inits = (1, op.args[3:]) if op.prim == "for" else (0, op.args)
        n = min(len(op.results), len(inits))
        cur = [k(a) for a in inits[:n]]
        if op.prim == "for" and body.params:
            put(body.params[0], S)  # the position (as `seqs.seq_kinds` has it)
        for it in range(8):
            for blk in op.blocks:
                o = off if blk is body else 0
                for j in range(n):
                    if o + j < len(blk.params):
                        put(blk.params[o + j], cur[j])
            for blk in op.blocks:
                visit(blk)
            new = [_join(cur[j], k(body.yields[j])) if j < len(body.yields) else None
                   for j in range(n)]  # fmt: skip
            if new == cur:
                break
            cur = new if it < 6 else [None] * n
        for j, r in enumerate(op.results):
            put(r, cur[j] if j < n else None)

    visit(fn.body)
    return kinds


def _transfer(op: Op, k: Any, fn: Function) -> Any:  # noqa: C901 - one case per family
    p, args = op.prim, op.args
    if p in _ARITH:
        if op.kwargs:
            return None
        ks = [k(a) for a in args]
        return F if all(x == F for x in ks) else S if all(x in (F, S) for x in ks) else None
    if p in _PASS:
        return k(args[0]) if args else None
    if p in ("float",):
        return F
    if p in ("int", "len", "round", "bool") or p.startswith("math."):
        return S
    if p in ("tuple", "list") and not op.kwargs:
        kd: Any = "_"
        for a in args:
            kd = k(a) if kd == "_" else _join(kd, k(a))
        return ("s", kd) if kd is not None else None
    if p == "getitem" and len(args) == 2:
        c = k(args[0])
        if c == F:
            return F
        if isinstance(c, tuple):
            idx = args[1]
            e = c if isinstance(idx, Const) and isinstance(idx.value, slice) else c[1]
            return None if e == "_" else e
        return None
    if p in ("setitem", "srcad.runtime.setitem") and len(args) == 3:
        c = k(args[0])
        if isinstance(c, tuple):
            e = _join(c[1], k(args[2]))
            return ("s", e) if e is not None else None
        return F if c == F else None
    if p == "list_append" and len(args) == 2:
        c = k(args[0])
        e = _join(c[1], k(args[1])) if isinstance(c, tuple) else None
        return ("s", e) if e is not None else None
    if p == "dict" and not op.kwargs:
        kd = "_"
        for a in args[1::2]:
            kd = k(a) if kd == "_" else _join(kd, k(a))
        return ("s", kd) if kd not in ("_", None) else None
    if p == "sum" and len(args) == 1:  # the builtin, of a list of numbers or float64 arrays
        c = k(args[0])
        return S if isinstance(c, tuple) and c[1] in (F, S) else None
    if p == "method.astype" and len(args) == 2 and not op.kwargs:
        return F if _float64(fn, args[1]) else None
    if p in _DTYPED and "dtype" in op.kwargs and "out" not in op.kwargs:
        return F if _float64(fn, op.kwargs["dtype"]) else None
    if any(key in op.kwargs for key in ("dtype", "out")):
        return None
    if p in _JOINS and len(args) == 1:
        c = k(args[0])
        if isinstance(c, tuple) and c[1] == F:
            return F
    if p in _ALL_F:
        ops = args[1:] if p == "numpy.einsum" else args[:1] if p.endswith("norm") else args
        return F if ops and all(k(a) == F for a in ops) else None
    if p in _MAKERS:
        return F if len(args) <= _MAKERS[p] and not op.kwargs else None
    if p in _LIKE:
        return F if len(args) == 1 and k(args[0]) == F else None
    if p.startswith("numpy.") and p[6:] in _SAME:
        return F if args and len(args) <= _SAME[p[6:]] and k(args[0]) == F else None
    if p in _METHODS:
        return F if args and len(args) <= _METHODS[p] + 1 and k(args[0]) == F else None
    if p == "method.item":
        return S if args and k(args[0]) in (F, S) else None
    if (
        p in _VALUES
        and len(args) <= (3 if p.endswith("clip") else 2)
        or (p == "numpy.where" and len(args) == 3)
    ):
        ks = [k(a) for a in (args[1:] if p == "numpy.where" else args)]
        return F if all(x == F for x in ks) else S if all(x in (F, S) for x in ks) else None
    ufunc = INPLACE_UFUNCS.get(p) or _float_ufunc(p)
    if ufunc is not None and not op.kwargs:
        ks = [k(a) if p in INPLACE_UFUNCS else _as_array(k(a)) for a in args]
        return F if all(x == F for x in ks) else S if all(x in (F, S) for x in ks) else None
    return None


@functools.cache
def _float_ufunc(p: str) -> str | None:
    """``numpy.<name>`` of a one-result ufunc taking float64 to float64 and no bool result (as
    `seqs._ufunc`), else None."""
    if not p.startswith("numpy.") or p.count(".") != 1:
        return None
    u = getattr(np, p[6:], None)
    if not isinstance(u, np.ufunc) or u.nout != 1:
        return None
    return p[6:] if ("d->d" if u.nin == 1 else "dd->d") in u.types else None


def _float64(fn: Function, dt: Operand) -> bool:
    """`dt` is float64 as a dtype (``float``, ``np.float64``, ``"float64"``) at transform time
    (a global read: the cache key and guard see it rebound)."""
    ok, value = static_value(fn, dt)
    if not ok or not isinstance(value, (type, str, np.dtype)):
        return False
    try:
        return np.dtype(value) == np.float64
    except TypeError:
        return False
