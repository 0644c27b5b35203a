"""Sets users build for control: displays, comprehensions and ``s.add(k)`` on a set only tested.

Input: a set display or comprehension with the lowering state `lw` (output: the set's value),
or the function's gast tree and `Namespace` (`rewrite`, which lower/lower.py runs before the
name analyses when the source calls ``.add``/``.discard``/``.update``: output, whether the
tree changed).

- ``{a, b}`` and ``{f(i) for i in ...}`` tested where they are made (``k in {...}``,
  ``len({...})``, ``sorted({...})`` without a key) or bound to such a name (nested functions
  and lambdas testing it too: they read the name when called, as Python; ``s |= {...}`` /
  ``-=`` / ``&=`` / ``^=`` a new set bound to it): ``set([a, b])`` and ``set([f(i) for i in
  ...])``, as a ``set(...)`` call is (builtins.set of a list: a run-time set). What lower/setlits.py
  makes a tuple (``i in {0, 2}``) is unchanged; any other display stays refused (iterated, its
  order would be the process's string hashing).
- ``s.add(k)``, ``s.discard(k)``, ``s.update(ks)`` where `s` is a local name bound only to new
  sets (a display, a comprehension, ``set(...)``) and read only by membership tests (``k in s``,
  ``k not in s``), ``len(s)`` and these methods, outside nested functions: rewritten as
  ``s = s | set((k,))``, ``s = s - set((k,))``, ``s = s | set(ks)``. No other name, container or caller can
  hold the set, so Python's in-place update and the rebinding are seen alike; and what is read
  of it (a truth value, a count) is piecewise constant, so it adds nothing to a derivative.
  Any other use (iteration, a call, a second name) keeps the method refused. Being
  assignments, the name analyses see `s` rebound, so a loop or branch whose body adds carries
  the set.
"""

from __future__ import annotations

import builtins
from typing import Any

import gast

from srcad.ssa.core import Operand

_METHODS = {"add": "bitor", "discard": "sub", "update": "bitor"}
_HINT = (
    "use a list or tuple; a set is supported where it is only tested (`k in s`, `len(s)`, "
    "`s.add(k)`), never iterated (its order is the process's string hashing)"
)


def _tested(lw: Any, node: Any) -> bool:
    """`node` (a set display or comprehension) is tested right where it is made (``k in
    {...}``, ``len({...})``), or bound to a name read only so (`control_only`)."""
    root = getattr(lw, "root_node", None)
    if root is None or lw.inline_depth:
        return False
    for n in _walk_flat(root):
        if isinstance(n, gast.Assign) and n.value is node:
            t = n.targets
            if len(t) != 1 or not isinstance(t[0], gast.Name) or not _python_set(root, lw.ns):
                return False
            if _calls(root, "sorted") and not _python_set(root, lw.ns, "sorted"):
                return False  # (``sorted(s)`` is a test of `s` only when it is Python's)
            return control_only(root, t[0].id)
        if isinstance(n, gast.AugAssign) and n.value is node and _set_update(n):
            return _python_set(root, lw.ns) and control_only(root, n.target.id)
        if isinstance(n, gast.Compare):
            if any(
                c is node and isinstance(op, (gast.In, gast.NotIn))
                for op, c in zip(n.ops, n.comparators)
            ):
                return True
        if isinstance(n, gast.Call) and _is_len(n) and n.args[0] is node:
            return True
        if isinstance(n, gast.Call) and _is_sorted(n) and n.args[0] is node:
            return _python_set(root, lw.ns, "sorted")  # (a list in a deterministic order)
    return False


def display(lw: Any, node: gast.Set) -> Operand:
    """``{a, b}`` only tested: a run-time ``set([a, b])``."""
    if any(isinstance(e, gast.Starred) for e in node.elts) or not _tested(lw, node):
        raise lw.error(node, "set literals are not supported", _HINT)
    items = [lw.value(e) for e in node.elts]
    lw.at(node)
    return lw.op("builtins.set", [lw.op("list", items)], hint="a_set")


def comprehension(lw: Any, node: gast.SetComp) -> Operand:
    """``{e for ...}`` only tested: a run-time ``set([e for ...])``."""
    if not _tested(lw, node):
        raise lw.error(node, "set comprehensions are not supported", _HINT)
    listed = gast.copy_location(gast.ListComp(elt=node.elt, generators=node.generators), node)
    items = lw.value(listed)
    lw.at(node)
    return lw.op("builtins.set", [items], hint="a_set")


