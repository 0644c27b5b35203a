"""A list, tuple or dict of objects a loop rebinds, carried item by item.

Input: a loop's carried names and the environment before it (lower/base.loop). Output: each name
bound to a list of objects built here (a `FnSeq` of objects, lower/objseq.py) that the loop only
rebinds and reads replaced by one carry per item (pseudo-names ``$ps#0``, ``$ps#1``, ...), the
name bound in the loop and after it to a `FnSeq` of those carries::

    ps = [P(x[0], x[1]), P(x[1], x[0])]        for i in range(3) carry(ps#0, ps#1):
    for _ in range(3):                            a = method.moved(ps#0, 0.1)
        ps = [p.moved(0.1) for p in ps]           b = method.moved(ps#1, 0.1)
                                                  yield a, b

Each item is a run-time object as a loop carry of one object is (lower/objects.as_value), so the
transforms know its class from the call that built it. Exact when:
- the items are distinct objects (``[a, a]`` is not split: Python's two items are one object),
  of classes whose fields no method of theirs and nothing in the function writes (a write through
  one copy would not be seen through another name);
- no other name holds the same list, and the loop reads the name only as an iterable, an index
  read, or the argument of ``len``/``enumerate``/``zip``/``reversed``/``sum``/``list``/``tuple``,
  or rebinds it (nothing changes the list in place, nothing passes it on); a dict's
  ``items()``/``values()``/``keys()`` too;
- at the end of the body the name holds a list (tuple) of as many items, known here: a `FnSeq`,
  or a list built by appends (``[f(p) for p in ps]``, ``new.append(...)``) of that length; a
  dict of the same keys in the same order (``{k: p.step() for k, p in ps.items()}``).
Otherwise the loop is refused, saying what is not supported (`refuse`).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objstate
from srcad.lower.fnchoice import Chosen
from srcad.lower.fnvalues import FnSeq
from srcad.lower.mappedseq import MappedSeq
from srcad.lower.objseq import depth, function_like, object_like
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, LocalMethod, LocalObj, ModuleRef, NestedFn, PrimRef
from srcad.ssa.core import Const, Operand, Var

# Values known now (no run-time value, or one the lowering follows): a join of different ones
# is `join_fns`'s to decide
KNOWN = (ModuleRef, PrimRef, NestedFn, FnSeq, MappedSeq, LocalObj, LocalMethod, Chosen)

_READERS = frozenset(("len", "enumerate", "zip", "reversed", "sum", "list", "tuple", "sorted"))
_VIEWS = frozenset(("items", "values", "keys"))
_MAX = 64


def pseudo(name: str, k: int) -> str:
    return f"${name}#{k}"


def split(lw: Any, env0: dict, carried: list, node: Any) -> tuple[list, dict[str, tuple]]:
    """`carried` with each list of objects this module carries by item replaced by its item
    names (bound in `env0`), and {name: (kind, item names)}."""
    seqs: dict[str, tuple] = {}
    out: list[str] = []
    for n in carried:
        v = env0.get(n)
        v = _displayed(lw, v) if type(v) is Var else v  # `[N(a), N(b)]` of namedtuples
        if isinstance(v, FnSeq) and _eligible(lw, env0, n, v, node):
            names = tuple(pseudo(n, k) for k in range(len(v.items)))
            for m, item in zip(names, v.items):
                env0[m] = item
            seqs[n] = (v.kind, names, v.keys)
            out.extend(names)
        else:
            out.append(n)
    return out, seqs


def bind(env: dict, seqs: dict[str, tuple], node: Any, lw: Any, inner: int = 0) -> None:
    """Bind each split name in `env` to the `FnSeq` of its items' current values (made in the
    block `inner` levels below the current one)."""
    for n, (kind, names, keys) in seqs.items():
        env[n] = FnSeq(tuple(env[m] for m in names), kind, node, depth(lw) + inner, keys=keys)


def gather(lw: Any, env: dict, seqs: dict[str, tuple], node: Any) -> None:
    """At the end of the body: the items of each split name's value, bound to its item names."""
    for n, (kind, names, keys) in seqs.items():
        items = _items(lw, env.get(n), kind, keys)
        if items is None or len(items) != len(names):
            raise lw.error(
                node,
                f"`{n}` is a {kind} of {len(names)} objects that this loop rebinds; srcad "
                f"follows it only while each iteration rebinds it to a {kind} of "
                f"{len(names)} objects built in the iteration (`[p.step() for p in {n}]`)"
                + (" with the same keys in the same order" if kind == "dict" else ""),
                f"keep the number of items of `{n}` fixed in the loop",
            )
        for m, item in zip(names, items):
            env[m] = item


def after(env: dict, seqs: dict[str, tuple], node: Any, lw: Any) -> None:
    """After the loop: each split name bound to the `FnSeq` of the loop's results, the item
    names dropped."""
    bind(env, seqs, node, lw)
    for _, names, _ in seqs.values():
        for m in names:
            env.pop(m, None)


