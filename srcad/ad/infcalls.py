"""Which user functions a transform's calls reach, for `srcad.ad.infvals`: a helper that writes
an infinity and returns it (``np.fill_diagonal(r2, np.inf); return r2``, the edges
``[-inf, *cuts, inf]`` of an ordered probit, a generated VJP's residuals holding them) makes its
call's results hold one in the caller too.

Input: a transform (`ad/jvp.py`'s `JVP`, `ad/vjp.py`'s `VJP`: its function, types, known values
and module). Output: `resolver(tr)`, the `resolve` argument of `infvals.may_inf`: a call op ->
(the lowered callee, the call's operands in the callee's parameters' order, the resolver of the
callee's own calls), or None where the call is not of a user function srcad follows (or
resolving it raises: the transform reports that where it differentiates the call).
"""

from __future__ import annotations

from typing import Any

from srcad.ad.callees import user_call
from srcad.errors import SrcadError
from srcad.ssa.core import Const, Function, Op, Var, walk_ops


def resolver(tr: Any) -> Any:
    """`infvals.may_inf`'s `resolve` for the calls of the transform `tr`'s function."""
    return _make(tr.fn, tr.types_of, tr.known, tr.module)


def _make(fn: Function, types_of: Any, known: Any, module: Any) -> Any:
    gens: dict[Var, str] | None = None  # (generated functions' globals: name)

    def resolve(op: Op) -> tuple[Function, list, Any] | None:
        nonlocal gens
        if gens is None:
            gens = {
                o.results[0]: o.params["name"]
                for o in walk_ops(fn.body)
                if o.prim == "global" and o.params.get("generated") and len(o.results) == 1
            }
        name = gens.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        if name is not None:  # a VJP's fwd half of a helper (`ad/vjp_calls.py`) of this module
            callee = next((g for g in module.functions if g.name == name), None)
            if callee is not None:
                return callee, list(op.args[1:]), _make(callee, None, None, module)
        recv = op.args[0] if op.args and isinstance(op.args[0], Var) else None
        if op.prim != "call" and not (types_of and recv is not None and types_of.get(recv)):
            return None  # (a method of an object of no user class known here: ``x.sum()``)
        try:
            target = user_call(fn, op, types_of, known, module.derive)
        except SrcadError:
            return None
        if target is None or not isinstance(target[0], Function):
            return None
        callee, _, pos, kw = target
        args = list(pos)
        for pname in callee.param_names[len(args) :]:  # (a default ``fill=-np.inf``: a constant)
            a = kw.get(pname)
            args.append(
                Const(callee.defaults[pname]) if a is None and pname in callee.defaults else a
            )
        return callee, args, _make(callee, None, None, module)

    return resolve
