"""Reads of ``.shape``, ``.ndim``, ``.size``, ``.dtype``, ``.itemsize``, ``.nbytes`` and
``.strides``, which the rules take as an array's (no derivative: rules/shape.py `ZERO_ATTRS`), on
an object of a user class that stores a field of that name: ``self.shape = shape`` in a Gamma distribution's
``__init__`` is its shape parameter, whose derivative is not zero. Such a read of a varied object
gets the run-time check ``_srcad.no_float`` after it: a field holding ints, a tuple of them or a
dtype keeps its zero derivative, a float (or float array) is refused, located, with a hint to
rename the field (it was differentiated as zero).

Input: the function being differentiated (changed in place), its varied Vars and the classes of
its values known at transform time (`types_of`). Output: None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.ad.receivers import DEEP
from srcad.lower.reads import module_top
from srcad.lower.values import static_value
from srcad.rules.shape import ZERO_ATTRS
from srcad.ssa.census import blocks_of, ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var
from srcad.trees import record_fields

_ATTRS = frozenset(f"attr.{n}" for n in ZERO_ATTRS)
_NO_OBJECTS = (DEEP,)  # (receivers.value_kind: arrays, numbers and containers of them only)
_LIBRARIES = ("builtins", "numpy", "scipy", "collections")
_HINT = "rename the field (`self.{0}_ = {0}`) or pass the number itself"


def guard_field_zero_attrs(
    fn: Function, varied: set[Var], types_of: dict, kinds: dict | None = None
) -> None:
    """After each ``x.shape`` (and the other `ZERO_ATTRS`) of a varied `x` whose known class has
    a field of that name (or fields srcad reads only at run time), the check that the value
    holds no float (see the module docstring). The class: `types_of`'s, or the one a ``C(...)``
    call of a class known now made."""
    ops = ops_of(fn.body)
    # (`_guard` checks only these reads of a varied value: none, as mostly, then nothing to do)
    for op in ops:  # `any(...)`, inline (no generator resumed per op)
        if op.prim in _ATTRS and op.args and type(op.args[0]) is Var and op.args[0] in varied:
            break
    else:
        return
    calls = {op.results[0]: op for op in ops if op.prim == "call" and op.results}
    kinds = kinds or {}

    def class_of(x: Var) -> Any:
        cls = _class_of(fn, x, types_of, calls)
        if cls is None and kinds.get(x) not in _NO_OBJECTS and x not in types_of:
            return _UNKNOWN  # (an item of a container argument, say: perhaps a user object)
        return cls

    for block in blocks_of(fn.body):
        _guard(fn, block, varied, class_of)


class _Unknown:
    """The class of a value that may be an object of a user class, not known now."""


_UNKNOWN = _Unknown


def _class_of(fn: Function, x: Var, types_of: dict, calls: dict) -> type | None:
    cls = types_of.get(x)
    if cls is None and x in calls:
        ok, obj = static_value(fn, calls[x].args[0])
        cls = obj if ok and isinstance(obj, type) else None
    if not isinstance(cls, type) or issubclass(cls, np.ndarray):
        return None
    return None if module_top(cls) in _LIBRARIES else cls


def _guard(fn: Function, block: Block, varied: set[Var], class_of: Callable) -> None:
    k = 0
    while k < len(block.ops):
        op = block.ops[k]
        k += 1
        if op.prim not in _ATTRS or len(op.args) != 1 or len(op.results) != 1:
            continue
        x, name = op.args[0], op.prim[5:]
        cls = class_of(x) if isinstance(x, Var) and x in varied else None
        if cls is None:
            continue
        fields = None if cls is _UNKNOWN else record_fields(cls)
        if fields is not None and name not in fields:
            continue  # (None: fields known at run time only, `_srcad.field`)
        what = "an object" if cls is _UNKNOWN else f"a {cls.__name__}"
        msg = (
            f"`.{name}` of {what} is the field its __init__ stores, and it holds a "
            f"float here; srcad reads `.{name}` as an array's (no derivative)"
        )
        check = Op(
            "srcad.runtime.no_float",
            [op.results[0], Const(msg), Const(_HINT.format(name))],
            loc=op.loc,
        )
        block.ops.insert(k, check)
        block.census = None
        k += 1
