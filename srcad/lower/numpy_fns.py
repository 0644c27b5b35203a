"""NumPy calls that take Python functions, lowered as the loops they run.

Input: the gast `Call` and the lowerer `lw`. Output: the result operand, or None (the call is
lowered as it is: refused, a nested function used as a value).

- ``np.vectorize(f, otypes=...)(x, y, ...)`` -> ``[f(a, b) for a, b in zip(ravel(x'), ravel(y'))]``
  (x', y' broadcast against each other) assembled by ``_srcad.vectorized`` (NumPy's output
  dtype: `otypes`, else the first result's; one scalar result per call, else refused at run time);
  without `otypes` NumPy calls ``f`` once more first, on the first elements, to learn the dtype
  (a counter or list `f` updates sees that call: so does the lowered code);
- ``np.frompyfunc(f, nin, 1)(x, y, ...)`` (`nin` the number of arguments, int literals): the
  same loop, no first call, an object array of the results (``[()]`` of it: the result itself
  for 0-d arguments, as NumPy gives it);
- ``np.piecewise(x, [c0, c1, ...], [f0, f1, ...], *args, **kw)`` -> NumPy's own loop, unrolled:
  ``x = asarray(x)`` (a Python number: a 0-d array), ``y = zeros_like(x)``, then ``y[c] =
  f(x[c], *args, **kw)`` (``f`` not called when no element is selected) or ``y[c] = value`` per
  pair, a last function for where no condition holds (the lists literal);
- ``np.fromiter(iterable, dtype)`` -> ``np.array(list(iterable), dtype=dtype)``;
- ``np.fromfunction(f, shape, dtype=float, **kw)`` -> NumPy's own ``f(*np.indices(shape,
  dtype=dtype), **kw)``, for a `shape` whose length is known (a literal or a constant);
- ``np.apply_along_axis(f, axis, a)`` -> ``f`` on each 1-D slice of `a` along `axis` (the others
  flattened), the results put back where NumPy puts them (``_srcad.along_axis_rows`` /
  ``_srcad.along_axis_result``).

`f` is a lambda, a nested or module-level function, or anything else a call can name; it is
called once per element/slice, as NumPy calls it, so Python control flow in it is exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gast
import numpy as np

from srcad.lower import polyobj, scipy_calls
from srcad.lower.placed import placed
from srcad.lower.reads import ItemRead, note_read
from srcad.lower.values import PrimRef
from srcad.ssa.core import Const, Operand


def _name(n: str, store: bool = False) -> gast.Name:
    ctx = gast.Store() if store else gast.Load()
    return gast.Name(id=n, ctx=ctx, annotation=None, type_comment=None)


def _calls(lw: Any, fnode: Any, args: list[Operand], node: Any) -> Operand:
    """``fnode(*args)`` lowered (the arguments bound to fresh names first)."""
    names = []
    for k, a in enumerate(args):
        lw.env[f"$fa{k}"] = a
        names.append(_name(f"$fa{k}"))
    return lw.expr(placed(gast.Call(func=fnode, args=names, keywords=[]), node))


@dataclass(eq=False)
class Vectorized:
    """``np.vectorize(f, otypes=...)`` bound to a name (``g = np.vectorize(f); g(x)``): the
    call node, lowered as `vectorize_call` where the name is called."""

    node: gast.Call
    seen: dict  # name -> what it was bound to when the object was made


def _bindings(lw: Any, node: gast.Call) -> dict:
    """The current bindings of the names the vectorized function's expression reads."""
    names = {n.id for n in gast.walk(node.args[0]) if isinstance(n, gast.Name)}
    return {n: lw.env.get(n) for n in sorted(names)}


def vectorize_value(lw: Any, f: Any, node: gast.Call) -> Vectorized | None:
    """``np.vectorize(f, otypes=...)`` or ``np.frompyfunc(f, nin, 1)`` not called at once: a
    `Vectorized`, or None."""
    vectorize = isinstance(f, PrimRef) and f.name == "numpy.vectorize" and len(node.args) == 1
    if not vectorize and _frompyfunc_arity(lw, f, node) is None:
        return None
    if any(k.arg != "otypes" for k in node.keywords) or getattr(lw, "vec_plain", False):
        return None
    return Vectorized(node, _bindings(lw, node))


