"""A generator expression, ``map`` or ``filter`` bound to a name runs where it is consumed.

Input: ``g = (f(v) for v in xs)`` (or ``g = map(f, xs)`` / ``filter(f, xs)``, or ``g =
terms(x)`` of a generator function, its arguments names, numbers and indexing) whose name
oneshot.py has checked is read once, outside loops that do not rebind it. Output: a `LazyGen` in
the environment; the read of ``g`` (``sum(g)``) lowers the comprehension there, with the
bindings of that moment, as Python's late binding does: a name the items read and that changes
between the two lines (``s = ...``, ``xs[0] = ...``) is seen, as Python sees it.

What Python evaluates when the generator is made, the first iterable (``xs``) and the function
of ``map``/``filter``, must still mean the same at the read: a name of theirs bound to another
value by then (``xs = ...`` or an update ``xs.append(v)``, which srcad's values make a rebinding)
is refused. An update through another name of the same object leaves a stale value to be read
at the read, which the mutation check (passes/alias.py) refuses. A `LazyGen` not consumed in the
block that made it (a branch, a loop body) is refused where the block ends.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from typing import Any

import gast
import numpy as np

from srcad import lazy
from srcad.lower import closures, fnvalues, generators, genglobals, genzip, scope
from srcad.lower.values import NestedFn

_partials = lazy.module("srcad.lower.partials")
_itervalues = lazy.module("srcad.lower.itervalues")  # (it imports what imports this module)


@dataclass(eq=False)
class LazyGen:
    """The comprehension a one-shot name stands for, and what Python evaluated when it was made."""

    comp: Any  # the GeneratorExp / ListComp (from `map`/`filter`) lowered at the read
    node: Any  # the expression written (for messages)
    seen: dict = field(default_factory=dict)  # name -> its binding when the generator was made
    used: bool = False
    depth: int = 0  # the inlining depth it was made at: read in another scope, names differ
    # module-level objects what Python evaluated at its making reads (``STATE[:]``), and the
    # statements still to run then, innermost level first (`_check_objects`)
    objs: dict = field(default_factory=dict)
    after: list = field(default_factory=list)


_MISSING = object()


_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _names(node: Any) -> set[str]:
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}


def make(lw: Any, target: Any, value: Any) -> LazyGen | None:
    """A `LazyGen` for ``name = <generator expression | map(...) | filter(...)>`` (or a call of
    ``itertools.chain``/``islice``/``pairwise``: lower/itervalues.py), else None."""
    if not isinstance(target, gast.Name) or target.id not in getattr(lw, "shot_names", ()):
        return None
    if _itervalues.lazy_call(lw, value):  # `p = itertools.pairwise(x)`: a generator over it
        value = _itervalues.wrapped(lw, value)
    if _generator_call(lw, value, set()):  # `g = terms(x)`: the call, lowered at the read
        seen = {n: lw.env.get(n, _MISSING) for n in sorted(_names(value))}
        return LazyGen(value, value, seen, depth=lw.inline_depth)
    if isinstance(value, gast.GeneratorExp):
        comp, early = value, _names(value.generators[0].iter)
    elif isinstance(value, gast.Call) and isinstance(value.func, gast.Name):
        if value.func.id not in ("map", "filter") or value.func.id in lw.env:
            return None
        if getattr(lw.expr(value.func), "name", None) not in ("map", "filter"):
            return None
        if _plain_partial(lw, value.args[0] if value.args else None):
            value, made = _partials.made_first(lw, value, True)  # made now, as Python makes it
            lw.env.update(made)  # (a name of its own, never rebound: read where `m` is read)
        comp = fnvalues.rewrite_map(value)
        if comp is None:
            return None
        f = value.args[0]
        early = set().union(*(_names(a) for a in value.args[1:]))
        early |= _names(f) if not isinstance(f, gast.Lambda) else set()
        if isinstance(f, gast.Lambda):
            early |= set().union(set(), *(_names(d) for d in f.args.defaults))
    else:
        return None
    what = "generator expression" if comp is value else f"`{value.func.id}` object"
    closures.check_lazy(lw, comp, what, False, now=False)  # its writes would run at the read
    seen = {n: lw.env.get(n, _MISSING) for n in sorted(early)}
    firsts = [value.generators[0].iter] if comp is value else value.args[1:]
    firsts = [a for a in firsts if not isinstance(a, gast.Name)]  # (a live iterator over it)
    objs = {k: v for a in firsts for k, v in genglobals.expr_reads(lw, a).items()}
    after = [r for _, r, d, _ in reversed(lw.later) if d == lw.inline_depth] if objs else []
    return LazyGen(comp, value, seen, depth=lw.inline_depth, objs=objs, after=after)


def _plain_partial(lw: Any, f: Any) -> bool:
    """``functools.partial(g, a, k=b)`` of names and constants (no ``*``/``**``, nothing that
    runs code): the partial of ``m = map(<it>, xs)`` is made where the map is (its arguments'
    values then, as Python's), bound to a name of its own the comprehension calls per item."""
    if not isinstance(f, gast.Call) or _partials.maker(lw, f) is not functools.partial:
        return False
    parts = [*f.args, *(k.value for k in f.keywords)]
    return all(k.arg is not None for k in f.keywords) and all(
        isinstance(p, (gast.Name, gast.Constant)) for p in parts
    )


def generator_call(lw: Any, nested: set[str]) -> Any:
    """The test oneshot.py applies to ``g = <call>``: a call of a generator function (one of the
    `nested` defs of the function, or a module-level one) whose arguments call nothing."""
    return lambda value: _generator_call(lw, value, nested) or _itervalues.lazy_call(lw, value)


def _generator_call(lw: Any, value: Any, nested: set[str]) -> bool:
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)):
        return False
    if not _generator_fn(lw, value.func.id, nested):  # (first: the cheaper test)
        return False
    parts = [*value.args, *(k.value for k in value.keywords)]
    if any(isinstance(n, (gast.Call, gast.Starred, gast.NamedExpr, gast.Lambda, gast.Yield))
           or isinstance(n, tuple(_COMPS)) for p in parts for n in gast.walk(p)):  # fmt: skip
        return False  # evaluated when the generator is made: only names, numbers, indexing
    return not any(k.arg is None for k in value.keywords)


