"""Calls on user objects in code that runs again in the reverse sweep, before the transform's own
analysis ran.

Input: a lowered function, the classes of its parameters known so far, the parameter values
known at transform time and one of its `call` ops. Output: `classes_of`: Var -> user class, those
and the results of ``C(...)`` (`receivers.object_kinds`); `call_target`: the Python function a
call runs, a constructor ``C(w)`` included (its ``__init__``). The check that a checkpointed
body or function computes the same values again (`vjp_loops.refuse_nondeterministic`, which
runs before `resolve_receivers`) follows them instead of refusing::

    cell = Cell(w)                                   # cell -> Cell; Cell.__init__ followed
    for t in srcad.checkpoint_loop(range(n)):
        h = cell(h)                                  # Cell.__call__, followed to its source

A dataclass's generated ``__init__`` (no source to follow) only stores its arguments and its
fields' defaults: nothing of the user's runs, unless a field has a default factory other than
``list``/``dict``/``set``/``tuple`` or the class has a ``__post_init__`` (then not known).
"""

from __future__ import annotations

import dataclasses
import inspect
import types
from typing import Any

from srcad.ad.callees import user_call
from srcad.ad.receivers import object_kinds
from srcad.errors import SrcadError
from srcad.lower.reads import module_name
from srcad.lower.values import static_value
from srcad.passes.prepare import lowered
from srcad.ssa.core import Function, Op, Var


def classes_of(fn: Function, types_of: dict, known: dict) -> dict[Var, type]:
    """`types_of` (Var -> class) with the classes `object_kinds` finds from them in `fn`."""
    out = dict(types_of)
    for v, k in object_kinds(fn, dict(types_of), known).items():
        if isinstance(k, type):
            out.setdefault(v, k)
    return out


def call_target(fn: Function, op: Op, types_of: dict, known: dict, derive: Any) -> Any:
    """`callees.user_call`'s (callee, function, positional, keyword operands) for `op`, or for
    ``C(args)`` of a plain user class (Python's own ``__new__``) its ``__init__`` with the new
    object as `self` (``()``: no ``__init__`` of its own, nothing of the user's runs); None when
    srcad cannot tell what the call runs."""
    ok, cls = static_value(fn, op.args[0], known) if op.prim == "call" and op.args else (0, 0)
    try:
        if not (ok and type(cls) is type and module_name(cls) not in ("builtins", "numpy")):
            return user_call(fn, op, types_of, known, derive)
        if inspect.getattr_static(cls, "__new__", None) is not object.__new__:
            return None  # (a `__new__` of its own: what it makes is not known here)
        init = inspect.getattr_static(cls, "__init__", None)
        if init is object.__init__ or _stores_only(cls, init):
            return ()
        if not isinstance(init, types.FunctionType):
            return None
        return lowered(init), init, [op.results[0], *op.args[1:]], dict(op.kwargs)
    except SrcadError:
        return None


_PLAIN_FACTORIES = (list, dict, set, tuple)


def _stores_only(cls: type, init: object) -> bool:
    """`init` is the ``__init__`` `dataclasses` generated for `cls`, which runs nothing of the
    user's (module docstring)."""
    if not dataclasses.is_dataclass(cls) or not isinstance(init, types.FunctionType):
        return False
    if init.__code__.co_filename != "<string>" or init.__name__ != "__init__":
        return False  # (a user's own `__init__`: followed to its source)
    if hasattr(cls, "__post_init__"):
        return False
    return all(
        f.default_factory is dataclasses.MISSING or f.default_factory in _PLAIN_FACTORIES
        for f in dataclasses.fields(cls)
    )
