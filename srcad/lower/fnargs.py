"""Functions passed as arguments to user helpers: ``apply(np.tanh, x)``, ``apply(lambda v: v ** 3,
x)``, ``integrate(f_nested, a, b)``.

Input: the lowerer at a call of a user function known now (module-level or a closure) some of
whose arguments are functions known only while lowering: a library callable with rules
(``np.tanh``) or a nested def/lambda. Output: the call's value, the helper's body inlined
(lower/varargs.inline_call) with those parameters bound to the functions themselves.

A nested function reads the enclosing variables when it runs (Python's late binding); while the
helper runs nothing rebinds them (the helper has its own frame), so the values they hold at the
helper's call are the ones it reads: `Carried` keeps that environment (and namespace, file) and
lowers a call of the function inside it, the arguments evaluated where the helper calls it.
A nested function writing an enclosing variable (``nonlocal``, ``acc.append``) is refused.

A helper that passes a parameter on with ``*``/``**`` (``k1 = func(y, t, *args)`` of an ODE
stepper) is inlined the same way where its call gives that parameter a tuple, list or dict
literal (``rk4(f, y0, ts, (w,))``): lowered alone, the parameter's length is unknown.
"""

from __future__ import annotations

import dis
import types
import weakref
from dataclasses import dataclass
from typing import Any

import gast

from srcad import lazy
from srcad.frontend.source import get_source
from srcad.lower import (
    argwrites,
    closures,
    factories,
    fnchoice,
    fnescape,
    fnlifted,
    fnstate,
    generators,
    listrows,
    objmethods,
    objseq,
    objstate,
    partials,
    recursion,
    starcalls,
    varargs,
)
from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalMethod, NestedFn, PrimRef
from srcad.ssa.core import Const, Operand

_api = lazy.module("srcad.lower.api_calls")  # (it imports this module)
_lift = lazy.module("srcad.lower.lift")  # (it imports this module)
_starargs = lazy.module("srcad.starargs")  # the API's (it imports the transforms)

_ARG = "$fnarg"


@dataclass(eq=False)
class Carried(NestedFn):
    """A nested def/lambda passed into a helper: its defining environment kept."""

    env: dict | None = None
    py_locals: set | None = None
    ns: Any = None
    filename: str = ""
    lines: list | None = None
    # a factory's function writing the factory's variables (``nonlocal total``): (the block
    # depth of the factory's call, the serial of its state: lower/fnstate.py); None: no writes
    state: tuple[int, int] | None = None
    # returned by a factory whose frame is gone (`returned`): nothing rebinds what it reads,
    # so a function it returns in turn is carried too (``make(a)(b)(x)``: `call`)
    gone: bool = False


def _is_fn_arg(lw: Any, a: Any) -> bool:
    """The argument node `a` is a lambda, a nested function's name, or names a library
    callable with rules (``np.tanh``, ``math.exp``): no ops are made to tell."""
    if isinstance(a, gast.Lambda) or factories.factory_call(lw, a) or partials.is_passed(lw, a):
        return True  # (functools.partial(gauss, s=s), operator.itemgetter(1): partials.py)
    if isinstance(a, gast.Attribute) and isinstance(a.value, gast.Name):  # ``self._dsdt``
        if objmethods.bound_method(lw.env.get(a.value.id), a.attr):
            return True
    if isinstance(a, gast.Subscript):  # fs[1], fs[-1], acts["t"]
        item = _item(lw.env.get(a.value.id) if isinstance(a.value, gast.Name) else None, a.slice)
        return isinstance(item, NestedFn) or (
            isinstance(item, PrimRef) and varargs.library_callable(item.obj)
        )
    if isinstance(a, gast.Name):
        if a.id in lw.env:
            v = lw.env[a.id]
            lib = isinstance(v, PrimRef) and varargs.library_callable(v.obj)
            return isinstance(v, NestedFn) or lib or fnchoice.noted(lw, v)
        if a.id in lw.py_locals:
            return False
        return varargs.library_callable(lw.ns.lookup(a.id)[1])
    path = []
    while isinstance(a, gast.Attribute):
        path.append(a.attr)
        a = a.value
    if not path or not isinstance(a, gast.Name) or a.id in lw.env or a.id in lw.py_locals:
        return False
    obj = lw.ns.lookup(a.id)[1]
    if not isinstance(obj, types.ModuleType):
        return False
    for name in reversed(path):
        obj = getattr(obj, name, None)
    return varargs.library_callable(obj)


