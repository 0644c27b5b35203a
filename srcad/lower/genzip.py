"""Which generator calls a ``for`` loop may take from ``zip``/``islice`` as computed lists.

Input: the loop's iterable `it` (a gast call) and a generator call `node` among its arguments;
the generator's def. Output: whether lower/generators.check_consumed may treat `node` as the
loop's own iterable (its items computed before the loop, the loop's checks applied)::

    for a, b in zip(gen1(x), gen2(x)):        # Python pulls one item of each per pass and
        t = t + a * b                         # stops at the shortest; srcad lists both

``itertools.islice(gen(x), k)`` (`k` a constant, lower/iterzip.py's `gen_limits`): the body
builds its first `k` items and returns, as Python's islice pulls them, so the loop over them is
the loop over a generator. ``zip`` pulls from each generator until the shortest ends: a
longer one's items after that are computed by srcad and not by Python. That is the same only
when computing them changes nothing and ends: `finite_pure` (no ``while``, ``raise`` or
``assert``, ``for`` over ``range(...)`` or a display only, calls only of a few builtins (none
iterating its argument) and of NumPy/``math`` functions outside ``random``, no ``out=`` and
none of NumPy's writers or ``fromiter``, no method of a value); other generators in a ``zip``
stay refused. (An error an item past Python's pulls would raise, ``x[k]`` out of range, is
raised by srcad: loud, never a wrong value.)

`module_call_only`: a later statement calling a module's function (``np.sum(..)``) is no
update of the module a generator expression's items read (closures.check_later,
lazygen._check_inner).
"""

from __future__ import annotations

import types
from inspect import isgeneratorfunction
from typing import Any

import gast

from srcad.lower import scope
from srcad.ssa.core import Const, Var

# (no builtin that iterates its argument: an iterator argument would be consumed further)
_BUILTINS = frozenset("range len abs min max float int round pow divmod bool isinstance".split())
_WRITERS = frozenset(
    "copyto put place putmask fill_diagonal put_along_axis seterr fromiter".split()
)
_OWN_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def _builtin(lw: Any, f: Any, obj: Any) -> bool:
    return isinstance(f, gast.Name) and f.id not in lw.env and lw.ns.lookup(f.id)[1] is obj


def pulled_arg(lw: Any, it: Any, node: gast.Call) -> str | None:
    """ "zip" when `it` is the builtin ``zip(...)`` (or ``enumerate`` of it) with `node` among its
    positional arguments,
    "islice" when `it` is ``itertools.islice(node, k)`` whose `k` lower/iterzip.py recorded
    (`gen_limits`), else None."""
    if not isinstance(it, gast.Call):
        return None
    if _builtin(lw, it.func, enumerate) and len(it.args) == 1 and isinstance(it.args[0], gast.Call):
        it = it.args[0]  # ``enumerate(zip(gen1(x), gen2(x)))``: numbers the same pulls
    if _builtin(lw, it.func, zip) and any(a is node for a in it.args):
        return "zip"
    if it.args and it.args[0] is node and id(node) in getattr(lw, "gen_limits", ()):
        return "islice"
    return None


def finite_pure(
    fnode: Any, ns: Any, local: frozenset = frozenset(), seqs: frozenset = frozenset()
) -> bool:
    """The generator def `fnode` ends and changes nothing when run further than a consumer
    pulls (see the module docstring); `ns` resolves the names it calls, except `local` (the
    enclosing function's own names, for a nested def); `seqs`: parameters a ``for`` may loop
    over, their arguments checked at run time to be sequences (`check_sequences`)."""
    a = fnode.args
    params = [*a.args, *a.kwonlyargs, *(p for p in (a.vararg, a.kwarg) if p is not None)]
    own = {p.id for p in params} | scope.assigned(fnode.body) | set(local)
    seqs = seqs - scope.assigned(fnode.body)
    todo = list(fnode.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.While, gast.Await, gast.Raise, gast.Assert, *_OWN_SCOPES)):
            return False
        if isinstance(n, gast.For) and not _bounded(n.iter, own, ns):
            if not (isinstance(n.iter, gast.Name) and n.iter.id in seqs):
                return False
        if isinstance(n, gast.YieldFrom) and not isinstance(n.value, (gast.List, gast.Tuple)):
            return False
        if isinstance(n, gast.Call) and (
            any(k.arg == "out" for k in n.keywords) or not _pure_call(n.func, own, ns)
        ):
            return False
        if isinstance(n, gast.Call) and getattr(n.func, "id", None) in ("min", "max"):
            if len(n.args) < 2 or any(isinstance(a, gast.Starred) for a in n.args):
                return False  # (``max(it)`` iterates its argument)
        todo.extend(gast.iter_child_nodes(n))
    return True


