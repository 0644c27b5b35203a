"""Objects of user classes whose ``__init__`` computes its fields (``self.w2 = w * 2.0``), built
in the lowered code: kept as their fields (`LocalObj`), so attribute reads are the fields'
values and method calls (``obj(v)``, ``obj.f(v)``, properties) are the methods' bodies inlined
with ``self`` bound to the object.

Input: the class (known at transform time) and the call node building it, with the lowering
state `lw`. Output: a `LocalObj`, or None when the class is not of this kind (its ``__init__``
is not straight-line ``self.a = <expr>`` / ``name = <expr>`` statements, or the class changes
attribute access): then the call is lowered as before (classes whose ``__init__`` only stores
its arguments are records, srcad.trees; others are refused by the transforms).

The ``__init__`` body may also call ``super().__init__``, loop and branch (lower/objinit.py);
record classes that overload arithmetic operators are built here too, so the operators' methods
are inlined (lower/objops.py).

Only classes whose ``__init__``'s operations are pure (and lower here) are built this way: where
the object is used as a run-time value (returned, passed to a function, stored, joined at an
`if` or a loop carry), it is the class called again with the same arguments, as before this
module existed (the transforms refuse to differentiate through it unless it is a record).
Record classes whose attributes are written are built here too (lower/objrecord.py); the
writes themselves are lower/objstate.py's.
"""

from __future__ import annotations

import copy
import functools
import inspect
import types
from collections.abc import Callable
from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.frontend.source import get_source, namespace_of
from srcad.lower import (
    argwrites,
    escapes,
    factories,
    fieldlinks,
    fnargs,
    numvars,
    objfns,
    objinit,
    objitems,
    objops,
    objrecord,
    objseq,
    objstate,
    objsuper,
    postinit,
    recordkinds,
    starcalls,
    unfollowed,
    varargs,
)
from srcad.lower.fnvalues import FnSeq
from srcad.lower.mappedseq import MappedSeq
from srcad.lower.objinit import built_here, init_of, made_by, plain
from srcad.lower.objsuper import LocalSuper
from srcad.lower.reads import module_top
from srcad.lower.values import (
    LIBRARY_MODULES,
    LocalMethod,
    LocalObj,
    NestedFn,
    PrimRef,
    note_attr,
    note_read,
    python_locals,
)
from srcad.ssa.core import Const, Operand, Var
from srcad.trees import record_fields

# `srcad.passes.dce.has_effects`, set by srcad.passes.prepare (the lowering cannot import the
# primitive records, which import it); unset, no object is built here
EFFECTS: Callable[[Any], bool] | None = None
_CONSTANTS = (bool, int, float, complex, str, type(None))
_REQUIRE = "srcad.runtime.require"  # a check (lower/starcomp.py's): no harm when run twice
# (and an ``__init__``'s validation, ``if len(p) > n: raise ValueError(...)``, ``assert``: run
# twice on the same operands, it raises or not alike; was "cannot differentiate through `S(...)`")
_CHECKS = frozenset({_REQUIRE, "srcad.runtime.unpack_check", "srcad.runtime.raise_",
                     "srcad.runtime.assert_"})  # fmt: skip
OBJECTS = (LocalObj, LocalSuper)  # what `o.name` reads at transform time


