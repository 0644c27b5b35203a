"""``f(*ps)`` of a user function with `ps` of run-time length (an argument, a list made outside the
loop the call is in): the items ``f``'s parameters take, named.

Input: the lowerer, the function called (known at transform time) and the call node. Output:
(the call node with ``*ps`` replaced by names the environment binds to ``t[0]``, ``t[1]``, ...,
the temporaries to drop after the call, a `RestOf` ``t[n:]`` when `f` takes ``*args`` too, which
lower/varargs.inline_call binds to them), where ``t = _srcad.star_items(ps, n, "f", more)`` is
``tuple(ps)`` (Python's TypeError when `ps` does not fill the `n` parameters left). `ps` a
literal of known length: only named (its items unpacked as before). Parameters `ps` may leave
with defaults that are constants (numbers, str, None: curve_fit's ``model(t, *params)`` of ``def
model(t, a=1.0, b=2.0)``) take them: ``t`` is then of ``tuple(ps) + defaults[len(ps) - r:]``
(`r` the parameters without one), Python's binding for every count it accepts. None when `f` is
no user function, for several starred arguments or one before others, when a parameter left is
given by keyword, has another default, or `f` takes ``*args`` besides defaults (refused as
before). ``C(*ps)`` of a user class is its ``__init__``'s call so named (`class_call`).
"""

from __future__ import annotations

import builtins
import inspect
import types
from typing import Any

import gast
import numpy as np

from srcad import lazy
from srcad.lower import varargs
from srcad.lower.reads import ItemRead, note_read
from srcad.lower.userfns import library, srcad_made
from srcad.lower.values import RestOf
from srcad.lower.varargs import literal_dict
from srcad.lower.withs import _resolve
from srcad.ssa.core import Const, Var

