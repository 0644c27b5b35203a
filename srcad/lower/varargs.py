"""Helpers taking ``*args`` / ``**kwargs`` (module-level functions, decorators' wrappers and
other closures known now): inlined at their call sites.

Input: the lowerer at a call of a plain Python function whose signature has ``*args`` or
``**kwargs`` (``def total(*xs): return sum(xs)``, ``def f(x, **kw): return g(x, **kw)``), and the
call node. Output: the helper's body lowered in place, in the helper's own namespace, with its
parameters bound as Python binds them: ``*xs`` to a tuple of the extra positional arguments,
``**kw`` to a dict of the extra keyword arguments (literals, so ``g(*xs)``, ``g(**kw)``,
``kw.get("c", 0.0)`` and ``len(xs)`` are known when lowering), the others to the arguments or
their defaults. Ops the body makes are located at the call (errors point at the caller's line).
Names the body reads that its namespace binds otherwise than the lowered function's (another
module's globals, a wrapper's closure cells) are the values they hold now (`foreign`): the
generated code's names are the lowered function's.

A generator function's call is inlined the same way, its body rewritten to build the list it
yields (lower/generators.py). A helper srcad-wrapped or recursive (through such calls, past the
inlining depth limit) is not inlined: it stays refused as before.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.frontend.resolve import prim_name
from srcad.frontend.source import get_source, namespace_of
from srcad.lower import (
    closures,
    combos,
    fieldentries,
    kwdicts,
    loopitems,
    objseq,
    objstate,
    scope,
    setlits,
    tryprep,
)
from srcad.lower.objseq import FnSeq, object_list
from srcad.lower.partials import Getter, Partial
from srcad.lower.reads import ItemRead, note_read
from srcad.lower.scope import RET, RETVAL
from srcad.lower.survey import loops_write_items, survey
from srcad.lower.userfns import library, srcad_made
from srcad.lower.values import LocalMethod, LocalObj, NestedFn, PrimRef, RestOf, locals_and_nested
from srcad.ssa.core import Const, Op, Operand, Var

_FLAGS = inspect.CO_VARARGS | inspect.CO_VARKEYWORDS
_NOT_PLAIN = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def takes_varargs(obj: Any) -> bool:
    """A plain module-level Python function with ``*args`` or ``**kwargs``, not of the standard
    library, an installed package (``dataclasses.replace`` introspects its argument) or srcad."""
    if not isinstance(obj, types.FunctionType):
        return False
    if library(obj):  # (srcad.vjp(f, *primals): its API)
        return False
    if srcad_made(obj):
        return False
    flags = obj.__code__.co_flags
    return bool(flags & _FLAGS) and not flags & _NOT_PLAIN


def literal_dict(lw: Any, v: Operand) -> list[tuple[str, Operand]] | None:
    """The (key, value) pairs of `v` when a ``dict`` literal with constant string keys made it
    (in this block or an enclosing one), else None."""
    if not isinstance(v, Var):
        return None
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                if op.prim != "dict" or op.kwargs:
                    return None
                keys, vals = op.args[::2], op.args[1::2]
                if not all(isinstance(k, Const) and type(k.value) is str for k in keys):
                    return None
                return [(k.value, val) for k, val in zip(keys, vals)]
    return None


def double_star(lw: Any, node: Any, call: Any = None) -> list[tuple[str, Operand]]:
    """The keyword arguments ``**node`` passes (in `call`): the entries of a dict literal, or of a
    dict known when lowering (`known_dict`), or by the callee's signature (lower/kwdicts.py);
    refused else."""
    v = lw.value(node)
    items = literal_dict(lw, v)
    if items is None:
        items = known_dict(lw, node, v)
    if items is None:
        items = kwdicts.expand(lw, call, v)
    if items is None:
        raise lw.error(
            node,
            "`**kwargs` in a call is supported only for a dict built here with constant string keys",
            "pass the arguments by name",
        )
    return items


def call_keywords(lw: Any, node: gast.Call, one: Any) -> dict[str, Any]:
    """The keyword arguments of `node`, each value `one(value)`; ``**d`` as `double_star`'s."""
    out: dict[str, Any] = {}
    for k in node.keywords:
        if k.arg is None:
            out.update(double_star(lw, k.value, node))
        else:
            out[k.arg] = one(k.value)
    return out


