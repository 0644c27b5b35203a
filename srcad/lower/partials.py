"""``functools.partial(f, *args, **kw)`` and ``operator.itemgetter(k, ...)`` /
``operator.attrgetter("a.b", ...)`` made in the lowered function, called later.

Input: the ``functools.partial(...)`` / getter call (lower/stdlib.py dispatches it) and, later, a
call of its value. Output: a compile-time `Partial` (what `f` and the bound arguments were when
it was made: Python evaluates them then), and at each call the call ``f(*args, *more, **{**kw,
**more_kw})`` lowered as any call (a nested function inlined, a module-level one called, a
NumPy function as a primitive); a compile-time `Getter` (the keys' values when it was made, or
the attribute names, strings known now), whose call ``g(obj)`` is lowered as ``obj[k]`` /
``obj.a.b``, a tuple of them for several keys (as Python's getters return). Passed to a user
helper (``apply(functools.partial(gauss, s=s), x)``), either is itself there, its calls lowered as
here (`is_passed`, `passed`); given to ``map``/``filter``, made once and called per item
(`made_first`); used as a value otherwise (returned, stored), refused.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

import gast

from srcad.lower.values import NestedFn, PrimRef
from srcad.ssa.core import Operand, Var


@dataclass(eq=False)
class Partial:
    """A ``functools.partial`` object made here: the function's and the arguments' values."""

    fn: Any
    args: list
    kwargs: dict

    def __repr__(self) -> str:
        return "a `functools.partial` object made here (srcad lowers its calls)"

    def call(self, lw: Any, node: gast.Call) -> Operand:
        """``p(*more, **more_kw)`` at `node`."""
        n = _serial(lw)
        names = {f"$pf{n}": self.fn}
        args: list = [_load(f"$pf{n}", node)]
        for k, a in enumerate(self.args):
            names[f"$pa{n}_{k}"] = a
            args.append(_load(f"$pa{n}_{k}", node))
        given = {kw.arg for kw in node.keywords}
        keywords = []
        for k, v in self.kwargs.items():
            if k not in given:  # the call's own keyword wins, as in Python
                names[f"$pk{n}_{k}"] = v
                keywords.append(gast.keyword(arg=k, value=_load(f"$pk{n}_{k}", node)))
        call = gast.Call(func=args[0], args=args[1:] + node.args, keywords=keywords + node.keywords)
        return _lower_with(lw, names, gast.copy_location(call, node))


def make(lw: Any, node: gast.Call) -> Partial | None:
    """``functools.partial(f, *args, **kw)`` (no ``*``/``**`` unpacking): a `Partial`."""
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    if any(kw.arg is None for kw in node.keywords):
        return None
    fn = lw.expr(node.args[0])
    args = [_bound(lw, a) for a in node.args[1:]]
    kwargs = {kw.arg: lw.value(kw.value) for kw in node.keywords}
    return Partial(fn, args, kwargs)


def _bound(lw: Any, a: Any) -> Any:
    """A bound argument's value; a library function (``operator.add``) or a nested function or
    lambda stays the reference it is, so `f` calls it as it calls one written there
    (``partial(functools.reduce, operator.add)``)."""
    e = lw.expr(a)
    return e if isinstance(e, (PrimRef, NestedFn)) else lw.operand(e, a)


@dataclass(eq=False)
class Getter:
    """An ``operator.itemgetter`` (`keys`: the keys' values) or ``operator.attrgetter``
    (`attrs`: each dotted name split) object made here."""

    keys: list
    attrs: list[list[str]]
    method: tuple | None = None  # methodcaller: (name, args' values, keywords' values)

    def __repr__(self) -> str:
        kind = "itemgetter" if self.attrs == [] else "attrgetter"
        kind = "methodcaller" if self.method is not None else kind
        return f"an `operator.{kind}` object made here (srcad lowers its calls)"

    def call(self, lw: Any, node: gast.Call) -> Operand:
        """``g(obj)`` at `node`: ``obj[k]``, ``obj.a.b``, or the tuple of several."""
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], gast.Starred):
            raise lw.error(
                node,
                "a getter of `operator` is called with one object",
                "call it as `g(obj)`, as Python requires",
            )
        n = _serial(lw)
        names: dict[str, Any] = {f"$go{n}": lw.value(node.args[0])}
        obj = _load(f"$go{n}", node)
        if self.method is not None:  # methodcaller(name, *args, **kw)(obj): obj.name(...)
            name, args, kwargs = self.method
            names.update({f"$gk{n}_{k}": a for k, a in enumerate(args)})
            names.update({f"$gw{n}_{k}": v for k, v in kwargs.items()})
            call = gast.Call(
                func=gast.Attribute(value=obj, attr=name, ctx=gast.Load()),
                args=[_load(f"$gk{n}_{k}", node) for k in range(len(args))],
                keywords=[gast.keyword(arg=k, value=_load(f"$gw{n}_{k}", node)) for k in kwargs],
            )
            for x in (call, call.func):
                gast.copy_location(x, node)
            return _lower_with(lw, names, call)
        parts: list[Any] = []
        for k, key in enumerate(self.keys):
            names[f"$gk{n}_{k}"] = key
            parts.append(
                gast.Subscript(value=obj, slice=_load(f"$gk{n}_{k}", node), ctx=gast.Load())
            )
        for path in self.attrs:
            e: Any = obj
            for a in path:
                e = gast.Attribute(value=e, attr=a, ctx=gast.Load())
            parts.append(e)
        expr = parts[0] if len(parts) == 1 else gast.Tuple(elts=parts, ctx=gast.Load())
        for x in gast.walk(expr):
            if not isinstance(x, (gast.expr_context, gast.Name)):
                gast.copy_location(x, node)
        return _lower_with(lw, names, expr)


def make_itemgetter(lw: Any, node: gast.Call) -> Getter | None:
    """``operator.itemgetter(k, ...)`` (no ``*`` unpacking, at least one key): a `Getter`."""
    if not node.args or node.keywords or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    return Getter([lw.value(a) for a in node.args], [])


def make_attrgetter(lw: Any, node: gast.Call) -> Getter | None:
    """``operator.attrgetter("a.b", ...)`` of string constants: a `Getter`."""
    if not node.args or node.keywords:
        return None
    if not all(isinstance(a, gast.Constant) and isinstance(a.value, str) for a in node.args):
        return None  # (names computed when it runs: lowered as any call, refused)
    paths = [a.value.split(".") for a in node.args]
    if not all(p.isidentifier() for path in paths for p in path):
        return None
    return Getter([], paths)


def make_methodcaller(lw: Any, node: gast.Call) -> Getter | None:
    """``operator.methodcaller("name", *args, **kw)`` (a string constant, no unpacking): a
    `Getter` whose call ``g(obj)`` is ``obj.name(*args, **kw)``, the arguments' values taken now
    (as Python's)."""
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        return None
    first = node.args[0]
    if not (isinstance(first, gast.Constant) and isinstance(first.value, str)):
        return None
    if not first.value.isidentifier() or any(kw.arg is None for kw in node.keywords):
        return None
    args = [lw.value(a) for a in node.args[1:]]
    kwargs = {kw.arg: lw.value(kw.value) for kw in node.keywords}
    return Getter([], [], (first.value, args, kwargs))


def is_getter_call(lw: Any, node: Any) -> bool:
    """`node` is a call of ``operator.itemgetter`` / ``attrgetter`` / ``methodcaller`` (its
    callee read from a module or a global: no code runs to find it), or a name bound to a
    getter made here (``k = itemgetter(1)``)."""
    if isinstance(node, gast.Name):
        return isinstance(lw.env.get(node.id), Getter)
    maker = _maker_call(lw, node)  # (by identity: a global array would compare elementwise)
    return any(
        maker is m for m in (operator.itemgetter, operator.attrgetter, operator.methodcaller)
    )


def is_passed(lw: Any, node: Any) -> bool:
    """The argument node `node` is a getter (`is_getter_call`), a ``functools.partial(...)``
    call or a name bound to a `Partial` made here: passed into a helper as itself (not a value),
    its calls there are lowered as here (lower/fnargs.call_args)."""
    if isinstance(node, gast.Name) and isinstance(lw.env.get(node.id), Partial):
        return True
    return is_getter_call(lw, node) or _maker_call(lw, node) is functools.partial


def passed(p: Any, carry: Any) -> Any:
    """The `Partial`/`Getter` `p` passed into a helper: a nested function it holds (its `fn`,
    a bound argument) `carry`-ed, to run in the environment it was made in."""
    if type(p) is not Partial:  # (a Getter holds values; an Interpolant: scipy_calls.py)
        return p
    one = lambda v: carry(v) if isinstance(v, NestedFn) else v  # noqa: E731
    return Partial(one(p.fn), [one(a) for a in p.args], {k: one(v) for k, v in p.kwargs.items()})


def made_first(lw: Any, node: gast.Call, eager: bool) -> tuple[gast.Call, dict[str, Any]]:
    """``map(functools.partial(g, a), xs)`` (or ``filter``) consumed at once (`eager`:
    ``sum(map(...))``, ``list(map(...))``): the partial made now, once, before the iterables are
    read (Python evaluates the call's arguments in order), and bound to a name of its own -> (the
    call reading that name, {name: the `Partial`}) for the comprehension the call equals
    (fnvalues.rewrite_map) to call per item. Any other call: (`node`, {}); a lazy one (``m =
    map(...)``, a loop's iterable) runs its items when consumed, after statements that may rebind
    what `g` reads: left to the refusal of a partial used as a value."""
    fits = (
        eager
        and not node.keywords
        and len(node.args) >= 2
        and not isinstance(node.args[0], gast.Starred)
    )
    if not fits or _maker_call(lw, node.args[0]) is not functools.partial:
        return node, {}
    made = lw.expr(node.args[0])
    if not isinstance(made, Partial):
        return node, {}
    name = f"$mp{_serial(lw)}"
    out = gast.copy_location(
        gast.Call(func=node.func, args=[_load(name, node.args[0]), *node.args[1:]], keywords=[]),
        node,
    )
    return out, {name: made}


def maker(lw: Any, node: Any) -> Any:
    """The callee of the call `node` when read from a module or a global, else None."""
    return _maker_call(lw, node)


def _maker_call(lw: Any, node: Any) -> Any:
    """The callee of the call `node` when read from a module or a global (no code runs to find
    it), else None."""
    if not isinstance(node, gast.Call):
        return None
    root = node.func
    while isinstance(root, gast.Attribute):
        root = root.value
    if not isinstance(root, gast.Name) or isinstance(lw.env.get(root.id), Var):
        return None  # (a call's or a run-time object's attribute: reading it would be an op)
    known, obj = lw.static_object(lw.expr(node.func))
    return obj if known else None


def constant_getter(lw: Any, node: Any) -> bool:
    """`node` is ``operator.itemgetter``/``attrgetter``/``methodcaller`` of constants (no
    ``*``, no keywords): made anew per item it makes the same getter."""
    return (
        isinstance(node, gast.Call)
        and not node.keywords
        and all(isinstance(a, gast.Constant) for a in node.args)
        and is_getter_call(lw, node)
    )


def _serial(lw: Any) -> int:
    """A number for the names one call binds (`$pf3`, `$go3`): unique in the lowering."""
    n = getattr(lw, "_partial_n", 0) + 1
    lw._partial_n = n
    return n


def _lower_with(lw: Any, names: dict[str, Any], expr: Any) -> Operand:
    """`expr` lowered with `names` bound to their values (unbound afterwards)."""
    lw.env.update(names)
    try:
        return lw.expr(expr)
    finally:
        for k in names:
            del lw.env[k]


def _load(name: str, like: Any) -> gast.Name:
    return gast.copy_location(
        gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None), like
    )
