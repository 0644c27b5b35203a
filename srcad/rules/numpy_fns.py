"""Runtime helpers of the NumPy calls that take Python functions (`srcad.lower.numpy_fns`):
``np.vectorize``'s assembly of the per-element results, ``np.apply_along_axis``'s layout of the
slices and of the results, with their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of those helpers.

- ``vectorized(items, shape, otypes)``: the list of per-element results as an array of `shape`,
  with NumPy's output dtype (`otypes`, else the first result's); linear in `items`, and 0 when
  that dtype is not a float, complex or object one (a cast to integers).
- ``along_axis_rows(a, axis)``: the 1-D slices of `a` along `axis` as the rows of a 2-D array;
  ``along_axis_result(res, a, axis)``: the stacked results (one per slice) where
  ``np.apply_along_axis`` puts them. Both are reshapes and axis moves (linear).

Example (``np.vectorize(lambda v: v * v)(x)``)::

    items = [v * v for v in np.ravel(np.asarray(x))]
    y = _srcad.vectorized(items, np.shape(x), None)
    bitems = _srcad.vectorized_ct(g, items, None)          # the list of g's elements
"""

from __future__ import annotations

import collections
import copy
import math
import types

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    sig, nd = "items, shape, otypes", ("shape", "otypes")
    jvp.defjvp(rt(vectorized), sig, nondiff=nd,
               items="_srcad.vectorized_t(ditems, items, shape, otypes)")  # fmt: skip
    vjp.defvjp(rt(vectorized), sig, nondiff=nd, items="_srcad.vectorized_ct(g, items, otypes)")
    deflinear_helper(jvp, vjp, vectorized_t, "t, items, shape, otypes",
                     "_srcad.vectorized_t(dt, items, shape, otypes)",
                     "_srcad.vectorized_ct(g, items, otypes)")  # fmt: skip
    deflinear_helper(jvp, vjp, vectorized_ct, "t, items, otypes",
                     "_srcad.vectorized_ct(dt, items, otypes)",
                     "_srcad.vectorized_t(g, items, np.shape(t), otypes)")  # fmt: skip
    defzero_helper(jvp, vjp, common_shape)
    defzero_helper(jvp, vjp, try_which)  # which branch of a `try` runs: locally constant
    defzero_helper(jvp, vjp, try_error)  # the exception a handler reads (``as e``): no number
    defzero_helper(jvp, vjp, setitem_check)  # None, or the error of ``c[i] = v``: no number
    deflinear_helper(jvp, vjp, deep_copy, "x", "_srcad.deep_copy(dx)", "g")
    deflinear_helper(jvp, vjp, along_axis_rows, "a, axis", "_srcad.along_axis_rows(da, axis)",
                     "_srcad.along_axis_rows_t(g, a, axis)")  # fmt: skip
    deflinear_helper(jvp, vjp, along_axis_rows_t, "t, a, axis",
                     "_srcad.along_axis_rows_t(dt, a, axis)",
                     "_srcad.along_axis_rows(g, axis)")  # fmt: skip
    deflinear_helper(jvp, vjp, along_axis_result, "res, a, axis",
                     "_srcad.along_axis_result(dres, a, axis)",
                     "_srcad.along_axis_result_t(g, res, a, axis)")  # fmt: skip
    deflinear_helper(jvp, vjp, along_axis_result_t, "t, res, a, axis",
                     "_srcad.along_axis_result_t(dt, res, a, axis)",
                     "_srcad.along_axis_result(g, a, axis)")  # fmt: skip


@helper
def common_shape(arrays):
    """The shape the arrays broadcast to (NumPy's error when they do not)."""
    return np.broadcast_shapes(*(np.shape(a) for a in arrays))


def _dtype(items, otypes):
    """NumPy's output dtype of ``np.vectorize``: `otypes` (a typecode string or a list), else
    the first result's."""
    if otypes is not None and len(otypes):
        return np.dtype(otypes[0])
    return np.asarray(items[0]).dtype


@helper
def vectorized(items, shape, otypes):
    """The results of ``np.vectorize(f, otypes)`` (one scalar per element) as an array."""
    if not items and otypes is None:
        raise ValueError("cannot call `vectorize` on size 0 inputs unless `otypes` is set")
    for v in items:
        if isinstance(v, (tuple, list)) or np.ndim(v) != 0:
            raise DiffError(
                "np.vectorize of a function returning several values or arrays is not supported",
                hint="return one number per element, or loop over the elements explicitly",
            )
    dtype = _dtype(items, otypes) if items else np.dtype(otypes[0])
    return np.reshape(np.array(items, dtype=dtype), shape)


def _inexact(items, otypes) -> bool:
    """May the result hold numbers with a derivative: a float, complex or object dtype (an
    object array holds the results themselves: ``otypes=[object]``, ``np.frompyfunc``)."""
    return (_dtype(items, otypes) if items else np.dtype(otypes[0])).kind in "fcO"


