"""The body of an ``__init__`` that computes its fields, lowered for an object built here
(lower/objects.py): straight-line ``self.a = <expr>`` / ``name = <expr>`` statements, and also
``super().__init__(...)`` (the next ``__init__`` in the object's class's MRO, lowered the same
way with ``self`` the same object), ``self.a += v``, and ``for`` / ``if`` statements (``for i in
range(self.N): self.s = self.s + c[i]``) that write fields set before them.

Input: the lowering state `lw` (its environment and namespace already the ``__init__``'s), the
object, the statements. Output: the object's fields (`LocalObj.fields`), or SrcadError / `NotHere`
(then the class is called when the code runs, as before).

A field such a statement writes lives in the environment while the body is lowered (as
lower/objstate.py keeps fields methods write), so loops carry it and ``if``s join it; when the
body ends its last value is the field. A field first set inside such a statement is not built
here (Python's object may lack it after a loop that ran no round), but in a ``for`` loop over a
range of int literals of at least one round whose body holds no ``if``, ``while``, ``break``,
``continue`` or ``return`` (`rounds`): the loop carries it from None, and its first round sets it.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import (
    argwrites,
    initappends,
    inithelpers,
    mappedseq,
    objstate,
    postinit,
    recordkinds,
    scope,
    setattrs,
    starcomp,
    unfollowed,
    usermethods,
)
from srcad.lower.attrloops import unrolled
from srcad.lower.escapes import self_calls, self_stores
from srcad.lower.objargs import arguments
from srcad.lower.objseq import FnSeq, plain_type, user_class
from srcad.lower.objsuper import zero_arg_init
from srcad.lower.paramcalls import calls_params
from srcad.lower.partials import Partial
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, LocalObj, python_locals
from srcad.ssa.core import Const, Var
from srcad.trees import record_fields, slots

_COMPOUND = (gast.For, gast.If, gast.AugAssign)


_CUSTOM_ACCESS = ("__setattr__", "__getattr__", "__getattribute__", "__new__")
_OPERATORS = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul")
OPERATOR_METHODS = frozenset(
    [f"__{n}__" for n in _OPERATORS] + [f"__r{n}__" for n in _OPERATORS] + ["__neg__", "__pos__"]
)


def init_of(cls: type) -> tuple[Any, list] | None:
    """The ``__init__`` function of `cls` and its statements when they are of the kinds the
    module docstring lists, else None."""
    if not plain_type(cls) or module_top(cls) in LIBRARY_MODULES:
        return None
    if any(n in k.__dict__ for k in cls.__mro__[:-1] for n in _CUSTOM_ACCESS):
        return None
    init = inspect.getattr_static(cls, "__init__", None)
    if "__post_init__" in cls.__dict__:  # a dataclass's: its stores, then __post_init__'s body
        init = postinit.stand_in(cls)
    elif "__dataclass_fields__" in cls.__dict__ and calls_field(cls):  # ``self.a.eval(env)``
        init = postinit.stand_in(cls, bare=True)
    found = parts(init, star=True)
    if found is not None:  # `self.layers = []; for W, b in params: self.layers.append(...)`
        body = mappedseq.fold_appends(found[1], found[0].node, namespace_of(init))
        names = {n.id for n in gast.walk(found[0].node.args) if isinstance(n, gast.Name)}
        body = starcomp.rewrite_body(body, namespace_of(init), names)  # `[Affine(*p) for p ..]`
        owner = owner_of(cls)
        up = parts(parent_init(cls, owner)) if owner is not None else None  # `super().__init__()`'s
        made = initappends.dict_fields(up[1], up[2]) if up is not None else frozenset()
        body = initappends.fold(body, found[2], made)  # `self.hist = []; self.hist.append(x0)`
        found = (found[0], body, found[2])
    owner = owner_of(cls)
    if found is None or owner is None or not check(found[1], found[2], cls, owner):
        return None
    room = slots(cls)  # (a store outside the slots: Python raises AttributeError)
    if room is not None and (
        any(initappends.super_init_call(b) for b in found[1])
        or not {n for b in found[1] for n in fields_set(b, found[2])} <= room
    ):
        return None
    return init, found[1]


def overloads(cls: type) -> bool:
    """Does `cls` define an arithmetic operator (then even a record class is built here, so
    Python's choice of method is known when lowering: lower/objops.py)?"""
    return any(n in vars(k) for k in cls.__mro__[:-1] for n in OPERATOR_METHODS)


def built_here(cls: type) -> bool:
    """Is even a record of `cls` built here: it overloads operators, or a method calls one of
    its fields (``self.act(z)``, ``act=np.tanh`` stored by ``__init__``: the function called is
    known only from the object built here, not from a record the code passes around)?"""
    # `o.update(g)`; `a.add_to(out, v)` appending to `out` (lower/argwrites.py)
    return (
        overloads(cls)
        or calls_field(cls)
        or usermethods.shadows(cls)
        or argwrites.method_updates(cls)
        or calls_params(cls)  # ``opt.step(lambda w: .., w)``: lower/paramcalls.py
    )


def calls_field(cls: type) -> bool:
    """Does a method of `cls` (or a base's) call ``self.<name>(...)`` with `name` a field
    ``__init__`` stores, not a method?"""
    return not self_calls(cls).isdisjoint(record_fields(cls) or ())


def buildable(cls: type) -> bool:
    """May ``cls(...)`` give an object built here (its ``__init__`` computes fields, or it
    overloads operators)? (A record whose fields are written here is one too.)"""
    if not user_class(cls):
        return False
    if init_of(cls) is not None and (record_fields(cls) is None or built_here(cls)):
        return True
    k = recordkinds.kind(cls)  # lower/objrecord.py: a record it writes, a class of methods only
    return k is not None and (bool(self_stores(cls)) or k == "bare")


def plain(fn: Any) -> bool:
    """A plain function defined in the class body (inlined with ``self`` bound); its closure
    cells, if any, hold classes (a class defined in a function: lower/localclass.py)."""
    return (
        isinstance(fn, types.FunctionType)
        and fn.__name__ != "<lambda>"  # (inlined as a body of statements)
        and not any(not isinstance(_cell(c), type) for c in fn.__closure__ or ())
        and not hasattr(fn, "__wrapped__")
        and not fn.__code__.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE)
    )


