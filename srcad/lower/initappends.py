"""An ``__init__`` that makes an empty list field and appends to it at once, ``self.hist = []``
then ``self.hist.append(x0)``, rewritten as the list it ends with, ``self.hist = [x0]`` (a dict
field filled under constant keys likewise: ``self.params = {"W1": W1}``), so the object is built
here (lower/objinit.py: a field appended to must otherwise hold objects or
functions).

Input: the ``__init__``'s statements and the name of its first parameter. Output: the
statements, each such run replaced by one assignment. Exact where taken: the appends follow the
empty list's statement directly, each appends one plain argument, and no appended expression
reads the field or may reach it (the object's own name only in reads of its other fields, none
of them a method called), so each element is evaluated in the same order, seeing the same
values, as Python's appends.

Before::

    self.hist = []
    self.hist.append(x0)
    self.hist.append(2.0 * self.scale)

After::

    self.hist = [x0, 2.0 * self.scale]

The same for a dict field filled under constant keys at once (``self.params = {}`` then
``self.params["W1"] = W1``, a "Deep Learning from Scratch" network's ``__init__``): ``self.params
= {"W1": W1, ...}``. A dict display stores its pairs in order, a repeated key keeping its first
place and its last value, as the statements do.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import dictlayers
from srcad.lower.placed import placed


def fold(body: list, me: str, inherited: frozenset = frozenset()) -> list:
    """`body` with each ``me.f = []`` directly followed by ``me.f.append(e)`` statements
    replaced by ``me.f = [e, ...]``, and each ``me.f = {}`` followed by ``me.f[k] = e``
    statements by ``me.f = {k: e, ...}`` (see the module docstring); `inherited`: the dict
    fields a ``super().__init__()`` statement of `body` leaves as displays (`dict_fields`)."""
    out: list = []
    k = 0
    while k < len(body):
        s = body[k]
        field = _empty_list_field(s, me)
        is_dict = field is None and (field := _empty_dict_field(s, me)) is not None
        take = _stored if is_dict else _appended
        elts: list = []
        while field is not None and k + 1 + len(elts) < len(body):
            e = take(body[k + 1 + len(elts)], me, field)
            if e is None:
                break
            elts.append(e)
        if not elts:
            out.append(s)
            k += 1
            continue
        if is_dict:
            keys, values = [kv[0] for kv in elts], [kv[1] for kv in elts]
            value = gast.copy_location(gast.Dict(keys=keys, values=values), s.value)
        else:
            value = gast.copy_location(gast.List(elts=elts, ctx=gast.Load()), s.value)
        out.append(gast.copy_location(gast.Assign(targets=s.targets, value=value), s))
        k += 1 + len(elts)
    return _later_stores(out, me, inherited)


def dict_fields(body: list, me: str) -> frozenset:
    """The fields an ``__init__`` body (first parameter `me`) ends with as dict displays that no
    later statement may reach (`_later_stores`' rule): a subclass's ``__init__`` calling it by
    ``super().__init__()`` may fill them under constant keys (``self.params["w"] = w`` after a
    base ``Module``'s ``self.params = {}``), as if the display were in its own body."""
    dicts: set[str] = set()
    for s in body:
        made = _dict_display_field(s, me)
        if made is not None:
            dicts.add(made)
        elif not _clear_of(s, me, dicts) or super_init_call(s):
            dicts = set()  # (a base's own ``super().__init__()``: not followed here)
    return frozenset(dicts)


def super_init_call(s: Any) -> bool:
    """``super().__init__(...)`` as a statement (also lower/objinit.py's test)."""
    c = s.value if isinstance(s, gast.Expr) else None
    f = c.func if isinstance(c, gast.Call) else None
    return (
        isinstance(f, gast.Attribute)
        and f.attr == "__init__"
        and isinstance(f.value, gast.Call)
        and isinstance(f.value.func, gast.Name)
        and f.value.func.id == "super"
        and not f.value.args
    )


def _later_stores(body: list, me: str, inherited: frozenset = frozenset()) -> list:
    """`body` with each ``me.f[k] = e`` (a str or int constant key) after a dict display
    ``me.f = {...}``, other statements in between, as ``me.f = {**me.f, k: e}`` (cs231n's
    ``self.params = {}``, ``self.reg = reg``, ``self.params["W1"] = ...``): exact when no
    statement in between may reach the dict (`_clear_of`: `me` only in ``me.<other field>``,
    no method called, no nested scope) and `e` reads no field being made, so Python's dict
    is never seen before its last store and `e` is evaluated in the same place."""
    out: list = []
    dicts: set[str] = set()
    for s in body:
        got = dictlayers.keyed_store(s)
        field = _own_field(got[0], me) if got is not None else None
        if field in dicts and _reads_other_fields_only(got[2], me, field):
            load = gast.Attribute(value=gast.Name(id=me, ctx=gast.Load(), annotation=None,
                                                  type_comment=None),
                                  attr=field, ctx=gast.Load())  # fmt: skip
            value = gast.Dict(keys=[None, got[1]], values=[load, got[2]])
            target = gast.Attribute(value=got[0].value, attr=field, ctx=gast.Store())
            new = gast.Assign(targets=[target], value=value, type_comment=None)
            out.append(placed(new, s))
            continue
        made = _dict_display_field(s, me)
        if made is not None:
            dicts.add(made)
        elif super_init_call(s) and _clear_of(s, me, dicts):
            dicts = set(inherited)  # the base's displays (its other stores may replace ours)
        elif not _clear_of(s, me, dicts):
            dicts = set()
        out.append(s)
    return out


def _dict_display_field(s: Any, me: str) -> str | None:
    """`field` of ``me.field = {...}`` (a display)."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    return _own_field(s.targets[0], me) if isinstance(s.value, gast.Dict) else None


def _clear_of(s: Any, me: str, fields: set[str]) -> bool:
    """`me` appears in `s` only as ``me.<attr>``, `attr` none of `fields`, never called; no
    nested scope and no ``:=``."""
    attrs: set[int] = set()
    for n in gast.walk(s):
        if isinstance(n, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
                          gast.GeneratorExp, gast.NamedExpr, gast.FunctionDef,
                          gast.ClassDef)):  # fmt: skip
            return False
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if isinstance(n.func.value, gast.Name) and n.func.value.id == me:
                return False
        if isinstance(n, gast.Attribute) and isinstance(n.value, gast.Name):
            if n.value.id == me and n.attr not in fields:
                attrs.add(id(n.value))
    return all(id(n) in attrs for n in gast.walk(s) if isinstance(n, gast.Name) and n.id == me)


def _own_field(t: Any, me: str) -> str | None:
    if isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == me:
        return t.attr
    return None


def _empty_list_field(s: Any, me: str) -> str | None:
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    v = s.value
    return _own_field(s.targets[0], me) if isinstance(v, gast.List) and not v.elts else None


def _empty_dict_field(s: Any, me: str) -> str | None:
    """`field` of ``me.field = {}`` (a display: ``dict()`` could be a rebound name)."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return None
    v = s.value
    return _own_field(s.targets[0], me) if isinstance(v, gast.Dict) and not v.keys else None


def _stored(s: Any, me: str, field: str) -> tuple[Any, Any] | None:
    """(key, value) of ``me.field[key] = value`` with a str or int constant key, when the value
    may be evaluated as a dict display's (it reads no field being made)."""
    got = dictlayers.keyed_store(s)
    if got is None or _own_field(got[0], me) != field:
        return None
    _, key, v = got
    return (key, v) if _reads_other_fields_only(v, me, field) else None


def _appended(s: Any, me: str, field: str) -> Any:
    """The argument of ``me.field.append(arg)`` when it may be evaluated as a list element."""
    call = s.value if isinstance(s, gast.Expr) else None
    if not (
        isinstance(call, gast.Call)
        and isinstance(call.func, gast.Attribute)
        and call.func.attr == "append"
        and isinstance(call.func.value, gast.Attribute)
        and isinstance(call.func.value.value, gast.Name)
        and call.func.value.value.id == me
        and call.func.value.attr == field
        and len(call.args) == 1
        and not call.keywords
        and not isinstance(call.args[0], gast.Starred)
    ):
        return None
    arg = call.args[0]
    return arg if _reads_other_fields_only(arg, me, field) else None


def _reads_other_fields_only(node: Any, me: str, field: str) -> bool:
    """`me` appears in `node` only as ``me.<other>`` loads, none of them called; no nested scope
    (a lambda or comprehension could keep `me`) and no ``:=``."""
    ok: set[int] = set()
    for n in gast.walk(node):
        if isinstance(n, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
                          gast.GeneratorExp, gast.NamedExpr)):  # fmt: skip
            return False
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute):
            if isinstance(n.func.value, gast.Name) and n.func.value.id == me:
                return False  # a method: it may read the field
        if (
            isinstance(n, gast.Attribute)
            and isinstance(n.value, gast.Name)
            and n.value.id == me
            and n.attr != field
            and isinstance(n.ctx, gast.Load)
        ):
            ok.add(id(n.value))
    return all(id(n) in ok for n in gast.walk(node) if isinstance(n, gast.Name) and n.id == me)
