"""Where an operand of a gather gets a cotangent, given where its result's can be non-zero.

Input: `sel`, the positions of ``y = prim(*args)`` whose cotangent may be non-zero
(`srcad.ad.masks`: a read ``y[:2]``, a ``np.where``'s side), the operand `u` and how the op
moves entries (`srcad.ad.gathers`). Output: ``gather_mask(sel, u, y, how, prim, slot, names,
*args)``, a boolean array of `u`'s shape, True where `u` may get a cotangent from `y`:

- ``"gather"``: every entry of ``y`` is a copy of one entry of one operand or a constant
  (``np.concatenate``, ``np.stack`` and its kin, ``np.tile``, ``np.repeat``, ``np.broadcast_to``,
  ``np.pad`` in a copying mode, ``np.insert``, ``np.append``, ``np.rot90``): the op run again
  with `u` replaced by its positions and the other arrays by -1 gives the position each entry of
  ``y`` holds;
- ``"sort"``: ``np.sort``/``np.partition``, whose rules route the cotangent by
  ``np.argsort(u, axis)``/``np.argpartition(u, kth, axis)``: the same permutation, of positions;
- ``"prefix"``: ``np.cumsum``, ``np.cumprod``: an entry reaches every later one along its axis;
- ``"matmul"``: ``a @ b``: a row of `a` (a column of `b`) reaches its row (column);
  ``"einsum"``: an entry of an operand reaches the entries of the result sharing its letters
  (``"contract"``: ``np.tensordot``, ``np.inner``, as that einsum; ``"outer"``: ``np.outer``,
  an entry of `a` reaches its row, of `b` its column);
- ``"diff"``: ``np.diff(u, n, axis)``: an entry reaches the `n` + 1 entries of the result next
  to it;
- ``"reduce"``: ``np.sum(u, axis, keepdims=)``, ``np.mean``: an entry reaches the entry of the
  result its slice sums into (every entry of `u` the one number of a whole sum).

`slot` is ``(k, j)``: `u` is argument `k` (item `j` of a list argument, -1 for the argument
itself); the last ``len(names)`` arguments are keywords. True (mask nothing) when `u` is not a
float array or the positions cannot be worked out: a mask only says where a cotangent is known
to be zero, so masking less is always sound.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper
from srcad.rules.products import _einsum_specs

_NDARRAY = np.ndarray
# the array arguments of each gather, by position (`ad/gathers.py` names the same)
ARRAYS = {"numpy.concatenate": (0,), "numpy.stack": (0,), "numpy.hstack": (0,),
          "numpy.vstack": (0,), "numpy.dstack": (0,), "numpy.column_stack": (0,),
          "numpy.tile": (0,), "numpy.repeat": (0,), "method.repeat": (0,),
          "numpy.broadcast_to": (0,), "numpy.pad": (0,), "numpy.insert": (0, 2),
          "numpy.append": (0, 1), "numpy.rot90": (0,)}  # fmt: skip
_COPYING_PADS = ("constant", "edge", "reflect", "symmetric", "wrap")
_PAD_KW = frozenset(("mode", "constant_values"))  # (reflect_type='odd' or stat_length: not copies)
_DROP = ("dtype", "casting", "out")  # (keywords that change no position)


@helper
def gather_mask(sel, u, y, how, prim, slot, names, *args):
    """The positions of `u` that ``y = prim(*args)`` copies to a position where `sel` holds
    (`how`: ``"gather"``, ``"sort"``, ``"prefix"``); True when that cannot be worked out."""
    if type(u) is not _NDARRAY or u.dtype.kind not in "fc":
        return True
    if type(y) is not _NDARRAY and (how != "reduce" or not isinstance(y, np.inexact)):
        return True  # (a whole sum: a NumPy number)
    rest, kw = (
        list(args[: len(args) - len(names)]),
        dict(zip(names, args[len(args) - len(names) :])),
    )
    try:
        s = np.broadcast_to(np.asarray(sel, dtype=bool), np.shape(y))
        if how in _OTHERS:
            return _OTHERS[how](s, u, prim, slot, rest, kw)
        got = _positions(u, prim, slot, rest, kw) if how == "gather" else _sorted(u, prim, rest, kw)
        if got is None or np.shape(got) != y.shape:
            return True
        picked = np.asarray(got[s]).ravel()
        keep = np.zeros(u.size, dtype=bool)
        keep[picked[picked >= 0].astype(np.intp)] = True
    except (ValueError, TypeError, IndexError, AttributeError):
        return True
    return keep.reshape(u.shape)


def _positions(u, prim, slot, rest, kw):
    """``prim(*rest, **kw)`` with `u` (at `slot`) replaced by its positions, the other arrays
    of `ARRAYS` by -1: the position of `u` each entry of the result holds, -1 for none."""
    k, j = slot
    arrays = ARRAYS.get(prim, ())
    if k not in arrays or k >= len(rest):
        return None
    if prim == "numpy.pad" and (kw.keys() - _PAD_KW or len(rest) > 2):
        return None  # (a mode by position, reflect_type, stat_length: not checked here)
    if prim == "numpy.pad" and kw.get("mode", "constant") not in _COPYING_PADS:
        return None
    for name in _DROP:
        kw.pop(name, None)
    if "constant_values" in kw:
        kw["constant_values"] = -1.0
    pos = np.arange(u.size, dtype=np.float64).reshape(u.shape)
    for a in arrays:
        if a >= len(rest):
            continue
        if type(rest[a]) in (list, tuple):
            items = [np.full(np.shape(v), -1.0) for v in rest[a]]
            if a == k:
                if not 0 <= j < len(items) or rest[a][j] is not u:
                    return None
                items[j] = pos
            rest[a] = items
        elif a == k:
            if j != -1 or rest[a] is not u:
                return None
            rest[a] = pos
        else:
            rest[a] = np.full(np.shape(rest[a]), -1.0)
    if prim == "method.repeat":
        return np.repeat(*rest, **kw)
    return getattr(np, prim.partition(".")[2])(*rest, **kw)


def _sorted(u, prim, rest, kw):
    """The position of `u` each entry of ``np.sort(u, ..)``/``np.partition(u, kth, ..)`` holds,
    by the permutation its rule reads (``np.argsort(u, axis=axis)``, ``np.argpartition``)."""
    if not rest or rest[0] is not u:
        return None
    pos = np.arange(u.size).reshape(u.shape)
    if prim == "numpy.sort":
        axis = rest[1] if len(rest) > 1 else kw.get("axis", -1)
        idx = np.argsort(u, axis=axis)
    elif prim == "numpy.partition":
        kth = rest[1] if len(rest) > 1 else kw["kth"]
        axis = rest[2] if len(rest) > 2 else kw.get("axis", -1)
        idx = np.argpartition(u, kth, axis=axis)
    else:
        return None
    return pos.ravel()[idx] if axis is None else np.take_along_axis(pos, idx, axis=axis)


def _prefix(s, u, _prim, _slot, rest, kw):
    """``np.cumsum(u, axis)``, cumprod: the positions of `u` some later entry along the axis (the
    flattened `u` for no axis) of `s` keeps."""
    if not rest or rest[0] is not u:
        return True
    axis = rest[1] if len(rest) > 1 else kw.get("axis")
    if axis is None:
        return np.logical_or.accumulate(s.ravel()[::-1])[::-1].reshape(u.shape)
    if s.shape != u.shape:
        return True
    r = np.flip(s, axis)
    return np.flip(np.logical_or.accumulate(r, axis=axis), axis)


def _matmul(s, u, prim, slot, rest, kw):
    """``a @ b`` (``np.matmul``, ``np.dot`` of 1-D and 2-D arrays), `u` one of them: a row of
    `a` reaches its row of the result, a column of `b` its column."""
    k = slot[0]
    if kw or len(rest) != 2 or rest[k] is not u or slot[1] != -1:
        return True
    a, b = (np.ndim(v) for v in rest)
    if a == 0 or b == 0 or (prim == "numpy.dot" and max(a, b) > 2):
        return True
    if a == 1 and b == 1:
        return np.broadcast_to(s, u.shape)
    if k == 0:
        r = s[..., None] if b == 1 else np.any(s) if a == 1 else np.any(s, -1, keepdims=True)
    else:
        r = s[..., None, :] if a == 1 else np.any(s) if b == 1 else np.any(s, -2, keepdims=True)
    r = np.asarray(r)
    while r.ndim > u.ndim:  # (batch axes `u` is broadcast along)
        r = np.any(r, axis=0)
    for i, (n, m) in enumerate(zip(u.shape, r.shape)):
        if n == 1 and m != 1:
            r = np.any(r, axis=i, keepdims=True)
    return np.broadcast_to(r, u.shape)


def _diff(s, u, _prim, _slot, rest, kw):
    """``np.diff(u, n, axis)``: an entry of the result reads `n` + 1 neighbours of `u`."""
    pos = ("n", "axis")
    got = dict(zip(pos, rest[1:]), **kw)
    if not rest or rest[0] is not u or got.keys() - set(pos) or s.ndim != u.ndim:
        return True
    n, axis = got.get("n", 1), got.get("axis", -1)
    r = np.moveaxis(s, axis, -1)
    for _ in range(n):
        grown = np.zeros((*r.shape[:-1], r.shape[-1] + 1), dtype=bool)
        grown[..., :-1] |= r
        grown[..., 1:] |= r
        r = grown
    r = np.moveaxis(r, -1, axis)
    return r if r.shape == u.shape else True


def _reduce(s, u, _prim, slot, rest, kw):
    """``np.sum(u, axis, keepdims=)``, ``np.mean``: `s` at the entry each slice of `u` sums
    into, spread back along the summed axes."""
    if slot != (0, -1) or not rest or rest[0] is not u or len(rest) > 2 or kw.keys() - _RED_KW:
        return True
    axis = rest[1] if len(rest) > 1 else kw.get("axis")
    if axis is None:
        return np.broadcast_to(np.any(s), u.shape)
    axes = tuple(int(a) % u.ndim for a in (axis if type(axis) is tuple else (axis,)))
    if not kw.get("keepdims", False):
        s = np.expand_dims(s, axes)
    return np.broadcast_to(s, u.shape) if s.ndim == u.ndim else True


_RED_KW = frozenset(("axis", "keepdims", "dtype"))


def _einsum(s, u, _prim, slot, rest, kw):
    """``np.einsum(subscripts, *operands)``, `u` operand ``slot[0] - 1``: an entry reaches the
    entries of the result sharing its letters."""
    k = slot[0]
    if kw.keys() - {"optimize"} or slot[1] != -1 or not 1 <= k < len(rest) or rest[k] is not u:
        return True
    specs, out = _einsum_specs(rest[0], rest[1:])
    return _spread(s, u, specs[k - 1], out)


def _contract(s, u, prim, slot, rest, kw):
    """``np.tensordot(a, b, axes)``, ``np.inner(a, b)``, `u` one of them: as the einsum they
    are."""
    k = slot[0]
    if slot[1] != -1 or len(rest) < 2 or rest[k] is not u:
        return True
    na, nb = np.ndim(rest[0]), np.ndim(rest[1])
    if prim == "numpy.inner":
        if kw or len(rest) != 2 or na == 0 or nb == 0:
            return True
        pairs = [(na - 1, nb - 1)]
    else:
        axes = rest[2] if len(rest) > 2 else kw.get("axes", 2)
        if type(axes) is int:
            pairs = [(na - axes + j, j) for j in range(axes)]
        else:
            ax_a, ax_b = (list(np.atleast_1d(v)) for v in axes)
            pairs = [(int(i) % na, int(j) % nb) for i, j in zip(ax_a, ax_b, strict=True)]
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    sa = [next(letters) for _ in range(na)]
    sb = [next(letters) for _ in range(nb)]
    for i, j in pairs:
        sb[j] = sa[i]
    summed = {sa[i] for i, _ in pairs}
    out = "".join(c for c in sa if c not in summed) + "".join(c for c in sb if c not in summed)
    return _spread(s, u, "".join(sa if k == 0 else sb), out)


def _outer(s, u, _prim, slot, rest, kw):
    """``np.outer(a, b)`` (both flattened), `u` one of them: an entry of `a` reaches its row of
    the result, of `b` its column."""
    k = slot[0]
    if kw or slot[1] != -1 or len(rest) != 2 or rest[k] is not u:
        return True
    if s.shape != (np.size(rest[0]), np.size(rest[1])):
        return True
    return np.reshape(np.any(s, axis=1 - k), u.shape)


def _spread(s, u, spec, out):
    """The entries of `u` (letters `spec`) reaching an entry of `s` (letters `out`)."""
    if len(set(spec)) != len(spec) or len(spec) != u.ndim or s.ndim != len(out):
        return True  # (a diagonal: not worked out here)
    kept = "".join(c for c in out if c in spec)
    m = np.einsum(f"{out}->{kept}", s.astype(float)) > 0  # (some kept entry along the others)
    m = np.transpose(m, [kept.index(c) for c in spec if c in kept])
    m = np.reshape(m, [u.shape[j] if c in kept else 1 for j, c in enumerate(spec)])
    return np.broadcast_to(m, u.shape)


_OTHERS = {"prefix": _prefix, "matmul": _matmul, "diff": _diff, "einsum": _einsum,
           "contract": _contract, "outer": _outer, "reduce": _reduce}  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    defzero_helper(jvp, vjp, gather_mask)