def _item(seq: Any, key: Any) -> Any:
    """The item of the `FnSeq` `seq` at the constant `key` (``1``, ``-1``, ``"t"``), else None."""
    neg = isinstance(key, gast.UnaryOp) and isinstance(key.op, gast.USub)
    if neg:
        key = key.operand
    if not isinstance(seq, FnSeq) or not isinstance(key, gast.Constant):
        return None
    k = -key.value if neg and type(key.value) is int else key.value
    if neg and type(key.value) is not int:
        return None
    if seq.kind == "dict":
        return seq.items[seq.keys.index(k)] if k in seq.keys else None
    if type(k) is int and -len(seq.items) <= k < len(seq.items):
        return seq.items[k]
    return None


def helper_call(lw: Any, fn: Any, node: gast.Call, max_depth: int) -> Operand | None:
    """The call `node` of `fn` (None when not known now) inlined when it takes ``*args`` /
    ``**kwargs`` (lower/varargs.py), is a generator (lower/generators.py), is given functions
    (`takes_functions`) or updates a caller's variable in place (lower/argwrites.py), else
    None; ``fn(*ps)`` of a `ps` of run-time length, its items named (lower/starcalls.py), is
    lowered here either way."""
    got = starcalls.expand(lw, fn, node)
    if got is None:
        return _helper_call(lw, fn, node, max_depth)
    node, temps, rest = got
    try:
        if rest is not None:  # `fn` takes `*args`: they end with the run-time rest of `ps`
            args, kwargs = lw.call_args(node)
            return varargs.inline_call(lw, fn, node, max_depth, given=([*args, rest], kwargs))
        out = _helper_call(lw, fn, node, max_depth)
        if out is None:
            callee = lw.operand(lw.expr(node.func), node.func)
            args, kwargs = lw.call_args(node)
            lw.at(node)
            out = lw.op("call", [callee, *args], kwargs)
    finally:
        for t in temps:
            lw.env.pop(t, None)
    return out


def _helper_call(lw: Any, fn: Any, node: gast.Call, max_depth: int) -> Operand | None:
    if getattr(fn, "__srcad_star__", None) is not None:
        return _star_derivative_call(lw, fn, node)
    if varargs.takes_varargs(fn):  # (`apply(lambda v: .., x, *rest)`: the function carried)
        given = call_args(lw, node) if takes_functions(lw, fn, node) else None
        wrap = _factory(lw, fn, node)  # `def compose(*fs): ... return h`
        return varargs.inline_call(lw, fn, node, max_depth, given=given, wrap=wrap)
    if not isinstance(fn, types.FunctionType) or varargs.library(fn) or varargs.srcad_made(fn):
        return None
    if generators.is_generator_function(fn):
        return generators.call_static(lw, fn, node, max_depth)
    if (wrap := _factory(lw, fn, node)) is not None:  # layer = make_layer(W, b)
        return varargs.inline_call(lw, fn, node, max_depth, given=call_args(lw, node), wrap=wrap)
    if takes_functions(lw, fn, node) or forwards_literal(lw, fn, node):
        # apply(np.tanh, x), apply(lambda v: ..., x); rk4(f, y, ts, (w,)) calling f(y, t, *args)
        given = call_args(lw, node)  # (a recursive helper past the depth: lower/fnlifted.py)
        inline = lambda: varargs.inline_call(lw, fn, node, max_depth, given=given)  # noqa: E731
        return fnlifted.call(lw, fn, node, given, inline)
    if back := argwrites.writes_back(lw, fn, node):  # build_up_b(b, u): b updated in place
        final = dict.fromkeys(back)
        tree = listrows.param_rows(fn)  # `aii = a[ii]; aii[jj] -= v`
        out = varargs.inline_call(lw, fn, node, argwrites.DEPTH + 1, tree=tree, final=final)
        argwrites.write_back(lw, back, final)
        return out
    return None


def _factory(lw: Any, fn: Any, node: gast.Call) -> Any:
    """The `wrap` of a call of `fn` returning a function (lower/factories.py), else None."""
    if not factories.returns_function(fn) or argwrites.writes_back(lw, fn, node):
        return None
    depth = objseq.depth(lw)
    return lambda g: returned(lw, g, node, set(fn.__code__.co_cellvars), depth)


def returned(
    lw: Any, v: Any, node: gast.Call, own: set | None = None, depth: int | None = None
) -> Any:
    """The value of a factory's call returning `v` (lower/factories.py); `own`, `depth`: the
    factory's variables a single returned function may update (`carry`), and where."""
    if not factories.returnable(v):
        return None
    mine = own if isinstance(v, NestedFn) else None  # (a state shared by two: refused)
    return factories.carried(v, lambda g: carry(lw, g, node, mine, lw.env, depth or 0, True))


