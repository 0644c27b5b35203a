"""Tangent and cotangent trees: zeros, addition, broadcasting sums, copies (runtime helpers).

Input: primal values, tangents and cotangents (NumPy arrays, Python scalars, or tuples, lists and
dicts of them; None is a symbolic zero). Output: plain values, and ``register(jvp, vjp)`` filling
the rule tables with the helpers' own rules (most are linear in their first argument, a tangent
or cotangent ``t``). Generated code calls them as ``_srcad.<name>``; the ones called in tight
scalar loops (`unbroadcast`, `zeros_like`, `add`) return early for floats. Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

import collections
import types

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import asarray, is_duck_array, item, refuse_user_object
from srcad.errors import DiffError
from srcad.rules.checks import UNBOUND, dict_subclass_error
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, marks, rt
from srcad.rules.objfields import add_open, open_field_vjp, open_get
from srcad.rules.objfields import class_const as _class_constant
from srcad.rules.objfields import field_index as _field_index
from srcad.trees import (
    is_record,
    make_record,
    record_fields,
    record_items,
    record_like,
    replaces_fields,
    seq_like,
    values_of,
)

_SCALARS = (float, int, bool)
_FLAT = frozenset({float, int, bool, np.float64})  # (array_vjp's items read as they are)
# values that carry no derivative: classes (dtypes such as `float`), functions, modules, dtypes
_NO_TANGENT = (
    type, types.FunctionType, types.BuiltinFunctionType, types.ModuleType, np.dtype, np.ufunc,
)  # fmt: skip


@helper
def zeros_like(x):
    """A float zero of the same structure as `x` (ints get float zeros: tangents are float)."""
    t = type(x)
    if t is float or t is int or t is bool:
        return 0.0
    if t is np.ndarray:
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if t is tuple or t is list:
        return t(zeros_like(e) for e in x)
    if t is range or t is bytes:  # sequences of ints, as tuples of them: items subscripted, summed
        return (0.0,) * len(x)
    if t is dict:
        return {k: zeros_like(v) for k, v in x.items()}
    if t is collections.defaultdict:  # a missing key's tangent: the zero of its default
        out = collections.defaultdict(_ZeroDefault(x.default_factory))
        out.update((k, zeros_like(v)) for k, v in x.items())
        return out
    if t is collections.OrderedDict or t is collections.Counter:  # (a Counter's missing: 0)
        return t({k: zeros_like(v) for k, v in x.items()})
    if x is None or t is str or t is slice or x is UNBOUND:  # keys, labels, slices; a name
        return None  # with no value (every read of it is checked first, rules/checks.py)
    if t is complex:
        return 0j
    if isinstance(x, np.generic):
        return x.dtype.type(0) if x.dtype.kind in "fc" else 0.0
    if isinstance(x, np.ndarray):
        return np.zeros(x.shape, float if x.dtype.kind in "biu" else x.dtype)
    if is_duck_array(x):  # Dask, CuPy: NEP-18 makes the zeros in x's library (lazy, on device)
        return np.zeros_like(x, dtype=float if x.dtype.kind in "biu" else x.dtype)
    if is_record(x):  # namedtuples, dataclasses, small user objects keep their class
        if record_fields(t) is None:  # an open object: None in its int, str... fields
            return record_like(x, {n: zeros_like(v) for n, v in record_items(x)})
        return make_record(t, [zeros_like(e) for e in values_of(x)])
    if isinstance(x, (tuple, list)):
        return (tuple if isinstance(x, tuple) else list)(zeros_like(e) for e in x)
    if isinstance(x, _NO_TANGENT):  # `float` in x.astype(float), np.float32, a function
        return None
    if isinstance(x, dict):
        raise dict_subclass_error(x)
    raise DiffError(  # a refusal (deque, array.array, set...), located by the caller's line
        f"srcad has no derivative for a value of type `{t.__name__}` (no zero tangent)",
        hint="keep numbers in lists, tuples, dicts or NumPy arrays",
    )


class _ZeroDefault:
    """The default factory of a `collections.defaultdict`'s tangent: the zero of the default."""

    def __init__(self, factory):
        self.factory = factory

    def __call__(self):
        return zeros_like(self.factory()) if self.factory is not None else None


