"""Methods of user classes named like NumPy's pure ones (``q.sum()``) that update the object,
and properties whose getter updates it.

Input: a lowered `Function` before it is optimised (`record`), then the same function and the
classes of its arguments when a transform knows them (`refuse`). Output: the method calls on
parameters the optimiser takes for NumPy's (``method.sum`` is pure, ``method.repeat`` has rules:
CSE merges the reads around them, DCE drops one whose value is unused), kept in
``fn.param_methods``; such calls on a value of no known class (``h.inner.sum()``, ``qs[0].sum()``,
a loop's variable) marked ``receiver_may_update``, which `fold.may_update`, CSE and DCE treat as
a call that may update what it reaches (Python's effect kept, at the cost of a merge); a
`SrcadError` when the argument's class defines that method itself and it may update the object
(it assigns to an attribute or item of ``self``, or calls one of its own methods): Python would
see the update, the optimised code would not. Likewise a read of a property whose getter may
update the object (``self.n += 1``): equal reads are merged, Python's count is lost. A read of an
attribute of a value of no known class (``h.inner.ticked``) may be such a property: marked
``read_may_update``, CSE does not merge it and DCE keeps it (Python's reads, one by one).
"""

from __future__ import annotations

import ast
import inspect
import types
from typing import Any

from srcad.ad.common import diff_error
from srcad.frontend.source import source_tree
from srcad.passes.fold import updates_operands
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.core import Function, Op, Var, walk_ops


def record(fn: Function, memo: dict | None = None) -> None:
    """Note the method calls on parameters with a pure record or rules (module docstring); mark
    the ones on a value that may be a user object of no known class (`_opaque`) as possibly
    updating it."""
    params = {p: k for k, p in enumerate(fn.params)}
    ops = ops_of(fn.body)  # (the shared walk: `ssa/census.py`)
    # the ops of these two kinds, found first: most functions have few (the definitions and
    # the callees are looked up only when one of them may read a value of an unknown class)
    found = [
        op
        for op in ops
        if op.prim.startswith(("attr.", "method.")) and op.args and type(op.args[0]) is Var
    ]
    if not found:
        return
    defs = shared_defs(ops, memo)  # (`memo`: `passes/prepare.py`'s, for both records)
    reg = default_registry()
    callees = None
    for op in found:
        p = op.prim
        if p.startswith("attr.") and op.args[0] not in params:
            d = defs.get(op.args[0])
            if _opaque(d):
                if callees is None:
                    callees = _callees_only(ops)
                # (a method looked up to be called is no property's read)
                name = p[len("attr.") :]
                if op.results[0] not in callees and not _plain_attribute(d, fn, name, defs):
                    op.params["read_may_update"] = True  # a property of an unknown class
            continue
        if not p.startswith("method."):
            continue
        if reg.get(p) is None or updates_operands(p):
            continue
        k = params.get(op.args[0])
        if k is not None:
            fn.param_methods.append((k, op))
        elif _opaque(defs.get(op.args[0])):
            op.params["receiver_may_update"] = True


def _opaque(op: Op | None) -> bool:
    """A value read out of an object or container (``h.inner``, ``qs[0]``), a call's result or
    a loop's variable (no defining op): its class is not known before the transform, and the
    optimiser must not take its ``.sum()`` for NumPy's."""
    return op is None or op.prim.startswith("attr.") or op.prim in _OPAQUE


_OPAQUE = frozenset({"getitem", "call", "global", "free", "method.__getitem__"})


def _callees_only(ops: list[Op]) -> set[Var]:
    """The values read only as the function a ``call`` calls (``f = o.m; f(x)``: a method
    looked up, not a property's value used)."""
    callee, other = set(), set()
    for op in ops:
        args = op.args
        if op.prim == "call" and args and type(args[0]) is Var:
            callee.add(args[0])
            args = args[1:]
        other.update(a for a in args if type(a) is Var)
        other.update(a for a in op.kwargs.values() if type(a) is Var)
        for b in op.blocks:
            other.update(y for y in b.yields if type(y) is Var)
    return callee - other


