"""A condition of a reverse-mode mask, computed again where the mask applies.

Input: the name of a pure elementwise primitive (a comparison, ``np.isnan``, a logical op,
``abs``, arithmetic) and its operands. Output: the runtime helper ``recomputed(prim, *args)``, the
value that primitive computes, or `UNKNOWN` when it cannot be computed safely (an operand that is
not a NumPy array, NumPy scalar or Python number: a branch's placeholder None, a user object whose
operators are user code; an error), and its zero rules; also ``nan_left_out(a, ans, axis,
keepdims)``, the entries a NaN-skipping reduction leaves out (`srcad.ad.nanmasks`), and
``read_mask(x, idx)``, the positions ``x[idx]`` reads (`srcad.ad.partreads`; ``read_by``: those a
selection such as ``np.take(x, i)`` reads; ``unread``/``mark_read``: a loop's record of them).

`srcad.ad.maskcarry` emits it for a condition a branch or a loop body computes from values made
before it, when the mask applies outside (``r = a / b; if c: np.where(np.isnan(r), 0.0, r)``:
``r``'s contributions are masked where ``np.isnan(r)``, recomputed after the ``if``). The helpers
reading a mask (`where_mask`, `unset_mask`, `moved_mask`) mask nothing where a condition is
`UNKNOWN`: always sound, since a mask only says where a cotangent is known to be zero.
"""

from __future__ import annotations

import operator

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper
from srcad.rules.indexing import unset_mask
from srcad.rules.misc import where_mask
from srcad.rules.numpy_extra import _quantile_weights
from srcad.rules.reductions import _expand


class _Unknown:
    """A condition that could not be computed: the mask reading it masks nothing."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:  # (where_mask's np.asarray(c, bool): masks nothing)
        raise TypeError("a condition srcad could not compute again")


UNKNOWN = _Unknown()

_NP = (
    "isnan isinf isfinite isneginf isposinf signbit abs absolute fabs negative positive sign "
    "logical_and logical_or logical_not logical_xor greater greater_equal less less_equal equal "
    "not_equal add subtract multiply divide true_divide square maximum minimum power "
    "exp exp2 expm1 log log2 log10 log1p sqrt cbrt sin cos tan arcsin arccos arctan sinh cosh "
    "tanh arcsinh arccosh arctanh reciprocal floor ceil"
).split()
# the primitives it computes again: pure, elementwise, deterministic, on numbers and arrays
FUNCTIONS = {f"numpy.{n}": getattr(np, n) for n in _NP} | {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge, "neg": operator.neg, "pos": operator.pos,
    "invert": operator.invert, "not": operator.not_, "abs": abs, "add": operator.add,
    "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv, "pow": operator.pow,
    "bitand": operator.and_, "bitor": operator.or_, "bitxor": operator.xor,
    "method.copy": np.copy, "numpy.copy": np.copy,  # (``q = r.copy(); q[np.isnan(q)] = 0``)
    "range_some": lambda a, b, s: len(range(a, b, s)) > 0,  # (a for loop runs: `loopmasks`)
    # (``if flag:``; an array of more than one entry raises: UNKNOWN; a list's: `_SIZED`)
    "truth": operator.truth,
}  # fmt: skip
_PLAIN = (bool, int, float, np.ndarray, np.bool_, np.number)
_SIZED = (list, tuple, dict)  # (their truth is their length's, whatever they hold)


def median_support(a):
    """Where ``np.median(a)`` (of the whole array) reads `a`: its weights are not 0 (or nan)."""
    return _quantile_weights(a, 0.5, None, "linear", False)[0] != 0


FUNCTIONS["median_support"] = median_support


def ext_support(a, ans, axis=None, keepdims=False):
    """Where ``ans = np.max(a, axis, keepdims=keepdims)`` (min alike) gives `a` a cotangent: the
    entries equal to their slice's extreme, and every entry of a slice whose extreme is NaN (the
    rule's weights are NaN there)."""
    e = _expand(ans, np.shape(a), axis, keepdims)
    return np.equal(a, e) | np.isnan(e)


FUNCTIONS["ext_support"] = ext_support