def _cell(c: Any) -> Any:
    try:
        return c.cell_contents
    except ValueError:  # empty
        return None


class NotHere(Exception):
    """The object is not built here (see lower/objects.construct)."""


def owner_of(cls: type) -> type | None:
    """The class in `cls`'s MRO whose ``__init__`` runs."""
    return next((k for k in cls.__mro__ if "__init__" in vars(k)), None)


def parent_init(cls: type, owner: type) -> Any:
    """The ``__init__`` ``super().__init__`` calls in `owner`'s for an object of `cls`."""
    mro = cls.__mro__
    for k in mro[mro.index(owner) + 1 :]:
        if "__init__" in vars(k):
            return vars(k)["__init__"]
    return object.__init__


def fields_set(s: Any, me: str) -> set[str]:
    """Attributes of `me` that `s` stores to (``self.a = v``, ``self.a += v``, nested)."""
    out = set()
    for n in gast.walk(s):
        if isinstance(n, gast.Attribute) and not isinstance(n.ctx, gast.Load):
            if isinstance(n.value, gast.Name) and n.value.id == me:
                out.add(n.attr)
    return out


def check(body: list, me: str, cls: type, owner: type, depth: int = 0) -> bool:
    """Are `body`'s statements of the kinds the module docstring lists? (the fields a compound
    statement writes set before it; a ``super().__init__`` reaching an ``__init__`` of the same
    kind, or ``object``'s.)"""
    if depth > 8:
        return False
    seen: set[str] = set()
    for s in body:
        if isinstance(s, gast.Pass) or _checked(s):
            continue
        if initappends.super_init_call(s):
            parent = parent_init(cls, owner)
            if parent is object.__init__:
                continue
            found = parts(parent)
            if found is None:
                return False
            p_owner = next(k for k in cls.__mro__ if vars(k).get("__init__") is parent)
            if not check(found[1], found[2], cls, p_owner, depth + 1):
                return False
            seen |= {n for b in found[1] for n in fields_set(b, found[2])}
            continue
        got = inithelpers.helper_fields(s, me, _init_ns(owner))
        if got is not None:  # `init_weights(self, x)`: sets these (lower/inithelpers.py)
            seen |= got
            continue
        if isinstance(s, _COMPOUND):
            if isinstance(s, gast.For) and rounds(s) >= 1:
                seen |= fields_set(s, me)  # set by the loop's first round
            if not fields_set(s, me) <= seen or any(
                isinstance(n, (gast.Return, gast.FunctionDef, gast.Lambda, gast.ClassDef))
                for n in gast.walk(s)
            ):
                return False
            continue
        grown = appended(s, me)  # ``self.layers.append(Dense(w))`` (lower/objappend.py)
        if grown:
            if not grown <= seen:
                return False
            continue
        if not isinstance(s, gast.Assign):
            return False
        for t, _ in pairs(s)[0]:  # ``self.x = x = v``, ``self.a, self.b = a, b``
            field = _field_of(t, me)
            if not (field or (isinstance(t, gast.Name) and t.id != me)):
                return False
            if field:
                seen.add(t.attr)
    return True


