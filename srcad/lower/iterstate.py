"""``iter`` / ``next`` on a local name: the iterator as a pair (the items listed, a position).

Input: a function whose local `it` is bound only by ``it = iter(<expr>)`` and read only by
``next(it)``, ``next(it, default)`` and as the iterable of ``for`` statements whose bodies
neither read it nor ``break`` (`names`, from the lowered function's tree, nested functions
not reading it). Output: ``it`` is the tuple ``(list(<expr>), 0)``; ``next(it)`` is
``it[0][it[1]]`` and rebinds ``it`` to ``(it[0], it[1] + 1)`` (past the end: Python's
StopIteration, raised by `_stop`'s check); ``next(it, d)`` is ``it[0][it[1]] if it[1] < len(it[0])
else d``; ``for v in it`` runs over positions ``it[1]`` to the end and leaves ``it`` exhausted.
``next(iter(<expr>))`` (the first item) and ``next(iter(<expr>), d)`` need no name, nor does
``next(<generator expression>[, d])`` whose items and conditions cannot raise. The name's
last use, under no loop, may be the first iterable of a comprehension taking the rest at once
(``[f(v) for v in it]``, ``sum(v - first for v in it)``: not ``any``/``all``, which may stop).
Any other use of such a name (passed on, zipped with itself, iterated by a comprehension before
another use) leaves every use of it as before: refused.

The items are listed when ``iter`` is called: Python reads them when ``next`` asks, so a list
changed in between would differ; a name is an iterator here only when no statement of the
function rebinds, appends to or writes into a name the ``iter`` argument reads.
"""

from __future__ import annotations

import functools
import types
from typing import Any

import gast

from srcad.lower import scope, treescan
from srcad.ssa.core import Const, Operand


def _names(lw: Any) -> tuple[set[str], dict[int, str], set[int], set[int]]:
    """(the local names used only as iterators, the ids of their ``iter`` calls -> the name,
    the ids of their reads that are the last comprehension's iterable, the ids of their reads
    that are the argument of a call taking the rest at once: ``sum(it)``), cached."""
    found = getattr(lw, "iterator_names", None)
    if found is None:
        root = getattr(lw, "root", None)
        if root is not None and not isinstance(root, gast.Lambda):
            found = _scan(root, functools.partial(_module, lw), functools.partial(_builtin, lw))
        lw.iterator_names = found = found or (set(), {}, set(), set())
    return found


def wholes(lw: Any) -> frozenset[int]:
    """The ids of the reads ``sum(it)`` (`_names`) taking the rest of an iterator name, when
    the function's iterator names were scanned already (lower/oneshot.iter_reads asks for them
    when it has such names: `lower.py` adds these to `iter_reads`); else none."""
    found = getattr(lw, "iterator_names", None)
    return frozenset(found[3]) if found else frozenset()


def _builtin(lw: Any, name: str) -> bool:
    return lw.ns.lookup(name)[0] == "builtin"


def rest(lw: Any, name: str, v: Operand) -> Operand:
    """A read of the iterator name `name` (value `v`) taking what is left of it at once
    (lower/oneshot.iter_reads, `wholes`): for a name lowered as an (items, position) pair, the
    list ``items[position:]`` (the read is the name's last: its state is not updated); for
    Python's iterator, ``_srcad.rest_of(it)``."""
    if name not in names(lw):
        return lw.op("srcad.runtime.rest_of", [v], hint=name)
    state = v
    seq, pos = lw.op("getitem", [state, Const(0)]), lw.op("getitem", [state, Const(1)])
    return lw.op("getitem", [seq, lw.op("slice", [pos, Const(None), Const(None)])], hint="rest")


def names(lw: Any) -> set[str]:
    """The local names lowered as (items, position) pairs (`_names`)."""
    return _names(lw)[0]


def drop(lw: Any, name: str) -> None:
    """`name` stays Python's iterator (lower/oneshot.check_iters: a ``for`` over it that a loop
    runs again, where the pair would have to be carried)."""
    names, calls = _names(lw)[:2]
    names.discard(name)
    for k in [k for k, v in calls.items() if v == name]:
        del calls[k]


def _plain_builtins(lw: Any) -> bool:
    """`iter` and `next` are Python's here."""
    return all(n not in lw.env and _builtin(lw, n) for n in ("iter", "next"))


def _is_call(node: Any, name: str, nargs: tuple) -> bool:
    return (
        isinstance(node, gast.Call)
        and isinstance(node.func, gast.Name)
        and node.func.id == name
        and len(node.args) in nargs
        and not node.keywords
        and not any(isinstance(a, gast.Starred) for a in node.args)
    )


def _module(lw: Any, name: str) -> bool:
    """`name` is a global (or builtin) naming a module (``np``)."""
    kind, obj = lw.ns.lookup(name)
    return kind != "missing" and isinstance(obj, types.ModuleType)


