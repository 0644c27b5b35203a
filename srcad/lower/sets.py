"""Sets users build for control: displays, comprehensions and ``s.add(k)`` on a set only tested.

Input: a gast node (a set display, a set comprehension, or an expression statement calling
``.add`` / ``.discard`` / ``.update``) with the lowering state `lw`. Output: the set's value
(an operand), or for the statement True once lowered (False: not of this kind, refused as
before).

- ``{a, b}`` and ``{f(i) for i in ...}`` tested where they are made (``k in {...}``,
  ``len({...})``) or bound to such a name: ``set([a, b])`` and ``set([f(i) for i in ...])``,
  as a ``set(...)`` call is (builtins.set of a list: a run-time set). What lower/setlits.py
  makes a tuple (``i in {0, 2}``) is unchanged; any other display stays refused (iterated, its
  order would be the process's string hashing).
- ``s.add(k)``, ``s.discard(k)``, ``s.update(ks)`` where `s` is a local name bound only to new
  sets (a display, a comprehension, ``set(...)``) and read only by membership tests (``k in s``,
  ``k not in s``), ``len(s)`` and these methods, outside nested functions: `s` rebound to
  ``s | set([k])``, ``s - set([k])``, ``s | set(ks)``. No other name, container or caller can
  hold the set, so Python's in-place update and the rebinding are seen alike; and what is read
  of it (a truth value, a count) is piecewise constant, so it adds nothing to a derivative.
  Any other use (iteration, a call, a second name) keeps the method refused. lower/scope.py
  counts ``.add`` / ``.discard`` as rebinding their receiver (as ``.update``), so a loop or
  branch whose body adds carries the set.
"""

from __future__ import annotations

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
            return len(t) == 1 and isinstance(t[0], gast.Name) and control_only(lw, root, t[0].id)
        if isinstance(n, gast.Compare):
            if any(
                c is node and isinstance(op, (gast.In, gast.NotIn))
                for op, c in zip(n.ops, n.comparators)
            ):
                return True
        if isinstance(n, gast.Call) and _is_len(n) and n.args[0] is node:
            return True
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


def method_stmt(lw: Any, v: gast.Call) -> bool:
    """``s.add(k)`` / ``s.discard(k)`` / ``s.update(ks)`` of a set used only for control:
    lowered as `s` rebound (module docstring); False when `s` is not such a set."""
    name = v.func.attr
    s = v.func.value
    if name not in _METHODS or len(v.args) != 1 or v.keywords or not isinstance(s, gast.Name):
        return False
    root = getattr(lw, "root_node", None)
    if root is None or lw.inline_depth or s.id in lw.param_set or s.id not in lw.env:
        return False
    if isinstance(v.args[0], gast.Starred) or not control_only(lw, root, s.id):
        return False
    arg = lw.value(v.args[0])
    lw.at(v)
    new = lw.op("builtins.set", [arg if name == "update" else lw.op("list", [arg])])
    lw.env[s.id] = lw.op(_METHODS[name], [lw.value(s), new], hint=s.id)
    return True


def control_only(lw: Any, root: Any, name: str) -> bool:
    """Every occurrence of `name` in the function `root` binds it to a new set (a display, a
    comprehension; ``set(...)`` when the name `set` is Python's) or reads it in a membership
    test, ``len(name)`` or ``name.add/discard/update(...)`` (a statement), and none is in a
    nested function, lambda or class."""
    builtin = lw.ns.lookup("set")[1] is set and "set" not in lw.py_locals
    allowed: set[int] = set()
    for node in _walk_flat(root):
        if isinstance(node, gast.Assign):
            t = node.targets
            if len(t) == 1 and isinstance(t[0], gast.Name) and _new_set(node.value, builtin):
                allowed.add(id(t[0]))
        elif isinstance(node, gast.Compare):
            for op, c in zip(node.ops, node.comparators):
                if isinstance(op, (gast.In, gast.NotIn)) and isinstance(c, gast.Name):
                    allowed.add(id(c))
        elif isinstance(node, gast.Call) and _is_len(node):
            allowed.add(id(node.args[0]))
        elif isinstance(node, gast.Expr) and isinstance(node.value, gast.Call):
            f = node.value.func
            if isinstance(f, gast.Attribute) and f.attr in _METHODS:
                allowed.add(id(f.value))
    for node in _walk_flat(root):
        if isinstance(node, gast.Name) and node.id == name and id(node) not in allowed:
            return False
        if isinstance(node, (gast.Global, gast.Nonlocal)) and name in node.names:
            return False
    return not any(_names_in_nested(root, name))


def _new_set(e: Any, builtin: bool) -> bool:
    if isinstance(e, (gast.Set, gast.SetComp)):
        return True
    return (
        builtin
        and isinstance(e, gast.Call)
        and isinstance(e.func, gast.Name)
        and e.func.id == "set"
        and not e.keywords
        and len(e.args) <= 1
    )


def _is_len(node: gast.Call) -> bool:
    f = node.func
    return isinstance(f, gast.Name) and f.id == "len" and len(node.args) == 1 and not node.keywords


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


def _names_in_nested(root: Any, name: str) -> Any:
    """True for each nested function, lambda or class of `root` that names `name`."""
    for node in gast.walk(root):
        if node is not root and isinstance(node, _SCOPES):
            yield any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(node))
