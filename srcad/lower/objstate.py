"""Fields of objects built in the lowered code (lower/objects.py) that methods or the function
update: ``self.total += v``, ``self.state = f(self.state, x)``, ``obj.pos = obj.pos + dt * v``.

Input: a `LocalObj` and the lowering state `lw`. Output: the field's current value lives in the
environment under a name of its own (``%3.total``, `key`), so ``if`` joins, loop carries and the
write-back of inlined calls treat it as any variable: every name bound to the object (``b = a``,
``self`` in an inlined method) is the same `LocalObj`, so reads and writes through any of them
see one value, exactly as Python's one object. Which fields live there is decided when the object
is built (`mutable_fields`): those some method of the class stores to ``self``, and those the
function being lowered, or a user function it reaches (a helper lower/objcalls.py may inline),
stores to any attribute of that name.

The object exists only at transform time; as a run-time value (returned, passed to a function
that is not inlined, stored in a list, joined with another object) it is its class called again
with the same arguments (`objects.as_value`), which is the object only while no field has been
written. So the two exclude each other: a write to an object already used as a run-time value,
and a run-time use of an object whose fields were written, are refused (located, with a hint),
whatever their order in the code. Attributes `__init__` did not set that a method or the
function stores (``self.inp = x`` in a layer's ``forward``) are fields too, unset until written
(a class constant of that name, ``n = 0``, is their value till then): a read where srcad does not
see one set on every path is refused (Python raises AttributeError, or the value is not known
here); one set on one branch of an ``if`` only is not followed after it, one first set in a
``for`` loop of a constant positive range is carried from None (`first_set`), in other loops it
is not followed after them. ``a is b`` of names bound to objects built here is a constant
(`identity`). Writes to objects of other kinds (arguments, namedtuples, frozen dataclasses,
results of calls), of non-values (functions, other objects) and to attributes the class holds a
method or a mutable value of stay refused, with a message saying why.
"""

from __future__ import annotations

import inspect
from typing import Any

import gast

from srcad.lower import globaleffects, scope, unfollowed
from srcad.lower.escapes import ANY, reachable_stores, self_stores
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Var
from srcad.trees import slots

PREFIX = "%"  # environment names of fields (not Python identifiers: never a user's name)


def key(obj: LocalObj, name: str) -> str:
    return f"{PREFIX}{obj.serial}.{name}"


def written_fields(lw: Any, cls: type) -> frozenset[str]:
    """The attribute names that may be written of an object of `cls` built here."""
    # lw.attr_stores: what the function being lowered stores to (lower/survey.py)
    return self_stores(cls) | getattr(lw, "attr_stores", frozenset()) | _helper_stores(lw)


def writes_fields(lw: Any, cls: type, fields: Any) -> bool:
    """May an attribute of an object of `cls` built here be written: one of its `fields`, or
    one ``__init__`` did not set that may be a field (``m.scale = 0.5`` shadowing the class
    constant ``scale``: `_new_ok`)?"""
    written = written_fields(lw, cls)
    return bool(written & set(fields)) or any(_new_ok(cls, n) for n in written - set(fields))


def _helper_stores(lw: Any) -> frozenset[str]:
    """What the user functions the function reaches store to (a helper given the object may be
    inlined: lower/objcalls.py); nothing when any name may be (``setattr``, too much code):
    such writes stay refused there."""
    got = getattr(lw, "helper_stores", None)
    if got is None:
        got = reachable_stores(lw)
        got = frozenset() if ANY in got else got
        lw.helper_stores = got
    return got