def choose_pick(a, k, n, mode):
    """Where ``np.choose(a, choices, mode=)`` with `n` choices takes choice `k` (`mode` 0:
    'raise', 1: 'wrap', 2: 'clip'): the only positions where that choice gets a cotangent."""
    a = np.asarray(a)
    if a.dtype.kind not in "biu":
        raise TypeError("choose: an index array of integers")  # (recomputed: UNKNOWN)
    e = a % n if mode == 1 else np.clip(a, 0, n - 1) if mode == 2 else a
    return e == k


FUNCTIONS["choose_pick"] = choose_pick


def interp_support(x, xp, fp):
    """The entries of `fp` that ``np.interp(x, xp, fp)`` (no period) may read at or near `x`:
    for each x, the breakpoints k with ``xp[k-1] <= x <= xp[k+1]`` (the segment's ends, and a
    knot's neighbours when x is on it); elsewhere its weight is 0 for every nearby x and xp, so
    `fp` gets no cotangent there at any order. All True for a NaN x or an unsorted `xp`."""
    x, xp = np.asarray(x, dtype=float).ravel(), np.asarray(xp, dtype=float)
    n = np.shape(fp)[0] if np.ndim(fp) == 1 else -1
    if xp.ndim != 1 or xp.size != n or np.isnan(x).any() or np.any(xp[1:] < xp[:-1]):
        return np.ones(np.shape(fp), dtype=bool)
    lo = np.clip(np.searchsorted(xp, x, "left") - 1, 0, n - 1)
    hi = np.clip(np.searchsorted(xp, x, "right"), 0, n - 1)
    step = np.zeros(n + 1, dtype=int)  # (+1 at each lo, -1 after each hi: covered where > 0)
    np.add.at(step, lo, 1)
    np.add.at(step, hi + 1, -1)
    return np.cumsum(step)[:n] > 0


FUNCTIONS["interp_support"] = interp_support


def interp_weights(x, xp, fp):
    """The entries of `fp` whose weight in ``np.interp(x, xp, fp)`` is not 0 for some x, with x
    and xp fixed (`srcad.ad.selmasks.fixed_interps`): the ends of x's segment, the knot alone
    for an x on one (NumPy returns ``fp[k]`` there), the end one outside. `interp_support`'s
    where an x is NaN or `xp` does not increase strictly."""
    xa, xpa = np.asarray(x, dtype=float).ravel(), np.asarray(xp, dtype=float)
    n = np.shape(fp)[0] if np.ndim(fp) == 1 else -1
    if xpa.ndim != 1 or xpa.size != n or n < 2 or np.isnan(xa).any():
        return interp_support(x, xp, fp)
    if not np.all(xpa[1:] > xpa[:-1]):
        return interp_support(x, xp, fp)
    j = np.searchsorted(xpa, xa, "right") - 1  # (the last knot <= x; -1 before the first)
    lo = np.clip(j, 0, n - 1)
    hi = np.where((j < 0) | (j >= n - 1) | (xpa[lo] == xa), lo, lo + 1)
    out = np.zeros(n, dtype=bool)
    out[lo] = True
    out[hi] = True
    return out


FUNCTIONS["interp_weights"] = interp_weights
_AXES = {
    "ext_support": 2,
    "choose_pick": 1,
    "interp_support": 3,
    "interp_weights": 3,
}  # (operands after the first ones: ints, flags)


@helper
def recomputed(prim, *args):
    """``prim(*args)`` for a primitive of `FUNCTIONS` on NumPy arrays, NumPy scalars and Python
    numbers (an array of objects excluded); `UNKNOWN` for any other operand or an error."""
    fn = FUNCTIONS.get(prim)
    if fn is None:
        return UNKNOWN
    if prim == "truth" and type(args[0]) in _SIZED:  # (a list's truth: whether it is empty)
        return len(args[0]) > 0
    n = _AXES.get(prim, len(args))
    for a in args[:n]:
        if not isinstance(a, _PLAIN) or (type(a) is np.ndarray and a.dtype.kind not in "biuf"):
            return UNKNOWN
    if not all(_axis_like(a) for a in args[n:]):
        return UNKNOWN
    try:
        with np.errstate(all="ignore"):
            return fn(*args)
    except Exception:  # (``not`` of an array, shapes that do not broadcast)
        return UNKNOWN


