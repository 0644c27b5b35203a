"""Class-body numbers: ``self.force`` / ``K.force`` of ``class K: force = 10.0`` is a number.

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

from srcad.lower.reads import LIBRARY_MODULES, KindRead, module_top, note_read
from srcad.ssa.core import Const, Function, Op, Var

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
