"""A nested function or lambda handed to a scipy routine srcad differentiates (odeint, solve_ivp,
quad, the root finders: srcad/libode.py, libivp.py, libquad.py, libroots.py); scipy's
interpolants ``interp1d(x, y)`` and ``CubicSpline(x, y)`` made here (srcad/libinterp.py).

Input: the lowering state at a call ``quad(lambda t: np.exp(-p[0] * t), 0.0, 1.0)`` whose first
argument is a nested ``def`` or a lambda. Output: the call's op, with the function lambda-lifted
(lower/lift.py: a Python function of its own parameters followed by the enclosing variables it
reads) and those variables' values appended to ``args=``, which scipy passes on to it: the call
``quad(lifted, 0.0, 1.0, args=(p,))`` computes the same value, and the captured values are
differentiated as entries of `args` by the routine's rule. An interpolant: a `Partial` of
srcad.libinterp's evaluation function (its calls are lowered as calls of that). None for other
calls.

Refused (the nested function used as a value, as before): a nested function with defaults, a
call also given another function scipy passes `args` to (``fprime``, ``Dfun``, ``jac``,
``events``), and an ``args=`` that is neither a tuple literal nor a constant.
"""

from __future__ import annotations

import inspect
from typing import Any

import gast

from srcad import libinterp
from srcad.lower.lift import captured_values, lift
from srcad.lower.partials import Partial, _load, _serial
from srcad.lower.values import NestedFn, PrimRef, defining_op
from srcad.ssa.core import Const, Operand, Var

PRIMS = frozenset(
    [
        "scipy.integrate.odeint",
        "scipy.integrate.solve_ivp",
        "scipy.integrate.quad",
        *(f"scipy.optimize.{n}" for n in "brentq brenth ridder bisect newton fsolve".split()),
        "scipy.optimize.root_scalar",
    ]
)


INTERPOLANTS = {
    "scipy.interpolate.interp1d": "interp1d_eval",
    "scipy.interpolate.CubicSpline": "cubic_spline_eval",
}


def lifted_call(lw: Any, f: Any, node: gast.Call) -> Any:
    """The call `node` of the scipy routine `f` with its nested function lifted, an
    interpolant's `Partial`, or None."""
    if isinstance(f, PrimRef) and f.name in INTERPOLANTS:
        return _interpolant(lw, f, node)
    if not isinstance(f, PrimRef) or f.name not in PRIMS:
        return None
    sig = inspect.signature(f.obj)
    first = next(iter(sig.parameters))
    fnode = node.args[0] if node.args else next(
        (k.value for k in node.keywords if k.arg == first), None
    )  # fmt: skip
    if not isinstance(fnode, (gast.Name, gast.Lambda)):
        return None
    nested = lw.expr(fnode)
    if not isinstance(nested, NestedFn) or nested.defaults or nested.kw_defaults:
        return None
    if _other_callables(sig, node):
        return None
    argnode = _args_node(sig, node)
    if argnode is not None and not isinstance(argnode, gast.Tuple):
        if not isinstance(argnode, gast.Name):
            return None
        v = lw.value(argnode)
        if not (isinstance(v, Const) and isinstance(v.value, tuple)):
            return None
    lifted = lift(lw, nested, node)
    captured = captured_values(lw, lifted, node)
    placeholder = gast.Constant(value=None, kind=None)
    call = gast.Call(
        func=node.func,
        args=[placeholder if a is fnode else a for a in node.args],
        keywords=[k for k in node.keywords if k.value is not fnode],
    )
    args, kwargs = lw.call_args(call)
    lw.at(node)
    bound = sig.bind_partial(*args, **kwargs)
    bound.arguments[first] = Const(lifted.fn)
    given = bound.arguments.get("args")
    if given is None:
        items: list[Operand] = []
    elif isinstance(given, Const):
        items = [Const(e) for e in given.value]
    else:
        items = lw._literal_elts(given)
        if items is None or any(isinstance(a, gast.Starred) for a in argnode.elts):
            raise lw.error(node, "pass `args=` as a tuple literal to a routine given a lambda")
    bound.arguments["args"] = lw.op("tuple", [*items, *captured])
    return lw.op(f.name, list(bound.args), dict(bound.kwargs))


# the routines' other functions scipy calls with `args` too (which would receive the captured
# values as well): with one of them given, the lambda is not lifted (refused as a value)
_OTHERS = ("fprime", "fprime2", "Dfun", "jac", "events")


def _other_callables(sig: inspect.Signature, node: gast.Call) -> bool:
    names = list(sig.parameters)
    given = {k.arg: k.value for k in node.keywords}
    given.update(zip(names, node.args))
    return any(
        n in given and not (isinstance(given[n], gast.Constant) and given[n].value in (None, False))
        for n in _OTHERS
    )