@helper
def vectorized_t(t, items, shape, otypes):
    """Tangent of ``vectorized(items, shape, otypes)`` for the list `t` of the items' tangents."""
    if not _inexact(items, otypes):
        return np.zeros(shape)
    vals = [0.0 if v is None else v for v in t]
    return np.reshape(np.array(vals, dtype=np.result_type(float, *vals)), shape)


@helper
def vectorized_ct(g, items, otypes):
    """Cotangent of the items of ``vectorized(items, shape, otypes)``: `g`'s elements, a list."""
    if not _inexact(items, otypes):
        return [0.0] * len(items)
    return np.ravel(np.asarray(g)).tolist()


def _moved(a, axis):
    return np.moveaxis(np.asarray(a), axis, -1)


@helper
def along_axis_rows(a, axis):
    """The 1-D slices of `a` along `axis`, as the rows of a 2-D array (``np.apply_along_axis``
    visits them in this order)."""
    m = _moved(a, axis)
    rows = (math.prod(m.shape[:-1]), m.shape[-1])  # (not -1: ambiguous for an empty axis)
    return np.array(np.reshape(m, rows), copy=True)  # own memory (helpers own)


@helper
def along_axis_rows_t(t, a, axis):
    """The transpose of `along_axis_rows`: rows back into `a`'s layout."""
    m = _moved(a, axis)
    return np.array(np.moveaxis(np.reshape(t, m.shape), -1, axis), copy=True)


def _result_axes(res, a, axis):
    """(the shape `res` takes before the move, source axes, destination axes)."""
    m = _moved(a, axis)
    lead, out = m.shape[:-1], np.shape(res)[1:]
    axis = axis % np.ndim(a)
    k = len(out)
    return lead + out, list(range(len(lead), len(lead) + k)), list(range(axis, axis + k))


@helper
def along_axis_result(res, a, axis):
    """The results of ``np.apply_along_axis(f, axis, a)``, stacked one per slice in `res`, where
    NumPy puts them (the result's dimensions in place of `axis`)."""
    shape, src, dst = _result_axes(res, a, axis)
    return np.array(np.moveaxis(np.reshape(res, shape), src, dst), copy=True)


@helper
def along_axis_result_t(t, res, a, axis):
    """The transpose of `along_axis_result`: back to one row per slice (`res`'s shape)."""
    _, src, dst = _result_axes(res, a, axis)
    return np.array(np.reshape(np.moveaxis(t, dst, src), np.shape(res)), copy=True)


@helper
def try_which(f, handlers, *args, **kwargs):
    """Which part of ``try: ... f(*args, **kwargs) ... except h1: ... except h2: ...`` runs
    (lower/trys.py): 0 when the call returns, k when it raises an exception the k-th handler
    (a class or a tuple of classes) catches; any other exception propagates, as in Python.
    A handler ``("errstate", kind, how, ...)`` catches nothing: the call runs under
    ``np.errstate(kind=how, ...)`` (``with np.errstate(divide="raise"):``, lower/withs.py), so
    it raises FloatingPointError where NumPy does."""
    try:
        _call_under(f, handlers, args, kwargs)
    except BaseException as e:
        for k, h in enumerate(handlers, 1):
            if not (type(h) is tuple and h[:1] == ("errstate",)) and isinstance(e, h):
                return k
        raise
    return 0


@helper
def try_error(f, handlers, *args, **kwargs):
    """The exception ``f(*args, **kwargs)`` raises, which the handler of ``except E as e``
    reads (lower/trys.py: called in that handler only, after `try_which` saw `f` raise it; `f`
    is pure, so it raises the same again; None if it no longer does)."""
    try:
        _call_under(f, handlers, args, kwargs)
    except BaseException as e:
        return e
    return None


@helper
def setitem_check(c, i, v):
    """Raise what ``c[i] = v`` raises, changing nothing (the check of an element write in a
    ``try`` body, lower/trysteps.py): the write done on a copy of what it changes, ``c[i]``
    of an array (its dtype, the read's IndexError; one element's write as an element's: ``c[0]
    = np.ones(1)`` raises ValueError where ``c[0].copy()[...] = ...`` takes it), the whole list
    or deque, ``hash(i)`` of a dict."""
    if isinstance(c, np.ndarray):
        part = c[i]
        if isinstance(part, np.ndarray):  # (a cast's FloatingPointError, a shape's ValueError)
            np.array(part, copy=True)[...] = v
        else:  # (one element: NumPy's element write, which takes no 1-element array)
            np.empty(1, c.dtype)[0] = v
    elif type(c) in (dict, collections.OrderedDict, collections.defaultdict):
        hash(i)
    elif type(c) in (list, collections.deque):
        copy.copy(c)[i] = v
    elif isinstance(c, (tuple, str, bytes, int, float, complex)) or c is None:
        c[i] = v  # (TypeError: they take no item writes)
    else:  # (an object's ``__setitem__`` would run twice)
        raise DiffError(
            f"an item write `c[i] = v` on a `{type(c).__name__}` object in a `try` body (or a "
            "`with np.errstate(...)` block): srcad checks the write before it runs on arrays, "
            "lists and dicts only",
            hint="write the item before the `try` or into an array, list or dict",
        )


