"""Choosing a function from a table: dicts of functions, and items at indices known only when
the code runs.

Input: a dict literal, a call ``table[key](args)`` whose ``table`` is a sequence or dict of
functions/objects known when lowering (`FnSeq`), or a subscript of a global list/tuple/dict of
functions with a key known at transform time. Output:

- ``{"relu": relu, "tanh": np.tanh}`` of constant keys and function (or object) values: a
  `FnSeq` of kind ``"dict"`` (`literal`), whose constant-key reads are the functions themselves;
- ``table[key](args)`` with a run-time `key` (`switch`): the key is compared with each of the
  table's keys (a list's indices, negative too) in turn, and the call made with the item whose key
  matched, an ``if`` chain, so each call is of a known function; no match raises Python's
  ``IndexError``/``KeyError``::

      acts[name](x)   ->   acts["relu"](x) if name == "relu" else
                           np.tanh(x) if name == "tanh" else raise KeyError(name)

- ``ACTS["tanh"]`` / ``ACTS[cfg.act]`` of a global table and a key known at transform time (a
  constant, or a global or attribute read), whose item is a NumPy/math function: the function as
  itself (`static_entry`: its rules apply), the entry recorded for the cache; a user class
  (``ACTS[name]()`` of ``ACTS = {"tanh": Tanh}``): the class, whose objects are then built as
  any call of it names them.
"""

from __future__ import annotations

import operator
import types
from typing import Any

import gast

from srcad.frontend.resolve import prim_name
from srcad.lower import fnchoice, objseq
from srcad.lower.objseq import FnSeq, Items
from srcad.lower.reads import module_name
from srcad.lower.values import ItemRead, PrimRef, known_object, note_read
from srcad.ssa.core import Const, Operand

_KEYS = (str, int, bool, float, type(None))
_MAX_CASES = 32


def literal(lw: Any, node: gast.Dict) -> Any:
    """A dict literal of constant keys whose values are all functions or objects: a `FnSeq` of
    kind ``"dict"`` (items: the values, `keys`: the keys); None for other literals, nothing
    lowered. Values may be calls of user classes (``{"Affine1": Affine(W1, b1), "Relu1":
    Relu()}``, the layers of a network, as a list display of them is): lowered tentatively
    (lower/objseq.attempt), undone when some value is not an object."""
    if not node.keys or not all(isinstance(k, gast.Constant) for k in node.keys):
        return None
    forms = (gast.Name, gast.Attribute, gast.Lambda)
    if not all(isinstance(v, forms) or _class_call(lw, v) for v in node.values):
        return None
    if any(isinstance(v, gast.Call) for v in node.values):
        return objseq.attempt(lw, lambda: _table_of(lw, node))
    return _table_of(lw, node)


def _class_call(lw: Any, v: Any) -> bool:
    """`v` a call of a name bound now to a user class (not a builtin one: ``dict(...)``)."""
    if not (isinstance(v, gast.Call) and isinstance(v.func, gast.Name)):
        return False
    f = lw.env.get(v.func.id) if v.func.id in lw.env else lw.ns.lookup(v.func.id)[1]
    return isinstance(f, type) and module_name(f) != "builtins"


def _table_of(lw: Any, node: gast.Dict) -> Any:
    keys = [k.value for k in node.keys]
    if not all(type(k) in _KEYS for k in keys):
        return None
    vals = [lw.expr(v) for v in node.values]
    if not all(objseq.function_like(lw, v) or objseq.object_like(lw, v) for v in vals):
        return None  # (Name/Attribute/Lambda reads: lowered again as values, nothing lost)
    table = dict(zip(keys, vals))  # a repeated key: the last value, as Python
    seq = FnSeq(tuple(table.values()), "dict", node, objseq.depth(lw))
    seq.keys = tuple(table)
    return seq


def entry(seq: Any, key: Any) -> Any:
    """The item of the dict `seq` at the constant `key`, None when it has none."""
    if type(key) not in _KEYS:
        return None
    for k, v in zip(seq.keys, seq.items):
        if k == key and hash(k) == hash(key):
            return v
    return None


