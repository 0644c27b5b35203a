"""NumPy calls that write into an array held by a local name, lowered as a new version of it.

Input: the gast `Call` and the lowerer `lw` (the call lowering hands over the calls it would
refuse). Output: ops computing the written array as a new value, the name rebound to it, or None
(the caller refuses the call as before):

- ``np.add.at(a, idx, v)`` / ``np.subtract.at`` -> ``a = _srcad.scatter_add(a, idx, +-v)``;
  ``np.multiply.at`` / ``divide.at`` / ``maximum.at`` / ``minimum.at``: lower/ufunc_at.py;
- ``np.fill_diagonal(a, val, wrap=False)`` -> ``a = _srcad.fill_diag(a, val, wrap)``;
- ``np.put_along_axis(a, idx, v, axis)`` / ``np.put(a, idx, v, mode)`` -> ``a =
  _srcad.put_write(a, idx, v, axis (mode), "along" ("flat"))``;
- ``np.place(a, mask, vals)`` -> ``put_write(a, place_index(a, mask, vals), vals, "raise",
  "flat")``; ``y.put(ind, v, mode)`` as ``np.put``; ``y.partition(kth, ...)`` -> ``y =
  np.partition(y, kth, ...)``;
- ``np.putmask(a, mask, values)`` -> ``a = _srcad.out_write(a, np.where(mask, np.resize(values,
  a.shape), a), "unsafe")`` (the values repeated over the flat positions, as NumPy's);
- ``np.copyto(y, r)`` -> ``y = _srcad.out_write(y, r, "same_kind")`` (with ``where=m``: of
  ``np.where(m, r, y)``); into a view ``u[::2]`` of a local: ``u[::2] = out_write(u[::2], ...)``;
  ``y.fill(v)`` ->
  ``y = _srcad.out_write(y, v, "unsafe")``;
- ``f(..., out=y)``, `f` a NumPy function or an array method of a local (``z.clip(lo, hi,
  out=z)``) -> ``y = _srcad.out_write(y, f(...), "same_kind")`` ("unsafe" for a reduction:
  ``np.sum(a, axis=0, out=o)`` truncates into an integer `o`, as NumPy's; the call's value is
  the new `y`, as NumPy returns `out`); a ufunc's ``out=(y,)`` as ``out=y``; ``out=`` an array
  the call makes (``out=np.empty_like(x)``): ``out_write(<it>, f(...))``; a ufunc's ``where=m`` as
  ``np.where(m, f(...), y)``, `y` a local or an array the call makes (``out=np.zeros_like(a)``:
  `_masked`).

The op is marked as updating the old object in place (`Function.augmented`), so the mutation check
(passes/alias.py) refuses the program when anything else holds it and reads it afterwards, or
when it is an argument, a global or a closure value: where the check passes, a new object is
exactly what Python computes. The target must be a plain local name (``a``, not ``a[0]``).
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from srcad.frontend.resolve import out_position
from srcad.lower import ufunc_at as ufunc_more
from srcad.lower.library import _bind
from srcad.lower.values import PrimRef
from srcad.ssa.core import Const, Operand


def refuse(lw: Any, node: gast.Call, what: str) -> None:
    """The refusal of a NumPy call that writes into an array srcad cannot rebind."""
    raise lw.error(
        node,
        f"{what} writes into an existing array, which srcad does not track",
        "compute a new array and assign it (e.g. `y = np.exp(x)` instead of `out=y`, "
        "`y = x.copy()` instead of `np.copyto(y, x)`), or write into a local array",
    )


def _or_refuse(lw: Any, out: Operand | None, node: gast.Call, what: str) -> Operand:
    if out is None:
        refuse(lw, node, what)
    return out


def ufunc_at(lw: Any, ufunc: str, node: gast.Call) -> Operand:
    """``np.add.at``/``np.subtract.at`` on a local array, else refused."""
    return _or_refuse(lw, _ufunc_at(lw, ufunc, node), node, f"`{ufunc}.at`")


def writer(lw: Any, name: str, node: gast.Call) -> Operand:
    """``np.fill_diagonal``/``np.copyto`` (and the other writers) on a local array, else
    refused."""
    return _or_refuse(lw, _writer(lw, name, node), node, f"`{name}`")


# array methods taking `out=` (their value written into it, as NumPy's)
_OUT_METHODS = frozenset({"clip", "round", "cumsum", "cumprod", "sum", "prod", "mean", "max",
                          "min", "conj", "dot"})  # fmt: skip
# reductions and accumulations: NumPy casts their result into ``out=`` unsafely (an integer
# `out` takes ``np.sum(x, out=o)`` truncated), where a ufunc's ``out=`` is cast by ``same_kind``
_UNSAFE_OUT = frozenset({"sum", "prod", "max", "min", "amax", "amin", "mean", "var", "cumsum",
                         "cumprod", "nansum", "nanprod", "nanmax", "nanmin", "median",
                         "nanmedian", "trace", "any", "all", "nancumsum", "nancumprod"})  # fmt: skip


def with_out(lw: Any, node: gast.Call) -> Operand:
    """A NumPy call with ``out=`` a local array, else refused."""
    return _or_refuse(lw, _with_out(lw, node), node, "a call with `out=`")


def _local(lw: Any, node: Any) -> bool:
    return isinstance(node, gast.Name) and node.id in lw.py_locals and node.id in lw.env


def _rebind(lw: Any, target: gast.Name, new: Operand, what: str) -> Operand:
    """Rebind `target` to `new`, the result of the last op, which is marked as updating its
    first operand (the old array) in place (`Function.augmented`, as ``x += v`` is)."""
    op = lw.b.block.ops[-1]
    assert op.result is new
    op.params["method"] = what
    lw.augmented.append(op)
    lw.assign_to(target, new)
    return new


def _ufunc_at(lw: Any, ufunc: str, node: gast.Call) -> Operand | None:
    """``np.add.at(a, idx, v)`` / ``np.subtract.at(a, idx, v)`` on a local `a`."""
    if node.keywords or len(node.args) != 3 or not _local(lw, node.args[0]):
        return None
    if ufunc not in ("numpy.add", "numpy.subtract"):  # multiply, divide, maximum, minimum
        new = ufunc_more.lower(lw, ufunc, node)
        if new is None:
            return None
        _rebind(lw, node.args[0], new, f"np.{ufunc[6:]}.at")
        return Const(None)
    a, idx, v = (lw.value(e) for e in node.args)
    lw.at(node)
    if ufunc == "numpy.subtract":
        v = lw.op("neg", [v])
    new = lw.op("srcad.runtime.scatter_add", [a, idx, v], hint=node.args[0].id)
    _rebind(lw, node.args[0], new, f"np.{ufunc[6:]}.at")
    return Const(None)


def _writer(lw: Any, name: str, node: gast.Call) -> Operand | None:
    """``np.fill_diagonal(a, val, wrap)`` / ``np.copyto(dst, src)`` on a local array."""
    if name == "numpy.copyto" and node.args and _view_of_local(lw, node.args[0]):
        return _copyto_view(lw, node)
    if not node.args or not _local(lw, node.args[0]):
        return None
    args, kwargs = lw.call_args(node)
    lw.at(node)
    if name == "numpy.fill_diagonal":
        b = _bind(lambda a, val, wrap=False: None, args, kwargs)
        if b is None:
            return None
        new = lw.op("srcad.runtime.fill_diag", [b["a"], b["val"], b["wrap"]])
    elif name == "numpy.copyto":
        b = _bind(lambda dst, src, casting="same_kind", where=True: None, args, kwargs)
        if b is None:
            return None
        src = b["src"]
        if b["where"] != Const(True):  # dst keeps its elements where `where` is False
            src = lw.op("numpy.where", [b["where"], src, b["dst"]])
        new = lw.op("srcad.runtime.out_write", [b["dst"], src, b["casting"]])
    elif name in ("numpy.put_along_axis", "numpy.put"):
        along = name == "numpy.put_along_axis"
        sig = (lambda arr, indices, values, axis: None) if along else _put_sig
        b = _bind(sig, args, kwargs)
        if b is None:
            return None
        a, idx, v, where = b.values()
        kind = Const("along" if along else "flat")
        new = lw.op("srcad.runtime.put_write", [a, idx, v, where, kind])
    elif name == "numpy.place":  # `vals` over the positions where `mask` holds, in C order
        b = _bind(lambda arr, mask, vals: None, args, kwargs)
        if b is None:
            return None
        new = _place(lw, b["arr"], b["mask"], b["vals"])
    elif name == "numpy.putmask":  # `values` repeated over `a`'s flat positions, as np.resize
        b = _bind(lambda a, mask, values: None, args, kwargs)
        if b is None:
            return None
        shape = lw.op("numpy.shape", [b["a"]])
        idx = lw.op("srcad.runtime.putmask_index", [b["a"], b["mask"], b["values"]])
        flat = lw.op("numpy.take", [lw.op("numpy.ravel", [b["values"]]), idx])
        vals = lw.op("numpy.reshape", [flat, shape])
        src = lw.op("numpy.where", [b["mask"], vals, b["a"]])
        new = lw.op("srcad.runtime.out_write", [b["a"], src, Const("unsafe")])
    else:
        return None
    _rebind(lw, node.args[0], new, "np." + name[6:])
    return Const(None)


def _view_of_local(lw: Any, node: Any) -> bool:
    """``u[i, ::2]``: a basic index with a slice or ``...`` (a view, never a copy nor a number)
    of a local array; the other parts integer constants."""
    if not isinstance(node, gast.Subscript) or not _local(lw, node.value):
        return False
    parts = node.slice.elts if isinstance(node.slice, gast.Tuple) else [node.slice]
    view = False
    for p in parts:
        if isinstance(p, gast.Slice) or (isinstance(p, gast.Constant) and p.value is Ellipsis):
            view = True
        elif isinstance(p, gast.UnaryOp) and isinstance(p.op, gast.USub):
            if not (isinstance(p.operand, gast.Constant) and type(p.operand.value) is int):
                return False
        elif not (isinstance(p, gast.Constant) and type(p.value) is int):
            return False
    return view


def _copyto_view(lw: Any, node: gast.Call) -> Operand | None:
    """``np.copyto(u[idx], src, casting, where)`` -> ``u[idx] = out_write(u[idx], src', casting)``
    (`src'`: ``np.where(where, src, u[idx])``): what NumPy leaves in the view, written back as an
    item assignment (the alias checks and view rules see ``u[idx] = ...``)."""
    args, kwargs = lw.call_args(node)
    lw.at(node)
    b = _bind(lambda dst, src, casting="same_kind", where=True: None, args, kwargs)
    if b is None:
        return None
    src = b["src"]
    if b["where"] != Const(True):
        src = lw.op("numpy.where", [b["where"], src, b["dst"]])
    new = lw.op("srcad.runtime.out_write", [b["dst"], src, b["casting"]])
    target = gast.Subscript(value=node.args[0].value, slice=node.args[0].slice, ctx=gast.Store())
    lw.assign_to(gast.copy_location(target, node.args[0]), new)
    return Const(None)


def _put_sig(a, ind, v, mode="raise"):
    """The signature of ``np.put``."""


def _place(lw: Any, arr: Operand, mask: Operand, vals: Operand) -> Operand:
    """``np.place(arr, mask, vals)`` as ``np.put(arr, p, vals)``, `p` the flat positions where
    `mask` is nonzero (`place_index`, with NumPy's errors)."""
    pos = lw.op("srcad.runtime.place_index", [arr, mask, vals])
    return lw.op("srcad.runtime.put_write", [arr, pos, vals, Const("raise"), Const("flat")])


# array methods updating their receiver, lowered on a local receiver by `method`
METHODS = frozenset({"fill", "put", "partition"})


def method(lw: Any, node: gast.Call) -> Operand | None:
    """``y.fill(v)``, ``y.put(ind, v, mode)``, ``y.partition(kth, ...)`` on a local `y` (an
    array: a list has none of them; NumPy's error for another value when it runs)."""
    recv, name = node.func.value, node.func.attr
    if not _local(lw, recv) or any(kw.arg is None for kw in node.keywords):
        return None
    if name == "fill":
        if node.keywords or len(node.args) != 1:
            return None
        y, v = lw.value(recv), lw.value(node.args[0])
        lw.at(node)
        new = lw.op("srcad.runtime.out_write", [y, v, Const("unsafe")], hint=recv.id)
        _rebind(lw, recv, new, "fill")
        return Const(None)
    args, kwargs = lw.call_args(node)
    y = lw.value(recv)
    lw.at(node)
    if name == "put":
        b = _bind(lambda ind, v, mode="raise": None, args, kwargs)
        if b is None:
            return None
        new = lw.op("srcad.runtime.put_write", [y, b["ind"], b["v"], b["mode"], Const("flat")],
                    hint=recv.id)  # fmt: skip
    else:  # the same partition as np.partition's (it partitions a copy with this method)
        b = _bind(lambda kth, axis=-1, kind="introselect", order=None: None, args, kwargs)
        if b is None:
            return None
        new = lw.op("numpy.partition", [y, *b.values()], hint=recv.id)
    _rebind(lw, recv, new, name)
    return Const(None)


def _with_out(lw: Any, node: gast.Call) -> Operand | None:
    """``f(..., out=y)`` on a local `y`, `f` a NumPy function or a method of a local array (a
    user's `out` parameter may mean anything): ``y = out_write(y, f(...))``, the call's value.
    A ufunc's ``where=m`` too, with `y` local or made by the call (`_masked`)."""
    kws = {kw.arg: kw.value for kw in node.keywords}
    out = kws["out"]
    if "where" in kws:
        return _masked(lw, node, kws)
    if not isinstance(node.func, (gast.Name, gast.Attribute)):
        return None
    out = _one_output(lw, node, out)  # `out=(y,)` of a ufunc: `out=y`
    if not _local(lw, out):
        casting = _casting(lw, node.func) if "casting" not in kws else ""
        if casting and _fresh(lw, out):  # `out=np.empty_like(x)`: an array the call's own
            return _write_out(lw, node, out, "", casting)
        return _out_view(lw, node, kws)
    if "casting" in kws:
        return None  # `casting=` casts into `out`
    func = node.func
    if isinstance(func, gast.Attribute) and _local(lw, func.value):  # z.clip(lo, hi, out=z)
        if func.attr not in _OUT_METHODS:
            return None
        name = func.attr
    else:
        f = lw.expr(func)
        if not (isinstance(f, PrimRef) and f.name.startswith("numpy.")):
            return None
        name = f.name[6:]
    casting = "unsafe" if name in _UNSAFE_OUT else "same_kind"
    new = _write_out(lw, node, out, out.id, casting)
    return _rebind(lw, out, new, "out=")


def _one_output(lw: Any, node: gast.Call, out: Any) -> Any:
    """`y` of ``out=(y,)`` passed to a ufunc of one output (NumPy writes into `y` and returns
    it, as for ``out=y``); `out` itself otherwise."""
    if not (isinstance(out, gast.Tuple) and len(out.elts) == 1):
        return out
    f = lw.expr(node.func)
    one = isinstance(f, PrimRef) and isinstance(f.obj, np.ufunc) and f.obj.nout == 1
    return out.elts[0] if one and not isinstance(out.elts[0], gast.Starred) else out


def _fresh(lw: Any, out: Any) -> bool:
    """Is `out` a call making a new array (`_FRESH`, no ``copy=``: ``np.array(x, copy=False)``
    may be `x` itself), the callee a NumPy function (a view of a local is `_out_view`'s)?"""
    if not isinstance(out, gast.Call) or any(k.arg in ("copy", None) for k in out.keywords):
        return False
    made = lw.expr(out.func) if isinstance(out.func, (gast.Name, gast.Attribute)) else None
    return isinstance(made, PrimRef) and made.name in _FRESH


def _casting(lw: Any, func: Any) -> str:
    """How NumPy casts the call's value into ``out=`` (see `_UNSAFE_OUT`); "" when `func` is
    no NumPy function."""
    f = lw.expr(func)
    if not (isinstance(f, PrimRef) and f.name.startswith("numpy.")):
        return ""
    return "unsafe" if f.name[6:] in _UNSAFE_OUT else "same_kind"


def _write_out(
    lw: Any, node: gast.Call, out: gast.expr, hint: str, casting: str = "same_kind"
) -> Operand:
    """``out_write(out, <the call without out=>)``: the call's value cast into `out`'s dtype
    (`casting` as NumPy's: "unsafe" for the reductions of `_UNSAFE_OUT`)."""
    bare = gast.Call(func=node.func, args=node.args,
                     keywords=[kw for kw in node.keywords if kw.arg != "out"])  # fmt: skip
    gast.copy_location(bare, node)
    result = lw.expr_Call(bare)
    y = lw.value(out)
    lw.at(node)
    return lw.op("srcad.runtime.out_write", [y, result, Const(casting)], hint=hint)


def _out_view(lw: Any, node: gast.Call, kws: dict) -> Operand | None:
    """``np.<ufunc>(..., out=u[idx])``, `u` a local array and ``u[idx]`` a view of it (a view name
    ``w = u[1:]`` reads as its subscript here): ``u[idx] = out_write(u[idx], np.f(...))``, as
    `_copyto_view` writes; the call's value is ``u[idx]`` read again (NumPy returns `out`)."""
    out = kws["out"]
    if "casting" in kws or not _view_of_local(lw, out):
        return None
    f = lw.expr(node.func)  # a ufunc (any strided view is an `out` of one; np.dot's is not)
    if not (isinstance(f, PrimRef) and isinstance(f.obj, np.ufunc) and f.obj.nout == 1):
        return None
    new = _write_out(lw, node, out, "")
    lw.item_augmented.append(lw.b.block.ops[-1])  # the view updated in place: ``u[1:] *= v``
    target = gast.Subscript(value=out.value, slice=out.slice, ctx=gast.Store())
    lw.assign_to(gast.copy_location(target, out), new)
    return lw.value(out)


# constructors whose result is a new array: an ``out=`` of one is the call's own
_FRESH = frozenset(f"numpy.{n}" for n in ("zeros_like", "ones_like", "full_like", "empty_like",
                                          "zeros", "ones", "full", "empty", "copy", "array"))  # fmt: skip


def _masked(lw: Any, node: gast.Call, kws: dict) -> Operand | None:
    """``np.<ufunc>(a, b, out=y, where=m)`` (the safe-division idiom ``np.divide(a, b,
    out=np.zeros_like(a), where=b != 0)``): `y` a local array or a new one made in the call.
    NumPy computes the ufunc where `m` holds and leaves `y`'s elements elsewhere, so
    ``out_write(y, np.where(m, f(a', b'), y))`` with each operand ``a' = np.where(m, a,
    np.ones_like(a))``: the same values where `m` holds, and elsewhere a one of its dtype, at
    which the ufunc (and its derivative, masked out by the outer `where`) is computed instead of
    at the operand's value there (a zero divisor, a log of a negative). `out_write` refuses the
    casts NumPy refuses (``same_kind``)."""
    out, where = kws["out"], kws["where"]
    if set(kws) - {"out", "where"} or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    f = lw.expr(node.func) if isinstance(node.func, (gast.Name, gast.Attribute)) else None
    if not (isinstance(f, PrimRef) and f.name.startswith("numpy.") and isinstance(f.obj, np.ufunc)):
        return None
    if len(node.args) != f.obj.nin or f.obj.nout != 1:  # (np.divmod's out= is a pair)
        return None
    local = _local(lw, out)
    if not local:
        made = lw.expr(out.func) if isinstance(out, gast.Call) else None
        if not (isinstance(made, PrimRef) and made.name in _FRESH):
            return None
    args = [lw.value(a) for a in node.args]
    m = lw.value(where)
    y = lw.value(out)
    lw.at(node)
    safe = [lw.op("numpy.where", [m, a, lw.op("numpy.ones_like", [a])]) for a in args]
    r = lw.op(f.name, safe)
    picked = lw.op("numpy.where", [m, r, y])
    hint = out.id if local else ""
    new = lw.op("srcad.runtime.out_write", [y, picked, Const("same_kind")], hint=hint)
    return _rebind(lw, out, new, "out=") if local else new


def positional_out(obj: Any, args: list) -> bool:
    """Does a call with positional arguments `args` (gast nodes) pass NumPy's `out` positionally
    (a literal None there, as `out=None`, is no output array)? `f(x, *args)`: `fnargs.spread`."""
    nargs = len(args)
    if isinstance(obj, np.ufunc):
        return nargs > obj.nin
    if not callable(obj) or getattr(obj, "__module__", "") != "numpy":
        return False
    k = out_position(obj)
    if k is None or nargs <= k:
        return False
    return not (isinstance(args[k], gast.Constant) and args[k].value is None)


def out_index(obj: Any) -> int | None:
    """Where NumPy's callable `obj` takes an output array passed positionally: a ufunc of one
    output after its `nin` inputs, another function at `out_position`; None for a ufunc of
    several outputs or a function without `out`."""
    if isinstance(obj, np.ufunc):
        return obj.nin if obj.nout == 1 else None
    return out_position(obj)


def out_keyword(obj: Any, node: gast.Call) -> gast.Call | None:
    """The call with its positional output argument, the last positional one, passed as
    ``out=`` instead (``np.exp(y, y)``, ``np.add(a, b, o)``, ``np.cumsum(a, 0, None, o)``:
    NumPy binds them alike), or with it dropped when it is a literal None; None when the call
    spreads ``*args``, a ufunc has more than one output, or arguments follow `out` (refused)."""
    args = node.args
    if any(isinstance(a, gast.Starred) for a in args) or any(
        kw.arg in ("out", None) for kw in node.keywords
    ):
        return None
    k = out_index(obj)
    if k is None or len(args) != k + 1:
        return None
    last = args[k]
    kws = list(node.keywords)
    if not (isinstance(last, gast.Constant) and last.value is None):
        kws.append(gast.keyword(arg="out", value=last))
    return gast.copy_location(gast.Call(func=node.func, args=args[:k], keywords=kws), node)
