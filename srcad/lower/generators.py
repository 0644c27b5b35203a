"""Generator functions used as helpers: a call consumed whole is the list of what it yields.

Input: the lowerer at a call of a generator function (a ``def`` whose body has ``yield``: a
module-level or closure function known now, or a nested ``def`` of the lowered function), and the
call node. Output: the call's value, the list of the items the generator yields, computed where
the call stands by the body rewritten into one that builds the list (then inlined like any other
helper: lower/varargs.py, lower/closures.py)::

    def terms(x):                         def terms(x):
        for k in range(5):                    $items = []
            yield x ** k / fact(k)            for k in range(5):
                                                  $items.append(x ** k / fact(k))
                                              return $items

``yield from it`` appends the items of `it`; ``return`` ends the list (a returned value is the
``StopIteration`` value consumers drop: it is computed, then dropped).

Python runs a generator's body item by item as it is consumed; computing the items first is the
same where the consumer runs no user code in between: an argument of ``sum``/``list``/
``tuple``/``sorted``/``max``/``min``/``math.fsum``/... (`closures.CONSUMERS`), or the iterable
of a ``for`` loop whose body neither leaves the loop early (``break``, ``return``: Python would
not run the rest), nor rebinds or updates a name the call's arguments read (`check_later`), while
the generator's body writes into nothing but its own names. ``itertools.islice(gen(x), stop)``
consumed at once builds the first `stop` items and returns (the body runs up to that yield, as
under Python's islice, so an endless generator is fine). Other uses (``next(g)``, ``any``, a
generator stored or passed on, ``x = yield v``) stay refused.
"""

from __future__ import annotations

import copy
import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source, namespace_of
from srcad.lower import closures, genglobals, genzip, scope, varargs
from srcad.lower.objstate import PREFIX
from srcad.lower.values import NestedFn
from srcad.ssa.core import Operand

_ITEMS = "$items"
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)
_COMPS = (gast.ListComp, gast.GeneratorExp, gast.DictComp, gast.SetComp)


def is_generator_function(obj: Any) -> bool:
    """A plain Python generator function (not a coroutine nor an async generator)."""
    return isinstance(obj, types.FunctionType) and bool(
        obj.__code__.co_flags & inspect.CO_GENERATOR
    )


def is_generator_def(node: Any) -> bool:
    """`node` (a nested def) yields in its own body."""
    return isinstance(node, gast.FunctionDef) and any(True for _ in _own_yields(node.body))


def _own(stmts: list) -> Any:
    """The nodes of `stmts`, not entering nested functions, lambdas or classes."""
    todo = list(reversed(stmts))
    while todo:
        n = todo.pop()
        yield n
        if not isinstance(n, _SCOPES):
            todo.extend(reversed(list(gast.iter_child_nodes(n))))


def _own_yields(stmts: list) -> Any:
    return (n for n in _own(stmts) if isinstance(n, (gast.Yield, gast.YieldFrom)))


def list_builder(lw: Any, fnode: gast.FunctionDef, call: gast.Call, name: str) -> Any:
    """A copy of the generator def `fnode` whose body builds and returns the list of its items
    (refused when a ``yield`` is used as a value: ``x = yield v`` receives what ``send`` sends)."""
    out = copy.deepcopy(fnode)
    for n in _own(out.body):
        if isinstance(n, gast.Expr) and isinstance(n.value, (gast.Yield, gast.YieldFrom)):
            n.value.srcad_stmt = True
    for n in _own_yields(out.body):
        if not getattr(n, "srcad_stmt", False):
            raise lw.error(
                n,
                f"`{name}` uses the value of a `yield` (what `send` passes in); srcad supports "
                "generators that only yield their items",
                "yield the items, and pass other values as arguments",
            )
    limit = getattr(lw, "gen_limits", {}).get(id(call))  # (``islice(gen(x), 6)``)
    out.body = [_assign_items(fnode), *_rewrite(out.body, limit), _return_items(fnode)]
    # kept while this lowering runs: `lw.eager` and other sets hold node ids
    lw.__dict__.setdefault("kept_trees", []).append(out)
    return out


