"""A method of an object built here passed to a helper: ``rk4(self._dsdt, s, t)``.

Input: an environment value and an attribute name (`lower/fnargs._is_fn_arg`, at a call of a
user helper). Output: whether ``obj.name`` is a plain method of the class of the object
`lower/objects.py` built while lowering (no field of that name shadows it). The helper is then
inlined with the parameter bound to the `LocalMethod` itself, as it is for a nested function,
so ``deriv(y, t)`` in the helper is the method's body with ``self`` the object (its fields as
they are when it is called: `objstate.shared` crosses the inlining). Before, the method was a
run-time value, the object passed on, and a later ``self.state = ns`` a write srcad would not
see (refused)."""

from __future__ import annotations

import inspect
from typing import Any

from srcad.lower.objinit import plain
from srcad.lower.values import LocalObj


def bound_method(obj: Any, name: str) -> bool:
    """`obj` is a `LocalObj` and ``obj.name`` one of its class's plain methods (not a field)."""
    if type(obj) is not LocalObj or name in obj.fields or name in obj.mutable:
        return False
    return plain(inspect.getattr_static(obj.cls, name, None))
