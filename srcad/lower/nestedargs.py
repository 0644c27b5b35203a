"""Arguments of a call of a nested def/lambda with ``*args``, keyword-only parameters,
``**kwargs`` or positional-only parameters, bound as Python binds them.

Input: the lowerer, the `NestedFn` (its node, the defaults evaluated where it was defined) and
the call node. Output: the parameter names -> operands: the positional parameters from the
call's positional arguments, then keywords, then the defaults; ``*args`` a tuple literal of the
extra positional arguments and ``**kwargs`` a dict literal of the extra keywords (so ``len(vs)``,
``for v in vs``, ``kw.get("c", 0.0)`` are known when lowering, as for module-level helpers:
lower/varargs.py). A call Python would reject is refused with Python's reason. A one-shot
iterator (a generator expression, ``map``) passed into ``*args``/``**kwargs`` is refused: the
body may read it twice, which Python's iterator would not allow. A default that is a nested
function (``def step(z, act=relu)``, `default`) is bound where a call leaves it out as that
function passed there (`bound_default`).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad import lazy
from srcad.lower.oneshot import _one_shot
from srcad.lower.values import NestedFn
from srcad.ssa.core import Const

_closures = lazy.module("srcad.lower.closures")  # (it imports this module)
_fnargs = lazy.module("srcad.lower.fnargs")  # (it imports closures)


def plain(f: NestedFn) -> bool:
    """`f` takes its arguments by position or name only (closures.inline's own binding)."""
    a = f.node.args
    return not (a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs)


def kw_defaults(lw: Any, fnode: Any) -> dict[str, Any]:
    """The defaults of `fnode`'s keyword-only parameters, evaluated now (at the ``def``)."""
    a = fnode.args
    return {p.id: default(lw, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}


def default(lw: Any, d: Any) -> Any:
    """A nested def/lambda's default `d`, evaluated at the ``def``: an operand, or a nested
    function itself (``def step(z, act=relu)``), which `bound_default` binds at a call."""
    v = lw.expr(d)
    return v if isinstance(v, NestedFn) else lw.operand(v, d)


def bound_default(lw: Any, f: NestedFn, v: Any, node: Any) -> Any:
    """The default `v` of a parameter of `f` that the call `node` leaves out. A nested function
    is Python's function object of the ``def``, which reads the variables around it when it is
    called: bound as that function passed at this call (lower/fnargs.carry: the caller's
    environment of this moment), unless `f` or a nested function it may call writes a name the
    default reads (refused: `operand`'s "used as a value")."""
    if not isinstance(v, NestedFn):
        return v
    writes = _closures.enclosing_writes(f.node) | lw.enclosing_writes
    if writes and not writes.isdisjoint(_names(v.node)):
        return lw.operand(v, node)
    return _fnargs.carry(lw, v, node)


def _names(fnode: Any) -> set[str]:
    """The names the body of the def/lambda `fnode` mentions (its defaults ran at the def)."""
    body = fnode.body if isinstance(fnode.body, list) else [fnode.body]
    return {n.id for b in body for n in gast.walk(b) if isinstance(n, gast.Name)}


def bind(lw: Any, f: NestedFn, node: gast.Call) -> dict[str, Any]:
    """The call `node`'s arguments bound to `f`'s parameters (see the module docstring)."""
    a = f.node.args
    posonly = [p.id for p in a.posonlyargs]
    pos = posonly + [p.id for p in a.args]
    kwonly = [p.id for p in a.kwonlyargs]
    _no_one_shot(lw, f, node, len(pos), set(pos) | set(kwonly))
    args, kwargs = lw.call_args(node)
    bound: dict[str, Any] = dict(zip(pos, args))
    extra = args[len(pos) :]
    if extra and a.vararg is None:
        raise lw.error(node, f"`{f.name}` takes {len(pos)} positional arguments, got {len(args)}")
    rest: list = []
    for k, v in kwargs.items():
        if k in bound and k not in posonly:
            raise lw.error(node, f"`{f.name}` got multiple values for the argument `{k}`")
        if (k in pos and k not in posonly) or k in kwonly:
            bound[k] = v
        elif a.kwarg is not None:
            rest += [Const(k), v]
        else:
            raise lw.error(node, f"`{f.name}` got an unexpected argument `{k}`")
    defaults = dict(zip(pos[len(pos) - len(f.defaults) :], f.defaults))
    defaults.update(getattr(f, "kw_defaults", None) or {})
    for n in pos + kwonly:
        if n not in bound:
            if n not in defaults:
                raise lw.error(node, f"`{f.name}` is missing the argument `{n}`")
            bound[n] = bound_default(lw, f, defaults[n], node)
    if a.vararg is not None:
        bound[a.vararg.id] = lw.op("tuple", list(extra), hint=a.vararg.id)
    if a.kwarg is not None:
        bound[a.kwarg.id] = lw.op("dict", rest, hint=a.kwarg.id)
    return bound


def _no_one_shot(lw: Any, f: NestedFn, node: gast.Call, npos: int, named: set) -> None:
    given = list(node.args[npos:]) + [k.value for k in node.keywords if k.arg not in named]
    if any(_one_shot(x) or (type(x) is gast.Name and x.id in lw.shot_names) for x in given):
        raise lw.error(
            node,
            f"a one-shot iterator (a generator expression, map, filter, enumerate or reversed) "
            f"passed into `*args`/`**kwargs` of the nested function `{f.name}`: Python's second "
            "read would find it exhausted, srcad would see a list",
            "pass a list (`[... for ...]` or `list(...)`)",
        )