def _axis_like(a) -> bool:
    """None, an int, a bool or a tuple of ints: an axis or a flag."""
    t = type(a)
    return a is None or t in (int, bool) or (t is tuple and all(type(k) is int for k in a))


@helper
def nan_left_out(a, ans, axis=None, keepdims=False):
    """The entries of `a` a NaN-skipping reduction (``ans = np.nanmean(a, axis, ..)``, ...) leaves
    out and whose cotangent is therefore 0: NaN entries of the slices whose result is finite (a
    slice with a NaN or infinite result, ``np.nanmean`` of all NaNs, has a NaN derivative, as its
    value). False (nothing left out) for what is not an array of reals or numbers, or on an
    error. `srcad.ad.nanmasks` masks the chain that made `a` there."""
    if not isinstance(a, _PLAIN) or not isinstance(ans, _PLAIN):
        return False
    a = np.asarray(a)
    if a.dtype.kind not in "f":
        return False
    try:
        return np.isnan(a) & _finite_slices(a, ans, axis, keepdims)
    except (TypeError, ValueError):
        return False


def _finite_slices(a, ans, axis, keepdims):
    """True at the entries of `a` whose slice's reduced result ``ans`` (over `axis`) is finite,
    in a shape that broadcasts against `a`."""
    fin = np.isfinite(ans)
    axes = tuple(range(a.ndim)) if axis is None else axis
    axes = np.lib.array_utils.normalize_axis_tuple(axes, a.ndim)
    rank = a.ndim if keepdims else a.ndim - len(axes)
    if fin.ndim > rank:  # (quantiles of an array q: leading axes, finite in every one)
        fin = fin.all(axis=tuple(range(fin.ndim - rank)))
    return fin if keepdims else np.expand_dims(fin, axes)


@helper
def where_left_out(a, ans, where, axis=None, keepdims=False):
    """The entries of `a` a reduction with a mask (``ans = np.mean(a, axis, where=where)``, sum,
    var, ..) leaves out, in the slices whose result is finite: their cotangent is 0 (a slice with
    a NaN or infinite result, the mean of no entry, has a NaN derivative, as its value). False
    (nothing left out) for what is not an array of reals, or on an error. `srcad.ad.wheremasks`
    masks the chain that made `a` there."""
    if not isinstance(a, _PLAIN) or not isinstance(ans, _PLAIN):
        return False
    a = np.asarray(a)
    if a.dtype.kind not in "f":
        return False
    try:
        out = ~np.broadcast_to(np.asarray(where, dtype=bool), a.shape)
        return out & _finite_slices(a, ans, axis, keepdims)
    except (TypeError, ValueError):
        return False


@helper
def read_mask(x, idx):
    """The positions of the array `x` that ``x[idx]`` reads (True), the only ones where `x` gets
    a cotangent from that read (`srcad.ad.partreads`); True (mask nothing) when `x` is not an
    array or `idx` does not index it."""
    unset = unset_mask(x, idx)  # (the positions the write ``x[idx] = v`` leaves)
    return True if unset is True else ~unset


# (diag, tril, triu: their zeros count position 0 as read, which masks less: sound)
_PICKS = frozenset(("take", "take_along_axis", "item", "compress", "diagonal", "trace", "split",
                    "array_split", "hsplit", "vsplit", "dsplit", "tolist", "diag", "tril",
                    "triu", "list", "tuple"))  # fmt: skip
_LISTED = ("split", "array_split", "hsplit", "vsplit", "dsplit", "tolist", "list", "tuple")