def _init_ns(owner: type) -> Any:
    init = vars(owner).get("__init__")
    return namespace_of(init) if isinstance(init, types.FunctionType) else None


def _checked(s: Any) -> bool:
    """A check: the program's ``assert`` (a validation, ``assert len(pts) == n``: sets no
    field) or one lower/starcomp.py puts before a statement (a SrcadError when false)."""
    return isinstance(s, gast.Assert)


def _field_of(t: Any, me: str) -> bool:
    return isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == me


def pairs(s: gast.Assign) -> tuple[list[tuple[Any, int]], list[Any]]:
    """(each target with the index of its value, the value nodes) of an assignment: ``t = v`` and
    ``self.x = x = v`` (every target the one value), ``self.a, self.b = a, b`` (tuples or lists of
    one length, nothing starred): Python evaluates the values, then stores left to right."""
    t, v = s.targets[0], s.value
    seqs = (gast.Tuple, gast.List)
    if (
        len(s.targets) == 1
        and isinstance(t, seqs)
        and isinstance(v, seqs)
        and len(t.elts) == len(v.elts)
        and not any(isinstance(e, gast.Starred) for e in t.elts + v.elts)
    ):
        return [(e, k) for k, e in enumerate(t.elts)], list(v.elts)
    return [(e, 0) for e in s.targets], [v]


def parts(init: Any, star: bool = False) -> tuple[Any, list, str] | None:
    """(``__init__``'s parsed source, its statements without the docstring, the name of its
    first parameter) when it is a plain function with source (with `star`, ``*args`` and
    ``**kw`` too: the class's own, bound by lower/objects._bind), else None."""
    flags = 0 if star else 0x0C  # **kw, *args
    if not isinstance(init, types.FunctionType) or init.__code__.co_flags & flags:
        return None
    try:
        src = get_source(init)
    except Exception:  # noqa: BLE001 - no source: not ours to build
        return None
    if not isinstance(src.node, gast.FunctionDef):  # a lambda: ``type("C", (), {"__init__":
        return None  # lambda self, a: setattr(self, "a", a)})`` (was a TypeError on its body)
    a = src.node.args
    if not a.args or a.posonlyargs or a.kwonlyargs:
        return None
    body = list(src.node.body)
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]  # the docstring
    me, ns = a.args[0].id, namespace_of(init)  # `super(C, self).__init__()`: `super()`'s
    return src, [zero_arg_init(s, init, me, ns) for s in _flat(body, ns)], me