@helper
def add(a, b):
    """Sum of two tangents/cotangents; None is zero; tuples, lists and dicts add elementwise."""
    if a is None:
        return b
    if b is None:
        return a
    t = type(a)
    if t is np.ndarray and a.dtype.hasobject:  # an object array's entries, one by one
        return _ADD_ENTRIES(a, b)
    if t is float or t is np.ndarray or is_duck_array(a):
        return a + b
    if t is not tuple and t is not list and t is not dict and is_record(a) or is_record(b):
        return _add_records(a, b)
    if isinstance(a, (tuple, list)):
        if len(a) != len(b):
            raise ValueError(f"srcad: adding sequences of lengths {len(a)} and {len(b)}")
        return (tuple if isinstance(a, tuple) else list)(add(x, y) for x, y in zip(a, b))
    if t is dict or t in (collections.defaultdict, collections.OrderedDict, collections.Counter):
        out = a.copy()  # (a Counter's `+` would drop the entries not above zero)
        for k, v in b.items():
            out[k] = add(out.get(k), v)
        return out
    return a + b


def _add_entry(a, b):
    """`add` of two entries of object arrays' cotangents; an entry 0 (`np.zeros`'s) is zero."""
    return b if type(a) is int and a == 0 else a if type(b) is int and b == 0 else add(a, b)


_ADD_ENTRIES = np.frompyfunc(_add_entry, 2, 1)


@helper
def add_into(acc, c):
    """``add(acc, c)``, computed in `acc` when it is a writable float array (the caller owns it:
    a loop's private accumulator, passes/inplace.py) and `c` an array of its shape and dtype."""
    if (
        type(acc) is np.ndarray
        and type(c) is np.ndarray
        and c.shape == acc.shape
        and (c.dtype is acc.dtype or c.dtype == acc.dtype)
        and acc.dtype.kind in "fc"
        and acc.flags.writeable
    ):
        acc += c
        return acc
    return add(acc, c)


def _add_records(a, b):
    """Records of the same class add field by field (a namedtuple and a plain tuple of the same
    length too: some rules give a namedtuple's cotangent as a tuple); the sum keeps the class."""
    cls = type(a) if is_record(a) else type(b)
    if record_fields(cls) is None:  # an open object (srcad.objtrees): fields by name
        return add_open(a, b, add)
    if any(type(v) is np.ndarray and not v.ndim for v in (a, b)):
        raise ValueError(f"srcad: adding a {type(a).__name__} and a {type(b).__name__}")
    va, vb = _values(a), _values(b)
    if len(va) != len(vb) or not all(_addable(v, cls) for v in (a, b)):
        raise ValueError(f"srcad: adding a {type(a).__name__} and a {type(b).__name__}")
    return make_record(cls, [add(x, y) for x, y in zip(va, vb)])


def _addable(v, cls) -> bool:
    """`v` adds to a record of `cls`: one, a tuple of its fields, or the array NumPy made of it
    (``np.sum(p)``, ``np.asarray(p)`` of a namedtuple: its rows are the fields' cotangents)."""
    return type(v) is cls or type(v) is tuple or type(v) is np.ndarray


def _values(r):
    """A record's values; an array (a NumPy function's cotangent of a namedtuple): its rows."""
    return list(r) if isinstance(r, (tuple, np.ndarray)) else values_of(r)


@helper
def field(t, name, x):
    """Tangent of ``x.name`` for the record `x` with tangent `t` (a record of the same class, a
    tuple for a namedtuple, or None: zero)."""
    if _class_constant(x, name):
        return zeros_like(getattr(x, name))
    k = _field_index(x, name)
    r = None if t is None else _values(t)[k] if record_fields(type(x)) else open_get(t, x, name)
    return zeros_like(getattr(x, name)) if r is None else r


@helper
def field_vjp(g, x, name):
    """Cotangent of the record `x` for ``x.name`` with cotangent `g`: a record of `x`'s class
    holding `g` in that field, None (zero) in the others."""
    if record_fields(type(x)) is None and is_record(x):  # an open object (srcad.objtrees)
        return open_field_vjp(g, x, name, _class_constant(x, name))
    vals = [None] * len(_values(x))
    if _class_constant(x, name):
        return make_record(type(x), vals)
    vals[_field_index(x, name)] = g
    return make_record(type(x), vals)


@helper
def record_of(cls, vals):
    """The record of class `cls` with the field values `vals` (a tuple in field order), built
    without running ``__init__``: the tangent of ``cls(*args)``."""
    return make_record(cls, list(vals))


@helper
def record_values(g, cls, vals):
    """The cotangent of the field values `vals` of ``record_of(cls, vals)``, `g` the record's:
    a tuple (None entries: zero)."""
    return (None,) * len(vals) if g is None else tuple(_values(g))