def _frompyfunc_arity(lw: Any, f: Any, node: gast.Call) -> int | None:
    """`nin` of ``np.frompyfunc(f, nin, 1)`` (int literals, one result), else None."""
    if not isinstance(f, PrimRef) or f.name != "numpy.frompyfunc" or node.keywords:
        return None
    if len(node.args) != 3 or isinstance(node.args[0], gast.Starred):
        return None
    nin, nout = node.args[1], node.args[2]
    ints = all(isinstance(n, gast.Constant) and type(n.value) is int for n in (nin, nout))
    return nin.value if ints and nout.value == 1 and nin.value > 0 else None


def named_vectorize(lw: Any, f: Any, node: gast.Call) -> Operand | Vectorized | None:
    """A call of `f`: ``g(x)`` for a `Vectorized` g (its loops), ``np.vectorize(h)`` itself (a
    `Vectorized`), a polynomial object's call or making (lower/polyobj.py), else None."""
    if (out := polyobj.call(lw, f, node)) is not None:  # p = np.poly1d(c); p(x)
        return out
    if isinstance(f, Vectorized):
        now = _bindings(lw, f.node)
        if any(now[n] is not v for n, v in f.seen.items()):  # NumPy holds the first function
            raise lw.error(node, "a name the np.vectorize function reads was rebound since the "
                           "object was made", "call np.vectorize after the last rebinding")  # fmt: skip
        out = vectorize_call(lw, f.node, node)
        if out is None:
            raise lw.error(node, "this call of an np.vectorize (np.frompyfunc) object is not "
                           "supported", "call it with positional arguments (np.frompyfunc's: "
                           "as many as its `nin`)")  # fmt: skip
        return out
    if isinstance(node.func, gast.Name) and (out := _global_vectorize(lw, node)) is not None:
        return out
    return vectorize_value(lw, f, node)


def _global_vectorize(lw: Any, node: gast.Call) -> Operand | None:
    """``g(x)`` for a module-level ``g = np.vectorize(h)`` (no `signature`, `excluded` or
    `cache`): the loops of ``np.vectorize(g.pyfunc, otypes=g.otypes)(x)``, `h` read as
    ``g.pyfunc`` where the call is made (as NumPy reads it)."""
    name = node.func.id
    if name in lw.env or name in lw.py_locals:
        return None
    kind, obj = lw.ns.lookup(name)
    if kind != "global" or type(obj) is not np.vectorize:
        return None
    if obj.signature is not None or obj.excluded or obj.cache:
        return None
    otypes = obj.otypes  # a string of type codes or a list of dtypes (NumPy 2), as `_otypes`
    if isinstance(otypes, (list, tuple)):
        otypes = "".join(np.dtype(t).char for t in otypes)
    if not (otypes is None or isinstance(otypes, str)):
        return None
    note_read(lw.ns.globals, ItemRead(name), obj)
    note_read(obj, "otypes", obj.otypes)
    fnode = placed(gast.Attribute(value=_name(name), attr="pyfunc", ctx=gast.Load()), node)
    return _vectorized(lw, fnode, Const(otypes), node)


def vectorized_operand(lw: Any, v: Vectorized) -> Operand:
    """A `Vectorized` used as a value (returned, passed on): the NumPy object, made at run time
    (a nested function given to it is refused there, as before)."""
    lw.vec_plain = True
    try:
        return lw.expr_Call(v.node)
    finally:
        lw.vec_plain = False


def _otypes(lw: Any, node: Any) -> str | None | bool:
    """``otypes=`` as NumPy keeps it: a string of type codes (a list of types or dtypes is
    joined from their codes: ``[int]`` -> "l"), None when not given, False when not known."""
    if node is None:
        return None
    elts = node.elts if isinstance(node, (gast.List, gast.Tuple)) else None
    known = [lw.static_object(lw.value(e)) for e in (elts if elts is not None else [node])]
    if not all(ok for ok, _ in known):
        return False
    try:
        if elts is None:
            return known[0][1] if isinstance(known[0][1], str) else False
        return "".join(np.dtype(v).char for _, v in known)
    except TypeError:
        return False