def switch(lw: Any, func: Any, node: gast.Call, seq_of: Any) -> Operand | None:
    """``table[key](args)`` where `table` is a `FnSeq` or a global table of functions and `key`
    is known only when the code runs (see the module docstring); None otherwise (nothing
    lowered). ``f(args)`` of ``f = np.sin if c else np.cos``: lower/fnchoice.py."""
    if (out := fnchoice.call(lw, func, node)) is not None:
        return out
    if _get_call(func):  # table.get(key[, default])(args)
        return _get_switch(lw, func, node, seq_of)
    if not isinstance(func, gast.Subscript) or isinstance(func.slice, (gast.Slice, gast.Tuple)):
        return None
    if isinstance(func.slice, gast.Constant):
        return None
    found = _table(lw, func.value, seq_of)
    if found is None:
        return None
    kind, keys = found
    key = lw.value(func.slice)
    if isinstance(key, Const):  # known now: read as a constant index
        return None
    return _chain(lw, func.value, kind, keys, key, node, func, None)


def _get_call(func: Any) -> bool:
    return (
        isinstance(func, gast.Call)
        and isinstance(func.func, gast.Attribute)
        and func.func.attr == "get"
        and len(func.args) in (1, 2)
        and not func.keywords
        and not any(isinstance(a, gast.Starred) for a in func.args)
    )


def _plain_fallback(func: gast.Call) -> bool:
    """``.get``'s default is a name, an attribute path or a lambda: evaluated only where no key
    matches, nothing it does is lost."""
    if len(func.args) == 1:
        return True
    f = func.args[1]
    while isinstance(f, gast.Attribute):
        f = f.value
    return isinstance(f, (gast.Name, gast.Lambda))


def _get_switch(lw: Any, func: gast.Call, node: gast.Call, seq_of: Any) -> Operand | None:
    """``table.get(key[, default])(args)`` of a dict `table` of functions: the `switch` on the
    key, the default (or None, which Python fails to call: TypeError) called when none
    matches. The key is evaluated once, before the arguments, as in Python."""
    table = func.func.value
    found = _table(lw, table, seq_of)
    if found is None or found[0] != "dict" or not _plain_fallback(func):
        return None
    key = lw.value(func.args[0])
    fallback = func.args[1] if len(func.args) == 2 else None
    return _chain(lw, table, "dict", found[1], key, node, func, fallback)


def _chain(
    lw: Any, table: Any, kind: str, keys: list, key: Any, node: Any, func: Any, fallback: Any
) -> Operand:
    """The ``if`` chain calling ``table[k](args)`` for the `k` equal to `key`; no match: call
    `fallback` (``.get``'s default: a node, or None for Python's TypeError), or raise the
    KeyError/IndexError of ``table[key]`` (TypeError for a ``.get`` without a default)."""
    n = len(keys)
    if kind == "dict":
        cases = list(zip(keys, keys))
        missing: Exception = KeyError("a key of this table")
    else:
        cases = [(j, j) for j in range(n)] + [(j, j - n) for j in range(n)]
        missing = IndexError(f"{kind} index out of range")
        lw.at(func.slice)  # a list index is an int (`__index__`): `ls[0.0]` raises TypeError
        key = lw.op("call", [Const(operator.index), key], hint="index")

    if isinstance(func, gast.Call):  # `.get`: no KeyError
        missing = TypeError("'NoneType' object is not callable")

    def call_item(k: Any) -> Operand:
        index = gast.copy_location(gast.Constant(value=k, kind=None), func)
        callee = gast.copy_location(gast.Subscript(value=table, slice=index, ctx=gast.Load()), func)
        return lw.value(gast.copy_location(gast.Call(callee, node.args, node.keywords), node))

    def chain(c: int) -> Operand:
        if c == len(cases) and fallback is not None:
            return lw.value(gast.copy_location(gast.Call(fallback, node.args, node.keywords), node))
        if c == len(cases):
            lw.at(node)
            lw.op("srcad.runtime.raise_", [Const(missing)])
            return Const(None)
        k, match = cases[c]
        lw.at(func)
        test = lw.op("eq", [key, Const(match)])
        return lw.select(test, lambda: call_item(k), lambda: chain(c + 1), node)

    return chain(0)


