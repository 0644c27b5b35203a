"""Which user method Python runs, known at transform time: reflected operators, ``super()``.

Input: an operator op of the function `srcad.ad.receivers` analyzes (its operands' kinds known),
or that function before the analysis. Output: the op turned into a call of the method Python
would run (``2.0 * v`` is ``v.__rmul__(2.0)``, ``super().f(x)`` is ``Base.f(self, x)``), or left
as it was (the caller then refuses it as before).

``x * o``, `o` an instance of a user class: Python first runs ``type(x).__mul__(x, o)``. When `x`
is a Python number (a constant or a number parameter of the function the user differentiates),
that returns NotImplemented for `o`, so ``o.__rmul__(x)`` runs; any other left operand (an array,
a NumPy scalar, an unknown value) may handle `o` itself (NumPy broadcasts over an object array)
and stays refused. ``super()`` in a method of class `C` called on an instance of a known class
`D` looks the name up in ``D.__mro__`` after `C`: resolved when no class of that MRO has several
bases; ``super()`` itself becomes ``super(C, self)`` (generated code has no ``__class__`` cell).
"""

from __future__ import annotations

import dis
import types
from typing import Any

import numpy as np

from srcad.ad import objsums
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, classify, note_read
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Op, Var, uses, walk_ops

_NUMBERS = (int, float)
# Builtins Python runs as a method of their argument's class: ``round(o)`` is ``o.__round__()``,
# ``float(o)`` is ``o.__float__()``. On an instance of a user class that defines one, the op is
# that method (`receivers._resolve`), not the rule of the builtin (a zero derivative for round).
CONVERSIONS = {"round": "__round__", "float": "__float__", "complex": "__complex__",
               "math.floor": "__floor__", "math.ceil": "__ceil__", "math.trunc": "__trunc__",
               "reversed": "__reversed__"}  # fmt: skip
# What NumPy and math read an object through (``np.asarray(o)``: ``o.__array__()`` or the
# sequence protocol; ``math.sqrt(o)``: ``o.__float__()``), and the classes whose instances they
# read as the numbers srcad's rules assume (namedtuples: sequences of their fields).
_HOOKS = ("__array__", "__array_ufunc__", "__array_function__", "__array_interface__",
          "__float__", "__complex__", "__index__", "__int__", "__len__", "__getitem__",
          "__iter__")  # fmt: skip
_NUMERIC_BASES = (tuple, int, float, complex, np.ndarray, np.generic)


def reflected(tr: Any, op: Op, cls: type, name: str) -> bool:
    """``x <op> o`` with `o` (an instance of the user class `cls`) on the right: when `x` is a
    Python number and ``cls.__r<name>__`` a plain method, `op` becomes that method's call on `o`
    (`tr.user_ops`) and True; else False."""
    if len(op.args) != 2 or issubclass(cls, (int, float, complex, np.ndarray, np.generic)):
        return False
    x, o = op.args
    if not _python_number(tr, x) or classify(cls, f"__r{name}__") != "user":
        return False
    op.prim = f"method.__r{name}__"
    op.args = [o, x]
    tr.user_ops.add(op)
    return True


def _python_number(tr: Any, x: Any) -> bool:
    if isinstance(x, Const):
        return type(x.value) in _NUMBERS
    if not isinstance(x, Var) or tr.param_kinds is not None:
        return False
    return any(tr.fn.params[i] is x for i in tr.scalar_params if i < len(tr.fn.params))