def refuse(lw: Any, n: str, v: Any, node: Any) -> Exception:
    """The error for a list of functions or objects `n` a loop rebinds that is not split."""
    if isinstance(v, FnSeq):
        return lw.error(
            node,
            f"`{n}` is a {v.kind} of objects or functions known here that this loop rebinds; "
            "srcad follows such a list through a loop only when it holds distinct objects whose "
            "fields nothing writes, and the loop only iterates, indexes or rebinds it (no "
            "append, no item assignment, not passed to a function)",
            f"rebuild `{n}` each iteration with a comprehension (`{n} = [p.step() for p in "
            f"{n}]`), or keep the objects' state in arrays",
        )
    return lw.error(node, f"`{n}` is rebound to a function or module inside a loop")


def rebuilt(lw: Any, name: str, v: Any) -> Any:
    """`v` bound to `name` by ``name = ...``: in the body of a loop carrying `name` by item, a
    list (tuple, dict of the same keys) built here from items known here becomes the `FnSeq` of
    them, so a second rebuild in the same iteration (``ps = [p.kick(a) for p in ps]`` then
    ``ps = [p.drift(dt) for p in ps]``) reads the items too; else `v`."""
    bodies = getattr(lw, "loop_bodies", None)
    if type(v) is not Var or not bodies or pseudo(name, 0) not in bodies[-1][1]:
        return v
    cur = lw.env.get(name)
    if isinstance(cur, FnSeq) and cur.kind == "dict":
        items = _dict_items(lw, v, cur.keys)
        return v if items is None else FnSeq(items, "dict", cur.node, depth(lw), keys=cur.keys)
    for kind in ("list", "tuple"):
        items = _items(lw, v, kind)
        if items:
            return FnSeq(items, kind, bodies[-1][0], depth(lw))
    return v


def join_fns(lw: Any, n: str, vals: list, node: Any, cond: Operand) -> Chosen:
    """`n` bound to two different functions on the two paths of an ``if`` on `cond` (``if c:
    f = np.sin`` / ``else: f = np.cos``): the `Chosen` of them, whose calls are ``if``s
    (lower/fnchoice.py); else the join is refused (`join_error`)."""
    fns = len(vals) == 2 and all(
        isinstance(v, Chosen)
        or isinstance(v, (PrimRef, NestedFn, LocalMethod))
        and function_like(lw, v)
        for v in vals
    )
    if not fns:
        raise join_error(lw, n, vals, node)
    return Chosen(cond, *vals)


def join_error(lw: Any, n: str, vals: list, node: Any) -> Exception:
    """The error for `n` bound to different functions, modules or lists of them on the paths
    joining at `node`."""
    seq = next((v for v in vals if isinstance(v, FnSeq)), None)
    if seq is None:
        return lw.error(
            node,
            f"`{n}` names a function or module on one path and something else on another",
            "bind it once, outside the branch or loop",
        )
    return lw.error(
        node,
        f"`{n}` is a {seq.kind} of objects or functions known here, and the paths that join "
        f"here bind it to different {seq.kind}s or values; srcad follows such a {seq.kind} only "
        "while all paths bind the same one (an `if` rebuilding it on one path only, or on "
        "each path differently, is not supported)",
        f"rebuild `{n}` on every path (`{n} = [p.step() if c else p for p in {n}]`)",
    )


def check_end(lw: Any, env: dict, carried: list, node: Any) -> None:
    """At the end of a loop's body: a carried name bound to a function, a module or a list of
    them is refused (it would leave the loop as None)."""
    for n in carried:
        if isinstance(env.get(n), (ModuleRef, PrimRef, NestedFn, FnSeq, MappedSeq, Chosen)):
            raise lw.error(
                node,
                f"`{n}` is bound to a function or module inside a loop and read after an iteration",
                "bind it before the loop, or call it only in the iteration that binds it",
            )


def _eligible(lw: Any, env0: dict, n: str, v: FnSeq, node: Any) -> bool:
    if v.kind not in ("list", "tuple", "dict") or v.escaped or not 0 < len(v.items) <= _MAX:
        return False
    seen: list = []
    for item in v.items:
        if not (object_like(lw, item) or _named(lw, item)) or any(item is s for s in seen):
            return False
        seen.append(item)
        if _named(lw, item):
            continue  # (a namedtuple's fields cannot be written: `p.x += 1` of another class)
        cls = item.cls if isinstance(item, LocalObj) else _called_class(lw, item)
        if cls is None or objstate.written_fields(lw, cls):
            return False
    for m, w in env0.items():  # no second name of the list (a run-time one: `v.node`)
        if m != n and (w is v or w is v.node):
            return False
    body = [*getattr(node, "body", [])]
    if isinstance(node, gast.While):
        body.append(node.test)
    return _only_read(body, n)