def _vectorize_parts(lw: Any, inner: Any) -> tuple[Any, Const, int | None] | None:
    """``np.vectorize(f, otypes=...)`` -> (the gast node of `f`, otypes, None), or
    ``np.frompyfunc(f, nin, 1)`` -> (that node, "O", nin), or None."""
    if not isinstance(inner, gast.Call) or not _named(lw, inner.func):
        return None  # (`obj.method()(x)`: not lowered here, so lowered once, by the caller)
    f = lw.expr(inner.func)
    if (nin := _frompyfunc_arity(lw, f, inner)) is not None:
        return inner.args[0], Const("O"), nin
    if not (isinstance(f, PrimRef) and f.name == "numpy.vectorize") or len(inner.args) != 1:
        return None
    kw = {k.arg: k.value for k in inner.keywords}
    if set(kw) - {"otypes"} or isinstance(inner.args[0], gast.Starred):
        return None
    otypes = _otypes(lw, kw.get("otypes"))
    if otypes is False:
        return None
    return inner.args[0], Const(otypes), None


def _named(lw: Any, n: Any) -> bool:
    """`n` may name ``np.vectorize`` (or ``np.frompyfunc``): ``vectorize``, a module-level alias
    of it (``vec = np.vectorize``, looked up, not lowered) or an attribute chain of a name ending
    in ``.vectorize``, told from the source alone. Anything else is not lowered here, so the caller
    lowers it once (an attribute read of a run-time object is an op: ``p.deriv()(t)``)."""
    if isinstance(n, gast.Name):
        if n.id in ("vectorize", "frompyfunc"):
            return True
        if n.id in lw.env:
            return False
        try:
            return lw.ns.lookup(n.id)[1] in (np.vectorize, np.frompyfunc)
        except Exception:  # (a name the namespace does not hold: the caller's error)
            return False
    if not (isinstance(n, gast.Attribute) and n.attr in ("vectorize", "frompyfunc")):
        return False
    while isinstance(n, gast.Attribute):
        n = n.value
    return isinstance(n, gast.Name)


def vectorize_call(lw: Any, inner: gast.Call, node: gast.Call) -> Operand | None:
    """``np.vectorize(f, otypes=...)(*args)`` (see the module docstring), or None."""
    parts = _vectorize_parts(lw, inner)
    if parts is None or parts[2] not in (None, len(node.args)):
        return None  # (a frompyfunc called with another number of arguments: NumPy raises)
    out = _vectorized(lw, parts[0], parts[1], node)
    if out is None or parts[2] is None:
        return out
    return lw.op("getitem", [out, Const(())])  # (frompyfunc's 0-d result: the object itself)


def _vectorized(lw: Any, fnode: Any, otypes: Const, node: gast.Call) -> Operand | None:
    if node.keywords or not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    args = [lw.op("numpy.asarray", [lw.value(a)]) for a in node.args]
    lw.at(node)
    if len(args) > 1:  # broadcast against each other, as NumPy does
        common = lw.op("srcad.runtime.common_shape", [lw.op("tuple", args)])
        args = [lw.op("numpy.broadcast_to", [a, common]) for a in args]
    shape = lw.op("numpy.shape", [args[0]])
    ids = [f"$vi{k}" for k in range(len(args))]
    for k, a in enumerate(args):
        lw.env[f"$vf{k}"] = lw.op("numpy.ravel", [a])
    flats = [_name(f"$vf{k}") for k in range(len(args))]
    if len(args) == 1:
        target, it = _name(ids[0], True), flats[0]
    else:
        target = gast.Tuple(elts=[_name(i, True) for i in ids], ctx=gast.Store())
        it = gast.Call(func=_name("zip"), args=flats, keywords=[])
    if otypes.value is None:  # NumPy calls f once more on the first elements, for the dtype
        first = [gast.Subscript(value=f, slice=gast.Constant(value=0, kind=None), ctx=gast.Load())
                 for f in flats]  # fmt: skip
        lw.expr(placed(gast.Call(func=fnode, args=first, keywords=[]), node))
        lw.at(node)
    call = gast.Call(func=fnode, args=[_name(i) for i in ids], keywords=[])
    gen = gast.comprehension(target=target, iter=it, ifs=[], is_async=0)
    items = lw.expr(placed(gast.ListComp(elt=call, generators=[gen]), node))
    lw.at(node)
    return lw.op("srcad.runtime.vectorized", [items, shape, otypes])