def _generator_fn(lw: Any, name: str, nested: set[str]) -> bool:
    """Does `name` call a generator function?"""
    f = lw.env.get(name)
    if f is not None:  # a nested def (bound by now)
        return isinstance(f, NestedFn) and generators.is_generator_def(f.node)
    if name in nested:
        return True
    if name in lw.py_locals:
        return False
    return generators.is_generator_function(lw.ns.lookup(name)[1])


def check_returned(lw: Any, value: Any) -> None:
    """``return (f(v) for v in xs)`` (a `map`/`filter`, a name bound to one, or one in a returned
    tuple) from a function srcad lowers on its own: its items are computed here, Python's when
    the caller consumes them, after the caller may have changed a parameter's or a global's
    objects. Refused when they read one."""
    for p in value.elts if isinstance(value, (gast.Tuple, gast.List)) else [value]:
        if isinstance(p, gast.Name) and type(lw.env.get(p.id)) is LazyGen:
            p = lw.env[p.id].node
        if not isinstance(p, gast.GeneratorExp) and not (
            isinstance(p, gast.Call) and getattr(p.func, "id", None) in ("map", "filter")
        ):
            continue
        outer = sorted(n for n in closures.free_names(p) if n in lw.param_set or (
            n not in lw.py_locals and isinstance(lw.ns.lookup(n)[1], (list, dict, set, np.ndarray))
        ))  # fmt: skip
        if outer:
            raise lw.error(
                p,
                f"this function returns an iterator whose items read `{outer[0]}`: Python computes "
                "them when the caller consumes it (after any change the caller makes), srcad "
                "computes them here",
                "return a list (`[...]`), or consume it here",
            )


def force(lw: Any, g: LazyGen, at: Any) -> Any:
    """Lower `g`'s comprehension at its read `at`, with the current bindings."""
    _check_seen(lw, g, at)
    g.used = True
    if id(at) not in lw.eager:  # read here, consumed later (`h = ident(g)`)
        closures.check_later(lw, g.comp, "iterator", at)
    lw.eager.add(id(g.comp))
    return lw.expr(g.comp)


