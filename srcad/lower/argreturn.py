"""The function returns an argument it updates in place (``x *= 2.0; return x``,
``xs.append(v); return xs``, ``return x, s``, ``return x[1:]``): Python returns the caller's
object, which the generated code, working on a private copy (lower/argcopy.py), would not.

Input: the function's statements and its written parameters (`argcopy.enter`). Output: before
every ``return`` of the function's own statements that names such a parameter `x` (never
rebound: argcopy keeps a rebound one refused), the statement::

    x = _srcad_returned(x, _srcad_arg_x)

lowered as ``_srcad.returned_arg(x, p)`` (the value first, as in `entry_copy`: the type and
shape analyses take the result for it) (rules/argcopies.py), which writes the copy's value
into the caller's object `p` now and gives `p` back (the final write-back writes it again, the
same value); also the function's result when it is the final value of such a parameter under
another name (`wrap`: ``y = x; return y``). Its derivative is the copy's (`p` is the entry
value, nondifferentiable here). Inside a Jacobian's columns, where write-backs wait for the
last column, it gives the copy itself (the derivative's outputs are no primal objects). For the
mutation check its result is a new object, and a caller's summary of the function's return
(passes/alias._given_back) says it may be the argument.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower.values import PrimRef
from srcad.rules.argcopies import returned_arg

RETURNED = "srcad.runtime.returned_arg"
_FN = "_srcad_returned"
_ARG = "_srcad_arg_"
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def returned(written: dict, returned_names: set[str]) -> list[str]:
    """The parameters among `written` (argcopy.enter's) that a ``return`` gives back."""
    return sorted(n for n, (_, k) in written.items() if k[0] != "global" and n in returned_names)


def bind(lw: Any, written: dict, names: list[str]) -> None:
    """Bind the names the inserted statements read: the helper, each parameter's object."""
    if not names:
        return
    lw.env[_FN] = PrimRef(RETURNED, returned_arg, None)
    lw.py_locals.add(_FN)
    for n in names:
        lw.env[_ARG + n] = written[n][0]
        lw.py_locals.add(_ARG + n)


def rewrite(stmts: list, names: list[str]) -> list:
    """`stmts` with the rebinding before each ``return`` naming one of `names` (new statement
    lists: the function's tree is left as it was)."""
    if not names:
        return stmts
    out = []
    for s in stmts:
        if isinstance(s, gast.Return) and s.value is not None:
            used = {m.id for m in gast.walk(s.value) if isinstance(m, gast.Name)}
            out += [_rebind(n, s) for n in names if n in used]
            out.append(s)
            continue
        if isinstance(s, _SCOPES):
            out.append(s)
            continue
        fields = [f for f in ("body", "orelse", "finalbody") if getattr(s, f, None)]
        handlers = getattr(s, "handlers", None) or []
        cases = getattr(s, "cases", None) or []
        if fields or handlers or cases:
            s = copy.copy(s)
            for f in fields:
                setattr(s, f, rewrite(getattr(s, f), names))
            if handlers:
                s.handlers = [_with_body(h, names) for h in handlers]
            if cases:
                s.cases = [_with_body(c, names) for c in cases]
        out.append(s)
    return out


def wrap(lw: Any, node: Any, written: dict, result: Any) -> Any:
    """The function's result, given back as the caller's object when it is the final value of
    a parameter updated in place under another name (``y = x; return y``, a nested function
    returning `x`), which `rewrite` cannot see."""
    for name, (p, kind) in written.items():
        if kind[0] != "global" and kind[2] is None and lw.env.get(name) is result:
            lw.at(node)
            return lw.op(RETURNED, [result, p])
    return result


def _with_body(node: Any, names: list[str]) -> Any:
    node = copy.copy(node)
    node.body = rewrite(node.body, names)
    return node


def _rebind(name: str, at: Any) -> gast.Assign:
    load = lambda n: gast.Name(n, gast.Load(), None, None)  # noqa: E731
    call = gast.Call(func=load(_FN), args=[load(name), load(_ARG + name)], keywords=[])
    stmt = gast.Assign(targets=[gast.Name(name, gast.Store(), None, None)], value=call,
                       type_comment=None)  # fmt: skip
    for n in gast.walk(stmt):
        gast.copy_location(n, at)
    return stmt