def _plain_attribute(d: Op | None, fn: Function, name: str, defs: dict) -> bool:
    """Is ``g.name`` of a global or closure value the lowering knows (or an attribute of one:
    ``itertools.chain``, ``MODEL.encoder``) a read without effects: of a module or a class
    (``srcad.grad``, ``itertools.chain.from_iterable``, ``Consts.c``), or of an object whose
    class has no property `name` with effects (``MODEL.loss``)?"""
    found, value = known_value(d, fn, defs)
    if not found:
        return False
    if isinstance(value, (types.ModuleType, type)):
        return True
    return not effectful_getter(type(value), name)


def known_value(d: Op | None, fn: Function, defs: dict, depth: int = 0) -> tuple[bool, object]:
    """(True, value) of a global or closure the lowering knows, or of a plain attribute of one
    (a module's, a class's, an instance's own field: no code runs to read it); else (False,
    None)."""
    if d is None or fn.namespace is None or depth > 4:
        return False, None
    if d.prim in ("global", "free"):
        where, value = fn.namespace.lookup(d.params.get("name", ""))
        return where in ("global", "free"), value
    if d.prim.startswith("attr.") and d.args and type(d.args[0]) is Var:
        found, base = known_value(defs.get(d.args[0]), fn, defs, depth + 1)
        name = d.prim[len("attr.") :]
        if not found:
            return False, None
        if isinstance(base, (types.ModuleType, type)):
            return (True, getattr(base, name)) if hasattr(base, name) else (False, None)
        own = getattr(base, "__dict__", None)
        if isinstance(own, dict) and name in own:
            return True, own[name]
    return False, None


def refuse(fn: Function, classes: dict[int, type]) -> None:
    """Refuse a recorded call whose argument's class has that method and it may update it, and
    a read of a property of an argument whose getter may update it (`effectful_getter`)."""
    for k, op in fn.param_methods:
        cls = classes.get(k)
        name = op.prim[len("method.") :]
        if cls is None or not may_update(inspect.getattr_static(cls, name, None), cls):
            continue
        raise diff_error(
            fn,
            op,
            f"`.{name}()` of a `{cls.__name__}` argument: `{cls.__name__}.{name}` may update the "
            f"object, and srcad's optimiser takes `.{name}()` for NumPy's (no effect)",
            f"give the method another name than NumPy's `.{name}()`, or build the object "
            "inside the differentiated function",
        )
    params = {p: k for k, p in enumerate(fn.params)}
    for op in walk_ops(fn.body):
        if op.prim.startswith("attr.") and op.args and type(op.args[0]) is Var:
            cls = classes.get(params.get(op.args[0], -1))
            if cls is not None and effectful_getter(cls, op.prim[len("attr.") :]):
                raise getter_error(fn, op, cls)


def effectful_getter(cls: type, name: str) -> bool:
    """Is ``cls.name`` a property whose getter may update the object (``self.n += 1``)? srcad
    merges equal reads (and may read again in the reverse sweep): not Python's count."""
    prop = inspect.getattr_static(cls, name, None)
    return isinstance(prop, property) and may_update(prop.fget, cls)


def getter_error(fn: Function, op: Op, cls: type) -> Exception:
    """The refusal of a read of a property of `cls` with effects (`effectful_getter`)."""
    name = op.prim[len("attr.") :]
    return diff_error(
        fn,
        op,
        f"the property `{cls.__name__}.{name}` may update the object when read, and srcad "
        "does not read it as many times as Python",
        f"make `{name}` a method and call it, or keep its getter free of updates",
    )


_MUTATORS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "sort",
     "reverse", "fill", "put", "resize", "add", "discard", "popitem", "__setitem__", "itemset"}
)  # fmt: skip