def _bounded(it: Any, own: set, ns: Any) -> bool:
    if isinstance(it, (gast.List, gast.Tuple)):
        return True
    f = it.func if isinstance(it, gast.Call) else None
    return isinstance(f, gast.Name) and f.id not in own and ns.lookup(f.id)[1] is range


def _pure_call(f: Any, own: set, ns: Any) -> bool:
    if isinstance(f, gast.Name):
        if f.id in own or f.id not in _BUILTINS:
            return False
        kind, obj = ns.lookup(f.id)
        return kind == "builtin" and getattr(obj, "__name__", None) == f.id
    if not isinstance(f, gast.Attribute):
        return False
    chain = []
    base = f
    while isinstance(base, gast.Attribute):
        chain.append(base.attr)
        base = base.value
    if "random" in chain or f.attr in _WRITERS or not isinstance(base, gast.Name):
        return False
    mod = None if base.id in own else ns.lookup(base.id)[1]
    return isinstance(mod, types.ModuleType) and mod.__name__ in ("numpy", "math", "cmath")


def module_call_only(lw: Any, name: str, stmts: list, node: Any) -> bool:
    """`stmts` change `name`, a module, only by calling its functions, none of them a NumPy
    writer or with ``out=``, and neither they nor `node` reach a random state
    (``np.random.seed(0)`` changes what ``np.random.normal()`` items give)."""
    if name in lw.py_locals or not isinstance(lw.ns.lookup(name)[1], types.ModuleType):
        return False
    if name in scope.assigned(stmts):
        return False
    for n in (m for p in [node, *stmts] for m in gast.walk(p)):
        if isinstance(n, gast.Attribute) and n.attr in _WRITERS | {"random"}:
            return False
        if isinstance(n, gast.Name) and n.id == "random":
            return False
        if isinstance(n, gast.Call) and any(k.arg == "out" for k in n.keywords):
            return False
    return True


_LIBRARIES = frozenset(("numpy", "math", "cmath", "itertools", "builtins"))


def objects_unreached(lw: Any, comp: Any, call: Any) -> bool:
    """No object built in the lowered function is reachable from the comprehension `comp`, so
    nothing it runs writes one of their fields (lower/objstate.object_writes counts every field
    written when it calls anything): every name it reads is its own target, a plain value
    (`Var`, `Const`), a module, a NumPy/``math``/``itertools`` function or builtin, or a
    module-level generator function (`call`'s; it gets objects only as arguments)."""
    own = {t.id for g in comp.generators for t in gast.walk(g.target) if isinstance(t, gast.Name)}
    for n in gast.walk(comp):
        if isinstance(n, (gast.Lambda, gast.NamedExpr)):
            return False
        if not isinstance(n, gast.Name) or n.id in own or n is call.func:
            continue
        v = lw.env.get(n.id)
        if v is not None:
            if type(v) not in (Var, Const):
                return False
            continue
        kind, obj = lw.ns.lookup(n.id)
        root = (getattr(obj, "__module__", None) or "").split(".")[0]
        if kind == "missing" or not (
            isinstance(obj, types.ModuleType) or root in _LIBRARIES or isgeneratorfunction(obj)
        ):
            return False
    return True


def loop_params(fnode: Any) -> frozenset[str]:
    """The positional parameters of the generator def `fnode` a ``for`` loops over directly
    (``for e in v``)."""
    names = {p.id for p in fnode.args.args}
    return frozenset(
        n.iter.id
        for n in gast.walk(fnode)
        if isinstance(n, gast.For) and isinstance(n.iter, gast.Name) and n.iter.id in names
    )


def check_sequences(lw: Any, fnode: Any, call: Any, seqs: frozenset) -> bool:
    """Before the generator's call `call`: ``_srcad.finite_sequence(v)`` of the argument of each
    parameter in `seqs` (a list, tuple, array, range, str or dict: its loop ends and runs
    nothing; anything else refused at run time); False when an argument is not found (passed
    by ``*``, a default, a keyword)."""
    if any(isinstance(a, gast.Starred) for a in call.args) or call.keywords:
        return False
    pos = [p.id for p in fnode.args.args]
    args = dict(zip(pos, call.args))
    if not all(p in args for p in seqs):
        return False
    for p in sorted(seqs):
        lw.op("srcad.runtime.finite_sequence", [lw.value(args[p])])
    return True