def _load(name: str, at: Any) -> gast.Name:
    return gast.copy_location(gast.Name(name, gast.Load(), None, None), at)


def _assign_items(at: Any) -> gast.stmt:
    target = gast.Name(_ITEMS, gast.Store(), None, None)
    lst = gast.copy_location(gast.List([], gast.Load()), at)
    return gast.copy_location(gast.Assign([gast.copy_location(target, at)], lst), at)


def _return_items(at: Any, copy: bool = False) -> gast.stmt:
    items = _load(_ITEMS, at)
    if copy:  # `$items[:]`
        whole = gast.copy_location(gast.Slice(None, None, None), at)
        items = gast.copy_location(gast.Subscript(items, whole, gast.Load()), at)
    return gast.copy_location(gast.Return(items), at)


def _append(value: Any, at: Any) -> gast.stmt:
    method = gast.copy_location(gast.Attribute(_load(_ITEMS, at), "append", gast.Load()), at)
    call = gast.copy_location(gast.Call(method, [value], []), at)
    return gast.copy_location(gast.Expr(call), at)


def _full(limit: int, at: Any) -> gast.stmt:
    """``if len($items) >= limit: return $items``: Python's ``islice(gen(x), limit)`` runs the
    body up to the yield of that item, and never resumes it."""
    n = gast.Call(_load("len", at), [_load(_ITEMS, at)], [])
    cond = gast.Compare(gast.copy_location(n, at), [gast.GtE()], [gast.Constant(limit, None)])
    test = gast.copy_location(cond, at)
    return gast.copy_location(gast.If(test, [_return_items(at, copy=True)], []), at)


def _rewrite(stmts: list, limit: int | None = None) -> list:
    """`stmts` with each ``yield`` statement an append and each ``return`` the list's; with a
    `limit`, the list is returned once it holds that many items (`_full`)."""
    out: list = []
    for s in stmts:
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Yield):
            v = s.value.value
            out.append(_append(v if v is not None else gast.Constant(None, None), s))
            if limit is not None:
                out.append(_full(limit, s))
        elif isinstance(s, gast.Expr) and isinstance(s.value, gast.YieldFrom):
            item = gast.copy_location(gast.Name("$item", gast.Store(), None, None), s)
            body = [_append(_load("$item", s), s)]
            if limit is not None:
                body.append(_full(limit, s))
            loop = gast.For(item, s.value.value, body, [], None)
            out.append(gast.copy_location(loop, s))
        elif isinstance(s, gast.Return):
            if s.value is not None:  # computed (it may raise), then dropped
                out.append(gast.copy_location(gast.Expr(s.value), s))
            out.append(_return_items(s, copy=True))  # (appends may follow in the IR)
        elif isinstance(s, _SCOPES):
            out.append(s)
        else:
            for field in ("body", "orelse", "finalbody"):
                if isinstance(getattr(s, field, None), list):
                    setattr(s, field, _rewrite(getattr(s, field), limit))
            for h in getattr(s, "handlers", None) or []:
                h.body = _rewrite(h.body, limit)
            out.append(s)
    return out


