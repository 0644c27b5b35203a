"""``with gain(c) as g: body`` on a user's ``@contextlib.contextmanager`` generator whose code
around its one ``yield`` only computes values: the generator's text inlined.

Input: a gast ``With``, the function's `Namespace` and every name the function binds
(lower/tryglobals.bound_names). Output: the statements replacing it, or None (the ``with`` is
then left to lower/withs.py, which runs such a manager when the code runs: refused when given a
differentiated value, since srcad does not differentiate through contextlib's helper).

For ``@contextmanager def gain(c): <pre> yield e <post>`` (positional parameters, no defaults;
`pre` and `post` assignments to names only; ``yield`` a top-level statement, the only one; no
``return``, ``try``, ``with`` or nested scope) called as ``with gain(a) as g: body`` (one item,
a body that cannot ``return``/``break``/``continue`` out of it) the statements are, in Python's
order::

    $cm{line}_c = a
    <pre, its locals renamed $cm{line}_name>
    g = e (renamed)
    body
    <post, renamed>

When the body raises, Python throws the exception in at the ``yield``, which re-raises it
(no handler there) and skips `post`: so does the inlined text. The helper must read the same
globals as the function (its ``__globals__``), have no closure, and read no name the function
binds (a parameter or local of the same name would be read in its place). The manager's
global binding is a callable the cache guards; `get_source` notes its code.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.errors import LoweringError
from srcad.frontend.source import get_source
from srcad.lower import scope, trycalls, withs

_SCOPES = (*trycalls._SCOPES, gast.If, gast.For, gast.While)


def inline(s: gast.With, ns: Any, every: Any) -> list | None:
    """The statements of the module docstring for `s`, or None."""
    if len(s.items) != 1 or scope.may_exit(s.body):
        return None
    item = s.items[0]
    call = item.context_expr
    if not isinstance(call, gast.Call) or call.keywords:
        return None
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    f = withs._resolve(call.func, ns)
    if f is None or not withs._generator_manager(f, swallow=True):  # (`_parts` checks the try)
        return None
    gen = f.__wrapped__
    if gen.__globals__ is not ns.globals or gen.__closure__ or gen.__defaults__:
        return None
    try:
        node = copy.deepcopy(get_source(gen).node)
    except LoweringError:
        return None
    parts = _parts(node, len(call.args))
    if parts is None:
        return None
    params, pre, value, post, guard = parts
    if _free(node, params) & (set(every) | set(ns.closure)):
        return None  # (the function's own name would be read in its place)
    local = set(params)
    for st in (*pre, *post):
        for x in gast.walk(st):
            if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store):
                local.add(x.id)
    names = {n: f"$cm{s.lineno}_{n}" for n in sorted(local)}
    out = [trycalls.assign(names[p], a) for p, a in zip(params, call.args)]
    out += [trycalls.renamed(st, names) for st in pre]
    got = trycalls.renamed(value, names) if value is not None else _none()
    if item.optional_vars is None:
        out.append(gast.Expr(value=got))
    else:
        out.append(gast.Assign(targets=[item.optional_vars], value=got, type_comment=None))
    tail = [trycalls.renamed(st, names) for st in post]
    for st in out + tail:
        for sub in gast.walk(st):
            if isinstance(sub, (gast.stmt, gast.expr)):
                gast.copy_location(sub, s)  # (errors point at the `with`)
    if guard is not None:  # the body in the manager's `try`, its handlers (`pass`) as they are
        handlers = [
            gast.ExceptHandler(type=h.type, name=None, body=[gast.Pass()]) for h in guard.handlers
        ]
        wrapped = gast.Try(body=list(s.body), handlers=handlers, orelse=[], finalbody=[])
        for sub in gast.walk(wrapped):
            if isinstance(sub, (gast.stmt, gast.expr, gast.excepthandler)) and not hasattr(
                sub, "lineno"
            ):
                gast.copy_location(sub, s)
        return [*out, wrapped, *tail]
    return [*out, *s.body, *tail]


def _parts(node: Any, nargs: int) -> tuple | None:
    """(parameters, statements before the yield, its value, statements after) or None."""
    if not isinstance(node, gast.FunctionDef):
        return None
    a = node.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.defaults or a.kw_defaults:
        return None
    params = [p.id for p in a.posonlyargs + a.args if isinstance(p, gast.Name)]
    if len(params) != len(a.posonlyargs + a.args) or len(params) != nargs:
        return None
    body = node.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]  # (a docstring)
    at = [k for k, st in enumerate(body) if isinstance(st, gast.Expr)
          and isinstance(st.value, gast.Yield) or _guarded_yield(st)]  # fmt: skip
    if len(at) != 1:
        return None
    k = at[0]
    guard = body[k] if isinstance(body[k], gast.Try) else None
    value = (guard.body[0] if guard else body[k]).value.value
    pre, post = (_no_pass(body[:k]), _no_pass(body[k + 1 :]))  # (``pass``: nothing to run)
    for st in (*pre, *post):
        if not isinstance(st, (gast.Assign, gast.AugAssign)):
            return None
        targets = st.targets if isinstance(st, gast.Assign) else [st.target]
        if not all(isinstance(t, gast.Name) for t in targets):
            return None
    rest = [*pre, *post, *([value] if value is not None else [])]
    if any(isinstance(x, (*_SCOPES, gast.Yield)) for st in rest for x in gast.walk(st)):
        return None
    return params, pre, value, post, guard


def _guarded_yield(st: Any) -> bool:
    """``try: yield v`` / ``except E: pass`` (each handler only ``pass``, no ``as``, ``else``
    or ``finally``; `v` a name or constant, which cannot raise in the ``try``): the manager
    swallows `E` raised in the body, after which Python runs the code after the ``try``."""
    if not isinstance(st, gast.Try) or st.orelse or st.finalbody or not st.handlers:
        return False
    if len(st.body) != 1 or not isinstance(st.body[0], gast.Expr):
        return False
    y = st.body[0].value
    if not isinstance(y, gast.Yield) or not isinstance(
        y.value, (type(None), gast.Name, gast.Constant)
    ):
        return False
    for h in st.handlers:
        if h.name is not None or h.type is None or _no_pass(h.body):
            return False
        if any(not isinstance(x, (gast.Name, gast.Attribute, gast.Tuple, gast.Load))
               for x in gast.walk(h.type)):  # fmt: skip
            return False
    return True


def _no_pass(stmts: list) -> list:
    return [st for st in stmts if not isinstance(st, gast.Pass)]


def _free(node: Any, params: list) -> set:
    bound, reads = set(params), set()
    for x in gast.walk(node):
        if isinstance(x, gast.Name):
            (reads if isinstance(x.ctx, gast.Load) else bound).add(x.id)
    return reads - bound


def _none() -> gast.Constant:
    return gast.Constant(value=None, kind=None)