@helper
def read_by(prim, pos, names, *args):
    """The positions of the array ``x = args[pos]`` that the selection ``prim(*args)`` reads
    (``np.take(x, i)``, ``x.item(k)``, ``np.compress(c, x)``; its last len(`names`) arguments
    are keywords; a list's, ``np.split(x, 3)``, ``x.tolist()``: of its part ``args[-1]``, after
    the keywords: ``np.split(x, 3, axis=1)[0]`` is ``read_by(.., ("axis",), x, 3, 1, 0)``), the
    only ones where `x` gets a cotangent from it (`srcad.ad.partreads`): those whose number the
    selection of ``np.arange(x.size).reshape(x.shape)`` holds. True (mask nothing) when `x` is
    not an array or the selection fails."""
    kind, _, name = prim.partition(".")
    x = args[pos] if pos < len(args) else None
    if type(x) is not np.ndarray or name not in _PICKS:
        return True
    part = name in _LISTED
    k, args = (args[-1], args[:-1]) if part else (None, args)  # (the part: after the keywords)
    kw = dict(zip(names, args[len(args) - len(names) :])) if names else {}
    rest = list(args[: len(args) - len(names)])
    kw.pop("out", None)  # (never write into the caller's buffer; a positional one: cut off)
    if name == "trace":  # (a sum of the diagonal: the positions it reads)
        name, rest = "diagonal", rest[:4]
        kw.pop("dtype", None)
    elif name in ("take", "compress"):  # (a mode given by position is cut off too: 'raise')
        rest = rest[:3]
    rest[pos] = np.arange(x.size).reshape(x.shape)
    try:
        if kind == "builtins":  # (``list(x)``, ``tuple(x)``: x's rows)
            fn = list if name == "list" else tuple
        else:
            fn = getattr(np, name) if kind == "numpy" else getattr(rest.pop(0), name)
        got = fn(*rest, **kw)
        seen = np.zeros(x.size, dtype=bool)
        seen[np.asarray(got[k] if part else got, dtype=np.intp).ravel()] = True
    except (ValueError, TypeError, IndexError, AttributeError):
        return True
    return seen.reshape(x.shape)


@helper
def unread(x):
    """A record of the positions of the array `x` a loop reads (`srcad.ad.loopreads`): none yet
    (False everywhere); True (mask nothing) when `x` is not an array."""
    return np.zeros(x.shape, dtype=bool) if type(x) is np.ndarray else True


@helper
def mark_read(seen, idx):
    """The record `seen` (`unread`'s, the loop's own) with the positions ``x[idx]`` reads set, in
    place; True (mask nothing from then on) when they cannot be recorded."""
    if seen is True:
        return True
    try:
        seen[idx] = True
    except (ValueError, TypeError, IndexError):
        return True
    return seen


@helper
def mark_where(seen, c, keep):
    """The record `seen` (`unread`'s, the loop's own: `srcad.ad.loopwheres`) with the positions
    ``np.where(c, a, b)`` takes from its side `keep` names (True: `a`) set, in place; True (mask
    nothing from then on) when they cannot be recorded."""
    if seen is True:
        return True
    got = where_mask(seen.shape, c, keep=(keep,))
    if got is True or np.shape(got) not in ((), seen.shape):
        return True
    seen |= got
    return seen


@helper
def unwritten(x):
    """A record of the positions of the array `x` a loop writes (`srcad.ad.loopwrites`): none
    yet (False everywhere); False (mask nothing) when `x` is not an array."""
    return np.zeros(x.shape, dtype=bool) if type(x) is np.ndarray else False


@helper
def mark_written(seen, idx):
    """The record `seen` (`unwritten`'s, the loop's own) with the positions ``x[idx] = v``
    writes set, in place; False (mask nothing from then on) when they cannot be recorded."""
    if seen is False:
        return False
    try:
        seen[idx] = True
    except (ValueError, TypeError, IndexError):
        return False
    return seen


@helper
def mark_read_by(seen, prim, pos, names, *args):
    """`mark_read` for a selection (``np.take(x, i)`` in a loop): the positions `read_by` finds
    set in `seen`, in place; True (mask nothing from then on) when they cannot be recorded."""
    if seen is True:
        return True
    got = read_by(prim, pos, names, *args)
    if got is True or np.shape(got) != seen.shape:
        return True
    seen |= got
    return seen


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    defzero_helper(
        jvp,
        vjp,
        recomputed,
        nan_left_out,
        where_left_out,
        read_mask,
        read_by,
        unread,
        mark_read,
        mark_read_by,
        mark_where,
        unwritten,
        mark_written,
    )