def rewrite(tree: Any, ns: Any) -> bool:
    """``s.add(k)`` / ``s.discard(k)`` / ``s.update(ks)`` statements of a set only tested (the
    module docstring) rewritten in `tree`, in place, as ``s = s | set((k,))`` / ``s = s -
    set((k,))`` / ``s = s | set(ks)``, before the name analyses (which then see `s` rebound,
    so a loop carries it); True when one was."""
    if not isinstance(tree, gast.FunctionDef) or not _python_set(tree, ns):
        return False
    found = [n for n in _walk_flat(tree) if _method(n) is not None]
    names = {_method(n)[0].id for n in found}
    ok = {n for n in names if control_only(tree, n)}
    new_of: dict[int, gast.Assign] = {}
    for n in found:
        recv, what, arg = _method(n)
        if recv.id not in ok:
            continue
        item = arg if what == "update" else gast.Tuple(elts=[arg], ctx=gast.Load())
        new = gast.Call(func=_load("set"), args=[item], keywords=[])
        op = gast.Sub() if what == "discard" else gast.BitOr()
        value = gast.BinOp(left=_load(recv.id), op=op, right=new)
        target = gast.Name(id=recv.id, ctx=gast.Store(), annotation=None, type_comment=None)
        assign = gast.Assign(targets=[target], value=value, type_comment=None)
        for x in gast.walk(assign):
            if "lineno" in x._attributes and getattr(x, "lineno", None) is None:
                gast.copy_location(x, n)
        new_of[id(n)] = assign
    for node in gast.walk(tree):  # each statement list holding one, rewritten in place
        for field in ("body", "orelse", "finalbody"):
            stmts = getattr(node, field, None)
            if isinstance(stmts, list) and any(id(x) in new_of for x in stmts):
                stmts[:] = [new_of.get(id(x), x) for x in stmts]
    return bool(new_of)


def _method(n: Any) -> tuple | None:
    """(receiver, method, argument) of a statement ``s.add(k)`` (or discard/update), else None."""
    call = n.value if isinstance(n, gast.Expr) else None
    if not isinstance(call, gast.Call) or not isinstance(call.func, gast.Attribute):
        return None
    f = call.func
    if f.attr not in _METHODS or len(call.args) != 1 or call.keywords:
        return None
    if not isinstance(f.value, gast.Name) or isinstance(call.args[0], gast.Starred):
        return None
    return f.value, f.attr, call.args[0]


def _load(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _python_set(tree: Any, ns: Any, name: str = "set") -> bool:
    """The name ``set`` (or `name`: ``sorted``) in the function `tree` is Python's (not bound in
    it, nor shadowed)."""
    if ns.lookup(name)[1] is not getattr(builtins, name):
        return False
    return not any(isinstance(n, gast.Name) and n.id == name and not isinstance(n.ctx, gast.Load)
                   for n in gast.walk(tree))  # fmt: skip


def _calls(tree: Any, name: str) -> bool:
    return any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(tree))


def control_only(root: Any, name: str) -> bool:
    """`name` is bound in the function `root` (a local: a global's or an argument's set is
    the caller's, which an update must change), every occurrence binds it to a new set (a
    display, a comprehension; ``set(...)`` when the name `set` is Python's) or reads it in a membership
    test, ``len(name)`` or ``name.add/discard/update(...)`` (a statement), and none is in a
    nested function, lambda or class."""
    allowed: set[int] = set()
    made = False  # bound here to a new set: a local name (a global or an argument is the caller's)
    for node in _walk_flat(root):
        if isinstance(node, gast.Assign):
            t = node.targets
            if len(t) == 1 and isinstance(t[0], gast.Name) and _new_set(node.value):
                allowed.add(id(t[0]))
                made = made or t[0].id == name
            if len(t) == 1 and isinstance(t[0], gast.Name) and _rebound(node.value, t[0].id):
                allowed |= {id(t[0]), id(node.value.left)}  # `s = s | set(...)`: a new set
            for tgt in _new_set_targets(t, node.value):  # `seen, todo = set(), [start]`
                allowed.add(id(tgt))
                made = made or tgt.id == name
        elif isinstance(node, gast.AugAssign) and _set_update(node):
            allowed.add(id(node.target))  # `s |= {...}`: no other name holds the set
        elif _tested_read(node, allowed):
            pass
        elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Call):
            f = node.value.func
            if isinstance(f, gast.Attribute) and f.attr in _METHODS:
                allowed.add(id(f.value))
    for node in _walk_flat(root):
        if isinstance(node, gast.Name) and node.id == name and id(node) not in allowed:
            return False
        if isinstance(node, (gast.Global, gast.Nonlocal)) and name in node.names:
            return False
    return made and all(_only_tests(f, name) for f in _nested(root, name))


