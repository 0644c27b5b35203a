"""Expression statements: a gast ``Expr`` statement -> ops in the current block.

Input: the lowerer at an expression statement (a call for its effect, a docstring). Output: a
method of an object built here inlined (lower/objstate.py), an effect on a global container
(lower/globaleffects.py), a list/dict update (lower/fnlists.py, lower/idioms.py), ``xs.append(v)``
/ ``xs.extend(vs)`` of a local list (chain) rebound to the grown list, any other expression
lowered and its value dropped; the in-place methods srcad does not model (``x.sort()``,
``d.popitem()``, ...) refused, naming the value-returning form to use.
"""

from __future__ import annotations

import types
from typing import Any

import gast

import srcad.lower.globaleffects as globaleffects
from srcad.lower import fnlists, idioms, objstate, permutes, usermethods
from srcad.lower.base import container_kind, made_by_class

_INPLACE_METHODS = frozenset(
    {"sort", "reverse", "fill", "pop", "insert", "remove", "clear", "update", "setdefault",
     "resize", "put", "itemset", "partition", "popitem", "discard", "add", "__setitem__",
     "__iadd__", "setflags", "byteswap", "shuffle"}
)  # fmt: skip


def lower(lw: Any, s: gast.Expr) -> None:
    """Lower the expression statement `s` (module docstring)."""
    v = s.value
    if isinstance(v, gast.Constant):
        return  # docstring or bare literal
    if isinstance(v, (gast.Yield, gast.YieldFrom, gast.Await)):
        raise lw.error(v, "generators (`yield`) and `await` are not supported")
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute):
        name = v.func.attr
        if objstate.is_local(lw, _chain_root(v.func.value)):  # `acc.add(v)`: its method,
            lw.expr(v)  # inlined (`acc.add(v).add(w)`: the methods of what each returns)
            return
        if globaleffects.method_call(lw, v):  # `HIST.append(float(loss))`: an effect
            return
        if fnlists.method_stmt(lw, v):  # also lower/idioms.py's updates
            return
        if name in ("append", "extend") and _is_local_chain(lw, v.func.value):
            return _grow(lw, v, name)
        if name == "shuffle" and permutes.shuffle(lw, v):  # `rng.shuffle(x)` of a local `x`
            return
        fill = name in ("fill", "put", "partition") and isinstance(v.func.value, gast.Name)
        fill = fill or (name in _INPLACE_METHODS and usermethods.statement(lw, v))  # o.update(g)
        if name in _INPLACE_METHODS and not _is_module_expr(lw, v.func.value) and not fill:
            raise lw.error(
                v,
                f"the in-place method `.{name}()` is not supported",
                "srcad treats values as immutable: build a new value instead "
                "(e.g. `x = np.sort(x)`, `x = x[:-1]`)",
            )
    r = lw.expr(v)
    del r


def _chain_root(node: Any) -> Any:
    """The receiver a chain of method calls starts from: `acc` of ``acc.add(v).scale(2)``."""
    while isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute):
        node = node.func.value
    return node


def _grow(lw: Any, v: gast.Call, name: str) -> None:
    """``xs.append(v)`` / ``xs.extend(vs)``: `xs` (a local list, or an item/field chain of one)
    rebound to ``xs + [v]`` / ``xs + list(vs)``."""
    if v.keywords or len(v.args) != 1:
        raise lw.error(v, f"`{name}` takes one argument")
    chain, temps = idioms.index_once(lw, v.func.value)  # `g[0 if c else 1]`
    lst = lw.value(chain)  # (the receiver before the argument, as Python)
    item = lw.value(v.args[0])
    cls = made_by_class(lw, lst)
    if cls is not None:  # lowered as a list's: `lst + [item]`
        raise lw.error(
            v,
            f"`.{name}()` of a `{cls.__name__}` object is not supported "
            "(srcad lowers `.append`/`.extend` as a list's)",
            "build a list (`xs = []`, `xs.append(v)`) and convert it at the end",
        )
    if container_kind(lw, lst) != "list":  # checked when it runs (impure: kept)
        lw.op("srcad.runtime.plain_list", [lst])
    if name == "append":
        new = lw.op("list_append", [lst, item], hint=lw._base_name(v.func.value))
    else:
        as_list = lw.op("builtins.list", [item])
        new = lw.op("srcad.runtime.concat", [lst, as_list], hint=lw._base_name(v.func.value))
        lw.augmented.append(lw.b.block.ops[-1])  # in place: passes/alias.py
    lw.assign_to(chain, new)
    for t in temps:
        del lw.env[t]


def _is_module_expr(lw: Any, node: Any) -> bool:
    if isinstance(node, gast.Name) and node.id not in lw.env:
        kind, obj = lw.ns.lookup(node.id)
        return isinstance(obj, types.ModuleType)
    return False


def _is_local_chain(lw: Any, node: Any) -> bool:
    while isinstance(node, gast.Subscript):
        node = node.value
    if isinstance(node, gast.Attribute) and objstate.is_local(lw, node.value):
        return node.attr in lw.env[node.value.id].mutable  # `self.hist.append(v)`
    return isinstance(node, gast.Name) and node.id in lw.py_locals