def _check_seen(lw: Any, g: LazyGen, at: Any) -> None:
    if lw.inline_depth != g.depth:  # `def h(s): return sum(g)`: h's names are not g's
        raise lw.error(
            at,
            "this iterator is made in one function and read in another (a nested function or "
            "lambda, or a helper srcad inlines); srcad reads its names where it is read",
            "consume it where it is made, or build a list (`[...]`)",
        )
    _check_objects(lw, g, at)
    for n, was in g.seen.items():
        if lw.env.get(n, _MISSING) is not was:
            raise lw.error(
                at,
                f"`{n}` is rebound or updated between the line that makes this iterator (line "
                f"{g.node.lineno}) and this read; Python's iterator holds the object `{n}` "
                "named when it was made",
                "consume it at once (`sum(... for v in xs)`), or build a list there "
                "(`[... for v in xs]`)",
            )


def _check_objects(lw: Any, g: LazyGen, at: Any) -> None:
    """Refuse the read `at` of `g` when a statement run since `g` was made may update a
    module-level object its first iterable read (``g = (v for v in STATE[:]); bump()``: Python
    iterates the copy made then, srcad evaluates ``STATE[:]`` at the read), through the
    functions it calls."""
    if not g.objs:
        return
    between: list = []
    for rest in g.after:  # (the statements after the making, up to the one reading `g`)
        hit = next((k for k, r in enumerate(rest) if any(n is at for n in gast.walk(r))), None)
        between += rest if hit is None else rest[: hit + 1]
        if hit is not None:
            break
    both = genglobals.overlap(g.objs, genglobals.stmt_writes(lw, between))
    if both:
        raise lw.error(
            at,
            f"`{both[0]}` may be updated between the line that makes this iterator (line "
            f"{g.node.lineno}) and this read (by a function called there); Python's iterator "
            "holds what its first iterable gave when it was made",
            "consume it at once, or build a list there (`[... for v in xs]`)",
        )


def leaving(lw: Any, name: str, value: Any, node: Any) -> None:
    """`value`, bound to `name`, leaves the branch or loop body that made it: refused unless it
    was consumed there (a consumed generator is empty: oneshot.py refuses reading it again)."""
    if isinstance(value, LazyGen) and not value.used:
        raise lw.error(
            value.node,
            f"`{name}` is an iterator made in a branch or loop body and read after it",
            "consume it where it is made, or build a list (`[...]`)",
        )


# -- a `for` loop over a generator ------------------------------------------------------------
def for_loop(lw: Any, s: gast.For) -> gast.For:
    """``for t in (e for v in xs if c): body`` (a generator expression, ``map``/``filter``, or a
    name bound to one) -> ``for v' in xs: if c': t = e'; body``: Python computes each item when
    the loop asks for it, after the body's previous run, so the body's updates of what the items
    read are seen (``v'`` is ``v`` renamed: the generator's variable is its own). Other
    generators inside the loop's iterable (``enumerate(e for v in xs)``) are computed before the
    loop starts: refused when the body rebinds or updates a name they read. -> the loop to lower."""
    comp, it = None, s.iter
    if isinstance(it, gast.Name) and type(lw.env.get(it.id)) is LazyGen:
        g = lw.env[it.id]
        _check_seen(lw, g, it)
        if isinstance(g.comp, gast.Call):  # `g = terms(x); for t in g`: over the call
            g.used = True
            loop = copy.copy(s)
            loop.iter = g.comp
            return loop
        comp = g.comp
    elif isinstance(it, gast.GeneratorExp):
        comp = it
    elif isinstance(it, gast.Call) and isinstance(it.func, gast.Name):
        if it.func.id in ("map", "filter") and it.func.id not in lw.env:
            if getattr(lw.expr(it.func), "name", None) == it.func.id:
                comp = fnvalues.rewrite_map(it)
    loop = _interleaved(lw, s, comp) if comp is not None else None
    if loop is not None:
        if type(lw.env.get(getattr(it, "id", ""))) is LazyGen:
            lw.env[it.id].used = True
        return loop
    _check_inner(lw, s)
    return s