def _scan(
    root: Any, module: Any, builtin: Any
) -> tuple[set[str], dict[int, str], set[int], set[int]]:
    """`_names` of the function `root`; `module(name)`: a global name of a module, whose
    function calls (``np.sin(x)``) change no item of ``iter``'s argument; `builtin(name)`:
    `name` is Python's builtin there (``sum(it)`` of another `sum` passes the iterator on)."""
    tree = treescan.analyse(root)
    parents, nested = tree.parents, tree.nested
    uses: dict[str, list] = {}
    for side in (tree.stores, tree.loads):
        for name, nodes in side.items():
            uses.setdefault(name, []).extend(nodes)
    written = {n for n in treescan.changed_names(tree) if n in tree.stores or not module(n)}
    ok: set[str] = set()
    calls: dict[int, str] = {}  # id of an ``iter`` call -> the name it binds
    comps: set[int] = set()
    whole: set[int] = set()  # ``sum(it)`` of the builtin: the rest at once, the last use
    for name, nodes in uses.items():
        here: list[int] = []
        good = True
        for n in nodes:
            p = parents.get(id(n))
            if id(n) in nested:
                good = False
            elif isinstance(n.ctx, gast.Store):
                v = p.value if isinstance(p, gast.Assign) else None
                if len(getattr(p, "targets", ())) != 1 or not _is_call(v, "iter", (1,)):
                    good = False
                elif scope.reads([v.args[0]]) & written:  # its items could change meanwhile
                    good = False
                else:
                    here.append(id(v))
            elif _is_call(p, "next", (1, 2)) and p.args[0] is n:
                continue
            elif _last_comprehension(n, p, parents, nodes):  # `[f(v) for v in it]`, last
                comps.add(id(n))
            elif _last_whole(n, p, parents, nodes) and _plain(p.func.id, tree, builtin):
                whole.add(id(n))  # `sum(it)`, last
            elif isinstance(p, gast.For) and p.iter is n and not p.orelse:
                inner = [m for s in p.body for m in gast.walk(s)]
                if any(isinstance(m, gast.Break) for m in inner) or any(
                    isinstance(m, gast.Name) and m.id == name for m in inner
                ):
                    good = False
            else:
                good = False
            if not good:
                break
        if good and here:
            ok.add(name)
            calls.update(dict.fromkeys(here, name))
    return ok, calls, comps, whole


