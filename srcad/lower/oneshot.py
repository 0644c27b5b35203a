"""One-shot iterators bound to a name: Python consumes them once, srcad lowers them to lists.

Input: a function's gast tree. Output: `check_one_shot(node, error)` raises `error(node, message,
hint)` (a `LoweringError`) at a read of a name bound to a generator expression, or to a call of
`map`, `filter`, `enumerate` or `reversed` (or of ``itertools.chain``/``islice``/``pairwise``:
the `gen_call` test, lower/itervalues.py), that may not be the iterator's only consumption: a
second read of the name, or a read inside a loop (or comprehension body) that does not also
rebind it. srcad makes each of these a list, which every read sees in full; Python's second
``sum(g)`` sees an exhausted iterator (0), and ``any(g)`` leaves the rest for the next reader.
One read, outside loops, is what the lowering means (``g = (v * v for v in x); sum(g)``).
An ``iter(xs)`` bound to a name stays a Python iterator (`next` and `islice` are Python's), but
a ``for`` loop over it, `zip`, `enumerate`, a comprehension... take all of it: refused when
Python would leave some for another read, or when such a read may run in a loop srcad does not
thread the iterator through (`check_iters`). A read taking all of it (``sum(it)``, ``list(it)``,
a ``for`` without ``break``), where the name is read again or in a loop, takes what is left then
(``_srcad.rest_of(it)``, an op with effects): ``a = list(it); b = list(it)`` gives ``b == []``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import gast

from srcad.frontend.source import get_source
from srcad.lower import scope

_ONE_SHOT_CALLS = frozenset({"map", "filter", "enumerate", "reversed"})
# a parameter passed to these is read once by them; passed to anything else (a user function
# that may read it twice, `_fwd(it)` -> `_twice(it)`) it counts as read again
_READ_ONCE = frozenset({"sum", "list", "tuple", "sorted", "max", "min", "any", "all", "set",
                        "dict", "enumerate", "zip", "map", "filter", "iter", "next", "len"})  # fmt: skip
_MODULES = frozenset({"np", "numpy", "math", "statistics", "functools", "itertools", "operator"})
_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _one_shot(value: gast.AST, gen_call: Callable[[gast.AST], bool] | None = None) -> bool:
    if isinstance(value, gast.GeneratorExp):
        return True
    if gen_call is not None and gen_call(value):  # `g = terms(x)`, a generator function's
        return True
    f = value.func if isinstance(value, gast.Call) else None
    return isinstance(f, gast.Name) and f.id in _ONE_SHOT_CALLS


def _is_call(value: gast.AST, name: str) -> bool:
    f = value.func if isinstance(value, gast.Call) else None
    return isinstance(f, gast.Name) and f.id == name


# calls that take all of the iterator they are given (Python's and srcad's alike)
_TAKE_ALL = frozenset({"list", "tuple", "sum", "max", "min", "sorted", "set", "dict"})
_WHOLE_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp)


def _call_name(n: gast.AST) -> str | None:
    f = n.func if isinstance(n, gast.Call) else None
    return f.id if isinstance(f, gast.Name) else getattr(f, "attr", None)


def _read_kind(n: gast.AST, up: list[gast.AST | None]) -> str:
    """How the read `n` of an ``iter(xs)`` name reads the iterator: "python" for `next` and
    `islice` of it (Python's: lower/iterzip.listed_chain leaves islice alone); "all" for a call
    that takes all of it, a ``for`` loop over it that cannot stop early, an unpacking, or the
    first iterable of a comprehension that cannot (a list/set/dict one, or a generator
    expression a call that takes all consumes), as srcad's listing does; else "part"
    (``enumerate(it)``, ``any(v for v in it)``, ``takewhile(p, it)``, a loop with ``break``).
    `up`: the parent of `n`, its parent and that one's."""
    parent, grand, outer = up
    if isinstance(parent, gast.For):
        stops = any(isinstance(b, (gast.Break, gast.Return)) for b in scope.walk(parent))
        return "all" if parent.iter is n and not stops else "part"
    if isinstance(parent, gast.Assign):  # `a, *rest = it` takes all (or raises)
        whole = all(isinstance(t, (gast.Tuple, gast.List)) for t in parent.targets)
        return "all" if parent.value is n and whole else "part"
    if isinstance(parent, gast.Call):
        name = _call_name(parent)
        if not parent.args or parent.args[0] is not n:
            return "part"
        if name in ("next", "islice"):
            return "python"
        return "all" if name in _TAKE_ALL and len(parent.args) == 1 else "part"
    if isinstance(parent, gast.comprehension) and parent.iter is n:
        comp = grand
        if comp is None or comp.generators[0] is not parent:
            return "part"
        if isinstance(comp, _WHOLE_COMPS) or (
            isinstance(comp, gast.GeneratorExp)
            and _call_name(outer) in _TAKE_ALL
            and outer.args == [comp]
            and _no_keywords(outer)
        ):
            return "all"
    return "part"


def _no_keywords(call: gast.Call) -> bool:
    """No keyword but ``default=`` of `max`/`min` (taken only when nothing is left)."""
    ok = ["default"] if _call_name(call) in ("max", "min") else []
    return [k.arg for k in call.keywords] in ([], ok)


_AGAIN = (gast.For, gast.While, gast.FunctionDef, gast.Lambda, *_COMPS)
# loops and comprehensions lowered in place, each pass in order: a read there runs when Python's does
_IN_PLACE = (gast.For, gast.While, *_WHOLE_COMPS)


def _reruns(n: gast.AST, parents: dict[int, gast.AST], binds: set[int]) -> list[gast.AST]:
    """The loops, comprehensions and nested functions around the read `n` that may run it again
    without running a binding of its name first (`binds`: the ids of the nodes around those
    bindings); the iterable of a ``for`` or the first of a comprehension runs once."""
    out = []
    child, p = n, parents.get(id(n))
    while p is not None:
        once = (isinstance(p, gast.For) and p.iter is child) or (
            isinstance(p, _COMPS) and p.generators[0] is child
        )
        if isinstance(p, _AGAIN) and not once and id(p) not in binds:
            out.append(p)
        child, p = p, parents.get(id(p))
    return out


def _in_place(loop: gast.AST, parents: dict[int, gast.AST]) -> bool:
    """`loop` runs its passes where Python does: a loop, a list/set/dict comprehension, or a
    generator expression handed straight to a call (``sum(sum(it) for _ in r)``)."""
    if isinstance(loop, _IN_PLACE):
        return True
    call = parents.get(id(loop))
    return isinstance(loop, gast.GeneratorExp) and isinstance(call, gast.Call) and loop in call.args


def _reader(n: gast.AST, kind: str, up: list[gast.AST | None]) -> gast.AST | None:
    """The node a read taking all of the iterator (`kind` "all") consumes it in: the call, the
    ``for``, the comprehension or the unpacking; another read inside it would interleave."""
    parent, grand, _ = up
    if kind != "all":
        return None
    return grand if isinstance(parent, gast.comprehension) else parent


def check_iters(
    node: gast.AST,
    iters: set[str],
    error: Callable[..., Exception],
    threaded: Callable[[], set[str]],
    unthread: Callable[[str], None],
) -> frozenset[int]:
    """``it = iter(xs)``: srcad keeps the iterator (``next(it)`` and ``islice(it, k)`` are
    Python's), but a ``for`` loop over it, `zip`, `enumerate`, a generator expression and the
    other readers take all of it at once. Refused where Python may leave the rest for another
    read: a read that may take part of it (`_read_kind`) when the name is read elsewhere or
    again, or one taking all of it that a nested function or a lazy generator may run again.
    `threaded()`: the names lower/iterstate.py lowers as (items, position) pairs; one read
    again by a loop around it, which would have to carry the pair, is left a Python iterator
    (`unthread(name)`). -> the ids of the other names' reads taking all of it that must take
    what is left when they run (``_srcad.rest_of``): the name is read elsewhere, or the read
    may run again in a loop or comprehension lowered in place."""
    parents: dict[int, gast.AST] = {}
    for n in scope.walk(node):
        for c in scope.children(n):
            parents[id(c)] = n
    binds: dict[str, set[int]] = {}  # name -> the ids of the nodes around its bindings
    bound: dict[str, bool] = {}  # name -> every binding is ``name = iter(...)``
    reads: dict[str, list[tuple[gast.AST, str, gast.AST | None]]] = {}
    for n in scope.walk(node):
        if not (isinstance(n, gast.Name) and n.id in iters):
            continue
        if not isinstance(n.ctx, gast.Load):
            p = parents.get(id(n))
            bound[n.id] = (
                bound.get(n.id, True)
                and isinstance(p, gast.Assign)
                and (p.targets == [n] and _is_call(p.value, "iter"))
            )
            while p is not None:
                binds.setdefault(n.id, set()).add(id(p))
                p = parents.get(id(p))
            continue
        up = [parents.get(id(n))]
        for _ in range(3):
            up.append(parents.get(id(up[-1])))
        at, p = (up[0], up[1:]) if _enumerated(n, up[0]) else (n, up[:3])
        kind = _read_kind(at, p)  # (``enumerate(it)``: as the enumerate call is read)
        reads.setdefault(n.id, []).append((n, kind, _reader(at, kind, p)))
    out: set[int] = set()
    for name, rs in reads.items():
        mine = binds.get(name, set())
        sorted_reads = []
        for r, kind, at in rs:
            if at is not None and any(_inside(o, at, parents) for o, _, _ in rs if o is not r):
                kind = "part"  # (``for v in it: w = next(it)``: the reads interleave)
            sorted_reads.append((r, kind, _reruns(r, parents, mine) if kind != "python" else []))
        pairs = name in threaded()
        if pairs and any(k == "all" and again for _, k, again in sorted_reads):
            unthread(name)  # (a pair a loop would have to carry: Python's iterator instead)
            pairs = False
        first = next((r for r, k, _ in sorted_reads if k == "all"), None)
        for r, kind, again in sorted_reads:
            shared = len(rs) > 1 or bool(again)
            if kind == "part" and shared:
                why = (
                    "this read may take only part of it (a `break`, `any`, `zip`, a read "
                    "inside it...) and the name is read again elsewhere or in a loop: Python's "
                    "next read sees what this one leaves, srcad would list all of it"
                )
            elif kind == "all" and not all(_in_place(p, parents) for p in again):
                why = (
                    "this read takes all of it, inside a function or generator srcad may not "
                    "run where Python does: Python's next pass finds it exhausted, srcad would "
                    "list the items again"
                )
            elif kind == "all" and not (pairs or bound.get(name)) and (again or r is not first):
                why = (
                    "the name is bound to other values too, and read again elsewhere or in a "
                    "loop: srcad would list all of it again"
                )
            else:
                why = None
            if why is not None:
                raise error(
                    r,
                    f"`{name}` is an iterator: {why}",
                    f"make it a list (`{name} = list(...)`) and index it",
                )
            if kind == "all" and shared and not pairs and bound.get(name):
                out.add(id(r))
    return frozenset(out)


def _enumerated(n: gast.AST, parent: gast.AST | None) -> bool:
    """`n` is the iterable of ``enumerate(n[, start])``."""
    return (
        isinstance(parent, gast.Call)
        and _call_name(parent) == "enumerate"
        and isinstance(parent.func, gast.Name)
        and 0 < len(parent.args) <= 2
        and parent.args[0] is n
        and all(k.arg == "start" for k in parent.keywords)
    )


def _inside(n: gast.AST, at: gast.AST, parents: dict[int, gast.AST]) -> bool:
    p = parents.get(id(n))
    while p is not None and p is not at:
        p = parents.get(id(p))
    return p is at


# calls whose iterator a slice of takes only a part of (``islice``): Python's lazy islice stays
_PARTLY_READ = frozenset({"iter", "cycle", "count", "repeat"})


def partly_read_names(found: list[gast.Assign]) -> frozenset[str]:
    """Names bound (in any of the ``x = v`` statements `found`) to ``iter(xs)`` or to an endless
    ``itertools.cycle/count/repeat``: ``islice(it, 2)`` of one takes two items and leaves the rest
    for the next read (``rest = list(it)``), or would never end if listed first
    (lower/iterzip.listed_chain)."""
    out = set()
    for s in found:
        f = s.value.func if isinstance(s.value, gast.Call) else None
        name = f.id if isinstance(f, gast.Name) else getattr(f, "attr", None)
        if name in _PARTLY_READ:
            out.add(s.targets[0].id)
    return frozenset(out)


def iter_reads(
    node: gast.AST,
    found: list[gast.Assign],
    shot: set[str],
    error: Callable[..., Exception],
    threaded: Callable[[], set[str]],
    unthread: Callable[[str], None],
) -> frozenset[int]:
    """`check_iters` of the names bound to ``iter(xs)`` in `found` (the ``x = v`` statements),
    other than the one-shot names `shot`; -> the ids of the reads to take what is left."""
    iters = {s.targets[0].id for s in found if _is_call(s.value, "iter")} - shot
    return check_iters(node, iters, error, threaded, unthread) if iters else frozenset()


def check_one_shot(
    node: gast.AST,
    error: Callable[..., Exception],
    found: list[gast.Assign] | None = None,
    gen_call: Callable[[gast.AST], bool] | None = None,
) -> set[str]:
    """Refuse reads of one-shot iterators that Python would see partly or fully consumed.
    `found`: every ``x = v`` with one plain-name target in `node` (`lower/survey.py`), if known;
    `gen_call`: tells a call of a generator function (``g = terms(x)``: one-shot too).
    -> the names bound to one-shot iterators."""
    if found is None:
        found = [
            s
            for s in scope.walk(node)
            if isinstance(s, gast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name)
        ]  # fmt: skip
    names = _shot_assigns(found, gen_call)
    if not names:
        return names
    for n in scope.walk(node):  # `next(g)`: srcad's list is no iterator
        if _is_call(n, "next") and n.args and isinstance(n.args[0], gast.Name):
            if n.args[0].id in names:
                raise error(
                    n,
                    f"`next()` of `{n.args[0].id}`, a one-shot iterator srcad treats as a list",
                    f"make it a list (`{n.args[0].id} = list(...)`) and index it",
                )
    loads, stores = _reads(node, names)
    for name, reads in loads.items():
        bound = stores.get(name, [])
        for k, (n, loops) in enumerate(reads):
            again = any(lp not in b for lp in loops for b in bound) if loops else False
            if k > 0 or again:
                raise error(
                    n,
                    f"`{name}` is a one-shot iterator (a generator expression, map, filter, zip, "
                    "enumerate, reversed, itertools.chain/islice/pairwise) read more than once "
                    "here; Python consumes it, "
                    "srcad treats it as a list",
                    f"make it a list once (`{name} = list(...)`) or iterate it in one place",
                )
    return names


def _shot_assigns(found: list, gen_call: Callable[[gast.AST], bool] | None) -> set[str]:
    """The names of the ``x = v`` in `found` whose `v` is one-shot (`_one_shot`) or a `zip`
    call. Only a generator expression or a call can be one (`gen_call` tests calls only): the
    others, most of a function's assignments, are passed over by their node type."""
    names: set[str] = set()
    for s in found:
        v = s.value
        t = type(v)
        if t is _CALL:
            f = v.func
            if isinstance(f, _NAME) and (f.id in _ONE_SHOT_CALLS or f.id == "zip"):
                names.add(s.targets[0].id)
            elif gen_call is not None and gen_call(v):
                names.add(s.targets[0].id)
        elif t is _GENEXP or (
            isinstance(v, (_CALL, _GENEXP)) and (_one_shot(v, gen_call) or _is_call(v, "zip"))
        ):  # (a subclass of those node types, were there one: the general tests)
            names.add(s.targets[0].id)
    return names


_CALL, _NAME, _GENEXP = gast.Call, gast.Name, gast.GeneratorExp  # (`_shot_assigns`)


def _reads(node: gast.AST, names: set[str]) -> tuple[dict, dict]:
    """Loads of `names` (node, the loops around it that run it again) and stores (the loops
    around each), in source order."""
    loads: dict[str, list[tuple[gast.AST, list[gast.AST]]]] = {}
    stores: dict[str, list[list[gast.AST]]] = {}

    def visit(n: gast.AST, loops: list[gast.AST]) -> None:
        if isinstance(n, gast.Name) and n.id in names:
            if isinstance(n.ctx, gast.Load):
                loads.setdefault(n.id, []).append((n, loops))
            else:
                stores.setdefault(n.id, []).append(loops)
        kids = scope.children(n)
        if isinstance(n, _COMPS):  # the first iterable is evaluated once, the rest per item
            first = n.generators[0]
            visit(first.iter, loops)
            inner = [*loops, n]
            for k in kids:
                for kk in scope.children(k) if k is first else [k]:
                    if kk is not first.iter:
                        visit(kk, inner)
            return
        if isinstance(n, (gast.For, gast.While)):  # a for loop's iterable is evaluated once
            for k in kids:
                visit(k, loops if isinstance(n, gast.For) and k is n.iter else [*loops, n])
            return
        for k in kids:
            visit(k, loops)

    visit(node, [])
    return loads, stores


def reread_params(node: gast.AST, params: list[str]) -> frozenset[str]:
    """The parameters a function would read as an iterator more than once (two reads, or one
    a loop runs again, before the parameter is first rebound: ``it = list(it)`` ends it): a
    one-shot iterator passed there is exhausted after the first (`one_shot_args`)."""
    loads, stores = _reads(node, set(params))
    first_store: dict[str, int] = {}
    for n in scope.walk(node):
        if isinstance(n, gast.Name) and n.id in stores and isinstance(n.ctx, gast.Store):
            first_store[n.id] = min(n.lineno, first_store.get(n.id, n.lineno))
    passed = _passed_on(node, set(params))
    out = set()
    for name, reads in loads.items():
        last = first_store.get(name)
        before = [(n, lp) for n, lp in reads if last is None or n.lineno <= last]
        if len(before) > 1 or any(lp for _, lp in before):
            out.add(name)
        elif any(n in passed and (last is None or n.lineno <= last) for n, _ in before):
            out.add(name)
    return frozenset(out)


def _passed_on(node: gast.AST, params: set[str]) -> set[gast.AST]:
    """Reads of `params` passed as an argument to a call of something other than a builtin or
    a module function that reads an iterator once (`_READ_ONCE`): it may read it twice."""
    out = set()
    for n in scope.walk(node):
        if not isinstance(n, gast.Call):
            continue
        f = n.func
        if isinstance(f, gast.Name) and f.id in _READ_ONCE:
            continue
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            if f.value.id in _MODULES:
                continue
        for a in [*n.args, *(kw.value for kw in n.keywords)]:
            a = a.value if isinstance(a, gast.Starred) else a
            if isinstance(a, gast.Name) and a.id in params:
                out.add(a)
    return out


def check_inlined(lw: Any, fnode: Any, params: list[str], node: gast.Call) -> None:
    """A one-shot iterator passed to a nested def/lambda (inlined at the call) whose body reads
    that parameter more than once (`reread_params`): refused, as for module-level functions
    (ad/base.refuse_one_shot_calls)."""
    names = lw.shot_names

    def shot(a: gast.AST) -> bool:
        return _one_shot(a) or (type(a) is gast.Name and a.id in names)

    given = [p for p, a in zip(params, node.args) if shot(a)]
    given += [kw.arg for kw in node.keywords if kw.arg in params and shot(kw.value)]
    reread = reread_params(fnode, params) if given else frozenset()
    for p in given:
        if p in reread:
            raise lw.error(
                node,
                "a one-shot iterator (a generator expression, map, filter, enumerate or "
                f"reversed) passed as `{p}` of a nested function that reads it more than once: "
                "Python's second read finds it exhausted, srcad would see a list",
                "pass a list (`[... for ...]` or `list(...)`)",
            )


def note_call(lw: Any, node: gast.Call) -> None:
    """Record a call passed a one-shot iterator (a generator expression, a call of map/filter/
    enumerate/reversed, or a name bound to one: `lw.shot_names`) in `lw.shot_calls`: (line,
    col) -> (positions of those arguments, their keywords). A user function that reads the
    parameter twice (`reread_params`) sees it exhausted in Python but a list in srcad."""
    if not node.args and not node.keywords:
        return
    names = lw.shot_names
    pos = tuple(k for k, a in enumerate(node.args) if _shot_arg(a, names))
    kws = tuple(kw.arg for kw in node.keywords if kw.arg is not None and _shot_arg(kw.value, names))
    if pos or kws:
        lw.shot_calls[(node.lineno, node.col_offset)] = (pos, kws)


# argument nodes never one-shot (no call, no generator expression), told by their type alone
_NOT_SHOT = frozenset({gast.Constant, gast.BinOp, gast.UnaryOp, gast.Attribute, gast.Subscript,
                       gast.Compare, gast.List, gast.Tuple, gast.Dict, gast.ListComp})  # fmt: skip


def _shot_arg(a: gast.AST, names: set[str]) -> bool:
    """`note_call`'s test of an argument: one-shot (`_one_shot`) or a name bound to one."""
    t = type(a)
    if t is _NAME:
        return a.id in names
    return t not in _NOT_SHOT and _one_shot(a)


@functools.lru_cache(maxsize=128)
def reread_params_of(pyfunc: Any) -> frozenset[str]:
    """`reread_params` of a user function's source (read when a one-shot iterator is passed to
    it: rare, so not at every lowering)."""
    node = get_source(pyfunc).node
    if not isinstance(node, (gast.FunctionDef, gast.Lambda)):
        return frozenset()
    a = node.args
    return reread_params(node, [p.id for p in a.posonlyargs + a.args + a.kwonlyargs])