def check_consumed(
    lw: Any,
    node: gast.Call,
    fnode: Any,
    name: str,
    static: bool = False,
    ns: Any = None,
    own: str | None = None,
) -> None:
    """Refuse the call `node` of the generator `name` (def `fnode`) unless it is consumed whole
    with no user code run between its items (see the module docstring). `static`: a function
    known now (not a nested def of the lowered function), which cannot read its locals; `ns`:
    where its names resolve (default: the lowered function's namespace); `own`: a parameter
    naming an object no other code reaches (an iterator made in the loop's header, its
    ``__next__``'s `self`: lower/selfiter.py), whose fields the generator may set."""
    it, owner = getattr(lw, "iterating", (None, None))
    pulled = genzip.pulled_arg(lw, it, node) if isinstance(owner, (gast.For, *_COMPS)) else None
    if id(node) in lw.eager or (id(node) in getattr(lw, "gen_limits", ()) and not pulled):
        return  # (consumed at once; ``islice(gen(x), 6)``: its first 6 items, `_full`)
    if _enumerated(lw, it, node):  # `for i, t in enumerate(gen(x))`
        it = node
    elif pulled == "islice" or (  # ``for v in islice(gen(x), 5)``: its first 5 items
        pulled == "zip"  # ``for a, b in zip(gen1(x), gen2(x))``
        and genzip.finite_pure(fnode, ns or lw.ns, frozenset() if static else frozenset(lw.env))
    ):
        it = node
    elif pulled == "zip" and (seqs := genzip.loop_params(fnode)):  # `for e in v`, `v` a list
        local = frozenset() if static else frozenset(lw.env)
        if genzip.finite_pure(fnode, ns or lw.ns, local, seqs):
            if genzip.check_sequences(lw, fnode, node, seqs):
                it = node
    if it is node and isinstance(owner, (gast.For, *_COMPS)):
        if (
            isinstance(owner, gast.For)
            and scope.has_break_or_return(owner.body)
            and not genzip.finite_pure(
                fnode, ns or lw.ns, frozenset() if static else frozenset(lw.env)
            )
        ):  # (one that ends and changes nothing: its items past the break are only unused)
            raise lw.error(
                node,
                f"a `for` loop over the generator `{name}(...)` that may leave early (`break`, "
                "`return`): Python stops running the generator there, srcad computes its items "
                "first",
                f"loop over `list({name}(...))` if every item may be computed",
            )
        if writes_into(fnode.body, own):
            raise lw.error(
                node,
                f"the generator `{name}` writes into an object while a loop runs its items; "
                "srcad computes its items first",
                f"loop over `list({name}(...))` if that is what you mean",
            )
        if isinstance(owner, _COMPS):
            writes = closures.comprehension_writes(lw, owner)
            if static and _locals_only(lw, writes):
                writes = set()  # (``if (v := f(x)) > 0``: `v` is the function's own name)
            elif static and all(w.startswith(PREFIX) for w in writes):
                if genzip.objects_unreached(lw, owner, node):
                    writes = set()  # (fields of objects built here: out of its reach)
            if writes or _calls_method_of(owner, node):
                raise lw.error(
                    node,
                    f"this comprehension writes while the generator `{name}` runs its items; "
                    "srcad computes its items first",
                    f"iterate over `list({name}(...))` if that is what you mean",
                )
            return
        if isinstance(owner, gast.For):  # (module-level objects the loop body updates)
            genglobals.check(lw, fnode, ns or lw.ns, owner, name, not static)
        extra = frozenset() if static else enclosing_reads(lw, fnode)
        closures.check_later(lw, node, f"call of the generator `{name}`", extra=extra)
        return
    if pulled == "zip":
        raise lw.error(
            node,
            f"`zip` pulls items of the generator `{name}` only until its shortest argument ends; "
            "srcad computes all of them first, which is the same only for a generator that "
            "ends and calls nothing that changes state (no `while`, `for` over `range(...)`, "
            "calls of builtins and NumPy/math functions only)",
            f"loop over `zip(list({name}(...)), ...)` if every item may be computed",
        )
    raise lw.error(
        node,
        f"`{name}` is a generator; srcad supports its call consumed at once (`sum({name}(...))`, "
        f"`list(...)`, `max`, `sorted`, ...) or as the iterable of a `for` loop",
        f"write `list({name}(...))` where it is called",
    )