def _tested_read(node: Any, allowed: set[int]) -> bool:
    """Mark in `allowed` the names `node` reads only to test them (``k in s``, ``len(s)``);
    -> whether `node` is such a test."""
    if isinstance(node, gast.Compare):
        for op, c in zip(node.ops, node.comparators):
            if isinstance(op, (gast.In, gast.NotIn)) and isinstance(c, gast.Name):
                allowed.add(id(c))
        return True
    if isinstance(node, gast.Call) and (_is_len(node) or _is_sorted(node)):
        allowed.add(id(node.args[0]))  # (``sorted(s)``: a new list, in an order of its own)
        return True
    return False


def _only_tests(fn: Any, name: str) -> bool:
    """A nested function or lambda `fn` that names `name` only reads it in membership tests
    and ``len`` (a closure testing the set: no write, no other use, not declared nonlocal, no
    parameter of that name); a class never."""
    if isinstance(fn, gast.ClassDef):
        return False
    allowed: set[int] = set()
    nodes = list(gast.walk(fn))
    for node in nodes:
        _tested_read(node, allowed)
    return not any(
        (isinstance(n, gast.Name) and n.id == name and (id(n) not in allowed))
        or (isinstance(n, (gast.Global, gast.Nonlocal)) and name in n.names)
        for n in nodes
    )


def _set_update(node: gast.AugAssign) -> bool:
    """``s |= <new set>`` (or ``-=``, ``&=``, ``^=``) of a plain name."""
    return (
        isinstance(node.target, gast.Name)
        and isinstance(node.op, (gast.BitOr, gast.Sub, gast.BitAnd, gast.BitXor))
        and _new_set(node.value)
    )


def _new_set_targets(targets: list, value: Any) -> list:
    """The names a tuple assignment ``a, b = set(), [x]`` binds to new sets (`_new_set`)."""
    if len(targets) != 1 or not isinstance(targets[0], (gast.Tuple, gast.List)):
        return []
    elts = targets[0].elts
    if not isinstance(value, gast.Tuple) or len(value.elts) != len(elts):
        return []
    return [t for t, v in zip(elts, value.elts) if isinstance(t, gast.Name) and _new_set(v)]


def _rebound(e: Any, name: str) -> bool:
    """`e` is ``name | set(...)`` or ``name - set(...)`` (what `rewrite` writes)."""
    return (
        isinstance(e, gast.BinOp)
        and isinstance(e.op, (gast.BitOr, gast.Sub))
        and isinstance(e.left, gast.Name)
        and e.left.id == name
        and _new_set(e.right)
    )


def _new_set(e: Any) -> bool:
    """A display, a comprehension or a ``set(...)`` call (the caller checks the name)."""
    if isinstance(e, (gast.Set, gast.SetComp)):
        return True
    return (
        isinstance(e, gast.Call)
        and isinstance(e.func, gast.Name)
        and e.func.id == "set"
        and not e.keywords
        and len(e.args) <= 1
    )


def _is_len(node: gast.Call) -> bool:
    f = node.func
    return isinstance(f, gast.Name) and f.id == "len" and len(node.args) == 1 and not node.keywords


def _is_sorted(node: gast.Call) -> bool:
    """``sorted(s)`` or ``sorted(s, reverse=...)``: no key, whose ties would keep the set's order."""
    f = node.func
    return (
        isinstance(f, gast.Name)
        and f.id == "sorted"
        and len(node.args) == 1
        and all(k.arg == "reverse" for k in node.keywords)
    )


_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def _walk_flat(root: Any) -> Any:
    """The nodes of `root`'s body, not entering nested functions, lambdas or classes."""
    todo = list(root.body) if isinstance(root.body, list) else [root.body]
    while todo:
        node = todo.pop()
        yield node
        for child in gast.iter_child_nodes(node):
            if not isinstance(child, _SCOPES):
                todo.append(child)


def _nested(root: Any, name: str) -> Any:
    """Each nested function, lambda or class of `root` that names `name`."""
    for node in gast.walk(root):
        if node is not root and isinstance(node, _SCOPES):
            if any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(node)):
                yield node
