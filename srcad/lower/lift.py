"""Lambda lifting: a nested ``def``/``lambda`` that must be a function of its own -> a Python
function whose parameters are the nested function's followed by the enclosing variables it reads.

Input: a `NestedFn` met where srcad needs a function object rather than an inlined body
(``srcad.grad(inner)(w)`` inside a transformed function), and the lowering state at that point
(its environment, locals, namespace). Output: `Lifted`: the new function and the names it
captures. The function is real Python (compiled from the nested node, with the user's file and
line numbers, so tracebacks point at the user's lines) and carries its `Source` and `Namespace`
in ``__srcad_source__`` for srcad's frontend. A call passes the captured variables' values *at
the call* (Python's closures read them late too) after the nested function's own arguments.

Example: in ``def f(x): inner = lambda y: np.sum(x * y**2); return srcad.grad(inner)(x)``,
``inner`` becomes ``def inner(y, x): return np.sum(x * y**2)`` and the call
``grad(inner)(x, x)``: the gradient is with respect to ``y`` only, and an outer derivative with
respect to ``x`` flows through the second argument (no perturbation confusion: they are two
variables of the lifted function).
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import types
from dataclasses import dataclass
from typing import Any

import gast

from srcad import lazy
from srcad.frontend.source import Namespace, Source
from srcad.lower import nestedargs, scope
from srcad.lower.values import ModuleRef, NestedFn, PrimRef, python_locals
from srcad.ssa.core import Const, Operand, Var

_closures = lazy.module("srcad.lower.closures")  # (it imports this module)
_fnargs = lazy.module("srcad.lower.fnargs")  # (it imports closures)
_api_calls = lazy.module("srcad.lower.api_calls")  # (it imports this module)


@dataclass(frozen=True, eq=False)
class Lifted:
    """A nested function made a function of its own."""

    fn: types.FunctionType  # def name(<own params>, <captured>)
    own: tuple[str, ...]  # the nested function's parameters
    captured: tuple[str, ...]  # the enclosing variables it reads, passed after `own`
    nested: NestedFn
    # a function a factory returned (lower/fnargs.Carried): the values `captured` name in the
    # factory's environment (its frame is gone: nothing rebinds them); None: read at each call
    values: tuple | None = None


@dataclass(eq=False)
class NestedDerivative(NestedFn):
    """``srcad.grad(inner)`` (or another derivative maker) of a nested function: the derivative
    of the lifted function, called with the captured variables appended."""

    derivative: Any = None
    lifted: Lifted | None = None


def lift_target(lw: Any, target: Any, node: Any) -> tuple[Lifted | None, Any]:
    """The function ``srcad.grad(target)`` (a derivative maker met at `node`) differentiates when
    `target` is a nested function: (its `Lifted`, the lifted function); of ``srcad.grad(inner)``
    made here (`NestedDerivative`), that derivative itself, taking the same captured values (not
    the nested ``inner`` under it: ``grad(grad(inner))`` is not ``grad(inner)``); (None, None)
    for any other value."""
    if isinstance(target, NestedDerivative):
        return target.lifted, target.derivative
    if isinstance(target, _api_calls.Callable_):  # srcad.jacfwd(f) made here: its function
        helper = target.target.value if isinstance(target.target, Const) else None
        if target.before or getattr(helper, "__code__", None) is None:
            return None, None  # (a pullback)
        return target.lifted, helper
    if isinstance(target, NestedFn):
        lifted = lift(lw, target, node)
        return lifted, lifted.fn
    return None, None


def lift(lw: Any, f: NestedFn, node: Any, recursive: bool = False) -> Lifted:
    """Lift the nested function `f` (met at `node`) out of the function `lw` is lowering.
    `recursive`: its body calls it by its name (lower/recursion.py), a call of the lifted
    function passing the captured variables on."""
    if isinstance(f, _fnargs.Carried):
        return _lift_carried(lw, f, recursive)
    fnode = f.node
    a = fnode.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        raise lw.error(fnode, "nested functions with *args/**kwargs are not supported")
    own = tuple(p.id for p in a.args)
    is_def = isinstance(fnode, gast.FunctionDef)
    inner_locals = nested_locals(lw, f, own)
    body = fnode.body if is_def else [fnode.body]
    captured: list[str] = []
    statics: dict[str, Any] = {}
    for n in sorted(scope.reads(body) - inner_locals):
        if n.startswith("$") or (recursive and n == f.name):
            continue
        v = lw.env.get(n)
        if isinstance(v, ModuleRef):
            statics[n] = v.module
        elif isinstance(v, PrimRef):
            statics[n] = v.obj
        elif isinstance(v, NestedFn):
            raise lw.error(
                node,
                f"the nested function `{f.name}` calls the nested function `{n}`; srcad cannot "
                "take a derivative of it here",
                f"move `{n}` to module level, or write its body into `{f.name}`",
            )
        elif isinstance(v, Const) and _static(v.value):
            statics[n] = v.value
        elif v is not None or n in lw.py_locals or lw.ns.lookup(n)[0] == "free":
            captured.append(n)
    name = f.name if f.name.isidentifier() else f"lambda_{fnode.lineno}"
    fd = _function_node(fnode, name, own + tuple(captured))
    if recursive and captured:
        _pass_on(fd, name, captured)
    ns = lw.ns
    # names the enclosing function bound to modules or functions (`import` inside it) and, when
    # recursive, its own name: closure cells of a maker; the module's globals read live
    fn = _compile(fd, name, lw.filename, ns.globals, statics, recursive)
    src = Source(fd, name, lw.filename, fnode.lineno, lw.lines)
    cells = {**statics, name: fn} if recursive else dict(statics)
    fn.__srcad_source__ = (src, Namespace(ns.globals, cells, ns.builtins))  # type: ignore[attr-defined]
    return Lifted(fn, own, tuple(captured), f)


def _lift_carried(lw: Any, f: Any, recursive: bool) -> Lifted:
    """`f` a function a helper returned (``srcad.grad(make_loss(c))``): lifted in the helper's
    environment, with the values it reads there. (Lifted in the caller's, a name the returned
    function reads from its factory was missing, or read the caller's variable of that name.)"""
    saved = (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines)
    lw.env, lw.py_locals, lw.ns = dict(f.env or {}), set(f.py_locals or ()), f.ns
    lw.filename, lw.lines = f.filename, f.lines
    try:
        plain = NestedFn(f.node, f.name, f.defaults, f.depth, kw_defaults=f.kw_defaults)
        out = lift(lw, plain, f.node, recursive)
        values = tuple(captured_values(lw, out, f.node))
    finally:
        lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines = saved
    return Lifted(out.fn, out.own, out.captured, out.nested, values)


def declared_nonlocal(fnode: Any) -> set[str]:
    """The names the `nonlocal` statements of `fnode`'s own scope declare."""
    out: set[str] = set()
    todo = list(fnode.body) if isinstance(fnode.body, list) else []
    for n in todo:
        if isinstance(n, gast.Nonlocal):
            out.update(n.names)
        elif not isinstance(n, (gast.FunctionDef, gast.Lambda, gast.ClassDef)):
            todo += scope.children(n)
    return out


def nested_locals(lw: Any, f: NestedFn, params: Any) -> set[str]:
    """The names local to the nested function `f` (`params` for a lambda); refused when its body
    assigns a variable of the enclosing function (a closure cannot rebind it without
    ``nonlocal``; srcad inlines such a function where it is called: lower/closures.py, but
    cannot make it a function of its own)."""
    fnode = f.node
    if not isinstance(fnode, gast.FunctionDef):
        return set(params)
    inner = python_locals(fnode) - declared_nonlocal(fnode)
    mutated = scope.assigned(fnode.body) - inner
    if mutated:
        raise lw.error(
            fnode,
            f"the nested function `{f.name}` modifies `{sorted(mutated)[0]}` of the "
            "enclosing function",
            "return the new value from the nested function instead",
        )
    return inner


def bind_nested(
    lw: Any, f: NestedFn, names: list[str], node: gast.Call, given: Any = None
) -> dict[str, Any]:
    """The call `node`'s arguments (`given`: as lowered already) bound to the nested function
    `f`'s parameters `names`, as Python binds them (keywords, then `f`'s defaults)."""
    args, kwargs = given if given is not None else lw.call_args(node)
    if len(args) > len(names):
        raise lw.error(node, f"`{f.name}` takes {len(names)} arguments, got {len(args)}")
    bound: dict[str, Any] = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names or k in bound:
            raise lw.error(node, f"`{f.name}` got an unexpected argument `{k}`")
        bound[k] = v
    defaults = dict(zip(names[len(names) - len(f.defaults) :], f.defaults))
    for n in names:
        if n not in bound:
            if n not in defaults:
                raise lw.error(node, f"`{f.name}` is missing the argument `{n}`")
            bound[n] = nestedargs.bound_default(lw, f, defaults[n], node)
    return bound


def captured_values(lw: Any, lifted: Lifted | None, node: Any) -> list[Operand]:
    """The current values of the variables `lifted` captures, passed after its own arguments."""
    if lifted is None:
        return []
    if lifted.values is not None:
        return list(lifted.values)
    out = []
    for n in lifted.captured:
        v = lw.env.get(n)
        if v is None and n not in lw.py_locals and lw.ns.lookup(n)[0] == "free":
            v = lw.materialize(gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None))
        if not isinstance(v, (Var, Const)):
            raise lw.error(
                node,
                f"`{lifted.nested.name}` reads `{n}`, which has no value where it is called",
                f"assign `{n}` before the call",
            )
        out.append(v)
    return out


