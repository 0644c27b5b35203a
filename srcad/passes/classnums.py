"""Class-body numbers: ``self.force`` / ``K.force`` of ``class K: force = 10.0`` is a number;
module-global lists, tuples and dicts of numbers (`global_boxes`): their items are numbers.

Input: an ``attr.NAME`` op reading an attribute of a class constant (lower/objects.py reads a
class-body constant that way, live, when the code runs). Output: whether the class attribute is
a Python int or float now (`class_number`), for `passes/scalars.py`: ``velocity += (a - 1) *
self.force`` then rebinds a number, and a state tuple of such numbers holds no array.

The fact depends on the class attribute's type, which the user may change between calls
(``K.force = np.ones(3)``): the read is recorded (`lower/reads.KindRead`), so a transform that
used it is made again when the attribute no longer holds an int or float of the same type (a
new number of that type keeps it). The transformed code itself cannot assign class attributes
(refused: lower/setattrs.py). Such a transform is not stored in the disk cache (the read is not
one it repeats on load).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

from srcad.errors import SrcadError
from srcad.frontend.source import unwrap
from srcad.lower.reads import (
    LIBRARY_MODULES,
    DictNumbersRead,
    ItemRead,
    KindRead,
    NumbersRead,
    module_top,
    note_read,
    number_items,
    number_values,
    rely_on_numbers,
)
from srcad.lower.values import static_value
from srcad.ssa.core import Const, Function, Op, Var, walk_ops

_NUMBER_TYPES = (int, float)


def class_number(op: Op, fn: Function, classes: dict[Var, str]) -> bool:
    """`op` (an ``attr.NAME`` op) reads a user class's int or float attribute (recorded); the
    class a constant or a global name of `fn` (`classes`: the results of its ``global`` ops)."""
    if len(op.args) != 1 or op.kwargs:
        return False
    base = op.args[0]
    if type(base) is Const:
        cls = base.value
    elif base in classes and fn.namespace is not None:
        kind, cls = fn.namespace.lookup(classes[base])  # (the binding: in the cache key)
        if kind != "global":
            return False
    else:
        return False
    if type(cls) is not type or module_top(cls) in LIBRARY_MODULES:
        return False
    name = op.prim[5:]
    value = inspect.getattr_static(cls, name, None)
    if type(value) not in _NUMBER_TYPES or getattr(cls, name, None) is not value:
        return False
    note_read(cls, KindRead(name), type(value))
    return True


def global_names(op: Op, classes: dict[Var, str]) -> None:
    """Note the name a ``global`` op reads (not one srcad generated)."""
    name = op.params.get("name")
    if isinstance(name, str) and not op.params.get("generated"):
        classes[op.result] = name


MAX_GLOBAL_ITEMS = 256  # items of a global list or dict checked on every call (`NumbersRead`)


_WRITES = frozenset({"srcad.runtime.global_item", "srcad.runtime.global_method",
                     "srcad.runtime.global_update", "srcad.runtime.attr_effect"})  # fmt: skip


def writes_globals(
    fn: Function, lower_callee: Callable[[Any], Function], own: bool = False, seen: Any = None
) -> bool:
    """`fn` may change a module global's items while it runs: it writes into a global
    (rules/effects.py's helpers; not counted when `own`: the transformed function's own writes
    check that a container taken for numbers keeps them, `reads.check_numbers_kept`) or calls a
    function that may (read by `lower_callee`, transitively; it may run as Python, unchecked),
    or one it cannot read (a class, a method, a callable argument). Not cached: a callee's
    global name may be bound to another function at the next transform."""
    seen = set() if seen is None else seen
    if id(fn) in seen:
        return False
    seen.add(id(fn))
    for op in walk_ops(fn.body):
        if op.prim in _WRITES:
            if not own:
                return True
        elif op.prim == "call" and op.args:
            try:
                ok, obj = static_value(fn, op.args[0])
                pyfunc = unwrap(obj) if ok else None
                if not isinstance(pyfunc, types.FunctionType):
                    return True
                if writes_globals(lower_callee(pyfunc), lower_callee, False, seen):
                    return True
            except (SrcadError, TypeError, ValueError):
                return True
    return False


def global_boxes(fn: Function) -> tuple[frozenset[Var], frozenset[Var]]:
    """(the ``global`` ops' results of `fn` reading a module-global list or tuple of Python
    numbers, those reading a dict of them): ``FEATURES = [0, 2]``, ``CFG = {"idx": 1, "lr":
    0.1}``, whose items the mutation check (passes/alias.py) takes for numbers, so that
    ``b = w[CFG["idx"]]; b -= lr * g`` of a 1-D `w` rebinds `b` (as for a dict argument of
    numbers, `Spec.numbers`). The binding and the items' kinds are recorded reads
    (`NumbersRead`, `DictNumbersRead`): an item that becomes an array or a slice, or the name
    rebound, makes the transform again (checked when a call starts: none when `fn` or a function
    it calls may write into a global, `writes_globals`; the generated code's writes check them
    again, rules/effects.py). For the differentiated function only: a helper's caller may have
    changed the global before the call."""
    lower_callee = getattr(fn, "lower_callee", None)  # (passes/alias.check_mutations)
    if fn.namespace is None or lower_callee is None:
        return frozenset(), frozenset()
    found: list[tuple[Op, str, Any, bool]] = []
    for op in walk_ops(fn.body):
        name = op.params.get("name") if op.prim == "global" else None
        if not isinstance(name, str) or op.params.get("generated"):
            continue
        kind, value = fn.namespace.lookup(name)
        if kind == "global" and number_items(value, MAX_GLOBAL_ITEMS):
            found.append((op, name, value, False))
        elif kind == "global" and number_values(value, MAX_GLOBAL_ITEMS):
            found.append((op, name, value, True))
    if not found or writes_globals(fn, lower_callee, True):
        return frozenset(), frozenset()  # (an item may change before a read: not the fact)
    for _, name, value, is_dict in found:
        read = DictNumbersRead if is_dict else NumbersRead
        note_read(value, read(MAX_GLOBAL_ITEMS), True)
        note_read(fn.namespace.globals, ItemRead(name), value)
        rely_on_numbers(value)  # (the code's own writes into it check it: rules/effects.py)
    seqs = frozenset(op.result for op, _, _, is_dict in found if not is_dict)
    return seqs, frozenset(op.result for op, _, _, is_dict in found if is_dict)