def _displayed(lw: Any, v: Var) -> FnSeq | None:
    """A run-time list/tuple/dict display of namedtuples built in this block (``[N(a), N(b)]``:
    not objects lower/objects.py builds) as a `FnSeq` of them (its node: `v`), else None."""
    op = next((o for o in reversed(lw.b.block.ops) if v in o.results), None)
    if op is None or op.prim not in ("list", "tuple", "dict") or op.kwargs:
        return None
    keys, items = (op.args[::2], op.args[1::2]) if op.prim == "dict" else ((), op.args)
    if not items or not all(type(a) is Var and _named(lw, a) for a in items):
        return None
    if not all(isinstance(k, Const) for k in keys) or len({k.value for k in keys}) < len(keys):
        return None
    keys = tuple(k.value for k in keys)
    return FnSeq(tuple(items), op.prim, v, depth(lw), keys=keys)


def _named(lw: Any, v: Any) -> bool:
    """`v` is the result of calling a namedtuple class of user code in this block (immutable:
    no field of it is ever written)."""
    cls = _called_class(lw, v) if type(v) is Var else None
    return (
        cls is not None
        and issubclass(cls, tuple)
        and hasattr(cls, "_fields")
        and module_top(cls) not in LIBRARY_MODULES
    )


def _called_class(lw: Any, v: Any) -> Any:
    for op in reversed(lw.b.block.ops):
        if v in op.results:
            known, cls = lw.static_object(op.args[0]) if op.prim == "call" else (False, None)
            return cls if known and isinstance(cls, type) else None
    return None


def _only_read(body: list, n: str) -> bool:
    """`n` is only rebound, iterated, indexed or read by `_READERS` in `body` (no nested
    function reads it)."""
    ok: set[int] = set()
    for s in body:
        for x in gast.walk(s):
            if isinstance(x, (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)):
                if any(isinstance(y, gast.Name) and y.id == n for y in gast.walk(x)):
                    return False
            if isinstance(x, (gast.For, gast.comprehension)):
                ok.add(id(x.iter))
            elif isinstance(x, gast.Subscript) and isinstance(x.ctx, gast.Load):
                ok.add(id(x.value))
            elif (
                isinstance(x, gast.Call)
                and isinstance(x.func, gast.Name)
                and x.func.id in _READERS
                and not x.keywords
            ):
                ok.update(id(a) for a in x.args)
            elif isinstance(x, gast.Call) and _view(x):  # `ps.items()` of a dict
                ok.add(id(x.func.value))
    for s in body:
        for x in gast.walk(s):
            if isinstance(x, gast.Name) and x.id == n:
                if isinstance(x.ctx, gast.Store):
                    continue
                if not isinstance(x.ctx, gast.Load) or id(x) not in ok:
                    return False
            elif isinstance(x, (gast.Global, gast.Nonlocal)) and n in x.names:
                return False
    return True


def _view(c: gast.Call) -> bool:
    f = c.func
    return isinstance(f, gast.Attribute) and f.attr in _VIEWS and not c.args and not c.keywords


def _items(lw: Any, v: Any, kind: str, keys: tuple = ()) -> tuple | None:
    """The items of `v` when it is a list (tuple) known here: a `FnSeq`, or a run-time list the
    current block built from ``list()`` by appends, or by a ``list``/``tuple`` display (or
    ``tuple(...)``/``list(...)`` of such a list)."""
    if isinstance(v, FnSeq):
        same = v.kind == kind and not v.escaped and v.keys == keys
        return v.items if same else None
    if type(v) is not Var:
        return None
    if kind == "dict":
        return _dict_items(lw, v, keys)
    got: list = []
    ops = lw.b.block.ops
    while True:
        op = next((o for o in reversed(ops) if v in o.results), None)
        if op is None:
            return None
        if op.prim == "list_append" and kind == "list":
            got.append(op.args[1])
            v = op.args[0]
        elif op.prim == f"builtins.{kind}" and not got and len(op.args) == 1 and not op.kwargs:
            v, kind = op.args[0], "list"  # `tuple(<a list built here>)`: its items
        elif op.prim == kind and not op.kwargs:
            return tuple([*op.args, *reversed(got)])
        else:
            return None


def _dict_items(lw: Any, v: Var, keys: tuple) -> tuple | None:
    """The values of the run-time dict `v` the current block built from ``dict()`` by stores of
    the constant `keys`, each once and in that order (``{k: p.step() for k, p in ps.items()}``
    over the dict known here), or by a ``dict`` display of them; else None."""
    got: list = []
    ops = lw.b.block.ops
    while True:
        op = next((o for o in reversed(ops) if v in o.results), None)
        if op is None or op.kwargs:
            return None
        if op.prim == "setitem" and len(op.args) == 3 and isinstance(op.args[1], Const):
            got.append((op.args[1].value, op.args[2]))
            v = op.args[0]
            continue
        if op.prim != "dict" or not all(isinstance(k, Const) for k in op.args[::2]):
            return None
        pairs = [(k.value, a) for k, a in zip(op.args[::2], op.args[1::2])] + got[::-1]
        if [type(k) for k, _ in pairs] != [type(k) for k in keys]:
            return None
        return tuple(a for _, a in pairs) if tuple(k for k, _ in pairs) == keys else None