def piecewise(lw: Any, node: gast.Call) -> Operand | None:
    """``np.piecewise(x, [conditions], [functions or values], *args, **kw)`` (literal lists, or one
    bare condition ``x > 0``, checked when it runs: `_one_condition`; the functions called as
    ``f(x[c], *args, **kw)``, the extra arguments evaluated once), or None."""
    extra, kws = node.args[3:], node.keywords
    if len(node.args) < 3 or any(isinstance(a, gast.Starred) for a in extra):
        return None
    if any(k.arg is None for k in kws):
        return None
    x_node, conds, funcs = node.args[:3]
    if not isinstance(funcs, (gast.List, gast.Tuple)):
        return None
    bare = not isinstance(conds, (gast.List, gast.Tuple, gast.Starred))  # `x > 0`: one condition
    cond_nodes = [conds] if bare else conds.elts
    if len(funcs.elts) not in (len(cond_nodes), len(cond_nodes) + 1) or not cond_nodes:
        return None
    x = lw.value(x_node)
    cs = [lw.value(c) for c in cond_nodes]
    for i, a in enumerate(extra):
        lw.env[f"$pa{i}"] = lw.value(a)
    for k in kws:
        lw.env[f"$pk_{k.arg}"] = lw.value(k.value)
    more = [_name(f"$pa{i}") for i in range(len(extra))]
    named = [gast.keyword(arg=k.arg, value=_name(f"$pk_{k.arg}")) for k in kws]
    lw.at(node)
    x = lw.op("numpy.asarray", [x])  # NumPy's first step: a Python float becomes a 0-d array
    if bare:  # NumPy takes a 1-D one as one condition (`[c]`) only where `x` is no 0-d array
        _one_condition(lw, x, cs[0])
    cs = [lw.op("numpy.asarray", [c], {"dtype": Const(bool)}) for c in cs]
    if len(funcs.elts) == len(cs) + 1:  # the last function: where no condition holds
        stacked = lw.op("numpy.stack", [lw.op("list", cs)])
        cs.append(lw.op("numpy.logical_not", [lw.op("numpy.any", [stacked], {"axis": Const(0)})]))
    y = lw.op("numpy.zeros_like", [x])
    for c, fnode in zip(cs, funcs.elts):
        if _number_node(lw, fnode):  # NumPy stores what is not callable
            y = lw.op("setitem", [y, c, lw.value(fnode)])
            continue
        vals = lw.op("getitem", [x, c])
        lw.env["$pv"] = vals
        # NumPy calls the function only when some element is selected
        test = gast.Compare(left=gast.Attribute(value=_name("$pv"), attr="size", ctx=gast.Load()),
                            ops=[gast.Gt()], comparators=[gast.Constant(value=0, kind=None)])  # fmt: skip
        call = gast.Call(func=fnode, args=[_name("$pv"), *more], keywords=named)
        r = lw.expr(placed(gast.IfExp(test=test, body=call, orelse=_name("$pv")), node))
        lw.at(node)
        y = lw.op("setitem", [y, c, r])
    return y


def _one_condition(lw: Any, x: Operand, c: Operand) -> None:
    """The run-time check that NumPy reads the bare condition `c` of ``np.piecewise(x, c, fs)``
    as ``[c]``: a 1-D mask (a 2-D one would be a list of conditions, its rows) of an `x` that is
    no 0-d array (rules/checks.require)."""
    msg = (
        "np.piecewise(x, c, funcs) with a condition `c` that is not a 1-D mask of an array `x`: "
        "NumPy may read its rows as conditions (hint: pass a list of conditions, `[c]`)"
    )
    c_rank = lw.op("attr.ndim", [lw.op("numpy.asarray", [c])])
    lw.op("srcad.runtime.require", [lw.op("eq", [c_rank, Const(1)]), Const(msg)])
    lw.op("srcad.runtime.require", [lw.op("ne", [lw.op("attr.ndim", [x]), Const(0)]), Const(msg)])


