"""Methods of an argument's class named like NumPy's pure ones (``q.sum()``) that update it.

Input: a lowered `Function` before it is optimised (`record`), then the same function and the
classes of its arguments when a transform knows them (`refuse`). Output: the method calls on
parameters the optimiser takes for NumPy's (``method.sum`` is pure, ``method.repeat`` has rules:
CSE merges the reads around them, DCE drops one whose value is unused), kept in
``fn.param_methods``; a `SrcadError` when the argument's class defines that method itself and it
may update the object (it assigns to an attribute or item of ``self``, or calls one of its own
methods): Python would see the update, the optimised code would not.
"""

from __future__ import annotations

import ast
import inspect
import types

from srcad.ad.common import diff_error
from srcad.frontend.source import source_tree
from srcad.passes.fold import updates_operands
from srcad.rules import default_registry
from srcad.ssa.core import Function, Var, walk_ops


def record(fn: Function) -> None:
    """Note the method calls on parameters with a pure record or rules (module docstring)."""
    params = {p: k for k, p in enumerate(fn.params)}
    reg = default_registry()
    for op in walk_ops(fn.body):
        p = op.prim
        if not p.startswith("method.") or not op.args or type(op.args[0]) is not Var:
            continue
        k = params.get(op.args[0])
        if k is not None and reg.get(p) is not None and not updates_operands(p):
            fn.param_methods.append((k, op))


def refuse(fn: Function, classes: dict[int, type]) -> None:
    """Refuse a recorded call whose argument's class has that method and it may update it."""
    for k, op in fn.param_methods:
        cls = classes.get(k)
        name = op.prim[len("method.") :]
        if cls is None or not _may_update(inspect.getattr_static(cls, name, None)):
            continue
        raise diff_error(
            fn,
            op,
            f"`.{name}()` of a `{cls.__name__}` argument: `{cls.__name__}.{name}` may update the "
            f"object, and srcad's optimiser takes `.{name}()` for NumPy's (no effect)",
            f"give the method another name than NumPy's `.{name}()`, or build the object "
            "inside the differentiated function",
        )


_MUTATORS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "sort",
     "reverse", "fill", "put", "resize", "add", "discard", "popitem", "__setitem__", "itemset"}
)  # fmt: skip


def _may_mutate(func: ast.expr) -> bool:
    """A call of `func` may update what it is called on: a method of the object itself
    (``self.step()``), or an updating method of one of its fields (``self.hist.append(v)``)."""
    if not isinstance(func, ast.Attribute):
        return False
    return isinstance(func.value, ast.Name) or func.attr in _MUTATORS


def _may_update(attr: object) -> bool:
    """A Python function that assigns to an attribute or item of its first parameter, or
    calls a method that may update it (`_may_mutate`; unreadable source: assumed to)."""
    if not isinstance(attr, types.FunctionType):
        return False
    tree = source_tree(attr)
    if tree is None:
        return True
    args = attr.__code__.co_varnames[: attr.__code__.co_argcount]
    if not args:
        return False
    me = args[0]
    for n in ast.walk(tree):
        targets = (
            n.targets if isinstance(n, ast.Assign)
            else [n.target] if isinstance(n, (ast.AugAssign, ast.AnnAssign))
            else n.targets if isinstance(n, ast.Delete)
            else [n.func.value] if isinstance(n, ast.Call) and _may_mutate(n.func)
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