def _interleaved(lw: Any, s: gast.For, comp: Any) -> gast.For | None:
    if len(comp.generators) != 1:
        return None
    gen = comp.generators[0]
    names: set[str] = set()
    scope._target_names(gen.target, names)
    inner = [comp.elt, *gen.ifs]
    for sub in (n for e in inner for n in gast.walk(e)):  # a nested scope binding them too
        if isinstance(sub, (gast.Lambda, gast.ListComp, gast.SetComp, gast.DictComp,
                            gast.GeneratorExp, gast.NamedExpr)):  # fmt: skip
            return None
    lw.lazy_loops = getattr(lw, "lazy_loops", 0) + 1
    fresh = {n: n if _unused(lw, n) else f"srcad_{n}_{lw.lazy_loops}" for n in sorted(names)}
    target, elt, ifs = (_renamed(x, fresh) for x in (gen.target, comp.elt, gen.ifs))
    item = gast.copy_location(gast.Assign(targets=[s.target], value=elt, type_comment=None), s)
    body: list = [item, *s.body]
    if ifs:
        test = ifs[0] if len(ifs) == 1 else gast.BoolOp(op=gast.And(), values=ifs)
        body = [gast.copy_location(gast.If(test=gast.copy_location(test, ifs[0]), body=body,
                                           orelse=[]), s)]  # fmt: skip
    loop = gast.For(target=target, iter=gen.iter, body=body, orelse=s.orelse, type_comment=None)
    return gast.copy_location(loop, s)


def _unused(lw: Any, name: str) -> bool:
    """`name` means nothing in the function (no local, no global): the loop may bind it."""
    return name not in lw.env and name not in lw.py_locals and lw.ns.lookup(name)[0] == "missing"


def _renamed(node: Any, fresh: dict) -> Any:
    node = copy.deepcopy(node)
    for n in (
        gast.walk(node) if not isinstance(node, list) else (m for x in node for m in gast.walk(x))
    ):
        if isinstance(n, gast.Name) and n.id in fresh:
            n.id = fresh[n.id]
    return node


def _check_inner(lw: Any, s: gast.For) -> None:
    """Generators inside the iterable of `s` run before the loop: refuse when its body rebinds
    or updates (``xs[i] = v``, ``xs.append(v)``) a name they read, or one a nested function
    they call reads."""
    reads: set[str] = set()
    objs: dict[int, str] = {}  # (module-level objects they read: a call in the body may update)
    for n in scope.walk(s.iter):
        if isinstance(n, gast.GeneratorExp) or (
            isinstance(n, gast.Call) and getattr(n.func, "id", None) in ("map", "filter")
        ):
            reads |= _names(n)
            objs.update(genglobals.expr_reads(lw, n))
        elif isinstance(n, gast.Name) and type(lw.env.get(n.id)) is LazyGen:
            reads |= _names(lw.env[n.id].comp)
            objs.update(genglobals.expr_reads(lw, lw.env[n.id].comp))
    if not reads:
        return
    for n in sorted(reads):  # ``map(f, xs)``, ``(f(k) for k in ..)``: what `f` reads runs then too
        f = lw.env.get(n)
        if isinstance(f, NestedFn):
            reads |= generators.enclosing_reads(lw, f.node)
    written = scope.changed(s.body) | set(getattr(lw, "enclosing_writes", ()))
    # (``np.sum(..)`` in the body is no update of `np`)
    both = sorted(n for n in reads & written if not genzip.module_call_only(lw, n, s.body, s.iter))
    if not both and objs:  # (``bump()`` in the body, updating a list the items read)
        both = genglobals.overlap(objs, genglobals.stmt_writes(lw, s.body))
    if both:
        raise lw.error(
            s.iter,
            f"this loop's iterable computes its items before the loop runs, and the body changes "
            f"`{both[0]}`, which they read; Python computes each item when the loop asks for it",
            "iterate the generator itself (`for t in (e for v in xs)`), or build a list first",
        )