def _table(lw: Any, node: Any, seq_of: Any) -> tuple[str, list] | None:
    """(kind, keys) of a `FnSeq` (a name, an attribute of an object built here, a literal of
    functions) or of a list/tuple/dict of functions and objects known at transform time (a
    global, a closure value, a module's attribute: its length and items recorded for the
    cache, the binding by the read); None for anything else."""
    if isinstance(node, (gast.Name, gast.Attribute, gast.List, gast.Tuple)):
        seq = seq_of(lw, node)
    elif isinstance(node, gast.Dict):
        seq = literal(lw, node)
    else:
        return None
    if isinstance(seq, FnSeq):
        if seq.escaped or not seq.items or len(seq.items) > _MAX_CASES:
            return None
        objseq.check_known(lw, seq, node)
        keys = list(seq.keys) if seq.kind == "dict" else list(range(len(seq.items)))
        return seq.kind, keys
    if not isinstance(node, (gast.Name, gast.Attribute)):
        return None
    known, table = lw.static_object(lw.expr(node))  # a global, closure or module attribute
    if not known or type(table) not in (list, tuple, dict):
        return None
    note_binding(lw, node)
    if not table or len(table) > _MAX_CASES:
        return None
    keys = list(table) if type(table) is dict else list(range(len(table)))
    if not all(type(k) in _KEYS for k in keys):
        return None
    items = [table[k] for k in keys]
    if not all(_callable_item(v) for v in items):
        return None
    note_read(table, ItemRead(length=True), len(table))
    for k, v in zip(keys, items):
        note_read(table, ItemRead(k), v)
    return {dict: "dict", list: "list", tuple: "tuple"}[type(table)], keys


def _callable_item(v: Any) -> bool:
    """A Python function, a user object (a layer), or a NumPy/math function."""
    if isinstance(v, types.FunctionType) or known_object(v):
        return True
    return not isinstance(v, type) and callable(v) and prim_name(v) is not None


def function_dict(v: Any, body: list | None, exits: Any) -> bool:
    """A dict holding a Python function among its values (scipy's constraint ``{"type": "eq",
    "fun": lambda x: ...}``): a loop over a global list of them is unrolled, so ``c["fun"]`` of
    each item resolves (lower/values._static_item); not a ``for`` whose `body` leaves the loop
    by ``break``/``return`` (`exits`: those statements; unrolled copies cannot), which stays
    a run-time loop."""
    if type(v) is not dict or not any(isinstance(e, types.FunctionType) for e in v.values()):
        return False
    return body is None or all(isinstance(e, gast.Continue) for e in exits(body))


def static_entry(lw: Any, table: Any, node: gast.Subscript) -> PrimRef | Const | None:
    """``table[key]`` of a list/tuple/dict known at transform time whose item is a NumPy/math
    function, the key a constant or a global/attribute read known now: the function itself."""
    if type(table) not in (list, tuple, dict) or isinstance(node.slice, (gast.Slice, gast.Tuple)):
        return None
    if isinstance(node.slice, gast.Constant):
        key = node.slice.value
    elif isinstance(node.slice, (gast.Name, gast.Attribute)):
        known, key = lw.static_object(lw.expr(node.slice))
        if not known:
            return None
    else:
        return None
    if type(key) not in _KEYS:
        return None
    try:
        value = table[key]
    except (LookupError, TypeError):
        return None
    cls = isinstance(value, type) and objseq.user_class(value)
    if not (_callable_item(value) or cls):
        return None
    note_read(table, ItemRead(key), value)
    note_binding(lw, node.value)
    if cls:  # `ACTS[name]()`: the class, so its objects are built here (lower/objects.py)
        return Const(value)
    if isinstance(value, types.FunctionType) or known_object(value):
        if isinstance(node.slice, gast.Constant):
            return None  # a getitem of a constant: ad/callees.py resolves it (values.static_value)
        return Const(value)  # a call of it resolves to its source (ad/callees.py)
    return PrimRef(prim_name(value), value, node)


def note_binding(lw: Any, node: Any) -> None:
    """Record the binding of the global name `node` (a table the transform read items of): the
    cache guards re-read other globals live, so ``ACTS = {...}`` rebound to another table ran
    code built for the old table's functions (a wrong value and derivative)."""
    if isinstance(node, gast.Name) and node.id not in lw.env:
        kind, obj = lw.ns.lookup(node.id)
        if kind == "global":
            note_read(lw.ns.globals, ItemRead(node.id), obj)


def dict_view(lw: Any, it: Any, seq_of: Any) -> list | None:
    """The items of ``for ... in d.values()`` / ``d.items()`` of a dict `FnSeq` (the values;
    (key, value) pairs), else None."""
    if not (isinstance(it, gast.Call) and isinstance(it.func, gast.Attribute)):
        return None
    if it.args or it.keywords or it.func.attr not in ("values", "items"):
        return None
    seq = seq_of(lw, it.func.value) if isinstance(it.func.value, gast.Name) else None
    if seq is None or seq.kind != "dict":
        return None
    objseq.check_known(lw, seq, it)
    if it.func.attr == "values":
        return list(seq.items)
    return [Items((Const(k), v)) for k, v in zip(seq.keys, seq.items)]