def _flat(body: list, ns: Any) -> list:
    """`body` with its loops ``for k in ("a", "b"): setattr(self, k, v)`` unrolled
    (lower/attrloops.py) and the ``setattr(self, "a", v)`` statements they make written
    ``self.a = v`` (lower/setattrs.py), so the fields are seen as stored in straight-line code."""
    out: list = []
    for s in body:
        flat = unrolled(s, ns) if isinstance(s, gast.For) else None
        for t in [s] if flat is None else flat:  # (and `setattr(self, "a", v)` written alone)
            out.append(new if (new := setattrs.statement(t, ns)) is not None else t)
    return out


def appended(s: Any, me: str) -> set[str]:
    """The fields ``me.<field>.append(...)`` statements in `s` append to (in loops too)."""
    out = set()
    for n in gast.walk(s):
        if isinstance(n, gast.Expr) and isinstance(n.value, gast.Call):
            f = n.value.func
            if isinstance(f, gast.Attribute) and f.attr == "append" and _field_of(f.value, me):
                out.add(f.value.attr)
    return out


def lower_body(lw: Any, obj: LocalObj, body: list, me: str, owner: type, value_check: Any) -> None:
    """Lower `body` (checked by `check`) for `obj`; `value_check(value[, store])` raises
    `NotHere` for a value a field cannot hold here, else gives the value to store. A field
    appended to must end a list of objects or functions known here (lower/objappend.py), else
    `NotHere`."""
    saved, lw.initializing = getattr(lw, "initializing", None), obj
    try:
        _lower_body(lw, obj, body, me, owner, value_check)
    finally:
        lw.initializing = saved


def _lower_body(lw: Any, obj: LocalObj, body: list, me: str, owner: type, value_check: Any) -> None:
    for k, s in enumerate(body):
        flat = unrolled(s, lw.ns, lw._known_int) if isinstance(s, gast.For) else None
        if flat is not None:  # `for i in range(n): setattr(self, f"w{i}", v)`, `n` known now
            flat = [new if (new := setattrs.statement(t, lw.ns)) is not None else t for t in flat]
            _lower_body(lw, obj, flat + body[k + 1 :], me, owner, value_check)
            return
        grown = appended(s, me)
        if grown:
            if isinstance(s, _COMPOUND):
                _writable(lw, obj, fields_set(s, me), isinstance(s, gast.For) and rounds(s) >= 1)
            lw.stmts([s], scope.reads(body[k + 1 :]))
            if not all(isinstance(obj.fields.get(n), FnSeq) for n in grown):
                raise NotHere  # (appended at run time: the class called then, as before)
            for n in grown:
                value_check(obj.fields[n])
            continue
        if isinstance(s, gast.Pass):
            continue
        if initappends.super_init_call(s):
            _super_init(lw, obj, s, owner, value_check)
            continue
        got = inithelpers.helper_fields(s, me, lw.ns)
        if got is not None:  # `init_weights(self, x)`: its fields set by the helper inlined
            _writable(lw, obj, set(got), True)
            lw.stmts([s], scope.reads(body[k + 1 :]))
            continue
        if isinstance(s, _COMPOUND) or _checked(s):
            if not _checked(s):
                _writable(lw, obj, fields_set(s, me), isinstance(s, gast.For) and rounds(s) >= 1)
            lw.stmts([s], scope.reads(body[k + 1 :]))
            continue
        targets, values = pairs(s)
        if not any(_field_of(t, me) for t, _ in targets):
            lw.stmts([s], scope.reads(body[k + 1 :]))
            continue
        lw.at(s)
        sets = {j: unfollowed.set_of_objects(lw, values[j], obj, t.attr)
                for t, j in targets if _field_of(t, me)}  # fmt: skip
        got = [sets.get(j) or lw.expr(v) for j, v in enumerate(values)]  # once each, in order
        for t, j in targets:
            value = got[j]
            if _field_of(t, me) and t.attr not in self_calls(obj.cls):  # (`self.act(z)`: before)
                value = unfollowed.stored(value, obj, t.attr, s)
            if not _field_of(t, me):
                lw.assign(t, value, s.value)
                continue
            value = value_check(value, s)  # (a lambda ``__init__`` made: kept, lower/objfns.py)
            if t.attr in obj.mutable:
                held = value if isinstance(value, unfollowed.Unfollowed) else lw.operand(value, s)
                objstate.write(lw, obj, t.attr, held, t)
            else:
                obj.fields[t.attr] = value