def _replaced(t, x, names, vals):
    """The field values of the record `t` (None: all zero) with the fields `names` of `x`'s class
    set to `vals` (None: zeros), in field order."""
    fields = record_fields(type(x)) if is_record(x) else None
    if fields is None or (t is not None and type(t) is not type(x) and type(t) is not tuple):
        raise DiffError(
            f"srcad replaces fields of namedtuples and dataclasses only, not of a "
            f"{type(x).__name__}",
            hint="build the new object explicitly",
        )
    out = [None] * len(fields) if t is None else _values(t)
    for k, name in enumerate(names):
        if name not in fields:
            raise TypeError(f"{type(x).__name__} has no field {name!r}")
        out[fields.index(name)] = None if vals is None else vals[k]
    return out


@helper
def record_replace(x, how, names, vals):
    """``x._replace(**dict(zip(names, vals)))`` of a namedtuple (`how` "namedtuple"),
    ``dataclasses.replace(x, ...)`` of a dataclass record (srcad.trees; `how` "dataclass"): a
    record of `x`'s class, the other fields `x`'s. Refused for other objects (a class of one's
    own with a `_replace` method: srcad does not call it here)."""
    cls = type(x)
    if not replaces_fields(cls, how):
        raise DiffError(
            f"srcad replaces fields of namedtuples (`._replace`) and dataclasses without "
            f"__post_init__ (`dataclasses.replace`) only, not of a {cls.__name__}",
            hint="build the new object explicitly",
        )
    return make_record(cls, _replaced(x, x, names, vals))


@helper
def record_replace_t(t, x, names, vals):
    """The tangent of ``record_replace(x, names, vals)``: `t` (`x`'s tangent, None: zero) with
    the fields `names` set to `vals` (their tangents; None: zero)."""
    if t is None and vals is None:
        return None
    out = _replaced(t, x, names, vals)
    zero = [zeros_like(v) if r is None else r for r, v in zip(out, values_of(x))]
    return make_record(type(x), zero)


@helper
def record_pick(r, x, names):
    """The cotangent of `vals` in ``record_replace(x, names, vals)``: the fields `names` of the
    record `r` (None: zero), a tuple."""
    fields = record_fields(type(x)) or ()
    vals = (None,) * len(fields) if r is None else _values(r)
    return tuple(vals[fields.index(n)] for n in names)


_F64 = np.float64


_C128 = np.complex128
_NDARRAY = np.ndarray
_SCALAR_TYPES = frozenset({float, int, np.float64})
_LEAD = tuple(tuple(range(n)) for n in range(8))  # _LEAD[n]: the first n axes
_SUM = np.add.reduce


def _ones_axes(gs: tuple, xs: tuple) -> tuple[int, ...]:
    """The axes where `xs` has length 1 and `gs` another, when the shapes agree elsewhere (the
    axes `unbroadcast` sums, keeping them); () otherwise."""
    axes = ()
    for i, n in enumerate(xs):
        if gs[i] != n:
            if n != 1:
                return ()
            axes += (i,)
    return axes


@helper
def unbroadcast(g, x):
    """Sum `g` down to the shape of the primal `x` (undoes NumPy broadcasting)."""
    tg = type(g)
    tx = type(x)
    if tg is _NDARRAY:  # fast paths: the same sums as below, without the general checks
        if tx is _NDARRAY:
            gs, xs = g.shape, x.shape
            if gs == xs:  # first: the common case of a loop's reverse sweep (issue 11)
                return g
            lead = len(gs) - len(xs)  # x broadcast only by leading axes: sum them
            if 0 < lead < len(_LEAD) and gs[lead:] == xs:
                return _SUM(g, _LEAD[lead])  # (g.sum(axis=...) is this call, in Python)
            if lead == 0:  # x broadcast along its axes of length 1 (a keepdims reduction's)
                axes = _ones_axes(gs, xs)
                if axes:
                    return _SUM(g, axes, None, None, True)
        elif tx in _SCALAR_TYPES and g.dtype.kind == "f" and 0 < g.ndim < len(_LEAD):
            s = _SUM(g, _LEAD[g.ndim])  # a real number's cotangent: sum every axis
            return s if tx is _F64 else s.item()
    elif tg is float or (tg is _F64 and tx in _SCALAR_TYPES):
        return g
    if (tg is complex or tg is _C128 or tg is np.ndarray) and type(x) in _SCALAR_TYPES:
        if np.iscomplexobj(g):  # the cotangent of a real number: its real part (the element
            g = np.real(g)  # of a real array a loop's reverse sweep writes, `bx[k] = g`)
    gs = np.shape(g)
    if type(x) is list or type(x) is tuple:  # `[a, b] + arr`: a list broadcast as an array
        rows = tg is np.ndarray and g.dtype.hasobject and gs[:1] == (len(x),)
        if tg is np.ndarray and not rows and gs != np.shape(x):  # (object rows: as they are)
            g = unbroadcast(g, np.zeros(np.shape(x)))
        return array_vjp(g, x)
    xs = np.shape(x)
    if gs != xs:
        g = asarray(g)
        extra = len(gs) - len(xs)
        if extra > 0:
            g = g.sum(axis=tuple(range(extra)))
        elif extra < 0:  # shapes align at the right, as NumPy's: `g` of (3,) for `x` of (1, 3)
            g = g.reshape((1,) * -extra + g.shape)
        axes = tuple(i for i, n in enumerate(xs) if n == 1 and g.shape[i] != 1)
        if axes:
            g = g.sum(axis=axes, keepdims=True)
        if g.shape != xs:  # g smaller than x: x was not broadcast but g is (e.g. a scalar)
            g = np.broadcast_to(g, xs).copy()
    if type(x) in _SCALARS or type(x) is complex:
        return item(g) if hasattr(g, "item") else g
    return g