def _call_under(f, handlers, args, kwargs) -> None:
    """``f(*args, **kwargs)``, under the ``np.errstate`` of an ``("errstate", ...)`` handler."""
    state = [h for h in handlers if type(h) is tuple and h[:1] == ("errstate",)]
    if state:
        with np.errstate(**dict(zip(state[0][1::2], state[0][2::2]))):
            f(*args, **kwargs)
    else:
        f(*args, **kwargs)


@helper
def deep_copy(x):
    """``copy.deepcopy(x)`` (lower/stdlib.py): a new object sharing nothing with `x`; linear,
    its tangent the tangent's deep copy, its cotangent the result's. Refused when `x` holds an
    object whose class copies itself its own way (`_own_copy`): its copy need not be `x`."""
    own = _own_copy(x, set())
    if own is not None:
        raise DiffError(
            f"`copy.deepcopy` of a value holding a `{own.__name__}` object, whose class defines "
            "how it is copied (`__deepcopy__`, `__reduce__`, `__getstate__`, ...): srcad "
            "differentiates a deep copy as the same values",
            hint="build the copy from the fields instead of `copy.deepcopy`",
        )
    if _held_twice(x, set(), [0]):
        raise DiffError(
            "`copy.deepcopy` of a value holding one mutable object (an array, list, dict or "
            "object) in two places: Python's copy holds its one copy in both, which a write "
            "through one changes for the other; srcad's analysis of the copy takes them apart",
            hint="copy each part on its own (`[a.copy(), a.copy()]`), or hold the object once",
        )
    return copy.deepcopy(x)


_IMMUTABLE = (int, float, complex, bool, str, bytes, type(None), np.generic, type, types.ModuleType)


def _held_twice(x: object, seen: set, budget: list) -> bool:
    """Does `x` reach one mutable object twice (through lists, tuples, dicts, sets and
    attributes)? (At most 100,000 objects looked at: past that, no.)"""
    budget[0] += 1
    if isinstance(x, _IMMUTABLE) or callable(x) and not hasattr(x, "__dict__") or budget[0] > 1e5:
        return False
    if not isinstance(x, tuple):  # (a tuple is immutable: what it holds is checked)
        if id(x) in seen:
            return True
        seen.add(id(x))
    if isinstance(x, np.ndarray):
        return x.dtype == object and any(_held_twice(v, seen, budget) for v in x.flat)
    if isinstance(x, dict):
        return any(_held_twice(v, seen, budget) for v in x.values())
    if isinstance(x, (list, tuple, set, frozenset)):
        return any(_held_twice(v, seen, budget) for v in x)
    d = getattr(x, "__dict__", None)
    return isinstance(d, dict) and any(_held_twice(v, seen, budget) for v in d.values())


_HOOKS = ("__deepcopy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
          "__getnewargs__", "__getnewargs_ex__")  # fmt: skip
_PLAIN = (int, float, complex, bool, str, bytes, type(None), np.ndarray, np.generic, type,
          types.ModuleType)  # fmt: skip
_LIBS = ("collections", "dataclasses", "copy", "copyreg")  # (their hooks copy field by field)


def _own_copy(x: object, seen: set) -> type | None:
    """The class of an object `x` reaches (through lists, tuples, dicts and attributes) that
    copies itself its own way: a copying hook written in Python outside `_LIBS`; else None."""
    t = type(x)
    if t in _PLAIN or id(x) in seen or callable(x) and not hasattr(x, "__dict__"):
        return None
    seen.add(id(x))
    for k in t.__mro__[:-1]:
        for n in _HOOKS:
            f = vars(k).get(n)
            f = getattr(f, "__func__", f)
            if f is not None and getattr(f, "__module__", None) not in (None, *_LIBS):
                return t
    if isinstance(x, dict):
        items = [*x.keys(), *x.values()]
    elif isinstance(x, (list, tuple)):
        items = list(x)
    else:
        items = list(getattr(x, "__dict__", {}).values())
        items += [getattr(x, s) for k in t.__mro__ for s in _slots(k) if hasattr(x, s)]
    for v in items:
        own = _own_copy(v, seen)
        if own is not None:
            return own
    return None


def _slots(k: type) -> tuple:
    s = vars(k).get("__slots__", ())
    return (s,) if isinstance(s, str) else tuple(s)
