"""``with np.errstate(divide="ignore", ...):`` blocks: their body (values are the same).

Input: a gast ``With`` and the function's `Namespace`. Output: whether the block may be lowered
as its body (lower/lower.py rewrites it so before the name analyses, with ``try``/``finally``).

``np.errstate`` changes only what NumPy does on a floating-point error: with ``"ignore"``,
``"warn"``, ``"print"`` or ``"log"`` for every kind the values are the ones computed without the
block; its statements are marked with the state (`ignored`), which the generated code keeps
around their ops (backend/quiet.py), so a caller's ``np.errstate(all="raise")`` raises where
Python's does only. ``"raise"`` (an exception
instead of a value) and ``"call"`` (a user function) keep the statement refused, as does any
other context manager, or an ``as`` target.

With ``"raise"`` for some kinds (and the harmless values for the others), the block is a
``try`` whose one handler catches nothing, ``("errstate", kind, "raise", ...)``: the ``try``
lowering (lower/trys.py, lower/tryflow.py) checks each step of the body before it runs, with
``_srcad.try_which`` running it under ``np.errstate(kind="raise", ...)``, so the generated
code raises FloatingPointError at the step where NumPy does, and computes the same values
otherwise (the derivative code runs outside the block: it raises nothing NumPy would not).
What the ``try`` lowering does not take (a helper ``def``, a nested ``try``) stays refused.

``with contextlib.suppress(E1, E2): body`` is ``try: body`` ``except (E1, E2): pass`` (Python's
documented equivalent: the statements before the exception keep their effect), given to the
``try`` lowering (lower/trys.py, lower/tryflow.py), which refuses what it does not take.

``with M(args) as v: body`` on a user's class whose ``__exit__`` returns None or False, or on a
user's generator function decorated with ``contextlib.contextmanager`` (`user_manager`), is
``m = M(args); v = m.__enter__()``, the body, ``m.__exit__(None, None, None)`` (no ``return``
or ``break`` out of the body); ``np.errstate(kind="ignore", ...)`` items beside them add
nothing. A generator manager runs when the code runs: given a differentiated value it is
refused (srcad does not differentiate through contextlib's helper).

``with contextlib.nullcontext(e) as t: body`` is ``t = e`` then the body (its ``__enter__``
returns `e`, its ``__exit__`` does nothing); ``with contextlib.ExitStack(): body`` without an
``as`` target (so no callback is ever registered) is its body (`null_items`). An ExitStack
bound to a name, ``with contextlib.ExitStack() as st:``, whose body reads `st` only as
``st.enter_context(contextlib.nullcontext(e))``, is the body with each such call as `e`
(`_null_stack`); any other read of `st` (a callback registered, another manager entered) keeps
it refused.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import inspect
import sys
import types
from typing import Any

import gast
import numpy

from srcad.frontend.source import source_tree
from srcad.lower import scope
from srcad.lower.placed import placed
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES

_HARMLESS = frozenset({"ignore", "warn", "print", "log"})
_KINDS = frozenset({"all", "divide", "over", "under", "invalid"})


def body_only(s: gast.With, ns: Any) -> bool:
    """Every item of `s` is ``np.errstate(kind="ignore", ...)`` (see the module docstring)."""
    return bool(s.items) and all(_errstate(item, ns) for item in s.items)


def ignored(s: gast.With, body: list) -> None:
    """Mark the statements `body` that `body_only`'s `s` is lowered as with its state, the
    ``(kind, mode)`` pairs of its items in order, before an inner block's (``srcad_errstate``):
    lower/stmts.py gives their ops the mark ``quiet``, which the backend writes as that
    ``with np.errstate(...)`` (backend/quiet.py): the generated code runs them, and their
    tangents (ad/jvp.py), under the user's state, as Python does, whatever the caller's."""
    pairs = tuple((kw.arg, kw.value.value) for item in s.items for kw in item.context_expr.keywords)
    for st in body:
        st.srcad_errstate = pairs + getattr(st, "srcad_errstate", ())  # (an inner block's last)


def null_items(s: gast.With, ns: Any) -> list | None:
    """``with contextlib.nullcontext(e) as t, contextlib.ExitStack(): body`` (module docstring)
    as ``t = e`` then the body; None unless every item is one of those (or an ignoring
    ``np.errstate``) and none is ``np.errstate`` alone (`body_only`'s)."""
    if not s.items or body_only(s, ns):
        return None
    out: list = []
    for item in s.items:
        call, target = item.context_expr, item.optional_vars
        if _errstate(item, ns):
            continue
        if not isinstance(call, gast.Call) or call.keywords:
            return None
        if any(isinstance(a, gast.Starred) for a in call.args):
            return None
        what = _resolve(call.func, ns)
        if what is contextlib.ExitStack and not call.args and target is None:
            continue  # (no callback registered: its `__exit__` does nothing, returns False)
        if what is contextlib.ExitStack and not call.args and len(s.items) == 1:
            body = _null_stack(s.body, target, ns)
            return None if body is None else body
        if what is not contextlib.nullcontext or len(call.args) > 1:
            return None
        if target is not None:
            value = call.args[0] if call.args else gast.Constant(value=None, kind=None)
            out.append(gast.copy_location(
                gast.Assign(targets=[target], value=value, type_comment=None), s))  # fmt: skip
        elif call.args:
            out.append(gast.copy_location(gast.Expr(value=call.args[0]), s))
    return [*(placed(st, s) for st in out), *s.body]


def _null_stack(body: list, target: Any, ns: Any) -> list | None:
    """``with contextlib.ExitStack() as st:`` whose body reads `st` only as
    ``st.enter_context(contextlib.nullcontext(e))`` (whose ``__enter__`` returns `e`, whose
    ``__exit__`` does nothing): the body with each such call written as `e` (None without
    one); None if `st` is read otherwise in it, or names a global or builtin (no name
    bound here: a read after the block is refused as unbound, not taken for that global)."""
    if not isinstance(target, gast.Name) or ns.lookup(target.id)[0] != "missing":
        return None
    name = target.id

    class Entered(gast.NodeTransformer):
        def visit_Call(self, node: Any) -> Any:
            self.generic_visit(node)
            f = node.func
            if not (
                isinstance(f, gast.Attribute)
                and f.attr == "enter_context"
                and isinstance(f.value, gast.Name)
                and f.value.id == name
                and len(node.args) == 1
                and not node.keywords
            ):
                return node
            inner = node.args[0]
            if not (isinstance(inner, gast.Call) and not inner.keywords and len(inner.args) <= 1):
                return node
            if any(isinstance(a, gast.Starred) for a in inner.args):
                return node
            if _resolve(inner.func, ns) is not contextlib.nullcontext:
                return node
            return inner.args[0] if inner.args else gast.Constant(value=None, kind=None)

    out = [Entered().visit(copy.deepcopy(st)) for st in body]
    if any(isinstance(n, gast.Name) and n.id == name for st in out for n in gast.walk(st)):
        return None
    for st in out:
        for n in gast.walk(st):
            if "lineno" in n._attributes and not hasattr(n, "lineno"):
                gast.copy_location(n, st)
    return out


# NumPy's error state set by a call: pure to the passes (DCE drops the call, CSE may merge an op
# after ``np.seterr(all="raise")`` into one before it), so it would not reach the ops after it
_SETS_STATE = frozenset({"numpy.seterr", "numpy.seterrcall"})


def state_prim(lw: Any, prim: str, node: Any) -> str:
    """`prim`, a primitive the function reads at `node`; ``np.seterr``/``np.seterrcall``
    refused (`_SETS_STATE`: Python raises FloatingPointError at the ops after
    ``np.seterr(all="raise")``, the derivative answered); ``with np.errstate`` is followed."""
    if prim in _SETS_STATE:
        raise lw.error(
            node,
            f"`{prim.replace('numpy.', 'np.')}(...)` inside a differentiated function: srcad does"
            " not keep NumPy's error state in the order Python changes it",
            "use `with np.errstate(...):` around the statements, or set the state before calling"
            " the function",
        )
    return prim


def _errstate(item: Any, ns: Any, allowed: frozenset = _HARMLESS) -> bool:
    call = item.context_expr
    if item.optional_vars is not None or not isinstance(call, gast.Call) or call.args:
        return False
    for kw in call.keywords:
        if kw.arg not in _KINDS or not isinstance(kw.value, gast.Constant):
            return False
        if kw.value.value not in allowed:
            return False
    return _resolve(call.func, ns) is numpy.errstate


def raising_try(s: gast.With, ns: Any) -> gast.Try | None:
    """``with np.errstate(divide="raise", ...): body`` as the ``try`` of the module docstring;
    None for any other ``with``."""
    if not s.items or not all(_errstate(it, ns, _HARMLESS | {"raise"}) for it in s.items):
        return None
    state: dict = {}
    for item in s.items:  # (Python enters them in order: a later item's setting wins)
        for kw in item.context_expr.keywords:
            if kw.arg == "all":
                state = dict.fromkeys(("divide", "over", "under", "invalid"), kw.value.value)
            else:
                state[kw.arg] = kw.value.value
    raising = tuple(x for k in sorted(state) if state[k] == "raise" for x in (k, "raise"))
    if not raising:
        return None
    mark = gast.Constant(value=("errstate", *raising), kind=None)
    handler = gast.ExceptHandler(type=mark, name=None, body=[gast.Pass()])
    for n in (mark, handler, handler.body[0]):
        gast.copy_location(n, s)
    return gast.copy_location(gast.Try(body=s.body, handlers=[handler], orelse=[], finalbody=[]), s)


def _resolve(node: Any, ns: Any) -> Any:
    """The object a dotted name (``np.errstate``) names in `ns` now, or None."""
    if isinstance(node, gast.Name):
        kind, obj = ns.lookup(node.id)
        return obj if kind in ("global", "builtin", "free") else None
    if isinstance(node, gast.Attribute):
        base = _resolve(node.value, ns)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def suppress_try(s: gast.With, ns: Any) -> gast.Try | None:
    """``with contextlib.suppress(E, ...): body`` (one item, no ``as``) as the ``try`` that
    catches the same exceptions and passes; None for any other ``with``."""
    if len(s.items) != 1 or s.items[0].optional_vars is not None:
        return None
    call = s.items[0].context_expr
    if (
        not isinstance(call, gast.Call)
        or call.keywords
        or _resolve(call.func, ns) is not contextlib.suppress
    ):
        return None
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    if not call.args:
        return gast.copy_location(gast.Try(body=s.body, handlers=[], orelse=[], finalbody=[]), s)
    kinds = gast.Tuple(elts=list(call.args), ctx=gast.Load())
    handler = gast.ExceptHandler(type=kinds, name=None, body=[gast.Pass()])
    for n in (kinds, handler, handler.body[0]):
        gast.copy_location(n, call)
    return gast.copy_location(gast.Try(body=s.body, handlers=[handler], orelse=[], finalbody=[]), s)


def user_manager(s: gast.With, ns: Any) -> list | None:
    """The statements of a ``with`` block on user context managers (module docstring), or
    None for any other ``with``."""
    if not s.items or scope.may_exit(s.body) or any(_yields(b) for b in s.body):
        return None
    enter, leave = [], []
    for k, item in enumerate(s.items):
        if _errstate(item, ns):  # (beside a user's manager: its values are the body's)
            continue
        call = item.context_expr
        # (not ``with MGR:`` of a module's instance: the cache's guard does not follow a
        # global that is no callable or module, so MGR rebound to a manager that swallows the
        # body's exception would run the code made for this one)
        cls = _resolve(call.func, ns) if isinstance(call, gast.Call) else None
        if not (isinstance(cls, type) and _plain_manager(cls)) and not _generator_manager(cls):
            return None
        name = f"srcad_with{s.lineno}_{k}"
        enter.append(
            gast.Assign(targets=[_name(name, gast.Store())], value=call, type_comment=None)
        )
        got = gast.Call(func=_method(name, "__enter__"), args=[], keywords=[])
        if item.optional_vars is None:
            enter.append(gast.Expr(value=got))
        else:
            enter.append(gast.Assign(targets=[item.optional_vars], value=got, type_comment=None))
        nones = [gast.Constant(value=None, kind=None) for _ in range(3)]
        leave.insert(0, gast.Expr(value=gast.Call(func=_method(name, "__exit__"), args=nones,
                                                  keywords=[])))  # fmt: skip
    for st in enter + leave:
        placed(st, s)
    return [*enter, *s.body, *leave]


def _generator_manager(f: Any, swallow: bool = False) -> bool:
    """Is `f` a user's generator function decorated with ``contextlib.contextmanager``? Its
    object's ``__enter__``/``__exit__`` run the generator up to and after its ``yield`` when
    the code runs (what the generator does there is lowered as that call: arguments srcad
    differentiates make it refused)."""
    code = getattr(f, "__code__", None)
    inner = getattr(f, "__wrapped__", None)
    if code is None or code is not _CM_CODE or not inspect.isgeneratorfunction(inner):
        return False
    if hasattr(inner, "__wrapped__"):
        return False  # (its source would be the wrapped function's)
    top = module_top(inner)
    if top in LIBRARY_MODULES or top in sys.stdlib_module_names:
        return False
    tree = source_tree(inner)
    return tree is not None and (swallow or not _may_swallow(tree))  # (`swallow`: withgens)


def _may_swallow(tree: ast.AST) -> bool:
    """May the generator catch an exception thrown in at its ``yield`` (a ``try`` with handlers,
    or whose ``finally`` may ``return``/``break``/``continue``, which drops the exception, a
    ``with`` around it, a ``yield from``, whose generator may catch it)? Python then goes on
    after the ``with`` block with the body's effects up to the raise; the lowered body has no
    such exit (a statement whose exception would stop it is dropped when its value is dead:
    the statements after it ran)."""
    return any(
        isinstance(n, (ast.With, ast.AsyncWith, ast.YieldFrom))
        or isinstance(n, (ast.Try, getattr(ast, "TryStar", ast.Try)))
        and (n.handlers or _leaves(n.finalbody))
        for n in ast.walk(tree)
        if any(isinstance(y, (ast.Yield, ast.YieldFrom)) for y in ast.walk(n))
    )


def _leaves(stmts: list) -> bool:
    """A ``return``, ``break`` or ``continue`` among `stmts` (a ``finally`` block)."""
    return any(
        isinstance(n, (ast.Return, ast.Break, ast.Continue)) for s in stmts for n in ast.walk(s)
    )


_CM_CODE = contextlib.contextmanager(lambda: iter(())).__code__  # (its `helper`'s code)
_NEW, _CALL = object.__dict__["__new__"], type.__dict__["__call__"]
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def _plain_manager(cls: type) -> bool:
    top = module_top(cls)
    if top in LIBRARY_MODULES or top in sys.stdlib_module_names:  # (np.errstate: not a user's)
        return False
    enter = inspect.getattr_static(cls, "__enter__", None)
    leave = inspect.getattr_static(cls, "__exit__", None)
    if not isinstance(enter, types.FunctionType) or not isinstance(leave, types.FunctionType):
        return False
    if hasattr(leave, "__wrapped__") or leave.__code__.co_flags & _NOT_PLAIN:
        return False  # (a wrapper's source is the wrapped def's; a generator's result is truthy)
    if inspect.getattr_static(cls, "__new__") is not _NEW or _CALL is not inspect.getattr_static(
        type(cls), "__call__", None
    ):
        return False  # (`cls()` may give an object of another class, with another `__exit__`)
    tree = source_tree(leave)
    if tree is None or not isinstance(tree.body[0], ast.FunctionDef):
        return False  # (``__exit__ = lambda *a: True`` swallows the exception)
    if tree.body[0].decorator_list:
        return False
    return all(
        n.value is None or (isinstance(n.value, ast.Constant) and n.value.value in (None, False))
        for n in ast.walk(tree)
        if isinstance(n, ast.Return)
    )


def _yields(node: Any) -> bool:
    return any(isinstance(n, (gast.Yield, gast.YieldFrom, gast.Await)) for n in gast.walk(node))


def _name(name: str, ctx: Any) -> gast.Name:
    return gast.Name(id=name, ctx=ctx, annotation=None, type_comment=None)


def _method(name: str, attr: str) -> gast.Attribute:
    return gast.Attribute(value=_name(name, gast.Load()), attr=attr, ctx=gast.Load())