def settle(lw: Any, obj: LocalObj) -> None:
    """The body ended: the fields kept in the environment are the object's fields again."""
    for n in obj.mutable:
        obj.fields[n] = lw.env[objstate.key(obj, n)]
    obj.mutable = set()
    obj.written = None


def rounds(s: gast.For) -> int:
    """The rounds of ``for <name> in range(<int literals>)`` whose body sets what it sets in
    every round (no ``if``, ``while``, ``break``, ``continue``, ``return``): 0 for others."""
    it = s.iter
    if not (
        isinstance(it, gast.Call)
        and isinstance(it.func, gast.Name)
        and it.func.id == "range"
        and 1 <= len(it.args) <= 3
        and all(isinstance(a, gast.Constant) and type(a.value) is int for a in it.args)
        and not it.keywords
        and not s.orelse
        and not any(
            isinstance(n, (gast.Break, gast.Continue, gast.Return, gast.If, gast.While))
            for b in s.body
            for n in gast.walk(b)
        )
    ):
        return 0
    return len(range(*(a.value for a in it.args)))


def _writable(lw: Any, obj: LocalObj, names: set[str], first_set: bool = False) -> None:
    """Fields `names` written by a compound statement, into the environment; `first_set`: a
    loop of at least one round (`rounds`) may set ones not set before (carried from None)."""
    new = {n for n in names if n not in obj.mutable}
    if not new:
        return
    if not obj.mutable:
        lw.obj_serial = getattr(lw, "obj_serial", 0) + 1
        obj.serial = lw.obj_serial
    for n in sorted(new):
        v = obj.fields.get(n, Const(None) if first_set else None)
        if not isinstance(v, (Var, Const)):
            raise NotHere  # an object or functions held by a field: not carried
        lw.env[objstate.key(obj, n)] = v
        obj.mutable.add(n)


def _super_init(lw: Any, obj: LocalObj, s: Any, owner: type, value_check: Any) -> None:
    parent = parent_init(obj.cls, owner)
    call = s.value
    given = arguments(lw, call, (Partial,))  # super().__init__(closs=partial(f, q=q)): a field
    args, kwargs = given if given is not None else lw.call_args(call)
    if parent is object.__init__:
        if args or kwargs:
            raise NotHere  # Python raises TypeError
        return
    src, body, me = parts(parent)
    try:
        bound = inspect.signature(parent).bind(obj, *args, **kwargs)
    except TypeError:
        raise NotHere from None
    given = set(bound.arguments)
    bound.apply_defaults()
    if any(
        not recordkinds.immutable_default(v) for n, v in bound.arguments.items() if n not in given
    ):
        raise NotHere  # a shared default object (`hist=[]`): the class called when it runs
    env = {n: v if isinstance(v, (Var, Const, LocalObj, Partial)) else Const(v)
           for n, v in bound.arguments.items()}  # fmt: skip
    env.update(objstate.shared(lw.env))
    saved = (lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines)
    lw.env, lw.py_locals = env, python_locals(src.node)
    lw.ns, lw.filename, lw.lines = namespace_of(parent), src.filename, src.lines
    p_owner = next(k for k in obj.cls.__mro__ if vars(k).get("__init__") is parent)
    try:
        lower_body(lw, obj, body, me, p_owner, value_check)
        saved[0].update(objstate.shared(lw.env))  # the fields it wrote
    finally:
        lw.env, lw.py_locals, lw.ns, lw.filename, lw.lines = saved


def made_by(lw: Any, v: Any) -> type | None:
    """The user class whose call made the Var `v` (its object's type: no ``__new__`` of its
    own), as far as the ops in scope say; else None."""
    if not isinstance(v, Var):
        return None
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in reversed(ops):
            if v in op.results:
                known, cls = lw.static_object(op.args[0]) if op.prim == "call" else (0, 0)
                if known and user_class(cls) and init_of(cls) is not None:
                    return cls
                return None
    return None