def mutable_fields(lw: Any, obj: LocalObj) -> None:
    """Move the fields that may be written (see the module docstring) into the environment;
    attributes ``__init__`` did not set that may be written (``self.inp = x`` in a method) are
    fields too, unset until written (a class constant of that name is their value till then)."""
    written = written_fields(lw, obj.cls)
    names = written & set(obj.fields)
    new = sorted(n for n in written - set(obj.fields) if _new_ok(obj.cls, n))
    if not names and not new:
        return
    lw.obj_serial = getattr(lw, "obj_serial", 0) + 1
    obj.serial = lw.obj_serial
    for n in sorted(names):
        v = obj.fields[n]
        if not isinstance(v, (Var, Const, LocalObj, unfollowed.Unfollowed)):
            continue  # functions held by a field: not rebound here
        lw.env[key(obj, n)] = v  # (an object built here: rebinding the field is a write)
        obj.mutable.add(n)
    for n in new:
        if slots(obj.cls) is None and inspect.getattr_static(obj.cls, n, _ABSENT) is not _ABSENT:
            # (a class attribute: read when it runs; a slot's descriptor is no value)
            lw.env[key(obj, n)] = lw.op(f"attr.{n}", [Const(obj.cls)])
        obj.mutable.add(n)


_ABSENT = object()


def _new_ok(cls: type, name: str) -> bool:
    """May an attribute `name` that ``__init__`` did not set be a field of an object of `cls`
    built here: not a dunder, and the class has no attribute of that name or a constant one
    (an instance attribute then shadows it; a shared list or a method there is not followed)."""
    if name.startswith("__"):
        return False
    room = slots(cls)
    if room is not None:  # (a store outside the slots: Python raises AttributeError)
        return name in room
    found = inspect.getattr_static(cls, name, _ABSENT)
    return found is _ABSENT or (type(found) in (bool, int, float, complex, str, type(None)))


def read(lw: Any, obj: LocalObj, name: str, node: Any) -> Any:
    """The current value of the field `name` (in `obj.mutable`)."""
    v = lw.env.get(key(obj, name))
    if v is None and name not in obj.fields:
        raise lw.error(
            node,
            f"this reads `{name}` of a `{obj.cls.__name__}` object, which `__init__` does not "
            "set, where srcad does not see it set on every path (before this read, in a loop "
            "that may run no round, in a branch)",
            f"set `self.{name}` in `__init__` (to an initial value)",
        )
    if v is None:
        raise lw.error(
            node,
            f"srcad cannot follow this object's field `{name}` here",
            "use the object in the function that built it",
        )
    if isinstance(v, unfollowed.Unfollowed):  # a function or set stored (lower/unfollowed.py)
        raise unfollowed.refuse(lw, v, node)
    return v


def shared(env: dict) -> dict:
    """The fields of `env` (to give an inlined call's environment)."""
    return {k: v for k, v in env.items() if k.startswith(PREFIX)}


def write(lw: Any, obj: LocalObj, name: str, value: Any, node: Any) -> None:
    """``obj.name = value``."""
    cls = obj.cls.__name__
    if name not in obj.mutable:
        why = (
            f"`{name}` is not a field `{cls}.__init__` sets"
            if name not in obj.fields
            else f"srcad did not see this write of `{cls}.{name}` coming when it built the object"
        )
        raise lw.error(
            node,
            f"assigning to attributes of a `{cls}` here is not supported: {why}",
            f"set `self.{name}` in `{cls}.__init__` (to an initial value), and write it in a "
            f"method of `{cls}` or in this function",
        )
    if obj.escaped is not None:
        raise lw.error(
            node,
            f"this writes `{name}` of a `{cls}` object that was already used as a value (at "
            f"line {obj.escaped}: returned, passed to a function, stored or joined); srcad "
            "would not see the write there",
            "write the fields before the object is passed on, or pass the fields themselves",
        )
    value = unfollowed.stored(value, obj, name, node)  # (a closure: read nowhere, perhaps)
    if not isinstance(value, (Var, Const, LocalObj, unfollowed.Unfollowed)):
        raise lw.error(
            node,
            f"only numbers, arrays and objects can be stored in `{cls}.{name}` here",
            "store plain values in the object's fields",
        )
    if obj.written is None:
        obj.written = node.lineno
    lw.env[key(obj, name)] = value