def _args_node(sig: inspect.Signature, node: gast.Call) -> Any:
    """The node passed as ``args`` (by keyword or position), or None."""
    for k in node.keywords:
        if k.arg == "args":
            return k.value
    at = list(sig.parameters).index("args")
    return node.args[at] if at < len(node.args) else None


def _interpolant(lw: Any, f: PrimRef, node: gast.Call) -> Interpolant | None:
    """``interp1d(x, y, **kw)`` / ``CubicSpline(x, y, **kw)``: the partial application of
    srcad.libinterp's evaluation to (x, y) and the keywords, so that a call ``f(q)`` is
    ``interp1d_eval(x, y, q, **kw)`` (differentiated by its rules); None (lowered as before)
    unless both are given by position, nothing unpacked."""
    if len(node.args) != 2 or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    if any(k.arg is None for k in node.keywords):
        return None
    fn = getattr(libinterp, INTERPOLANTS[f.name])
    args, kwargs = lw.call_args(node)
    out = Interpolant(PrimRef(f"srcad.libinterp.{fn.__name__}", fn, None), args, kwargs)
    out.made = f
    return out


class Interpolant(Partial):
    """``interp1d(x, y)`` / ``CubicSpline(x, y)`` made here: its calls are lowered as calls of
    srcad.libinterp's evaluation; used otherwise (``cs.derivative()``, returned, passed on),
    it is the scipy object, made where it is used (`as_operand`: no derivative rules)."""

    made: Any = None  # the constructor (a PrimRef)

    def __repr__(self) -> str:
        return "a scipy interpolant made here"

    def call(self, lw: Any, node: gast.Call) -> Operand:
        """``f(q)``; of an ``interp1d`` whose `fill_value` is a run-time value (``(y[0], y[-1])``,
        ``y[2]``, which srcad.libinterp's rules do not differentiate): `_filled`."""
        fill = self.kwargs.get("fill_value")
        if type(fill) is not Var or self.made.name != "scipy.interpolate.interp1d":
            return super().call(lw, node)
        given = self.kwargs.get("assume_sorted")
        if given is not None and not (type(given) is Const and given.value is False):
            return super().call(lw, node)  # (scipy's bounds: `x`'s first and last, as given)
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], gast.Starred):
            return super().call(lw, node)
        return _filled(lw, self, fill, node)

    def as_operand(self, lw: Any, node: Any) -> Operand:
        lw.at(node)
        return lw.op(self.made.name, list(self.args), dict(self.kwargs))


def _filled(lw: Any, f: Interpolant, fill: Var, node: gast.Call) -> Operand:
    """``interp1d(x, y, fill_value=v, ...)(q)`` for a run-time `v` (a 2-tuple display: the values
    below and above the data; else one value, checked 0-d when the code runs): the interpolant
    filled with 0.0, then ``np.where(q < min(x), lo, np.where(q > max(x), hi, that))``, where
    scipy puts the fill values (scipy's bounds: sorted `x`'s first and last), so they are
    differentiated as the values they are."""
    d = defining_op(fill, lw.b.block.ops, lw.outer_ops)
    if d is not None and d.prim == "tuple" and len(d.args) == 2 and not d.kwargs:
        lo, hi = d.args
    else:
        for ok in (
            lw.op("eq", [lw.op("numpy.ndim", [fill]), Const(0)]),
            lw.op("not", [lw.op("isinstance", [fill, Const(str)])]),  # ("extrapolate")
        ):
            lw.op("srcad.runtime.require", [ok, Const(_ONE_FILL)])
        lo = hi = fill
    n = _serial(lw)
    q = lw.value(node.args[0])
    zero = Interpolant(f.fn, f.args, {**f.kwargs, "fill_value": Const(0.0)})
    zero.made = f.made
    call = gast.copy_location(gast.Call(func=node.func, args=[_load(f"$iq{n}", node)],
                                        keywords=[]), node)  # fmt: skip
    lw.env[f"$iq{n}"] = q
    try:
        inside = zero.call(lw, call)
    finally:
        del lw.env[f"$iq{n}"]
    lw.at(node)
    x = lw.op("numpy.asarray", [f.args[0]])
    below = lw.op("lt", [q, lw.op("numpy.min", [x])])
    above = lw.op("gt", [q, lw.op("numpy.max", [x])])
    upper = lw.op("numpy.where", [above, hi, inside])
    return lw.op("numpy.where", [below, lo, upper])


_ONE_FILL = (
    "srcad differentiates an interp1d fill_value known only when the code runs as a 2-tuple "
    "display (fill_value=(lo, hi)) or one number; this one is neither"
)