def enclosing_reads(lw: Any, fnode: Any) -> frozenset[str]:
    """The names of the lowered scope the nested def `fnode` reads when it runs, through the
    nested functions it calls too (``yield val(k)``, `val` reading `c`): a ``for`` loop over
    the generator whose body rebinds or updates one of them changes the items Python yields
    after it, which srcad computes before the loop."""
    seen: set[str] = set()
    todo = [fnode]
    done: set[int] = set()
    while todo:
        f = todo.pop()
        if id(f) in done:
            continue
        done.add(id(f))
        for n in scope.function_reads(f):
            v = lw.env.get(n)
            if v is None or isinstance(v, types.ModuleType):
                continue  # (a global, `np`: `np.sum(...)` in the loop is no update)
            seen.add(n)
            if isinstance(v, NestedFn):
                todo.append(v.node)
    return frozenset(seen)


def _enumerated(lw: Any, it: Any, node: gast.Call) -> bool:
    """`it` is ``enumerate(node)`` (the builtin; a start given or not)."""
    if not isinstance(it, gast.Call) or not it.args or it.args[0] is not node:
        return False
    f = it.func
    return isinstance(f, gast.Name) and f.id not in lw.env and lw.ns.lookup(f.id)[1] is enumerate


def _calls_method_of(comp: Any, call: gast.Call) -> bool:
    """The comprehension `comp` calls a method of a name the arguments of `call` read."""
    f = getattr(call, "func", None)  # (an object's name, iterated: lower/objiter.py)
    names = closures.free_names(call) - ({f.id} if isinstance(f, gast.Name) else set())
    parts = [comp.elt] if hasattr(comp, "elt") else [comp.key, comp.value]
    parts += [c for g in comp.generators for c in g.ifs]
    for n in (m for p in parts for m in gast.walk(p)):
        f = n.func if isinstance(n, gast.Call) else None
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            if f.value.id in names:
                return True
    return False


def _locals_only(lw: Any, writes: set[str]) -> bool:
    """`writes` are all plain names of the function being lowered (not inlined into another),
    which declares nothing ``global``/``nonlocal``: no function known before it can read them."""
    root = getattr(lw, "root", None)
    if root is None or lw.inline_depth or any(w.startswith(PREFIX) for w in writes):
        return False
    return not any(isinstance(n, (gast.Global, gast.Nonlocal)) for n in gast.walk(root))


def writes_into(stmts: list, own: str | None = None) -> bool:
    """`stmts` (not their nested functions) store into an item or attribute (but an attribute
    of the name `own`: ``self.i += 1``), or call a method as a statement (``xs.append(v)``)."""
    for n in _own(stmts):
        targets: list = []
        if isinstance(n, gast.Assign):
            targets = n.targets
        elif isinstance(n, (gast.AugAssign, gast.AnnAssign)):
            targets = [n.target]
        elif isinstance(n, gast.Delete):
            return True
        elif isinstance(n, gast.Expr) and isinstance(n.value, gast.Call):
            if isinstance(n.value.func, gast.Attribute):
                return True
        for t in targets:
            if own is not None and _field_of(t, own):
                continue
            if any(isinstance(m, (gast.Subscript, gast.Attribute)) for m in gast.walk(t)):
                return True
    return False


def _field_of(t: Any, own: str) -> bool:
    """`t` is ``own.attr``."""
    return isinstance(t, gast.Attribute) and isinstance(t.value, gast.Name) and t.value.id == own


def call_static(lw: Any, fn: types.FunctionType, node: gast.Call, max_depth: int) -> Operand:
    """The call `node` of the generator function `fn` known now."""
    src = get_source(fn)
    check_consumed(lw, node, src.node, fn.__name__, static=True, ns=namespace_of(fn))
    tree = list_builder(lw, src.node, node, fn.__name__)
    return varargs.inline_call(lw, fn, node, max_depth, tree=tree)


def call_nested(lw: Any, f: NestedFn, node: gast.Call, max_depth: int) -> Operand:
    """The call `node` of the generator `f`, a nested def of the lowered function."""
    check_consumed(lw, node, f.node, f.name)
    tree = list_builder(lw, f.node, node, f.name)
    g = NestedFn(tree, f.name, f.defaults, f.depth, kw_defaults=f.kw_defaults)
    return closures.inline(lw, g, node, max_depth)