def check_escape(lw: Any, obj: LocalObj, node: Any, rebuilt: bool = False) -> None:
    """`obj` is about to be used as a run-time value (`objects.as_value`; `rebuilt`: from its
    fields as they are now, lower/objrecord.current_args)."""
    if obj.written is not None and not rebuilt:
        held = unfollowed.held(lw, obj, key)  # (micrograd's `_backward` closures)
        if held is not None:
            raise unfollowed.escaped(lw, held, node)
        cls = obj.cls.__name__
        raise lw.error(
            node,
            f"this uses a `{cls}` object as a value (returned, passed to a function srcad does "
            f"not inline, stored or joined) after a method or the function wrote its fields "
            f"(line {obj.written}); srcad rebuilds such objects from their constructor's "
            "arguments, which would lose the writes",
            "return or pass the fields themselves (`obj.total`), not the object",
        )
    if obj.escaped is not None and _writable(lw, obj):
        cls = obj.cls.__name__
        raise lw.error(
            node,
            f"this uses a `{cls}` object as a value a second time (first at line "
            f"{obj.escaped}: returned, passed to a function srcad does not inline, stored or "
            "joined); srcad rebuilds such objects from their constructor's arguments at each "
            f"use, and code it does not follow may write a `{cls}`'s attributes through one "
            "copy, which Python would see through the other",
            "pass the fields themselves, or let the object reach such code once",
        )
    if obj.escaped is None:
        obj.escaped = getattr(node, "lineno", 0)


def _writable(lw: Any, obj: LocalObj) -> bool:
    """May code srcad does not follow store to an attribute of `obj` (its methods, or user
    functions the function reaches; any name when that is not known)?"""
    stores = self_stores(obj.cls) | reachable_stores(lw)
    names = set(obj.fields) | {n for k in obj.cls.__mro__[:-1] for n in vars(k)}
    return ANY in stores or bool(stores & names)


def is_local(lw: Any, node: Any) -> bool:
    """Is `node` a name bound to an object built here?"""
    return isinstance(node, gast.Name) and isinstance(lw.env.get(node.id), LocalObj)


def assign(lw: Any, target: gast.Attribute, value: Any, node: Any) -> None:
    """``a.name = value`` (`target`): a field of an object built here, else refused."""
    obj = _target_object(lw, target)
    write(lw, obj, target.attr, value, target)


def aug_assign(lw: Any, s: gast.AugAssign, prim: str) -> None:
    """``a.name op= value``: the field's new value (marked as updating the old one, as
    ``x += v`` is: passes/alias.py refuses it where the old array is seen elsewhere)."""
    t = s.target
    obj = _target_object(lw, t)
    if t.attr not in obj.mutable:
        write(lw, obj, t.attr, Const(None), t)  # refused, saying why
    old = read(lw, obj, t.attr, t)
    if isinstance(old, LocalObj):
        raise lw.error(
            t,
            f"`op=` on the field `{t.attr}` holding a `{old.cls.__name__}` object built here is "
            "not supported",
            f"write `obj.{t.attr} = obj.{t.attr} + v`",
        )
    rhs = lw.value(s.value)
    lw.at(s)
    new = lw.op(prim, [old, rhs], hint=t.attr)
    lw.augmented.append(lw.b.block.ops[-1])
    write(lw, obj, t.attr, new, t)


_INPLACE = {gast.Add: "iadd", gast.Sub: "isub", gast.Mult: "imul", gast.Div: "itruediv",
            gast.FloorDiv: "ifloordiv", gast.Mod: "imod", gast.Pow: "ipow", gast.MatMult: "imatmul",
            gast.LShift: "ilshift", gast.RShift: "irshift", gast.BitOr: "ior", gast.BitXor: "ixor",
            gast.BitAnd: "iand"}  # fmt: skip


def inplace_call(lw: Any, s: gast.AugAssign) -> Any:
    """``a op= v`` on a name bound to an object built here: the call ``a.__iop__(v)`` Python
    makes when its class defines it (its result rebinds `a`), else ``a op v`` (``__add__``,
    ``__radd__``: a new object; the old one unchanged); None for other targets."""
    t = s.target
    obj = lw.env.get(t.id) if isinstance(t, gast.Name) else None
    name = f"__{_INPLACE.get(type(s.op), '')}__"
    if not isinstance(obj, LocalObj):
        return None
    load = gast.Name(id=t.id, ctx=gast.Load(), annotation=None, type_comment=None)
    if not any(name in vars(k) for k in obj.cls.__mro__[:-1]):  # `a = a op v`, as Python's
        call = gast.BinOp(left=load, op=s.op, right=s.value)
    else:
        call = gast.Call(func=gast.Attribute(value=load, attr=name, ctx=gast.Load()),
                         args=[s.value], keywords=[])  # fmt: skip
    for n in gast.walk(call):
        if getattr(n, "lineno", None) is None:
            gast.copy_location(n, s)
    return call