def construct(lw: Any, cls: type, callee: Operand, node: gast.Call) -> Operand | None:
    """``cls(args)`` at `node` (`callee`: the class read) as a `LocalObj` (see the module
    docstring), or None."""
    if cls is types.SimpleNamespace:  # a state bag (lower/objrecord.py)
        return objrecord.namespace(lw, callee, node)
    build = lambda new: construct(lw, cls, callee, new)  # noqa: E731
    if (out := starcalls.class_call(lw, cls, callee, node, build)) is not None:
        return out  # `Vec(*(a + b for a, b in zip(p, q)))`: its items named
    fields = record_fields(cls)
    if (
        fields is not None
        and not objstate.writes_fields(lw, cls, fields)
        and not built_here(cls)
        and not any(_layers(a) for a in node.args)  # `Seq([Dense(W) for W in Ws])`
    ):
        # records keep their own path, unless their fields are written here
        return objrecord.build(lw, cls, callee, node)  # (or their methods store attributes)
    found = init_of(cls)
    if found is None:
        return objrecord.build(lw, cls, callee, node)  # (dataclasses, classes with no __init__)
    init, body = found
    obj = LocalObj(cls, {})
    ops, loc, augmented = lw.b.block.ops, lw.b.loc, len(lw.augmented)
    start, outer = len(ops), dict(lw.env)  # (objects the arguments build add their fields)
    bound = _bind(lw, init, (obj,), node)
    if bound is None:
        del ops[start:]  # (the arguments lowered)
        lw.env.clear()
        lw.env.update(outer)
        return None
    env, args, kwargs = bound
    env.update(objstate.shared(lw.env))  # other objects' fields, as they are now
    lw.at(node)
    loc = lw.b.loc
    src = get_source(init)
    me = src.node.args.args[0].id
    saved = (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines)
    lw.env, lw.py_locals = env, python_locals(src.node)
    lw.ns, lw.filename, lw.lines = namespace_of(init), src.filename, src.lines
    try:
        tree = copy.copy(src.node)  # (the statements lowered: `init_of`'s, maybe rewritten)
        tree.body = body
        check = functools.partial(_storable, lw, tree)
        objinit.lower_body(lw, obj, body, me, objinit.owner_of(cls), check)
        objinit.settle(lw, obj)
        if EFFECTS is None:
            raise _NotHere  # (the effects unknown: lower/prepare sets them)
        once = any(_effect(lw, op) for op in ops[start:])
        if once and not (getattr(lw, "attr_stores", frozenset()) & set(obj.fields)):
            raise _NotHere  # cannot be built twice (as a run-time value: `as_value`)
    except (_NotHere, objinit.NotHere, SrcadError):  # the class called when the code runs
        del ops[start:], lw.augmented[augmented:]
        saved[0].clear()
        saved[0].update(outer)
        return None
    finally:
        lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines = saved
        lw.b.loc = loc
    for op in ops[start:]:  # errors point at the call
        varargs.locate(op, loc)
    note_attr(cls, "__init__", getattr(init, "__srcad_init__", init))  # (lower/postinit.py)
    # (effects in __init__, ``self.W = rng.normal(...)``, kept where the function overwrites
    # the fields they set, ``m.W = W``: built once, here, and never rebuilt: `as_value` refuses)
    obj.make = None if once else (callee, args, kwargs, loc)
    objstate.mutable_fields(lw, obj)
    return obj


def _layers(a: Any) -> bool:
    """A list comprehension of calls (of a user class, perhaps: lower/mappedseq.py keeps it
    as the objects a loop builds, if the object holding it is built here)."""
    return isinstance(a, gast.ListComp) and isinstance(a.elt, gast.Call)


def _storable(lw: Any, init: Any, value: Any, at: Any = None) -> Any:
    """A field's value (`value` itself, or a nested function the ``__init__`` `init` defines,
    kept: lower/objfns.py, when the names it reads are fixed there; `at`: the store): not a
    nested function otherwise (it would read the caller's names)."""
    if at is not None and isinstance(value, NestedFn) and not isinstance(value, objfns.Kept):
        value = objfns.keep(lw, value, at, init) or value
    if (isinstance(value, NestedFn) and not isinstance(value, objfns.Kept)) or (
        isinstance(value, FnSeq) and any(isinstance(v, NestedFn) for v in value.items)
    ):
        raise _NotHere
    return value


def _effect(lw: Any, op: Any, top: bool = True) -> bool:
    """`op` of an ``__init__`` built here has an effect building it again would repeat: not a
    call of a record class, nor a check (``require``; ``unpack_check`` of ``for _, _, r in
    rows`` in a comprehension, whose loop `EFFECTS` counted as having one)."""
    if op.prim in ("if", "for", "while"):
        return any(_effect(lw, o, False) for b in op.blocks for o in b.ops)
    if op.prim in _CHECKS or not EFFECTS(op):
        return False
    return not (top and _record_call(lw, op))


def _record_call(lw: Any, op: Any) -> bool:
    """A call of a record class (its ``__init__`` only stores its arguments: built again alike)."""
    if op.prim != "call":
        return False
    known, cls = lw.static_object(op.args[0])
    return known and objseq.user_class(cls) and record_fields(cls) is not None