def call_args(lw: Any, d: NestedDerivative, node: gast.Call) -> list[Operand]:
    """The arguments of a call of the derivative of a lifted function: the call's own arguments
    bound to the nested function's parameters (defaults filled in), then the captured variables'
    current values."""
    lifted = d.lifted
    assert lifted is not None
    bound = bind_nested(lw, d, list(lifted.own), node)
    own = [lw.operand(bound[n], node) for n in lifted.own]
    home = dict(lw.env)  # the captured names as the nested function's scope binds them, not
    _closures.unshadow(lw, d.node, home)  # a comprehension's targets around the call
    here, lw.env = lw.env, home
    try:
        return own + captured_values(lw, lifted, node)
    finally:
        lw.env = here


def frozen(lw: Any, d: Any, at: Any) -> Any:
    """`d`, a function value made of a nested function (``srcad.grad(inner)``: `NestedDerivative`;
    ``srcad.hessian(inner)``, a pullback: lower/api_calls.Callable_), passed into a helper or
    returned by a factory at `at`: with the captured variables' values now, which its calls there
    pass (the helper's own variables of the same names are not the ones `inner` reads)."""
    lifted = d.lifted
    if lifted is None or lifted.values is not None:
        return d
    home = dict(lw.env)
    _closures.unshadow(lw, lifted.nested.node, home)
    here, lw.env = lw.env, home
    try:
        values = tuple(captured_values(lw, lifted, at))
    finally:
        lw.env = here
    return dataclasses.replace(d, lifted=dataclasses.replace(lifted, values=values))