STAR_HINT = (
    "pass the arguments explicitly; `f(*xs)` of a list or array is taken when `f` is a "
    "module-level function and `*xs` fills its parameters left without a default (the others "
    "given by keyword: `f(*x, scale=s)`)"
)
_fnargs = lazy.module("srcad.lower.fnargs")  # (it imports this module)
_MAX_GLOBAL_STAR = 64  # items of a global ``*G`` named one by one
_PLAIN = (int, float, bool, str, type(None))  # defaults `ps` may leave: constants
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def expand(
    lw: Any, fn: Any, node: gast.Call, front: int = 0
) -> tuple[gast.Call, list[str], Any] | None:
    """The call `node` of `fn` with its ``*ps`` named (module docstring), or None. `front`:
    parameters the call does not pass (an ``__init__``'s ``self``)."""
    stars = [a for a in node.args if isinstance(a, gast.Starred)]
    if len(stars) != 1 or node.args[-1] is not stars[0]:
        return None
    star = stars[0]
    if not isinstance(fn, types.FunctionType) or library(fn) or srcad_made(fn):
        return None
    try:
        params = list(inspect.signature(fn, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):
        return None
    left = [p for p in params if p.kind in _POSITIONAL][len(node.args) - 1 + front :]
    more = any(p.kind is p.VAR_POSITIONAL for p in params)
    if more and not varargs.takes_varargs(fn):
        return None  # (a generator's ``*args``)
    given = _keywords(lw, node)
    if given is None:
        return None
    while left and left[-1].name in given and not more:
        left.pop()  # given by keyword: `*ps` filling it too is Python's TypeError
    if any(p.name in given for p in left):
        return None
    defaults = tuple(p.default for p in left if p.default is not p.empty)
    if defaults and (more or not all(type(d) in _PLAIN for d in defaults) or not _builtins(lw)):
        return None
    temps: list[str] = [_temp(lw)]  # `ps` lowered once, here, after the arguments before it
    before = _lowered_first(lw, node.args[:-1], temps)
    lw.env[temps[0]] = v = lw.value(star.value)
    if lw._unpackable(v):  # a literal: its items, as before
        new = gast.copy_location(gast.Starred(_load(temps[0], star), gast.Load()), star)
        return (
            gast.copy_location(gast.Call(node.func, [*before, new], node.keywords), node),
            temps,
            None,
        )
    lw.at(node)
    name = getattr(fn, "__qualname__", "f")
    if defaults:  # ``tuple(ps) + defaults[len(ps) - r:]``: the parameters `ps` leaves, defaulted
        v = _padded(lw, temps[0], star, defaults, len(left) - len(defaults))
    t = lw.op("srcad.runtime.star_items", [v, Const(len(left)), Const(name), Const(more)])
    args = before
    for k in range(len(left)):
        temps.append(_temp(lw))
        lw.env[temps[-1]] = lw.op("getitem", [t, Const(k)])
        args.append(_load(temps[-1], star))
    rest = None
    if more:
        rest = RestOf(lw.op("getitem", [t, Const(slice(len(left), None))]) if left else t)
    return gast.copy_location(gast.Call(node.func, args, node.keywords), node), temps, rest


def _lowered_first(lw: Any, args: list, temps: list[str]) -> list:
    """The arguments before a ``*ps``, those that may change what `ps` holds (a call:
    ``g(xs.pop(), *xs)``) lowered now into temporaries (added to `temps`), as Python evaluates
    them before it; the others (names, constants, functions) as they are."""
    out = list(args)
    for k, a in enumerate(args):
        if any(isinstance(n, _EFFECTS) for n in gast.walk(a)) and not _fnargs._is_fn_arg(lw, a):
            temps.append(_temp(lw))
            lw.env[temps[-1]] = lw.value(a)
            out[k] = _load(temps[-1], a)
    return out


def nested(lw: Any, f: Any, node: gast.Call) -> tuple[gast.Call, list[str]] | None:
    """``g(*ps)`` of a nested def/lambda `f` (`NestedFn`) with `ps` of run-time length (``f(*y)``
    of ``y = [a + h * b for a, b in zip(y, k)]``, ``f(*[..])``): the call with ``*ps`` replaced
    by names bound to ``t[0]``, ``t[1]``, ... (``t = _srcad.star_items(ps, n, "g", False)``,
    Python's TypeError unless `ps` fills the `n` parameters left), and the temporaries to drop
    after it. None (the call as it is) for a name of a literal, or when `f` takes
    ``*args``/keywords, the call gives keywords or calls anything before ``*ps`` (Python reads
    them first; before an expression `ps`, lowered here, only constants), or a parameter `ps`
    may leave has a default."""
    star, before = node.args[-1], node.args[:-1]
    a = f.node.args
    if node.keywords or a.vararg or a.kwarg or a.kwonlyargs:
        return None
    left = len(a.posonlyargs) + len(a.args) - len(before)
    if left < 0 or (left and f.defaults):
        return None
    temps: list[str] = []
    if type(star.value) is gast.Name:
        if any(isinstance(n, _EFFECTS) for x in before for n in gast.walk(x)):
            return None
        v = lw.env.get(star.value.id)
        if not isinstance(v, Var) or lw._unpackable(v):
            return None
    else:  # `g(*[..])`: lowered here, once, so nothing may come before it
        if any(type(x) is not gast.Constant for x in before):
            return None
        v = lw.value(star.value)
        if lw._unpackable(v):  # a literal: its items, as before
            temps.append(_temp(lw))
            lw.env[temps[0]] = v
            new = gast.copy_location(gast.Starred(_load(temps[0], star), gast.Load()), star)
            return gast.copy_location(gast.Call(node.func, [*before, new], []), node), temps
    lw.at(node)
    t = lw.op("srcad.runtime.star_items", [v, Const(left), Const(f.name), Const(False)])
    args = list(before)
    for k in range(left):
        temps.append(_temp(lw))
        lw.env[temps[-1]] = lw.op("getitem", [t, Const(k)])
        args.append(_load(temps[-1], star))
    return gast.copy_location(gast.Call(node.func, args, []), node), temps


_EFFECTS = (gast.Call, gast.NamedExpr, gast.Starred, gast.Lambda, gast.Yield, gast.Await)


def class_call(lw: Any, cls: type, callee: Any, node: gast.Call, build: Any) -> Any:
    """``C(*ps)`` of a user class whose ``__init__`` takes no ``*args``, `ps` of run-time length
    (``Vec(*(a + b for a, b in zip(p, q)))``): ``C(t[0], .., t[n - 1])`` as `expand` names
    them, built by `build` (lower/objects.construct: an object built here) or else called
    (a record the transforms follow); None when not of this form (nothing lowered). A namedtuple
    (``NT(*x[1:3])``) takes its items by its generated ``__new__(_cls, a, b)``."""
    init = inspect.getattr_static(cls, "__init__", None)
    if issubclass(cls, tuple) and hasattr(cls, "_fields") and "__new__" in vars(cls):
        init = cls.__new__  # (a plain function: `collections.namedtuple` makes it)
    if getattr(node, "srcad_starred", False) or not isinstance(init, types.FunctionType):
        return None
    if not any(isinstance(a, gast.Starred) for a in node.args) or varargs.takes_varargs(init):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in inspect.signature(init).parameters.values()):
        return None
    got = expand(lw, init, node, front=1)
    if got is None:
        return None
    new, temps, _ = got
    new.srcad_starred = True  # (named now: not again)
    try:
        out = build(new)
        if out is None:
            args, kwargs = lw.call_args(new)
            lw.at(node)
            out = lw.op("call", [callee, *args], kwargs)
    finally:
        for t in temps:
            lw.env.pop(t, None)
    return out