@helper
def broadcast_like(t, ans):
    """The tangent `t` with the shape of `ans`: `t` itself when the shapes agree (a list as an
    array: `ad/seqs.py` reads ``t * k`` as a product), else a read-only broadcast view."""
    tt = type(t)
    if (tt is float or tt is _F64) and type(ans) in _SCALAR_TYPES:
        return t
    shape = np.shape(ans)
    if np.shape(t) == shape:  # (generated code never updates a tangent in place)
        return np.asarray(t) if tt in (list, tuple) and type(ans) not in (list, tuple) else t
    if type(ans) in _SCALAR_TYPES:  # a 0-d tangent of a Python number
        return float(np.asarray(t).reshape(()))
    lead = max(np.ndim(t) - len(shape), 0)  # length-1 axes NumPy's `x[i] = t` drops
    return np.broadcast_to(np.reshape(t, np.shape(t)[lead:]) if lead else t, shape)


@helper
def array_vjp(g, obj):
    """Cotangent of `obj` for ``np.array(obj)``: `g` split into the nested structure of `obj`
    (a real entry's cotangent: the real part of `g`'s)."""
    t = type(obj)
    if (
        (t is list or t is tuple)
        and type(g) is np.ndarray
        and g.dtype == _F64DT
        and g.shape == (len(obj),)
        and all(type(e) in _FLAT for e in obj)
    ):  # ``np.array([a, b])`` of numbers (an ODE's right-hand side): what the loop below gives
        return seq_like(obj, [v if type(e) is _F64 else float(v) for v, e in zip(g, obj)])
    if t is list or isinstance(obj, tuple):
        if not (type(g) is np.ndarray and g.dtype.hasobject and g.shape[:1] == (len(obj),)):
            g = np.reshape(g, np.shape(obj))  # (an object array's rows: `g[i]` as they are)
        return seq_like(obj, [array_vjp(g[i], e) for i, e in enumerate(obj)])
    if t in _SCALARS:
        r = np.asarray(g).item()
        return r.real if type(r) is complex else r  # a real number's: its real part
    if t is complex:
        return np.asarray(g).item()
    if t.__module__ not in ("builtins", "numpy"):  # (a list srcad could not see: a helper's)
        refuse_user_object(obj, "np.array")
    if type(g) is int and g == 0:  # an object array's entry with no cotangent
        return np.zeros(np.shape(obj))
    g = np.reshape(g, np.shape(obj))
    if g.dtype.kind == "c" and not np.iscomplexobj(obj):  # a real entry's: the real part
        return g.real
    return g


@helper
def scalar_vjp(g, x):
    """Cotangent of `x` for ``float(x)`` / ``x.item()``: `g` in the shape of `x`."""
    if type(x) in _SCALARS:
        return float(g.real)  # a real number's cotangent: the real part (Re g)
    return np.full(np.shape(x), g)


@helper
def shallow_copy(t):
    """Tangent of ``x.copy()``: a copy of the tangent `t` (an array, a list or a dict of
    tangents; a number as it is)."""
    if isinstance(t, (np.ndarray, list, dict)):
        return t.copy()
    return t


@helper
def owned_copy(x):
    """A private copy of a cotangent that the reverse sweep will update in place."""
    if type(x) is np.ndarray or is_duck_array(x):  # a Dask array's x[i] = v updates x too
        return x.copy()
    if type(x) is list:
        return list(x)
    return x


_STAND_INS: dict = {}  # by shape (float64), else by (shape, dtype)
_F64DT = np.dtype(np.float64)