def _static(value: Any) -> bool:
    """A constant the lifted function reads as a global: modules, classes, functions."""
    return isinstance(value, (types.ModuleType, type)) or callable(value)


def _function_node(fnode: Any, name: str, params: tuple[str, ...]) -> gast.FunctionDef:
    """``def name(<params>): <body>`` at the nested function's position, without defaults."""
    args = gast.arguments(
        args=[gast.Name(id=p, ctx=gast.Param(), annotation=None, type_comment=None) for p in params],
        posonlyargs=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[],
    )  # fmt: skip
    if isinstance(fnode, gast.FunctionDef):
        body = copy.deepcopy(fnode.body)
    else:
        ret = gast.Return(value=copy.deepcopy(fnode.body))
        body = [gast.copy_location(ret, fnode.body)]
    fd = gast.FunctionDef(
        name=name, args=args, body=body, decorator_list=[], returns=None, type_comment=None,
        type_params=[],
    )  # fmt: skip
    gast.copy_location(fd, fnode)
    for p in args.args:
        gast.copy_location(p, fnode)
    return fd


def _compile(
    fd: gast.FunctionDef,
    name: str,
    filename: str,
    globals_: dict,
    statics: dict[str, Any],
    recursive: bool,
) -> Any:
    """`fd` compiled with the module's globals (read when it runs: a copy would keep a rebound
    global's old value) inside a maker whose parameters are the `statics`' names, so those are
    closure cells holding them; `recursive`: its own name too."""
    params = sorted(statics)
    ret = gast.copy_location(gast.Return(value=_load(name, fd)), fd)
    args = gast.arguments(
        args=[gast.copy_location(gast.Name(id=p, ctx=gast.Param(), annotation=None,
                                           type_comment=None), fd) for p in params],
        posonlyargs=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[],
    )  # fmt: skip
    maker = gast.FunctionDef(name=_MAKER, args=args, body=[fd, ret], decorator_list=[],
                             returns=None, type_comment=None, type_params=[])  # fmt: skip
    module = gast.gast_to_ast(gast.Module(body=[gast.copy_location(maker, fd)], type_ignores=[]))
    ast.fix_missing_locations(module)
    scope_: dict[str, Any] = {}
    exec(compile(module, filename, "exec"), globals_, scope_)
    return scope_[_MAKER](*(statics[p] for p in params))


_MAKER = "_srcad_lifted"


def _load(name: str, at: Any) -> gast.Name:
    n = gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)
    return gast.copy_location(n, at)


def _pass_on(fd: gast.FunctionDef, name: str, captured: list[str]) -> None:
    """The calls ``name(...)`` in `fd`'s body pass the `captured` parameters on."""
    for n in gast.walk(fd):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == name:
            n.args = [*n.args, *(_load(c, n) for c in captured)]