class _NotHere(Exception):
    """The object is not built here (see `construct`)."""


def _bind(lw: Any, fn: Any, front: tuple, node: gast.Call) -> tuple[dict, list, dict] | None:
    # objects built here (and lists of them: a model's layers) stay objects in the fields
    # (a library function, ``act=np.tanh``, stays one: ``self.act(z)`` calls its primitive)
    keep = (PrimRef, MappedSeq, NestedFn)  # (a nested function: kept when it reads fixed names)
    args, kwargs = objinit.arguments(lw, node, keep) or lw.call_args(node)
    try:
        bound = inspect.signature(fn).bind(*front, *args, **kwargs)
    except TypeError as e:
        raise lw.error(node, f"bad call of `{fn.__qualname__}`: {e}") from None
    given = set(bound.arguments)
    bound.apply_defaults()
    made = {n: f for n, f in postinit.factory_params(fn).items() if n not in given}
    params = inspect.signature(fn).parameters
    star = {n for n, p in params.items() if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    if any(
        not recordkinds.immutable_default(v)
        for n, v in bound.arguments.items()
        if n not in given and n not in made and n not in star  # (`**kw` unset: a new {})
    ):
        return None  # a shared default object (`hist=[]`): the class called when it runs
    ok = (Var, Const, LocalObj, FnSeq, PrimRef, MappedSeq)
    for n, v in bound.arguments.items():
        if isinstance(v, NestedFn):  # `Integrator(lambda t, y: -k * y, y0)`: lower/objfns.py
            bound.arguments[n] = objfns.keep(lw, v, node)
            if bound.arguments[n] is None:
                return None
    ok += (objfns.Kept,)
    env = {
        n: v if isinstance(v, ok) else (varargs.as_ref(v) or Const(v))
        for n, v in bound.arguments.items()
    }
    for n, f in made.items():  # `field(default_factory=list)`: a new empty one (lower/postinit.py)
        env[n] = lw.op(postinit.FACTORIES[f], [], hint=n)
    for p in inspect.signature(fn).parameters.values():  # `Seq(*layers)`: a tuple of them
        v = bound.arguments[p.name]
        if p.kind is p.VAR_KEYWORD:  # `**kw`: a dict known here, only passed on (`C(**kw)`)
            if not all(isinstance(i, (Var, Const, LocalObj)) for i in v.values()):
                return None  # (the class called when it runs)
            env[p.name] = FnSeq(tuple(v.values()), "dict", node, objseq.depth(lw), keys=tuple(v))
        if p.kind is p.VAR_POSITIONAL:
            if not v or any(objseq.object_like(lw, i) for i in v):  # (empty: a loop over none)
                env[p.name] = FnSeq(tuple(v), "tuple", node, objseq.depth(lw))
            else:
                env[p.name] = lw.op("tuple", [lw.operand(i, node) for i in v])
    return env, args, kwargs


def attr(lw: Any, obj: LocalObj | LocalSuper, name: str, node: Any) -> Any:
    """``obj.name``: a field, a method (bound), a property's value, a class constant; of
    ``super()`` (lower/objsuper.py), the one the next class in the MRO defines."""
    if isinstance(obj, LocalSuper):
        owner, value = objsuper.lookup(lw, obj, name, node)
        return _class_attr(lw, obj.obj, owner, name, value, node, True)
    if obj.escaped is not None and (name in obj.mutable or name in obj.fields):
        escapes.check_read(lw, obj, name, node)  # code srcad does not follow may write it
    if name in obj.mutable:  # written after __init__: its current value (lower/objstate.py)
        return objstate.read(lw, obj, name, node)
    if name in obj.fields:
        if isinstance(obj.fields[name], unfollowed.Unfollowed):  # (lower/unfollowed.py)
            raise unfollowed.refuse(lw, obj.fields[name], node)
        return obj.fields[name]
    return _class_attr(lw, obj, obj.cls, name, inspect.getattr_static(obj.cls, name, None), node)


def _class_attr(
    lw: Any, obj: LocalObj, owner: type, name: str, value: Any, node: Any, sup: bool = False
) -> Any:
    """`value`, the attribute `name` of the class `owner` (`obj`'s class or, `sup`, the one
    ``super()`` found), read on `obj`."""
    if plain(value):
        note_attr(owner, name, value)
        return LocalMethod(obj, value)
    if isinstance(value, property) and plain(value.fget):
        note_read(owner, name, value)  # the property, as the cache reads it again
        call = gast.copy_location(gast.Call(func=node, args=[], keywords=[]), node)
        return call_method(lw, LocalMethod(obj, value.fget), call)
    if isinstance(value, functools.cached_property) and plain(value.func) and not sup:
        return _cached_property(lw, obj, owner, name, value, node)
    if isinstance(value, (staticmethod, classmethod)) and plain(value.__func__):
        note_attr(owner, name, getattr(owner, name))  # as the cache reads it again
        return LocalMethod(obj, value.__func__, "static" if type(value) is staticmethod else "cls")
    if isinstance(value, _CONSTANTS) and value is not None:  # read from the class when it runs
        return lw.op(f"attr.{name}", [Const(owner)])
    if sup:
        raise lw.error(node, f"`super().{name}` (a {type(value).__name__}) is not supported")
    # anything else (decorated methods, lambdas): of the object built again
    note_attr(obj.cls, name, getattr(obj.cls, name, None))
    return lw.op(f"attr.{name}", [as_value(lw, obj, node)])


def _cached_property(lw: Any, obj: LocalObj, owner: type, name: str, value: Any, node: Any) -> Any:
    """``obj.name``, a ``functools.cached_property`` of an object built here: its getter called
    when nothing in the function may write the object's fields (every call computes the value
    Python caches at the first); else refused (Python keeps the first value, computed from the
    fields as they were then)."""
    if objstate.written_fields(lw, obj.cls) or obj.mutable:
        raise lw.error(
            node,
            f"`.{name}` is a functools.cached_property of {obj.cls.__name__}, an object whose "
            "fields the function writes: Python keeps the value it computed first",
            "use @property, or compute the value from the fields where it is needed",
        )
    note_read(owner, name, value)  # the cached_property, as the cache reads it again
    call = gast.copy_location(gast.Call(func=node, args=[], keywords=[]), node)
    return call_method(lw, LocalMethod(obj, value.func), call)


def set_attr(lw: Any, target: gast.Attribute, value: Any, node: Any) -> None:
    """``obj.name = value``: a property's setter inlined (``self`` the object built here, as its
    getter is read: `_class_attr`), else a field written (lower/objstate.py)."""
    obj = lw.env.get(target.value.id) if isinstance(target.value, gast.Name) else None
    prop = inspect.getattr_static(obj.cls, target.attr, None) if isinstance(obj, LocalObj) else None
    if not (isinstance(prop, property) and plain(prop.fset)):
        return objstate.assign(lw, target, value, node)
    note_read(obj.cls, target.attr, prop)  # (the property, as the cache reads it again)
    call = gast.copy_location(gast.Call(func=target, args=[], keywords=[]), target)
    varargs.inline_call(lw, prop.fset, call, 20, front=(obj,), given=([value], {}))
    return None


def aug_property(lw: Any, s: gast.AugAssign, prim: str) -> bool:
    """``obj.name op= v`` of a property with a setter: its getter read, ``op`` applied (marked as
    updating the old value, as ``x += v`` is) and its setter inlined, as Python runs it; False
    for other targets (nothing lowered)."""
    t = s.target
    obj = lw.env.get(t.value.id) if isinstance(t.value, gast.Name) else None
    prop = inspect.getattr_static(obj.cls, t.attr, None) if isinstance(obj, LocalObj) else None
    if not (isinstance(prop, property) and plain(prop.fset) and plain(prop.fget)):
        return False
    load = gast.copy_location(gast.Attribute(value=t.value, attr=t.attr, ctx=gast.Load()), t)
    old = lw.value(load)
    rhs = lw.value(s.value)
    lw.at(s)
    new = lw.op(prim, [old, rhs], hint=t.attr)
    lw.augmented.append(lw.b.block.ops[-1])
    set_attr(lw, t, new, s)
    return True


def factory_call(lw: Any, cls: Any, node: gast.Call) -> Any:
    """``C.make(args)`` of a class method of a user class whose body calls its class
    (``return cls(a, 2.0 * a)``): its body inlined with ``cls`` the class, so the object it
    builds is built here (a `LocalObj` when `C`'s ``__init__`` computes fields); None for other
    calls (nothing lowered)."""
    if not (isinstance(cls, type) and objseq.user_class(cls)):
        return None
    fn = inspect.getattr_static(cls, node.func.attr, None)
    if not isinstance(fn, classmethod) or not plain(fn.__func__):
        return None
    try:
        src = get_source(fn.__func__)
    except Exception:  # noqa: BLE001 - no source: called as before
        return None
    me = src.node.args.args[0].id if src.node.args.args else None
    if me is None or not any(
        isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == me
        for n in gast.walk(src.node)
    ):
        return None
    note_attr(cls, node.func.attr, getattr(cls, node.func.attr))  # as the cache reads it again
    return varargs.inline_call(lw, fn.__func__, node, 20, front=(Const(cls),))


def factory_function(lw: Any, fn: Any, node: gast.Call) -> Any:
    """``make(args)`` of a module-level user function every ``return`` of which calls a user
    class (``return Particle(p, 2.0 * p)``) that is built here (its ``__init__`` computes fields)
    or whose fields the caller writes: the body inlined where it is called, so the object it
    returns is built here; None for other calls (nothing lowered)."""
    if not plain(fn) or fn.__code__.co_flags & 0x0C or lw.inline_depth >= 8:
        return None
    if module_top(fn) in LIBRARY_MODULES or "<locals>" in fn.__qualname__:
        return None
    try:
        src = get_source(fn)
    except Exception:  # noqa: BLE001 - no source: called as before
        return None
    returns = [n for n in gast.walk(src.node) if isinstance(n, gast.Return)]
    if not returns or any(
        isinstance(n, (gast.FunctionDef, gast.Lambda))
        for n in gast.walk(src.node)
        if n is not src.node
    ):
        return None
    for r in returns:
        f = r.value.func if isinstance(r.value, gast.Call) else None
        cls = fn.__globals__.get(f.id) if isinstance(f, gast.Name) else None
        if not objseq.user_class(cls):
            return None
        fields = record_fields(cls)
        if fields is not None and not objstate.writes_fields(lw, cls, fields):
            return None  # a record nobody writes: called as before
        if fields is None and init_of(cls) is None:
            return None
    return varargs.inline_call(lw, fn, node, 20)


def call_method(lw: Any, m: LocalMethod, node: gast.Call) -> Operand:
    """``obj.f(args)``: `f`'s body inlined with ``self`` the object (a static method: nothing
    first; a class method: the class)."""
    front = {"self": (m.obj,), "static": (), "cls": (Const(m.obj.cls),)}[m.bound]
    given = objfns.method_arguments(lw, node)  # other objects built here stay objects
    wrap = None
    if factories.returns_function(m.fn):  # `return lambda v: self.a * v`: lower/factories.py
        wrap = lambda g: fnargs.returned(lw, g, node)  # noqa: E731
    # `a.add_to(out, v)` appending to `out`: the caller's `out` is what the body left in it
    back = argwrites.writes_back(lw, m.fn, node, len(front))
    final, links, env = dict.fromkeys(back), fieldlinks.before(lw), lw.env
    old = dict(env) if links else env
    out = varargs.inline_call(lw, m.fn, node, 20, front, given, final=final, wrap=wrap)
    argwrites.write_back(lw, back, final)
    fieldlinks.relink(lw, links, old)  # `self.params[k] = v` of the caller's `params`
    return out


def call(lw: Any, f: LocalObj | LocalMethod, node: gast.Call) -> Operand:
    """``obj(args)`` (its class's ``__call__``) or ``obj.f(args)``."""
    if isinstance(f, LocalMethod):
        return call_method(lw, f, node)
    obj = f
    fn = inspect.getattr_static(obj.cls, "__call__", None)
    if not plain(fn):  # of the object built again
        args, kwargs = lw.call_args(node)
        return lw.op("call", [as_value(lw, obj, node), *args], kwargs)
    note_attr(obj.cls, "__call__", fn)
    return call_method(lw, LocalMethod(obj, fn), node)


def local_call(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """A call involving an object built here: ``obj(args)``, ``obj.f(args)`` (`call`),
    ``type(obj)`` (its class, a constant), ``isinstance(obj, C)`` of a class known now (a
    constant; also of a record a user class's call made), ``sum(objs)`` (lower/objops.py); None
    for other calls."""
    if isinstance(f, (LocalObj, LocalMethod)):
        return call(lw, f, node)
    if isinstance(f, PrimRef) and f.obj is isinstance and len(node.args) == 2:
        return _isinstance(lw, node)
    if isinstance(f, PrimRef) and f.obj is sum:  # of a list of objects built here
        return objops.sum_of(lw, node)
    if isinstance(f, PrimRef) and f.obj is super:  # (lower/objsuper.py)
        return objsuper.call(lw, f, node)
    if isinstance(f, PrimRef) and f.obj is type and len(node.args) == 1 and not node.keywords:
        a = node.args[0]
        v = lw.env.get(a.id) if isinstance(a, gast.Name) else None
        if isinstance(v, LocalObj):
            return Const(v.cls)
    return objitems.object_dunder(lw, f, node)  # `len(obj)`: its class's __len__


def _isinstance(lw: Any, node: gast.Call) -> Const | None:
    a, c = node.args
    v = lw.env.get(a.id) if isinstance(a, gast.Name) else None
    cls = v.cls if isinstance(v, LocalObj) else made_by(lw, v)
    if isinstance(v, Const) and isinstance(v.value, (bool, int, float, str, type(None))):
        cls = type(v.value)  # a constant
    if (cls is None and not numvars.is_number(lw, v)) or not isinstance(
        c, (gast.Name, gast.Attribute, gast.Tuple)
    ):
        return None
    if isinstance(c, gast.Tuple) and not all(
        isinstance(e, (gast.Name, gast.Attribute)) for e in c.elts
    ):
        return None
    found = [lw.static_object(lw.expr(e)) for e in (c.elts if isinstance(c, gast.Tuple) else [c])]
    classes = tuple(k for known, k in found if known and isinstance(k, type))
    if len(classes) != len(found):  # (names of classes: reads without effects)
        return None
    if cls is None:  # `2.0 ** -1` is no `Value` (lower/numvars.py)
        return Const(False) if numvars.never_instance(lw, v, classes) else None
    return Const(issubclass(cls, classes))


def as_value(lw: Any, v: LocalObj | LocalMethod, node: Any) -> Operand:
    """A `LocalObj` (or a method of one) used where a run-time value is needed (returned,
    passed to a function, joined with another value): the object built by calling its class
    again with the same arguments (its ``__init__``'s operations are pure: the fields are the
    same values), which the transforms treat as before this module existed."""
    obj = v.obj if isinstance(v, LocalMethod) else v
    now = objrecord.current_args(lw, obj, node) if obj.written is not None else None
    objstate.check_escape(lw, obj, node, rebuilt=now is not None)
    if obj.make is None:
        name = obj.cls.__name__
        raise lw.error(
            node,
            f"this uses a `{name}` object as a value (returned, passed to a function srcad "
            f"does not inline, stored or joined); its `__init__` has effects (random draws, "
            "writes to other objects) that srcad would repeat by building it again",
            "pass the fields themselves (`obj.W`), not the object",
        )
    callee, args, kwargs, loc = obj.make
    if now is not None:  # a record whose fields were written: built from them as they are now
        args, kwargs = [], now
    if any(not isinstance(a, (Var, Const)) for a in [*args, *kwargs.values()]):
        # objects it holds (lower/objrecord.py); a lambda it holds: refused (not a value)
        args = [lw.operand(a, node) for a in args]
        kwargs = {k: lw.operand(a, node) for k, a in kwargs.items()}
    here, lw.b.loc = lw.b.loc, loc  # located at the call that built it
    out = lw.op("call", [callee, *args], kwargs)
    if isinstance(v, LocalMethod):
        out = lw.op(f"attr.{v.fn.__name__}", [out])
    lw.b.loc = here
    return out