def _star_derivative_call(lw: Any, fn: Any, node: gast.Call) -> Operand:
    """``grad(fva, 1)(x, y)`` of a ``def fva(*args)``: a call of the derivative made for this
    call's arity and keywords (`srcad.starargs.made`), which the transforms can differentiate
    (not the wrapper that picks it at run time)."""
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise lw.error(
            node,
            "a derivative of a function taking *args is called with `*` / `**` arguments here",
            "pass the arguments one by one",
        )
    made = _starargs.made(*fn.__srcad_star__, len(node.args), tuple(k.arg for k in node.keywords))
    args, kwargs = lw.call_args(node)
    lw.at(node)
    return lw.op("call", [Const(made), *args], kwargs)


def star_forwarded(fn: types.FunctionType) -> frozenset[str]:
    """The parameters `fn`'s own body passes on as ``g(*args)`` / ``g(**kw)`` (its code has a
    CALL_FUNCTION_EX first: most functions are told apart without reading their source)."""
    code = fn.__code__
    if code not in _FORWARDED:
        names: frozenset[str] = frozenset()
        if any(i.opname == "CALL_FUNCTION_EX" for i in dis.get_instructions(code)):
            params = set(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
            tree = get_source(fn).node
            names = frozenset(
                v.id
                for n in gast.walk(tree)
                if isinstance(n, gast.Call)
                for v in [
                    *(a.value for a in n.args if isinstance(a, gast.Starred)),
                    *(k.value for k in n.keywords if k.arg is None),
                ]  # fmt: skip
                if isinstance(v, gast.Name) and v.id in params
            )
        _FORWARDED[code] = names
    return _FORWARDED[code]


_FORWARDED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def forwards_literal(lw: Any, fn: Any, node: gast.Call) -> bool:
    """`node` passes a value for a parameter `fn` passes on with ``*``/``**``: inlined, that
    call's arguments are known when a tuple/list/dict literal (written there, or a name bound to
    one), and its callee when the caller names it (``euler(dyn, y, n, args)`` calling
    ``func(y, t, *args)``: lower/starcalls.py names the items of a run-time `args`)."""
    if not isinstance(fn, types.FunctionType) or fn.__code__.co_flags & 0x20:
        return False
    names = star_forwarded(fn)
    if not names or any(isinstance(a, gast.Starred) for a in node.args):
        return False
    params = fn.__code__.co_varnames[: fn.__code__.co_argcount]
    given = dict(zip(params, node.args))
    given.update((k.arg, k.value) for k in node.keywords if k.arg is not None)
    return any(n in given for n in names)


def _literal_node(lw: Any, a: Any) -> bool:
    if isinstance(a, (gast.Tuple, gast.List, gast.Dict)):
        return True
    if not isinstance(a, gast.Name) or a.id not in lw.env:
        return False
    v = lw.env[a.id]
    return lw._unpackable(v) or varargs.literal_dict(lw, v) is not None


def inline_nested(lw: Any, f: NestedFn, node: gast.Call, max_depth: int) -> Operand:
    """A call of a nested def/lambda: one passed into a helper in its own environment (`call`),
    a generator's as the list it yields (lower/generators.py), others inlined as they are."""
    if node.args and type(node.args[-1]) is gast.Starred:  # `g(*ps)`, ps of run-time length
        got = starcalls.nested(lw, f, node)
        if got is not None:
            try:
                return inline_nested(lw, f, got[0], max_depth)
            finally:
                for t in got[1]:
                    lw.env.pop(t, None)
    if isinstance(f, Carried):
        return call(lw, f, node, max_depth)
    if generators.is_generator_def(f.node):
        return generators.call_nested(lw, f, node, max_depth)
    outer = lw.env

    depth, own = objseq.depth(lw), closures.own_locals(f.node) | factories.param_names(f.node)
    top = lw.inline_depth == 0  # (the variables a returned function reads: `bound_once`)
    fixed = (lambda n: factories.bound_once(lw, n, outer)) if top else None
    local = lw.py_locals if top else frozenset()

    def returned(v: Any) -> Any:  # `def mk(a): return lambda v: a * v`
        if not factories.returnable(v):
            return None
        mine = own if isinstance(v, NestedFn) else None  # (a state shared by two: refused)

        def one(g: NestedFn) -> Carried | None:
            late = factories.late_reads(outer, f, g, fixed, local)
            if late and top:
                raise _late_error(lw, node, f, late)
            return carry(lw, g, node, mine, outer, depth, True) if not late else None

        return factories.carried(v, one)

    inline = lambda: closures.inline(lw, f, node, max_depth, wrap=returned)  # noqa: E731
    return recursion.call(lw, f, node, inline)  # past the depth limit: lifted


def _late_error(lw: Any, node: gast.Call, f: NestedFn, late: list[str]) -> Exception:
    """The refusal of a function the nested factory `f` returns reading the variables `late`
    of the function around when it runs."""
    names = ", ".join(f"`{n}`" for n in late)
    return lw.error(
        node,
        f"the function `{f.name}` returns reads {names} of the function around it when it runs "
        f"(Python reads the variable at each call; srcad keeps the value of the moment `{f.name}` "
        "returns, the same only for a number or array bound once, before that call: a "
        "parameter nothing assigns, or one assignment at the top of the body)",
        f"pass {names} to `{f.name}` as an argument, or bind it once, before `{f.name}` is "
        "called and nowhere else",
    )


def takes_functions(lw: Any, fn: Any, node: gast.Call) -> bool:
    """`node` calls the user function `fn` with a function argument `_is_fn_arg` takes."""
    if not isinstance(fn, types.FunctionType) or fn.__code__.co_flags & 0x20:  # a generator
        return False
    defaults = [*(fn.__defaults__ or ()), *(fn.__kwdefaults__ or {}).values()]
    if any(varargs.library_callable(d) for d in defaults):  # def act(x, f=np.tanh)
        return True
    parts = [*node.args, *(k.value for k in node.keywords)]
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        return False
    return any(_is_fn_arg(lw, a) for a in parts) or _api.differentiated_arg(lw, fn, parts)


def call_args(lw: Any, node: gast.Call) -> tuple[list, dict]:
    """The call's arguments: functions as themselves (nested ones `Carried`), the rest lowered."""

    def one(a: Any) -> Any:
        if not _is_fn_arg(lw, a):
            return lw.value(a)
        if isinstance(a, gast.Subscript):  # fs[-1]: the item itself
            seq = lw.env[a.value.id]
            seq.read = True
            v = _item(seq, a.slice)
        else:
            v = lw.expr(a)
        if isinstance(v, NestedFn):
            return carry(lw, v, a)
        if isinstance(v, (PrimRef, LocalMethod, partials.Partial, partials.Getter)):
            return partials.passed(v, lambda g: carry(lw, g, a))  # (a method: itself)
        return lw.operand(v, a)  # (a factory's pair: refused)

    return [one(a) for a in node.args], varargs.call_keywords(lw, node, one)


def carry(
    lw: Any,
    f: NestedFn,
    at: Any,
    own: set | None = None,
    into: Any = None,
    depth: int = 0,
    gone: bool = False,
) -> NestedFn:
    """`f` with the environment of this moment. `own`: the variables of the factory returning
    it (whose frame is gone once it returns), which `f` may write (``nonlocal total``: a state
    lower/fnstate.py puts into `into`, the caller's environment at block `depth`); other writes
    are refused. `gone`: a factory's return (`Carried.gone`)."""
    if isinstance(f, Carried):
        return f
    if isinstance(f, (_lift.NestedDerivative, _api.Callable_)):  # srcad.grad(inner), a pullback:
        return _lift.frozen(lw, f, at)  # calls of the derivative, not of `inner`
    writes = closures.enclosing_writes(f.node)
    stateful = bool(writes) and own is not None and writes <= own and into is not None
    if writes and not stateful:
        raise lw.error(
            at,
            f"the nested function `{f.name}` writes a variable of the function around it and is "
            "passed to a helper; srcad inlines it where the helper calls it",
            "return the new value from it instead",
        )
    state = fnstate.make(lw, lw.env, writes, into, depth) if stateful else None
    out = Carried(
        f.node,
        f.name,
        f.defaults,
        f.depth,
        kw_defaults=f.kw_defaults,
        env=dict(lw.env),
        py_locals=set(lw.py_locals),
        ns=lw.ns,
        filename=lw.filename,
        lines=lw.lines,
        state=state,
        gone=gone,
    )
    stale = fnescape.stale_read(out, getattr(lw, "root", None)) if gone else None
    if stale is not None:  # (a function passed in, kept by the one returned: read later)
        raise lw.error(
            at,
            f"the function `{f.name}` returned here keeps `{stale[0]}`, passed in, which reads "
            f"`{stale[1]}` of the function around: Python reads `{stale[1]}` when it is called "
            "(later), srcad where it was passed",
            f"pass `{stale[1]}` to `{stale[0]}` as an argument, or call the helper where the "
            "result is used",
        )
    return out


def call(lw: Any, f: Carried, node: gast.Call, max_depth: int) -> Any:
    """A call of the carried function `f` in a helper: the arguments evaluated here, the body
    lowered in `f`'s environment."""
    args, kwargs = _fn_call_args(lw, node)  # `*args` of a literal tuple (refused otherwise)
    env = dict(f.env or {})
    env.update(objstate.shared(lw.env))  # objects' fields as they are now (written since)
    writes = closures.enclosing_writes(f.node) if f.state is not None else set()
    if f.state is not None:  # the factory's variables it updates, as the last call left them
        fnstate.enter(lw, f.name, f.state, writes, env, node)
    names = []
    for i, v in enumerate([*args, *kwargs.values()]):
        env[f"{_ARG}{i}"] = v
        names.append(gast.copy_location(gast.Name(f"{_ARG}{i}", gast.Load(), None, None), node))
    k = len(args)
    keywords = [gast.keyword(n, names[k + i]) for i, n in enumerate(kwargs)]
    synthetic = gast.copy_location(gast.Call(node.func, names[:k], keywords), node)
    plain = NestedFn(f.node, f.name, f.defaults, f.depth, kw_defaults=f.kw_defaults)
    saved = (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines, getattr(lw, "comp_frames", []))
    lw.env, lw.py_locals, lw.ns = env, set(f.py_locals or ()), f.ns
    lw.filename, lw.lines = f.filename, f.lines
    # the caller's comprehensions are not around the body: their targets (``for k in xs``) are
    # not the names the carried environment binds (``_make(k)(v)``'s `k`: `closures.unshadow`)
    lw.comp_frames = []
    depth = objseq.depth(lw)  # (a function the body returns: carried, nothing it reads rebound)
    wrap = (lambda v: returned(lw, v, node, None, depth)) if f.gone else None
    try:
        out = closures.inline(lw, plain, synthetic, max_depth, wrap=wrap)
    finally:
        lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines, lw.comp_frames = saved
    lw.env.update(objstate.shared(env))  # the fields the body wrote
    if f.state is not None:  # the next call reads what this one left
        fnstate.leave(lw, f.state, writes, env)
    return out


def _fn_call_args(lw: Any, node: gast.Call) -> tuple[list, dict]:
    """The arguments of a call of a carried function: functions as themselves (`call_args`:
    ``scale(3.0)(gg)`` of a decorator factory) when one is passed, else lowered."""
    parts = [*node.args, *(k.value for k in node.keywords)]
    plain = not any(isinstance(a, gast.Starred) for a in node.args) and all(
        k.arg is not None for k in node.keywords
    )
    if plain and any(_is_fn_arg(lw, a) for a in parts):
        return call_args(lw, node)
    return lw.call_args(node)


def spread(lw: Any, args: list) -> list:
    """The positional argument nodes of a call, each ``*name`` of a tuple/list of known length
    repeated that many times (``np.sin(x, *args)`` with ``args=()`` passes no `out`)."""
    for a in args:  # (a loop: a generator per call cost more)
        if type(a) is gast.Starred:
            break
    else:
        return args
    out: list = []
    for a in args:
        n = _star_len(lw, a.value) if isinstance(a, gast.Starred) else None
        out.extend([a] * n if n is not None else [a])
    return out


def _star_len(lw: Any, e: Any) -> int | None:
    """The length of the starred ``*e`` when known now: `e` a name of a tuple/list of known
    length, or a slice of one by constants (``*args[1:]``); else None."""
    if isinstance(e, gast.Subscript) and isinstance(e.slice, gast.Slice):
        n = _star_len(lw, e.value)
        bounds = [_int(b) for b in (e.slice.lower, e.slice.upper, e.slice.step)]
        if n is None or any(b is False for b in bounds) or bounds[2] == 0:
            return None
        return len(range(n)[slice(*bounds)])
    v = lw.env.get(e.id) if isinstance(e, gast.Name) else None
    if isinstance(v, Const) and isinstance(v.value, (tuple, list)):
        return len(v.value)
    elts = lw._literal_elts(v) if v is not None else None
    return None if elts is None else len(elts)


def _int(b: Any) -> int | None | bool:
    """A slice bound's node as a constant int (None: absent), False when not one."""
    neg = isinstance(b, gast.UnaryOp) and isinstance(b.op, gast.USub)
    c = b.operand if neg else b
    if c is None or isinstance(c, gast.Constant) and type(c.value) is int:
        return None if c is None else -c.value if neg else c.value
    return False