def _may_mutate(func: ast.expr, me: str, cls: type | None, seen: set, call: ast.Call) -> bool:
    """A call of `func` may update what it is called on: a method of the object itself
    (``self.step()``; with `cls`, only one that `may_update` itself; a static or class method
    only when `call` passes it `me`: it is given no ``self``), or an updating method of one of
    its fields (``self.hist.append(v)``)."""
    if not isinstance(func, ast.Attribute):
        return False
    if not isinstance(func.value, ast.Name):
        return func.attr in _MUTATORS
    if cls is None or func.value.id != me:
        return True
    own = inspect.getattr_static(cls, func.attr, None)  # ``self.domain()`` of a pure method
    if isinstance(own, (staticmethod, classmethod)) and not _may_shadow(cls, func.attr):
        return _static_updates(own, me, call)
    if not isinstance(own, types.FunctionType) or _may_shadow(cls, func.attr):
        return True
    if func.attr in seen:
        return False  # (recursion: the first visit decides)
    seen.add(func.attr)
    return may_update(own, cls, seen)


def _static_updates(own: Any, me: str, call: ast.Call) -> bool:
    """May the static or class method `own`, called at `call`, update an argument mentioning
    `me` (``self.norm(self.v)`` of a pure ``norm``: no; ``self.push(self.hist, v)`` appending:
    yes)? Each parameter such an argument binds is checked as `may_update` checks ``self``."""
    f = own.__func__
    names = list(f.__code__.co_varnames[: f.__code__.co_argcount])
    names = names[1:] if isinstance(own, classmethod) else names
    mine = lambda a: any(isinstance(v, ast.Name) and v.id == me for v in ast.walk(a))  # noqa: E731
    bound = [(names[i] if i < len(names) else None, a) for i, a in enumerate(call.args)]
    bound += [(k.arg if k.arg in names else None, k.value) for k in call.keywords]
    return any(mine(a) and (p is None or may_update(f, None, None, p)) for p, a in bound)


def _may_shadow(cls: type, name: str) -> bool:
    """May an instance of `cls` hold its own attribute `name` (a function stored in a field,
    called instead of the method)? Some function of the class stores an attribute of that
    name, or calls ``setattr`` / reads ``__dict__`` (unreadable source: assumed to)."""
    for k in cls.__mro__[:-1]:
        for f in vars(k).values():
            f = f.fset if isinstance(f, property) else f
            if not isinstance(f, types.FunctionType):
                continue
            tree = source_tree(f)
            if tree is None:
                return True
            for n in ast.walk(tree):
                if isinstance(n, ast.Attribute) and (
                    (n.attr == name and isinstance(n.ctx, ast.Store)) or n.attr == "__dict__"
                ):
                    return True
                if isinstance(n, ast.Name) and n.id == "setattr":
                    return True
    return False


def may_update(
    attr: object, cls: type | None = None, seen: set | None = None, me: str | None = None
) -> bool:
    """A Python function that assigns to an attribute or item of its first parameter (or of
    the parameter `me`), or calls a method that may update it (`_may_mutate`; unreadable
    source: assumed to). `cls`: the class `attr` is looked up on, whose own methods it calls
    through its first parameter are read in turn (else any such call is taken to update it)."""
    if not isinstance(attr, types.FunctionType):
        return False
    tree = source_tree(attr)
    if tree is None:
        return True
    args = attr.__code__.co_varnames[: attr.__code__.co_argcount]
    if not args:
        return False
    me = args[0] if me is None else me
    seen = {attr.__name__} if seen is None else seen
    for n in ast.walk(tree):
        targets = (
            n.targets if isinstance(n, ast.Assign)
            else [n.target] if isinstance(n, (ast.AugAssign, ast.AnnAssign))
            else n.targets if isinstance(n, ast.Delete)
            else [n.func.value] if isinstance(n, ast.Call) and _may_mutate(n.func, me, cls, seen, n)
            else []
        )  # fmt: skip
        while any(isinstance(t, (ast.Tuple, ast.List)) for t in targets):  # `self.a, b = ...`
            targets = [e for t in targets for e in (t.elts if hasattr(t, "elts") else [t])]
        for t in targets:
            if isinstance(t, (ast.Attribute, ast.Subscript)) or isinstance(n, ast.Call):
                root = t
                while isinstance(root, (ast.Attribute, ast.Subscript)):
                    root = root.value
                if isinstance(root, ast.Name) and root.id == me:
                    return True
    return False