def resolve_super(tr: Any, kinds: dict) -> None:
    """``super().name(args)`` in a method whose `self` is an instance of a known class `D`
    (`kinds` of the parameters): a call of the plain function `name` found after the method's
    class in ``D.__mro__``, `self` passed first (``super().name`` of a property there: its
    getter's call). Left alone (refused later if differentiated)
    when the class is unknown, some class in that MRO has several bases, the method rebinds its
    first parameter, or the name is not a plain function of a user class."""
    fn = tr.fn
    sups = {
        op.result for op in ops_of(fn.body) if op.prim == "super" and not op.args and not op.kwargs
    }
    if not sups or not fn.params or fn.pyfunc is None or fn.namespace is None:
        return
    here = (fn.namespace.closure or {}).get("__class__")
    if not isinstance(here, type) or _rebinds_first(fn.pyfunc.__code__):
        return
    for op in walk_ops(fn.body):  # generated code has no `__class__` cell: name both
        if op.prim == "super" and not op.args and not op.kwargs:
            op.args = [Const(here), fn.params[0]]
    me = kinds.get(fn.params[0])
    if not isinstance(me, type) or not issubclass(me, here):
        return
    if any(len(k.__bases__) > 1 for k in me.__mro__):
        return
    after = me.__mro__[me.__mro__.index(here) + 1 :]
    for op in walk_ops(fn.body):
        kind, _, name = op.prim.partition(".")
        if not (kind in ("method", "attr") and op.args and op.args[0] in sups):
            continue
        owner = next((k for k in after if name in k.__dict__), None)
        f = owner.__dict__[name] if owner is not None else None
        if kind == "attr" and isinstance(f, property) and len(op.args) == 1 and not op.kwargs:
            f = f.fget  # ``super().energy`` of a property: its getter called on `self`
        elif kind == "attr":
            continue
        if isinstance(f, types.FunctionType) and user_class_type(owner):
            # (the cache checks it again: a method patched on any class up the chain later)
            note_read(after[0], name, getattr(after[0], name))
            op.prim = "call"
            op.args = [Const(f), fn.params[0], *op.args[1:]]
    used = uses(fn.body)
    _drop(fn.body, {v for v in sups if not used.get(v)})


def _drop(b: Block, dead: set) -> None:
    """Remove the ``super`` ops whose results nothing reads any more (a varied `self` would
    make them varied ops without a rule)."""
    b.ops = [op for op in b.ops if not (op.prim == "super" and op.results[0] in dead)]
    for op in b.ops:
        for sub in op.blocks:
            _drop(sub, dead)


def _rebinds_first(code: types.CodeType) -> bool:
    """Whether the code stores to (or deletes) its first parameter (zero-argument ``super()``
    reads that variable's current value), or a function nested in it uses ``super()``."""
    if not code.co_argcount:
        return True
    if any(isinstance(c, types.CodeType) and "__class__" in c.co_freevars for c in code.co_consts):
        return True  # a nested function's ``super()`` reads that function's first parameter
    first = code.co_varnames[0]
    stores = ("STORE_FAST", "DELETE_FAST", "STORE_DEREF", "DELETE_DEREF", "STORE_FAST_LOAD_FAST",
              "STORE_FAST_STORE_FAST")  # fmt: skip
    return any(i.opname in stores and first in str(i.argval) for i in dis.get_instructions(code))


def user_class_type(cls: type) -> bool:
    return module_top(cls) not in LIBRARY_MODULES


def subclass_reflects(op: Op, kinds: dict, cls: type, name: str) -> bool:
    """``a * b`` where b's class is a proper subclass of a's overriding ``__rmul__``."""
    other = [kinds.get(a) for a in op.args[1:] if isinstance(a, Var)]
    r = f"__r{name}__"
    return any(
        isinstance(c, type) and c is not cls and issubclass(c, cls)
        and getattr(c, r, None) is not getattr(cls, r, None)
        for c in other
    )  # fmt: skip


def hook_refusal(tr: Any, op: Op, kinds: dict) -> None:
    """``np.sum(o)``, ``math.sqrt(o)``, `o` an instance of a user class (`kinds`): NumPy and
    math read it through its own methods (`_HOOKS`), or as a 0-d object array, not as the
    number or array a rule assumes (srcad differentiated ``np.asarray(o)`` as if `o` were the
    array, ignoring ``__array__``). Recorded in `tr.refused`: refused when an operand is varied."""
    if objsums.sum_refusal(tr, op, kinds):  # `sum(objs)`: their `__add__`/`__radd__`
        return
    if not op.prim.startswith(("numpy.", "math.", "cmath.")):
        return
    for a in op.operands():
        cls = kinds.get(a) if isinstance(a, Var) else None
        if isinstance(cls, type) and (
            not issubclass(cls, _NUMERIC_BASES) or any(classify(cls, h) != "rule" for h in _HOOKS)
        ):
            tr.refused[op] = (
                f"`{op.prim}` of an instance of the user class `{cls.__name__}`: NumPy and math "
                "read it through its own methods (`__array__`, `__float__`, `__getitem__`, ...) "
                "or as an object array, which srcad's rule for the function does not follow",
                "pass the numbers themselves (an attribute of the object, or an array of them)",
            )
            return