def _target_object(lw: Any, t: gast.Attribute) -> LocalObj:
    base = lw.env.get(t.value.id) if isinstance(t.value, gast.Name) else None
    if base is None and not isinstance(t.value, gast.Name):
        base = lw.expr(t.value)  # `self.l1.w = v`: a field holding an object built here
    if isinstance(base, Var) and t.attr in ("T", "mT"):  # `y.T[1] += v` of an array
        raise lw.error(
            t,
            f"writing through `.{t.attr}`, a transposed view of the array, is not supported",
            "index the array itself: `y.T[i] += v` is `y[..., i] += v` (of a 2-D `y`, "
            "`y[:, i] += v`)",
        )
    if not isinstance(base, LocalObj):
        globaleffects.refuse_shared_attr(lw, t)  # `Counter.n += 1`: a class's, a module's
        raise lw.error(
            t,
            "assigning to attributes is not supported here: srcad follows the fields of "
            "objects built in the function it transforms (or in a function it inlines) only",
            "return the new value instead, or build the object here (`obj = C(...)`) and "
            "write its fields in its methods",
        )
    return base


def object_writes(lw: Any, stmts: list) -> set[str]:
    """The fields (environment names) a loop over `stmts` carries: all of them, when `stmts`
    call anything or store an attribute (a method inlined there may write any)."""
    names = {k for k, v in lw.env.items() if k.startswith(PREFIX) and isinstance(v, (Var, Const))}
    if not names:
        return set()
    for s in stmts:
        for n in scope.walk(s):  # (every node but the contexts and operators)
            if isinstance(n, gast.Call) or (
                isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store)
            ):
                return names
            if _object_item_store(lw, n):  # `obj[k] = v`: its class's __setitem__ inlined
                return names
            if isinstance(n, gast.AugAssign) and _is_object(lw, n.target):  # its __iadd__
                return names
    return set()


def _object_item_store(lw: Any, n: Any) -> bool:
    """`n` is ``obj[k]`` stored to, `obj` a name bound to an object built here, or an item of
    an attribute stored to (``self.P[u, :] += v`` of a field holding an array: the field's new
    value is carried)."""
    if not (isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store)):
        return False
    while isinstance(n, gast.Subscript):
        n = n.value
    if isinstance(n, gast.Attribute):
        return True
    return isinstance(n, gast.Name) and isinstance(lw.env.get(n.id), LocalObj)


def _is_object(lw: Any, n: Any) -> bool:
    return isinstance(n, gast.Name) and isinstance(lw.env.get(n.id), LocalObj)


def only_fields_stored(lw: Any, stmts: list) -> set[str]:
    """Names bound to objects built here that `stmts` store attributes of (``b.pos = v``, which
    `scope.assigned` counts as assigning `b`) but never rebind: not loop-carried (the object
    stays one; its fields are carried)."""
    objs = {k for k, v in lw.env.items() if isinstance(v, LocalObj)}
    if not objs:
        return set()
    for s in stmts:
        for n in scope.walk(s):  # (every node but the contexts and operators)
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
                objs.discard(n.id)
    return objs


def check_condition(lw: Any, env0: dict, env_c: dict, node: Any) -> None:
    """A `while` condition that writes fields (``while c.tick() < 3``): the loop's body and what
    follows would not see the writes (the condition's values do not flow on), so refused."""
    for k, v in env_c.items():
        if k.startswith(PREFIX) and v is not env0.get(k):
            raise lw.error(
                getattr(node, "test", node),
                f"this `while` condition writes the field `{k.rsplit('.', 1)[-1]}` of an object "
                "(a method it calls)",
                "call the method in the loop body and test a variable it sets",
            )