def known_dict(lw: Any, node: Any, v: Operand) -> list[tuple[str, Operand]] | None:
    """``**OPTS`` of a dict known when lowering (a module-level ``OPTS = dict(rtol=1e-8)``, a
    closure's or a default's, the default of the lowered function's parameter ``opts={...}``
    whatever dict the caller passes) with string keys: its entries, each read from the dict when the
    code runs (``OPTS["rtol"]``); the transform is reused while the name holds that dict and the
    dict those keys (recorded reads, checked on every cache hit). None for any other operand."""
    if isinstance(v, Const):
        d = v.value
    elif type(v) is Var and v in getattr(lw, "entry_defaults", {}):
        d = lw.entry_defaults[v]  # a parameter's default: its keys checked below at run time
    elif isinstance(node, gast.Name) and _global_read(lw, v, node.id):
        kind, d = lw.ns.lookup(node.id)
        if kind != "global" or type(d) is not dict:
            return None
        note_read(lw.ns.globals, ItemRead(node.id), d)  # the name still holds this dict
    else:
        return None
    if type(d) is not dict:
        return None
    keys = list(d)
    if len(keys) > 64 or not all(type(k) is str and k.isidentifier() for k in keys):
        return None
    note_read(d, ItemRead(length=True), len(d))
    for k in keys:
        note_read(d, ItemRead(k), d[k])
    # the keys when the code runs are these (the function or a helper may add or remove one
    # before the call: refused then, where Python would pass other keywords)
    same = lw.op("eq", [lw.op("builtins.tuple", [v]), Const(tuple(keys))])
    why = Const(
        "the keys of the dict passed as `**kwargs` changed since srcad transformed the call"
    )
    lw.op("srcad.runtime.require", [same, why])
    return [(k, lw.op("getitem", [v, Const(k)])) for k in keys]


def param_defaults(pyfunc: Any, a: Any, params: dict) -> dict:
    """{parameter Var: its default} of `pyfunc`'s dict defaults (`a`: its ``def``'s arguments;
    `params`: name -> Var); nothing for a wrapper's ``*args``/``**kwargs``."""
    if pyfunc is None or a.vararg is not None or a.kwarg is not None:
        return {}
    positional = [p.id for p in a.posonlyargs + a.args]
    got = dict(zip(positional[::-1], (pyfunc.__defaults__ or ())[::-1]))
    got.update(getattr(pyfunc, "__kwdefaults__", None) or {})
    return {params[n]: d for n, d in got.items() if type(d) is dict and n in params}


def _global_read(lw: Any, v: Operand, name: str) -> bool:
    """`v` is the run-time read of the module-level name `name` (a ``global`` op)."""
    if not isinstance(v, Var):
        return False
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                return op.prim == "global" and op.params.get("name") == name
    return False


def library_callable(obj: Any) -> bool:
    """A library callable srcad has a primitive for (``np.tanh``, ``math.exp``)."""
    return (
        callable(obj)
        and not isinstance(obj, (type, types.FunctionType, types.ModuleType))
        and prim_name(obj) is not None
    )


def as_ref(v: Any) -> PrimRef | None:
    """A library callable with rules (a helper's default ``f=np.tanh``) as a `PrimRef`."""
    return PrimRef(prim_name(v), v, None) if library_callable(v) else None


def _too_deep(lw: Any, fn: types.FunctionType, node: gast.Call) -> Exception:
    """The refusal of a call of `fn` past the inlining depth, saying why srcad inlines it."""
    if fn.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_ASYNC_GENERATOR):
        why, hint = (
            "a generator, lowered as the list it yields",
            ("return a list instead of yielding (`out.extend(walk(e))` for `yield from walk(e)`)"),
        )
    elif takes_varargs(fn):
        why, hint = "a function with *args/**kwargs", "list its parameters explicitly"
    else:
        why, hint = (
            "given a function or updating an argument in place",
            ("pass a module-level function, and return new values instead of updating arguments"),
        )
    return lw.error(node, f"`{fn.__name__}` ({why}) is recursive or nested too deeply", hint)