# calls that consume a generator expression passed to them whole (``any``/``all`` may stop)
_WHOLE = frozenset({"sum", "list", "tuple", "sorted", "max", "min", "set", "dict"})
_MINMAX = frozenset({"max", "min"})  # (``default=``: the value when nothing is left)
_LOOPS = (gast.For, gast.While, gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _last_comprehension(n: Any, p: Any, parents: dict, nodes: list) -> bool:
    """`n` (a read of an iterator name) is the first iterable of a comprehension that takes
    all the rest at once (a list/set/dict comprehension, or a generator expression passed alone
    to `_WHOLE`), the name's last use in the source, under no loop: nothing reads the exhausted
    iterator after it (the state is left as it was)."""
    if not (isinstance(p, gast.comprehension) and p.iter is n):
        return False
    comp = parents.get(id(p))
    if not isinstance(comp, _COMPS) or comp.generators[0] is not p:
        return False
    if isinstance(comp, gast.GeneratorExp):
        call = parents.get(id(comp))
        if not (
            isinstance(call, gast.Call)
            and isinstance(call.func, gast.Name)
            and call.func.id in _WHOLE
            and call.args == [comp]
            and [k.arg for k in call.keywords] in ([], ["default"][: call.func.id in _MINMAX])
        ):
            return False
    return _last_outside_loops(n, comp, parents, nodes)


def _last_outside_loops(n: Any, at_node: Any, parents: dict, nodes: list) -> bool:
    """`n` is the last of `nodes` in the source, and `at_node` (around it) is under no loop."""
    at = (n.lineno, n.col_offset)
    if any((m.lineno, m.col_offset) > at for m in nodes):
        return False
    up = parents.get(id(at_node))
    while up is not None:
        if isinstance(up, _LOOPS):
            return False
        up = parents.get(id(up))
    return True


def _last_whole(n: Any, p: Any, parents: dict, nodes: list) -> bool:
    """`n` (a read of an iterator name) is the only argument of a call of `_WHOLE` but `set` and
    `dict` (``sum(it)``, ``list(it)``: all the rest at once), the name's last use, under no
    loop."""
    return (
        isinstance(p, gast.Call)
        and isinstance(p.func, gast.Name)
        and p.func.id in _WHOLE_OF_NAME
        and p.args == [n]
        and not p.keywords
        and _last_outside_loops(n, p, parents, nodes)
    )


def _plain(name: str, tree: Any, builtin: Any) -> bool:
    """`name` is Python's builtin in the function `tree` scanned (never bound there)."""
    return name not in tree.stores and builtin(name)


_WHOLE_OF_NAME = frozenset({"sum", "list", "tuple", "sorted", "max", "min"})


_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def call(lw: Any, f: Any, node: gast.Call) -> Operand | None:
    """``iter(x)`` bound to an iterator name, ``next(it[, d])`` of one, ``next(iter(x)[, d])``;
    None for other calls (nothing lowered)."""
    name = getattr(f, "name", None)
    if name not in ("iter", "next") or not _plain_builtins(lw):
        return None
    names, calls = _names(lw)[:2]
    if name == "iter":
        if id(node) not in calls:
            return None
        items = lw.value(node.args[0])
        lw.at(node)
        return lw.op("tuple", [lw.op("builtins.list", [items]), Const(0)], hint="it")
    if not _is_call(node, "next", (1, 2)):
        return None
    src, default = node.args[0], node.args[1] if len(node.args) == 2 else None
    if _is_call(src, "iter", (1,)):  # next(iter(x)): the first item
        seq = lw.op("builtins.list", [lw.value(src.args[0])])
        pos: Operand = Const(0)
    elif isinstance(src, gast.GeneratorExp):  # next(v for v in xs if c): the first item
        if not _total(src):
            raise lw.error(src, "`next()` of a generator expression that may raise on items "
                           "after the first: Python stops at the first, srcad lists them all",
                           hint="write the loop: `for v in xs: if c: y = v; break`")  # fmt: skip
        seq, pos = lw.op("builtins.list", [lw.value(src)]), Const(0)
    elif isinstance(src, gast.Name) and src.id in names and src.id in lw.env:
        state = lw.value(src)
        lw.at(node)
        seq, pos = lw.op("getitem", [state, Const(0)]), lw.op("getitem", [state, Const(1)])
        lw.assign_to(src, lw.op("tuple", [seq, lw.op("add", [pos, Const(1)])], hint=src.id))
    else:
        return None
    lw.at(node)
    item = getattr(node, "srcad_item", None)  # `next(g, d)` of lower/nextgens.py: (name, expr)
    if item is not None and default is not None:
        return _next_item(lw, node, seq, pos, default, item)
    more = lw.op("lt", [pos, lw.op("len", [seq])])
    if default is None:
        _stop(lw, more)
        return lw.op("getitem", [seq, pos])
    return lw.select(more, lambda: lw.op("getitem", [seq, pos]), lambda: lw.value(default), node)


def _stop(lw: Any, more: Operand) -> None:
    """Unless `more`, raise what Python's ``next`` past the end raises: StopIteration. (A
    generator's body would turn it into RuntimeError, PEP 479: the iterator names are scanned
    in the function lowered, whose inlined generators' ``next`` calls stay refused.)"""
    lw.op("srcad.runtime.require", [more, Const(None), Const("StopIteration")])


def _next_item(lw: Any, node: Any, seq: Operand, pos: Operand, default: Any, item: tuple) -> Any:
    """``next(g, d)`` of a generator lower/nextgens.py made ``iter(xs)``: `d` first (Python
    evaluates the arguments before the call), then, if an item is left, the generator's
    expression `item[1]` with `item[0]` bound to it; else `d`."""
    d = lw.value(default)
    lw.at(node)
    name, elt = item

    def take() -> Any:
        lw.env[name] = lw.op("getitem", [seq, pos], hint="v")
        try:
            return lw.value(elt)
        finally:
            lw.env.pop(name, None)

    return lw.select(lw.op("lt", [pos, lw.op("len", [seq])]), take, lambda: d, node)


_TOTAL = (gast.Name, gast.Constant, gast.Compare, gast.BoolOp, gast.UnaryOp, gast.Load,
          gast.Store, gast.Tuple, gast.comprehension, gast.cmpop, gast.boolop, gast.unaryop)  # fmt: skip


def _total(gen: gast.GeneratorExp) -> bool:
    """Its items and conditions are names, constants, comparisons, ``and``/``or``/``not``,
    ``+``/``-``/``*`` of them: nothing that raises (no call, index, division), so listing every
    item and taking the first is what Python's lazy ``next`` returns; one ``for`` over a name."""
    if len(gen.generators) != 1 or not isinstance(gen.generators[0].iter, gast.Name):
        return False
    parts = [gen.elt, gen.generators[0].target, *gen.generators[0].ifs]
    for n in (m for p in parts for m in gast.walk(p)):
        arith = isinstance(n, gast.BinOp) or isinstance(n, (gast.Add, gast.Sub, gast.Mult))
        if not (isinstance(n, _TOTAL) or arith):
            return False
    return True


def space(lw: Any, it: Any) -> tuple | None:
    """The iteration space of ``for v in it`` over an iterator name (positions from its current
    one to the end), the name rebound to the exhausted iterator; None for other iterables."""
    if not isinstance(it, gast.Name):  # (before `_names`: its first call walks the function)
        return None
    names, _, comps, _ = _names(lw)
    if it.id not in names or it.id not in lw.env:
        return None
    loop = getattr(lw, "for_loop", None)
    last = id(it) in comps  # a comprehension's, the last use: nothing reads the state after
    if not last and (loop is None or loop.iter is not it):
        return None
    state = lw.value(it)
    seq, pos = lw.op("getitem", [state, Const(0)]), lw.op("getitem", [state, Const(1)])
    n = lw.op("len", [seq], hint="n")
    if not last:
        lw.assign_to(it, lw.op("tuple", [seq, n], hint=it.id))
    return pos, n, Const(1), lambda i: lw.op("getitem", [seq, i])