def _number_node(lw: Any, n: Any) -> bool:
    """`n` is a number: a literal, a negated one (``-1.0``), or a name bound to a constant."""
    if isinstance(n, gast.UnaryOp) and isinstance(n.op, (gast.USub, gast.UAdd)):
        n = n.operand
    if isinstance(n, gast.Name):
        v = lw.env.get(n.id)
        return isinstance(v, Const) and isinstance(v.value, (int, float))
    return isinstance(n, gast.Constant)


def apply_along_axis(lw: Any, node: gast.Call) -> Operand | None:
    """``np.apply_along_axis(f, axis, a)`` (no extra arguments), or None."""
    if node.keywords or len(node.args) != 3:
        return None
    axis, a = lw.value(node.args[1]), lw.value(node.args[2])
    lw.at(node)
    lw.env["$ar"] = lw.op("srcad.runtime.along_axis_rows", [a, axis])
    row = _name("$row", True)
    call = gast.Call(func=node.args[0], args=[_name("$row")], keywords=[])
    gen = gast.comprehension(target=row, iter=_name("$ar"), ifs=[], is_async=0)
    items = lw.expr(placed(gast.ListComp(elt=call, generators=[gen]), node))
    lw.at(node)
    return lw.op("srcad.runtime.along_axis_result", [lw.op("numpy.stack", [items]), a, axis])


def fromiter(lw: Any, node: gast.Call) -> Operand | None:
    """``np.fromiter(iterable, dtype)``: ``np.array(list(iterable), dtype=dtype)`` (NumPy reads
    the iterable at once; a `count` or `like` argument keeps the call as it is)."""
    kw = {k.arg: k.value for k in node.keywords}
    if len(node.args) + len(kw) != 2 or len(node.args) > 2 or set(kw) - {"iter", "dtype"}:
        return None
    it = node.args[0] if node.args else kw.get("iter")
    dtype = node.args[1] if len(node.args) == 2 else kw.get("dtype")
    if it is None or dtype is None:
        return None
    lw.eager.add(id(it))  # consumed at once
    items = lw.op("builtins.list", [lw.value(it)])
    dt = lw.value(dtype)
    lw.at(node)
    return lw.op("numpy.array", [items], {"dtype": dt})


def fromfunction(lw: Any, node: gast.Call) -> Operand | None:
    """``np.fromfunction(f, shape, dtype=float, **kw)``: ``f(*np.indices(shape, dtype=dtype),
    **kw)``, as NumPy runs it, the index arrays bound first (a `shape` of unknown length, or a
    `like` argument, keeps the call as it is)."""
    if len(node.args) != 2 or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    kw = {k.arg: k.value for k in node.keywords}
    if None in kw or "like" in kw:
        return None
    fnode, shape_node = node.args
    if isinstance(shape_node, (gast.Tuple, gast.List)):
        if any(isinstance(e, gast.Starred) for e in shape_node.elts):
            return None
        n = len(shape_node.elts)
    shape = lw.value(shape_node)
    if not isinstance(shape_node, (gast.Tuple, gast.List)):
        if not (isinstance(shape, Const) and isinstance(shape.value, tuple)):
            return None
        n = len(shape.value)
    dtype = lw.value(kw.pop("dtype")) if "dtype" in kw else Const(float)
    for k, v in kw.items():
        lw.env[f"$fk_{k}"] = lw.value(v)
    lw.at(node)
    idx = lw.op("numpy.indices", [shape], {"dtype": dtype})
    for k in range(n):
        lw.env[f"$fi{k}"] = lw.op("getitem", [idx, Const(k)])
    named = [gast.keyword(arg=k, value=_name(f"$fk_{k}")) for k in kw]
    call = gast.Call(func=fnode, args=[_name(f"$fi{k}") for k in range(n)], keywords=named)
    return lw.expr(placed(call, node))


_CALLS = {
    "numpy.fromfunction": fromfunction,
    "numpy.fromiter": fromiter,
    "numpy.piecewise": piecewise,
    "numpy.apply_along_axis": apply_along_axis,
}


def function_call(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """The lowering of a call of `f`, a NumPy function that takes a Python function
    (`_CALLS`), or None."""
    if not isinstance(f, PrimRef) or f.name not in _CALLS:
        return scipy_calls.lifted_call(lw, f, node)  # a lambda handed to scipy's quad, brentq...
    return _CALLS[f.name](lw, node)