def _padded(lw: Any, ps: str, like: Any, defaults: tuple, required: int) -> Any:
    """``tuple(ps) + defaults[len(ps) - required:]`` lowered: `ps` with the defaults of the
    parameters it leaves (Python's binding when it fills `required` to ``required +
    len(defaults)`` of them; any other length is `star_items`'s TypeError: too few items take
    the last defaults, too few in all)."""
    d = f"{ps}.defaults"
    lw.env[d] = Const(defaults)
    load = _load(ps, like)
    tup = gast.Call(gast.Name("tuple", gast.Load(), None, None), [load], [])
    start = gast.BinOp(
        gast.Call(gast.Name("len", gast.Load(), None, None), [_load(ps, like)], []),
        gast.Sub(),
        gast.Constant(required, None),
    )
    tail = gast.Subscript(_load(d, like), gast.Slice(start, None, None), gast.Load())
    e = gast.BinOp(tup, gast.Add(), tail)
    for n in gast.walk(e):
        gast.copy_location(n, like)
    try:
        return lw.value(e)
    finally:
        lw.env.pop(d, None)


def _builtins(lw: Any) -> bool:
    """Are ``tuple`` and ``len`` Python's builtins in the namespace `_padded` lowers in?"""
    return all(
        n not in lw.env and lw.ns.lookup(n) == ("builtin", getattr(builtins, n))
        for n in ("tuple", "len")
    )


def _keywords(lw: Any, node: gast.Call) -> set[str] | None:
    """The names the call passes by keyword (``**d`` of a dict literal: its keys); None when
    not known now."""
    out = set()
    for kw in node.keywords:
        if kw.arg is not None:
            out.add(kw.arg)
            continue
        items = (
            literal_dict(lw, lw.env.get(kw.value.id)) if isinstance(kw.value, gast.Name) else None
        )
        if items is None:
            return None
        out.update(k for k, _ in items)
    return out


def _temp(lw: Any) -> str:
    n = getattr(lw, "_star_n", 0) + 1
    lw._star_n = n
    return f"$star{n}"


def _load(name: str, like: Any) -> gast.Name:
    return gast.copy_location(gast.Name(name, gast.Load(), None, None), like)


def shape_star(lw: Any, node: gast.Call, star: gast.Starred, v: Any) -> list | None:
    """``np.ndindex(*m.shape)`` (or ``*np.shape(m)``): ``np.ndindex(m.shape)``, which NumPy
    takes the same (a shape is a tuple, its length the rank, known only when the code runs);
    ``a.reshape(*s)`` / ``a.transpose(*axes)`` so too (`_array_method`);
    ``*G`` of a module-level list or tuple (`global_star`); None for any other starred
    argument."""
    if _array_method(lw, node, star):  # `out.reshape(*self.input_shape)`
        return [v]
    if node.args != [star] or node.keywords or _resolve(node.func, lw.ns) is not np.ndindex:
        return global_star(lw, star, v)
    e = star.value
    shape = isinstance(e, gast.Attribute) and e.attr == "shape"
    if isinstance(e, gast.Call) and len(e.args) == 1 and not e.keywords:
        shape = _resolve(e.func, lw.ns) is np.shape
    return [v] if shape else None


def _array_method(lw: Any, node: gast.Call, star: gast.Starred) -> bool:
    """``a.reshape(*shape)`` / ``a.transpose(*axes)``, the one argument starred, of a name bound
    to a run-time value (an array: lowered as NumPy's method, as ``a.reshape(2, 3)`` is), which
    NumPy takes the same as ``a.reshape(shape)``: a tuple, its length known when the code runs."""
    f = node.func
    if node.args != [star] or node.keywords or not isinstance(f, gast.Attribute):
        return False
    if f.attr not in ("reshape", "transpose") or not isinstance(f.value, gast.Name):
        return False
    return type(lw.env.get(f.value.id)) is Var


def global_star(lw: Any, star: gast.Starred, v: Any) -> list | None:
    """``f(*G)`` (``GRUCell(*GRU_W)``) of a global name holding a plain list or tuple now: its
    items ``G[0]``, ``G[1]``, ... read when the code runs (Python iterates `G` at the call),
    their number recorded as read (`note_read`: a list appended to, or `G` rebound, makes a new
    transform); None otherwise."""
    e = star.value
    if not isinstance(e, gast.Name) or e.id in lw.env or e.id in lw.py_locals:
        return None
    kind, seq = lw.ns.lookup(e.id)
    if kind != "global" or type(seq) not in (list, tuple) or len(seq) > _MAX_GLOBAL_STAR:
        return None
    note_read(lw.ns.globals, ItemRead(e.id), seq)
    note_read(seq, ItemRead(length=True), len(seq))
    lw.at(star)
    return [lw.op("getitem", [v, Const(k)]) for k in range(len(seq))]