def inline_call(
    lw: Any,
    fn: types.FunctionType,
    node: gast.Call,
    max_depth: int,
    front: tuple = (),
    given: tuple | None = None,
    tree: Any = None,
    final: dict | None = None,
    wrap: Any = None,
) -> Operand:
    """Lower the call `node` of `fn` by lowering `fn`'s body here (see the module docstring);
    refused past `max_depth` nested inlinings (recursion). `front`: arguments before the call's
    own (``self``, a `LocalObj` of lower/objects.py, for a method); `given`: the call's arguments
    already lowered, ``(args, kwargs)`` (lower/objcalls.py; functions among them:
    lower/fnargs.py); `tree`: the ``def`` to lower instead of `fn`'s own (a generator's
    rewritten: lower/generators.py); `final`: parameter names, given the values the body left
    in them (lower/argwrites.py); `wrap`: given what the body returns, in the body's environment,
    the value of the call, or None (a returned function: lower/factories.py)."""
    if lw.inline_depth >= max_depth:
        raise _too_deep(lw, fn, node)
    args, kwargs = lw.call_args(node) if given is None else given
    try:
        bound = inspect.signature(fn, follow_wrapped=False).bind(*front, *args, **kwargs)
    except TypeError as e:
        raise lw.error(node, f"bad call of `{fn.__name__}`: {e}") from None
    bound.apply_defaults()
    lw.at(node)
    env: dict[str, Any] = {}
    for name, p in inspect.signature(fn, follow_wrapped=False).parameters.items():
        v = bound.arguments[name]
        if p.kind is p.VAR_POSITIONAL and v and isinstance(v[-1], RestOf):  # (starcalls.py)
            head = lw.op("tuple", list(v[:-1]))
            env[name] = lw.op("add", [head, v[-1].items], hint=name) if v[:-1] else v[-1].items
        elif p.kind is p.VAR_POSITIONAL and v and all(_fn_or_obj(lw, e) for e in v):
            env[name] = FnSeq(tuple(v), "tuple", node, objseq.depth(lw))  # `compose(*fs)`
        elif p.kind is p.VAR_POSITIONAL:
            env[name] = lw.op("tuple", list(v), hint=name)
        elif p.kind is p.VAR_KEYWORD and kwdicts.RUNTIME_KW in v:  # `f(x, **d)`, `d`'s keys
            env[name] = kwdicts.bind_rest(lw, v)  # known when it runs: a copy of `d`
        elif p.kind is p.VAR_KEYWORD:
            flat = [x for k, val in v.items() for x in (Const(k), val)]
            env[name] = lw.op("dict", flat, hint=name)
        else:
            kinds = (Var, Const, LocalObj, FnSeq, PrimRef, NestedFn, LocalMethod, Partial, Getter)
            env[name] = v if isinstance(v, kinds) else Const(v)
            if v is p.default:  # a default `f=np.tanh` is the function too
                env[name] = as_ref(v) or env[name]
    src = get_source(fn)
    fnode = src.node if tree is None else tree
    if tree is None and not isinstance(fnode, gast.Lambda) and survey(fnode).has_try:
        # `try`/`with`/`match` rewritten as for a function lowered itself (a fresh parse: the
        # tree is changed in place)
        tryprep.flatten_finally(fnode, namespace_of(fn))
        setlits.rewrite(fnode)
        scope.forget()
    lam = isinstance(fnode, gast.Lambda)  # `c = self.cache[k]; c["t"] += 1` (fieldentries.py)
    if tree is None and not lam and fieldentries.rewrite(fnode, namespace_of(fn)):
        scope.forget()
    items = (  # ``for p, g in zip(ps, gs): p -= lr * g`` in a helper: lower/loopitems.py
        tree is None
        and not lam
        and loops_write_items(survey(fnode))
        and loopitems.rewrite(fnode, namespace_of(fn))
    )
    if items:
        scope.forget()
        loopitems.bind_env(env)
    if (
        tree is None
        and not lam
        and combos.candidate(fn)
        and combos.rewrite(fnode, namespace_of(fn))
    ):
        scope.forget()  # (itertools.combinations(bodies, 2): lower/combos.py)
        combos.bind_env(env)
    env.update(objstate.shared(lw.env))  # fields of objects built here (lower/objstate.py)
    env[RET], env[RETVAL] = Const(False), Const(None)
    saved = (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines, lw.enclosing_writes, lw.keep_refs,
             lw.inlined)  # fmt: skip
    lw.keep_refs = wrap is not None
    start, loc = len(lw.b.block.ops), lw.b.loc
    lw.env, (lw.py_locals, nested) = env, locals_and_nested(fnode)
    lw.enclosing_writes = frozenset().union(*map(closures.enclosing_writes, nested))
    lw.ns, lw.filename, lw.lines = namespace_of(fn), src.filename, src.lines
    lw.inline_depth += 1
    lw.inlined = (fn if tree is None else None, lw.inline_depth, lw.ns)  # (lower/objsuper.py)
    try:
        if isinstance(fnode, gast.Lambda):  # `lam = lambda *a: ...`: an expression body
            lw.env[RETVAL] = lw.value(fnode.body)
        else:
            lw.stmts(fnode.body, set())
        for name in final or ():
            final[name] = lw.env.get(name)
        result = lw.env[RETVAL]  # an object built here stays one (`return cls(...)`, `self`)
        made = wrap(result) if wrap is not None else None  # `return layer`: lower/factories.py
        if made is not None:
            result = made
        elif not (isinstance(result, LocalObj) or object_list(result)):
            result = lw.operand(result, node)
        saved[0].update(objstate.shared(lw.env))  # the fields the call wrote
    finally:
        lw.inline_depth -= 1
        (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines, lw.enclosing_writes, lw.keep_refs,
         lw.inlined) = saved  # fmt: skip
    for op in lw.b.block.ops[start:]:
        locate(op, loc)
    lw.b.loc = loc
    return result


def foreign(lw: Any, name: str) -> Const | None:
    """The value of `name` in the namespace of the helper being inlined (``lw.ns``) when the
    lowered function's (``lw.home_ns``) binds it otherwise, else None: the generated code's
    names are the lowered function's, so it holds the value (the read recorded for the cache:
    a global rebound builds again; cells: backend/depstate.py)."""
    kind, obj = lw.ns.lookup(name)
    k, o = lw.home_ns.lookup(name)
    if k == kind and o is obj:
        return None
    if kind == "global":
        note_read(lw.ns.globals, ItemRead(name), obj)
    return Const(obj)


def locate(op: Op, loc: Any) -> None:
    op.loc = loc
    for b in op.blocks:
        for sub in b.ops:
            locate(sub, loc)


def _fn_or_obj(lw: Any, v: Any) -> bool:
    """`v` may be an item of a `FnSeq` (a function, or an object built here: lower/objseq)."""
    return objseq.function_like(lw, v) or objseq.object_like(lw, v)