@helper
def shape_like(x):
    """What a loop's tape keeps of `x` when the reverse sweep reads only its type, shape and dtype
    (``unbroadcast(g, x)``, ``getitem_vjp(g, x, idx)``): for a NumPy array, a read-only
    zero-stride array of its shape and dtype (no memory; one per shape and dtype), so the tape
    does not keep every iteration's temporaries alive; anything else is `x` itself."""
    if type(x) is not np.ndarray:
        return x
    shape, dtype = x.shape, x.dtype
    s = _STAND_INS.get(shape) if dtype is _F64DT else _STAND_INS.get((shape, dtype))
    if s is None:
        if len(_STAND_INS) > 256:
            _STAND_INS.clear()
        if dtype.hasobject:
            s = np.broadcast_to(np.zeros((), dtype), shape)
        else:  # what broadcast_to makes, without its Python-level checks
            s = np.ndarray(shape, dtype, np.zeros((), dtype), 0, (0,) * len(shape))
            s.setflags(write=False)
        _STAND_INS[shape if dtype is _F64DT else (shape, dtype)] = s
    return s


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the tree helpers."""
    defzero_helper(jvp, vjp, zeros_like)
    defzero_helper(jvp, vjp, shape_like)
    deflinear_helper(
        jvp, vjp, unbroadcast, "t, x", "_srcad.unbroadcast(dt, x)", "_srcad.broadcast_like(g, t)"
    )
    deflinear_helper(
        jvp, vjp, broadcast_like, "t, like",
        "_srcad.broadcast_like(dt, like)", "_srcad.unbroadcast(g, t)",
    )  # fmt: skip
    jvp.defjvp_joint(rt(add), "a, b", "_srcad.add(da, db)")
    vjp.defvjp(rt(add), "a, b", a="g", b="g")
    jvp.defjvp_joint(rt(add_into), "acc, c", "_srcad.add(dacc, dc)")
    vjp.defvjp(
        rt(add_into), "acc, c",
        acc="_srcad.unbroadcast(g, acc)", c="_srcad.unbroadcast(g, c)",
    )  # fmt: skip
    deflinear_helper(jvp, vjp, shallow_copy, "t", "_srcad.shallow_copy(dt)", "g")
    deflinear_helper(jvp, vjp, owned_copy, "t", "_srcad.owned_copy(dt)", "g")
    # array_vjp splits an array cotangent into the structure of the list `obj`: the transpose
    # builds the array back (the list cotangent's symbolic zeros, None, as zeros of obj's items)
    deflinear_helper(
        jvp, vjp, array_vjp, "t, obj", "_srcad.array_vjp(dt, obj)",
        "np.reshape(np.asarray(_srcad.add(g, _srcad.zeros_like(obj))), np.shape(t))",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, field, "t, name, x", "_srcad.field(dt, name, x)", "_srcad.field_vjp(g, x, name)"
    )
    deflinear_helper(
        jvp, vjp, field_vjp, "t, x, name",
        "_srcad.field_vjp(dt, x, name)", "_srcad.field(g, name, x)",
    )  # fmt: skip
    jvp.defjvp(rt(record_of), "cls, vals", nondiff=("cls",), vals="_srcad.record_of(cls, dvals)")
    vjp.defvjp(
        rt(record_of), "cls, vals", nondiff=("cls",), vals="_srcad.record_values(g, cls, vals)"
    )
    deflinear_helper(
        jvp, vjp, record_values, "t, cls, vals",
        "_srcad.record_values(dt, cls, vals)", "_srcad.record_of(cls, g)",
    )  # fmt: skip
    for fn in (record_replace, record_replace_t):  # linear in the record and the new values
        record = "x" if fn is record_replace else "t"
        sig = "x, how, names, vals" if fn is record_replace else "t, x, names, vals"
        nondiff = ("how", "names") if fn is record_replace else ("x", "names")
        jvp.defjvp(rt(fn), sig, **marks(nondiff),
                   **{record: f"_srcad.record_replace_t(d{record}, x, names, None)"},
                   vals="_srcad.record_replace_t(None, x, names, dvals)")  # fmt: skip
        vjp.defvjp(rt(fn), sig, **marks(nondiff),
                   **{record: "_srcad.record_replace_t(g, x, names, None)"},
                   vals="_srcad.record_pick(g, x, names)")  # fmt: skip
    deflinear_helper(
        jvp, vjp, record_pick, "r, x, names",
        "_srcad.record_pick(dr, x, names)", "_srcad.record_replace_t(None, x, names, g)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, scalar_vjp, "t, x", "_srcad.scalar_vjp(dt, x)", "_srcad.unbroadcast(g, t)"
    )
