"""One-shot iterators bound to a name: Python consumes them once, srcad lowers them to lists.

Input: a function's gast tree. Output: `check_one_shot(node, error)` raises `error(node, message,
hint)` (a `LoweringError`) at a read of a name bound to a generator expression, or to a call of
`map`, `filter`, `enumerate` or `reversed`, that may not be the iterator's only consumption: a
second read of the name, or a read inside a loop (or comprehension body) that does not also
rebind it. srcad makes each of these a list, which every read sees in full; Python's second
``sum(g)`` sees an exhausted iterator (0), and ``any(g)`` leaves the rest for the next reader.
One read, outside loops, is what the lowering means (``g = (v * v for v in x); sum(g)``).
An ``iter(xs)`` bound to a name stays a Python iterator (`next` is Python's), but a ``for`` loop
over it or `zip` of it takes all of it: refused when Python would leave some for another read.
"""

from __future__ import annotations

from collections.abc import Callable

import gast

from srcad.lower import scope

_ONE_SHOT_CALLS = frozenset({"map", "filter", "enumerate", "reversed"})
_COMPS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _one_shot(value: gast.AST) -> bool:
    if isinstance(value, gast.GeneratorExp):
        return True
    f = value.func if isinstance(value, gast.Call) else None
    return isinstance(f, gast.Name) and f.id in _ONE_SHOT_CALLS


def _is_call(value: gast.AST, name: str) -> bool:
    f = value.func if isinstance(value, gast.Call) else None
    return isinstance(f, gast.Name) and f.id == name


def _check_iters(node: gast.AST, iters: set[str], error: Callable[..., Exception]) -> None:
    """``it = iter(xs)``: srcad keeps the iterator (``next(it)`` is Python's), but a ``for`` loop
    over it and `zip` take all of it at once. Refused where Python would leave the rest for
    another read: a loop over it that may stop early (``break``, ``return``), or `zip` of it,
    when the name is read elsewhere too."""
    reads: dict[str, int] = {}
    risky: dict[str, gast.AST] = {}
    for n in scope.walk(node):
        if isinstance(n, gast.Name) and n.id in iters and isinstance(n.ctx, gast.Load):
            reads[n.id] = reads.get(n.id, 0) + 1
        elif isinstance(n, gast.For) and isinstance(n.iter, gast.Name) and n.iter.id in iters:
            if any(isinstance(b, (gast.Break, gast.Return)) for b in scope.walk(n)):
                risky.setdefault(n.iter.id, n.iter)
        elif _is_call(n, "zip"):
            for a in n.args:
                if isinstance(a, gast.Name) and a.id in iters:
                    risky.setdefault(a.id, a)
    for name, at in risky.items():
        if reads.get(name, 0) > 1:
            raise error(
                at,
                f"`{name}` is an iterator read again elsewhere: Python leaves what this loop or "
                "zip does not take for the next read, srcad takes all of it here",
                f"make it a list (`{name} = list(...)`) and index it",
            )


def check_one_shot(
    node: gast.AST, error: Callable[..., Exception], found: list[gast.Assign] | None = None
) -> None:
    """Refuse reads of one-shot iterators that Python would see partly or fully consumed.
    `found`: every ``x = v`` with one plain-name target in `node` (`scope.survey`), if known."""
    if found is None:
        found = [
            s
            for s in scope.walk(node)
            if isinstance(s, gast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name)
        ]  # fmt: skip
    assigns = [(s.targets[0].id, s.value) for s in found]
    names = {n for n, v in assigns if _one_shot(v)}
    iters = {n for n, v in assigns if _is_call(v, "iter")} - names
    if iters:
        _check_iters(node, iters, error)
    if not names:
        return
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
    for name, reads in loads.items():
        bound = stores.get(name, [])
        for k, (n, loops) in enumerate(reads):
            again = any(lp not in b for lp in loops for b in bound) if loops else False
            if k > 0 or again:
                raise error(
                    n,
                    f"`{name}` is a one-shot iterator (a generator expression, map, filter, "
                    "enumerate or reversed) read more than once here; Python consumes it, "
                    "srcad treats it as a list",
                    f"make it a list once (`{name} = list(...)`) or iterate it in one place",
                )