def pretty(name: str) -> str:
    """A name of the environment as the user knows it (a field: ``the field `n```)."""
    return f"the field `{name.rsplit('.', 1)[-1]}`" if name[:1] == PREFIX else f"`{name}`"


def check_carried(lw: Any, env0: dict, env_b: dict, carried: list, node: Any) -> None:
    """A loop body that changed a field the loop does not carry (a safety net: `object_writes`
    should have named it): refused rather than losing the write."""
    for k, v in env_b.items():
        if k.startswith(PREFIX) and k not in carried and k in env0 and v is not env0[k]:
            raise lw.error(node, "srcad cannot follow the object fields this loop writes")


def identity(lw: Any, node: gast.Compare) -> Const | None:
    """``a is b`` / ``a is not b`` of names, one bound to an object built here and the other to
    one too or to a constant (``m is None``): known now (every name bound to the object is the one
    `LocalObj`); None for other comparisons."""
    if len(node.ops) != 1 or type(node.ops[0]) not in (gast.Is, gast.IsNot):
        return None
    sides = [lw.env.get(n.id) if isinstance(n, gast.Name)
             else Const(n.value) if isinstance(n, gast.Constant) else None
             for n in (node.left, node.comparators[0])]  # fmt: skip
    if not any(isinstance(v, LocalObj) for v in sides) or not all(
        isinstance(v, (LocalObj, Const)) for v in sides
    ):
        return None
    same = sides[0] is sides[1]
    return Const(same if isinstance(node.ops[0], gast.Is) else not same)


def first_set(lw: Any, head: list, node: Any) -> list[str]:
    """The attributes ``__init__`` did not set, of objects built here, that a ``for`` loop over a
    constant range of at least one round (`head`), whose body calls something or stores an
    attribute (`node`, the ``for`` statement), may set first: carried from None (unset) like a
    name first bound in the loop, so they are set after it as in Python."""
    if not isinstance(node, gast.For) or not all(isinstance(h, Const) for h in head):
        return []
    try:
        rounds = len(range(*(h.value for h in head)))
    except TypeError:
        return []
    objs = _objects(lw.env) if rounds >= 1 else []  # (before the walk of the body: cheaper)
    if not objs or not _calls_or_stores(node.body):
        return []
    out = set()
    for obj in objs:
        out |= {key(obj, n) for n in obj.mutable if n not in obj.fields}
    got = sorted(k for k in out if k not in lw.env)
    # unset in the first round: ``hasattr`` is not known in the loop (lower/getattrs.py)
    lw.first_set_at = {**getattr(lw, "first_set_at", {}), **dict.fromkeys(got, node)}
    return got


def maybe_unset(lw: Any, k: str) -> bool:
    """Is the field `k` (`key`) one a ``for`` loop being lowered carries from unset
    (`first_set`)? Set in some rounds only: whether the object has it is not known here."""
    at = getattr(lw, "first_set_at", {}).get(k)
    return at is not None and any(n is at for n, _ in lw.loop_bodies)


def _calls_or_stores(stmts: list) -> bool:
    return any(
        isinstance(n, gast.Call)
        or (isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store))
        for s in stmts
        for n in gast.walk(s)
    )


def _objects(env: dict) -> list[LocalObj]:
    """The objects built here that the environment reaches (through lists of them, fields)."""
    seen: dict[int, LocalObj] = {}
    todo = list(env.values())
    while todo:
        v = todo.pop()
        if isinstance(v, LocalObj) and id(v) not in seen:
            seen[id(v)] = v
            todo.extend(v.fields.values())
        elif type(v).__name__ == "FnSeq":
            todo.extend(v.items)
    return sorted(seen.values(), key=lambda o: o.serial)


def unset_somewhere(env0: dict, name: str, vals: list) -> bool:
    """Is `name` an attribute ``__init__`` did not set that one path into a join set and another
    did not (Python's object lacks it there): then it is not followed after the join (a read of
    it is refused, lower/objstate.read)."""
    return name[:1] == PREFIX and name not in env0 and any(v is None for v in vals)
